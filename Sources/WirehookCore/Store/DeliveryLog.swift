import struct Foundation.Date

/// Reading what happened: deliveries, their attempts and per-endpoint figures.
public protocol DeliveryLog: Sendable {
    func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage
    func delivery(endpointID: String, id: String) async throws -> (Delivery, [Attempt])?
    func delivery(id: String) async throws -> Delivery?
    /// The latest stored event with this id, for redelivery.
    func event(id: String) async throws -> Event?
    /// Figures over the endpoint's kept history, read from counters kept per endpoint and day, so
    /// the cost does not grow with history; `last30Days` counts from `DeliveryStats.recentSinceDay(now)`.
    func stats(endpointID: String, now: Date) async throws -> DeliveryStats
    /// The same figures counted from the deliveries themselves, row by row: the check on the
    /// counters. The times of the latest success and failure are of the rows kept now, where the
    /// counters remember the latest ever seen on the day.
    func recountStats(endpointID: String, now: Date) async throws -> DeliveryStats
    /// The endpoint's attempts in `count` buckets of `width` ending with the one holding `now`.
    func attemptHistogram(endpointID: String, now: Date, width: Duration, count: Int) async throws -> AttemptHistogram
    /// Finished attempts after `cursor`, oldest first, at most `limit`, for the live feed.
    func attemptFeed(after cursor: Int64, limit: Int) async throws -> [AttemptFeedEntry]
    /// The newest attempt's cursor (0 when there is none): where a feed that starts now begins.
    func latestAttemptCursor() async throws -> Int64
}
