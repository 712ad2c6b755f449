/// Where a reader of the attempt feed stands, and which fetched attempts it may show yet.
///
/// Attempt sequences are handed out when a row is inserted but become visible when its
/// transaction commits, and on PostgreSQL two processes commit in either order: a reader that
/// jumped past a missing sequence would never show the attempt that later fills it. So the
/// reader stops at a gap and waits. A gap can also be permanent (a rolled-back write, an
/// endpoint deleted with its attempts), so after `patience` everything that was already
/// visible when the gap was first seen is shown, holes and all: any write that held one of
/// those sequences has had `patience` to commit.
public struct AttemptFeedPosition: Sendable {
    /// The last cursor shown (or skipped past).
    public private(set) var cursor: Int64
    public let patience: Duration
    /// The highest cursor visible when the oldest unfilled gap was first seen, and when.
    private var settling: (upTo: Int64, since: ContinuousClock.Instant)?

    public init(after cursor: Int64, patience: Duration = .seconds(3)) {
        self.cursor = max(0, cursor)
        self.patience = patience
    }

    /// Takes the attempts fetched after `cursor`, in cursor order, and returns those to show now.
    public mutating func advance(
        with fetched: [AttemptFeedEntry], now: ContinuousClock.Instant
    ) -> [AttemptFeedEntry] {
        var shown: [AttemptFeedEntry] = []
        let settledUpTo: Int64? = settling.flatMap { now - $0.since >= patience ? $0.upTo : nil }
        for entry in fetched where entry.cursor > cursor {
            let contiguous = entry.cursor == cursor &+ 1
            if contiguous || (settledUpTo.map { entry.cursor <= $0 } ?? false) {
                shown.append(entry)
                cursor = entry.cursor
            } else {
                break
            }
        }
        if let settledUpTo, settledUpTo > cursor { cursor = settledUpTo }
        let waiting = fetched.contains { $0.cursor > cursor }
        if !waiting {
            settling = nil
        } else if settling == nil || settledUpTo != nil {
            // A new gap, or the old one settled and another is in the way: watch from now.
            settling = (fetched.last?.cursor ?? cursor, now)
        }
        return shown
    }

}
