import CordonCore
import Foundation

/// Appends little-endian fixed-width values and length-prefixed strings: the live-state
/// journal's binary rows (``SnapshotCodec`` subject rows, ``SubjectMovements``), which are
/// written for every lasting change and must cost little. ``ByteReader`` reads them back.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ b: some Sequence<UInt8>) { bytes += b }

    mutating func int<T: FixedWidthInteger>(_ v: T) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { bytes += $0 }
    }

    mutating func double(_ v: Double) { int(v.bitPattern) }

    /// Epoch milliseconds.
    mutating func instant(_ t: Instant) { int(t.milliseconds) }

    /// UTF-8 with a 32-bit length.
    mutating func string(_ s: String) {
        int(UInt32(truncatingIfNeeded: s.utf8.count))
        bytes += s.utf8
    }

    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// A presence byte, then the value when there is one.
    mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
        guard let v else { return bytes.append(0) }
        bytes.append(1)
        write(&self, v)
    }

    var data: Data { Data(bytes) }
}
