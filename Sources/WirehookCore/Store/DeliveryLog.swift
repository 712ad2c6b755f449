import struct Foundation.Date

/// Reading what happened: deliveries, their attempts and per-endpoint figures.
public protocol DeliveryLog: Sendable {
    func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage
    func delivery(endpointID: String, id: String) async throws -> (Delivery, [Attempt])?
    func delivery(id: String) async throws -> Delivery?
    /// The latest stored event with this id, for redelivery.
    func event(id: String) async throws -> Event?
    /// Figures over the endpoint's kept history; `last30Days` counts from `DeliveryStats.recentSince(now)`.
    func stats(endpointID: String, now: Date) async throws -> DeliveryStats
    /// The endpoint's attempts in `count` buckets of `width` ending with the one holding `now`.
    func attemptHistogram(endpointID: String, now: Date, width: Duration, count: Int) async throws -> AttemptHistogram
    /// Finished attempts after `cursor`, oldest first, at most `limit`, for the live feed.
    func attemptFeed(after cursor: Int64, limit: Int) async throws -> [AttemptFeedEntry]
    /// The newest attempt's cursor (0 when there is none): where a feed that starts now begins.
    func latestAttemptCursor() async throws -> Int64
}
