import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WirehookCore

/// Follows `GET /deliveries/stream` and reconnects after a restart or a dropped connection,
/// resuming with `Last-Event-ID`, so no attempt is shown twice or missed.
public struct DeliveryStream: Sendable {
    /// What to follow; nil fields are not filtered.
    public struct Filter: Sendable {
        public var webhookID: String?
        /// `success` or `failure`.
        public var outcome: String?
        /// An exact type or a pattern such as `user.*`.
        public var eventType: String?
        /// Start after this cursor (`0` replays every attempt still kept); nil starts now.
        public var after: String?

        public init(webhookID: String? = nil, outcome: String? = nil, eventType: String? = nil, after: String? = nil) {
            self.webhookID = webhookID
            self.outcome = outcome
            self.eventType = eventType
            self.after = after
        }
    }

    /// What happened to the connection, for a note on standard error.
    public enum ConnectionEvent: Sendable {
        case connected
        case lost(reason: String, retryIn: Duration)
    }

    /// Three missed keep-alives (sent every 15 s) mean the connection is gone even if no FIN came.
    static let idleLimit: TimeAmount = .seconds(45)

    let target: ServerTarget
    let filter: Filter

    public init(target: ServerTarget, filter: Filter) {
        self.target = target
        self.filter = filter
    }

    /// Runs until `onAttempt` returns false, the task is cancelled, or the server refuses (4xx).
    public func follow(
        onConnection: @Sendable (ConnectionEvent) -> Void, onAttempt: (StreamedAttempt) -> Bool
    ) async throws(AdminError) {
        let client = AdminClient.makeHTTPClient(readTimeout: Self.idleLimit)
        let outcome: Result<Void, AdminError>
        do {
            try await loop(client: client, onConnection: onConnection, onAttempt: onAttempt)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // A client dropped without shutdown ends the process, so it is shut down on every path.
        try? await client.shutdown()
        try outcome.get()
    }

    private func loop(
        client: HTTPClient, onConnection: @Sendable (ConnectionEvent) -> Void, onAttempt: (StreamedAttempt) -> Bool
    ) async throws(AdminError) {
        let api = AdminClient(target: target, client: client)
        var lastEventID: String? = nil
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            // The first connection starts where asked; every later one resumes after the last id seen.
            var query: [(String, String?)] = [
                ("webhook_id", filter.webhookID), ("status", filter.outcome), ("event_type", filter.eventType),
            ]
            if lastEventID == nil { query.append(("after", filter.after)) }
            var request = HTTPClientRequest(url: api.url("/deliveries/stream", query: query))
            request.headers.add(name: "Authorization", value: "Bearer \(target.token)")
            request.headers.add(name: "Accept", value: "text/event-stream")
            request.headers.add(name: "Cache-Control", value: "no-cache")
            if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
            var parser = ServerSentEventParser(lastEventID: lastEventID)
            let reason: String
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                let status = Int(response.status.code)
                if (400..<500).contains(status) {
                    let body = try? await response.body.collect(upTo: 1 << 20)
                    throw AdminError.from(status: status, body: body.flatMap { try? JSONParser.parse($0.readableBytesView) })
                }
                guard status == 200 else {
                    throw AdminError(.unreachable, "the server answered HTTP \(status)")
                }
                onConnection(.connected)
                backoff = .milliseconds(250)
                for try await chunk in response.body {
                    for event in parser.feed(chunk.readableBytesView) {
                        lastEventID = parser.lastEventID
                        guard event.event == "attempt", let attempt = StreamedAttempt(data: event.data) else { continue }
                        if !onAttempt(attempt) { return }
                    }
                    lastEventID = parser.lastEventID ?? lastEventID
                }
                reason = "the server closed the stream"
            } catch let error as AdminError {
                if case .rejected = error.code { throw error }
                reason = error.message
            } catch {
                if Task.isCancelled { return }
                reason = AdminClient.describe(error)
            }
            if let advice = parser.retryMilliseconds { backoff = .milliseconds(min(max(advice, 100), 30_000)) }
            onConnection(.lost(reason: reason, retryIn: backoff))
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, .seconds(5))
        }
    }
}
