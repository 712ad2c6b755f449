import WirehookCore

/// Follows a `recover` until the endpoint has nothing pending, reading its delivery stats.
public struct RecoveryProgress: Sendable {
    /// Counts at one moment, relative to when the recovery started.
    public struct Snapshot: Sendable, Equatable {
        public var recovered: Int
        public var pending: Int
        /// Deliveries of this endpoint that succeeded since the recovery started.
        public var delivered: Int
        public var failed: Int

        public var line: String {
            "recovered \(recovered): \(delivered) delivered, \(pending) pending, \(failed) failed"
        }
    }

    let client: AdminClient
    let webhookID: String

    public init(client: AdminClient, webhookID: String) {
        self.client = client
        self.webhookID = webhookID
    }

    /// The endpoint's `delivery_stats` now.
    public func stats() async throws(AdminError) -> JSONValue {
        let answer = try await client.get("/webhooks/\(AdminClient.segment(webhookID))/stats")
        return answer["delivery_stats"] ?? .null
    }

    /// Polls until nothing is pending or `timeout` passes; `update` sees each change.
    public func follow(
        recovered: Int, baseline: JSONValue, timeout: Duration, interval: Duration = .milliseconds(500),
        update: (Snapshot) -> Void
    ) async throws(AdminError) -> Snapshot {
        let start = baseline["successful_deliveries"]?.intValue ?? 0
        let deadline = ContinuousClock.now + timeout
        var last: Snapshot?
        while true {
            let stats = try await stats()
            let snapshot = Snapshot(
                recovered: recovered, pending: stats["pending_deliveries"]?.intValue ?? 0,
                delivered: max(0, (stats["successful_deliveries"]?.intValue ?? 0) - start),
                failed: stats["failed_deliveries"]?.intValue ?? 0)
            if snapshot != last { update(snapshot) }
            last = snapshot
            if snapshot.pending == 0 || ContinuousClock.now >= deadline { return snapshot }
            do { try await Task.sleep(for: interval) } catch { return snapshot }
        }
    }
}
