import CZeroMQ

/// Facts about the libzmq this process is linked against.
///
/// A namespace rather than a type with instances: there is exactly one libzmq per process.
public enum ZMQ {
    /// The runtime libzmq version, which can differ from the headers the module was compiled with.
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// Whether libzmq was built with an optional capability such as `"curve"` or `"ipc"`;
    /// CURVE in particular depends on how the distribution built the library.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }
}
