extension Engine {
    /// Where a periodic timer resumes when the clock is jumping far ahead, or nil to keep its
    /// period. A service's clock moves a tick at a time; a replayed file can jump hours, and a
    /// line dated centuries on would otherwise fire a timer once per period across the whole
    /// gap (the control fuzzer found a drill publishing 1.6 billion progress events). With no
    /// input in between, the periods in the middle of the gap say nothing the ones at its edges
    /// do not, so the timer keeps its period for `keepFirstS` after the clock left and resumes
    /// `keepLastS` before it lands.
    func resumeAfterJump(_ next: Instant, keepFirstS: Double, keepLastS: Double) -> Instant? {
        guard let move = clockMove, next.seconds(since: move.from) > keepFirstS else { return nil }
        let resume = move.to.adding(seconds: -keepLastS)
        return resume > next ? resume : nil
    }
}
