/// When to try a failed delivery again, and when to give up.
public struct RetryPolicy: Sendable, Equatable {
    /// `delays[n]` is the wait after attempt `n + 1` fails; one attempt more than there are delays.
    public var delays: [Duration]
    /// Each wait is shortened by up to this fraction at random, so retries of a burst spread out
    /// and the schedule's total stays an upper bound.
    public var jitter: Double

    public init(delays: [Duration], jitter: Double = 0.2) {
        self.delays = delays
        self.jitter = jitter
    }

    /// 15 attempts over just under 3 days: 5s, 30s, 2m, 10m, 30m, 1h, 2h, 4h, 8h, 12h ×4, 8h.
    public static let `default` = RetryPolicy(
        delays: [
            .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1800), .seconds(3600),
            .seconds(7200), .seconds(14400), .seconds(28800), .seconds(43200), .seconds(43200),
            .seconds(43200), .seconds(43200), .seconds(28800),
        ])

    public var maxAttempts: Int { delays.count + 1 }

    /// The wait before the next attempt after `attempt` attempts have failed, or nil when done.
    /// A receiver's `Retry-After` may lengthen the wait, up to the longest wait in the schedule.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil, random: Double) -> Duration? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        let scheduled = delays[attempt - 1]
        let factor = 1 - jitter * min(max(random, 0), 1)
        var wait = scheduled * factor
        if let retryAfter, let longest = delays.max() {
            wait = max(wait, min(retryAfter, longest))
        }
        return wait
    }

    /// Parses a schedule such as `1s,2s,5s` (units ms, s, m, h, d).
    public static func parse(_ text: String) throws(ConfigurationError) -> RetryPolicy {
        let parts = text.split(separator: ",").map { $0.trimmingWhitespace() }
        guard !parts.isEmpty, parts.count <= 100 else {
            throw ConfigurationError("a retry schedule lists 1 to 100 waits, e.g. '1s,2s,5s'")
        }
        var delays: [Duration] = []
        for part in parts {
            guard let duration = DurationText.parse(part) else {
                throw ConfigurationError("'\(part)' is not a duration like 500ms, 5s, 2m, 1h or 1d")
            }
            delays.append(duration)
        }
        return RetryPolicy(delays: delays)
    }

    public var description: String { delays.map(DurationText.format).joined(separator: ",") }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(self.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
