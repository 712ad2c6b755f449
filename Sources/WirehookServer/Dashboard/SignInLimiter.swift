import Foundation

/// Slows guessing of the admin token: after `limit` wrong sign-ins within `window`, every
/// sign-in is refused until the oldest of them leaves the window.
///
/// Counted for the whole server rather than per address: behind a proxy every browser has the
/// proxy's address, and a forwarded header is the client's to forge. A guesser can therefore
/// hold the form shut for a minute at a time, but never get through it faster.
actor SignInLimiter {
    let limit: Int
    let window: TimeInterval
    private var failures: [Date] = []

    init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// How long until a sign-in may be tried, or nil when it may be tried now.
    func wait(now: Date) -> TimeInterval? {
        failures.removeAll { now.timeIntervalSince($0) >= window }
        guard failures.count >= limit, let oldest = failures.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    func recordFailure(now: Date) {
        failures.append(now)
        if failures.count > limit { failures.removeFirst(failures.count - limit) }
    }
}
