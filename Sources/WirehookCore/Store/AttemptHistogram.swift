import struct Foundation.Date

/// Successes and failures of one endpoint's attempts per time bucket, for the dashboard's charts.
///
/// The store groups in SQL, so a chart reads at most `count` rows whatever the traffic. A success
/// is `Attempt.succeeded`'s rule (a 2xx answer and no error), written as SQL by each store.
public struct AttemptHistogram: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var start: Date
        public var successes: Int
        public var failures: Int

        public init(start: Date, successes: Int, failures: Int) {
            self.start = start
            self.successes = successes
            self.failures = failures
        }
    }

    /// Oldest first; every bucket is present, empty ones with zero counts.
    public var buckets: [Bucket]

    public init(buckets: [Bucket]) { self.buckets = buckets }

    /// The window that ends with the bucket holding `now`: `count` buckets of `width`, aligned to
    /// whole widths since the epoch so that two readers draw the same bars.
    public static func window(now: Date, width: Duration, count: Int) -> (startMs: Int64, widthMs: Int64, count: Int) {
        let widthMs = max(1, Int64(width.components.seconds) * 1000)
        let count = min(max(count, 1), 1000)
        let nowMs = Timestamp.milliseconds(now)
        let aligned = nowMs - (nowMs % widthMs)
        let (start, overflow) = aligned.subtractingReportingOverflow(widthMs * Int64(count - 1))
        return (overflow ? 0 : start, widthMs, count)
    }

    /// Fills the window from the store's sparse `(bucket index, successes, failures)` rows.
    public init(startMs: Int64, widthMs: Int64, count: Int, rows: [(index: Int64, successes: Int64, failures: Int64)]) {
        var buckets = (0..<count).map { index in
            Bucket(
                start: Timestamp.date(milliseconds: startMs &+ widthMs &* Int64(index)), successes: 0, failures: 0)
        }
        for row in rows where row.index >= 0 && row.index < Int64(count) {
            buckets[Int(row.index)].successes = Int(clamping: row.successes)
            buckets[Int(row.index)].failures = Int(clamping: row.failures)
        }
        self.buckets = buckets
    }
}
