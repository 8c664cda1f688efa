import CordonCore

/// One item of an ingest frame, as ``IngestDecoder`` hands it over.
public enum DecodedItem: Sendable, Equatable {
    /// A valid message of docs/protocol.md, "Ingest messages".
    case message(IngestMessage)
    /// A replay control line (`{"type":"control","t":…,"request":{…}}`, section 7); only when
    /// the decoder was made with `allowControl`.
    case control(time: Instant, request: Value)
    /// A refused message, or a whole frame that could not be read. `raw` is the byte range of the
    /// refused text within the frame, for the dead-letter log.
    case rejected(RejectReason, raw: Range<Int>)
}
