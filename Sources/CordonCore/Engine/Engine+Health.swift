extension Engine {
    /// Tells the engine how the service's store stands (`trouble` nil: it writes), raising or
    /// clearing `store-failing` (``StoreFailingRule``) at `t` or the engine's clock, whichever
    /// is later. Returns what to publish. `replay` has no store and never calls it.
    public func storeHealth(_ trouble: StoreTrouble?, at t: Instant) -> [Output] {
        StoreFailingRule.observe(trouble, at: max(t, now), context: &context)
        return collect()
    }

    /// Whether `store-failing` is raised.
    public var isStoreFailingRaised: Bool { context.alarms.isRaised(.storeFailing, StoreFailingRule.subject) }
}

extension Engine {
    /// Tells the engine a forwarded message was given up, raising `forwarding-failed`
    /// (``ForwardingFailedRule``) unless one is up for that destination. Returns what to publish.
    public func forwardingFailed(_ f: ForwardingFailure, at t: Instant) -> [Output] {
        ForwardingFailedRule.observe(f, at: max(t, now), context: &context)
        return collect()
    }
}
