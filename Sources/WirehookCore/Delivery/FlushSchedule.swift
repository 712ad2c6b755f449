import struct Foundation.Date

/// Flush times for batching dialects: every multiple of the interval since the epoch, so all
/// notifications due in one window leave together, as the panel's periodic job sends them.
public enum FlushSchedule {
    public static func next(after date: Date, every interval: Duration) -> Date {
        let step = max(interval.timeInterval, 0.001)
        let t = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: (t / step).rounded(.up) * step)
    }
}
