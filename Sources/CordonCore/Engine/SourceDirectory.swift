/// The engine's door: who each source id (a tag, a plate) stands for, found once and then kept,
/// so that a position costs one look-up in a ``SourceTable`` whatever it turns out to be.
///
/// A source is either a subject's slot in the engine's state arrays, or a reference tag (a
/// surveyed tag that measures positioning error and is no one). Everything it says follows from
/// the registry, so the engine forgets it all when the registry changes, and one tag when a gate
/// hands that tag out or takes it back.
struct SourceDirectory {
    /// What a source stands for.
    enum Entry: Equatable {
        /// The subject in this slot of the engine's state.
        case subject(Int)
        /// The reference tag with this id (``Registry/references``).
        case reference(String)
    }

    private var entries = SourceTable<Entry>()

    subscript(source: SourceID) -> Entry? {
        get { entries[source] }
        set { entries[source] = newValue }
    }

    /// Forgets one source: it is looked up afresh at its next message.
    mutating func forget(_ source: SourceID) { entries.remove(source) }

    /// Forgets every source (the registry changed).
    mutating func removeAll() { entries.removeAll() }
}
