/// What the service observed of its store when writes began to fail: the input of the
/// `store-failing` rule (``Engine/storeHealth(_:at:)``). The engine never touches a disk; the
/// service tells it.
public struct StoreTrouble: Sendable, Equatable {
    /// The store's error, as it said it.
    public var error: String
    /// Events published but not yet stored, held in memory until the store takes them.
    public var heldEvents: Int
    /// Roughly how much memory what is held takes, in bytes.
    public var heldBytes: Int

    public init(error: String, heldEvents: Int, heldBytes: Int) {
        self.error = error
        self.heldEvents = heldEvents
        self.heldBytes = heldBytes
    }
}
