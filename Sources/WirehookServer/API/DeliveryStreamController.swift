import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import WirehookCore

/// `GET /deliveries/stream`: finished attempts as server-sent events, as they are recorded.
///
/// It reads the shared attempt log rather than this process's worker, so it shows every
/// process's attempts, and a client that reconnects with `Last-Event-ID` (as EventSource does)
/// resumes right after the last attempt it saw.
struct DeliveryStreamController<Context: RequestContext> {
    let store: any WebhookStore
    var pollInterval: Duration = .milliseconds(300)
    var keepAliveInterval: Duration = .seconds(15)
    /// Attempts read per poll; a client far behind catches up in steps of this many.
    var batchSize = 500

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("/deliveries/stream") { request, _ in try await stream(request) }
    }

    struct Filter: Sendable {
        var endpointID: String?
        var succeeded: Bool?
        var eventTypes: EventFilter?

        func admits(_ entry: AttemptFeedEntry) -> Bool {
            if let endpointID, entry.endpointID != endpointID { return false }
            if let succeeded, entry.succeeded != succeeded { return false }
            if let eventTypes, !eventTypes.matches(entry.eventType) { return false }
            return true
        }
    }

    func stream(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = Filter()
        if let id = query.get("webhook_id"), !id.isEmpty {
            guard try await store.endpoint(id: id) != nil else {
                throw WirehookError.notFound("no webhook '\(id)'")
            }
            filter.endpointID = id
        }
        if let status = query.get("status"), !status.isEmpty {
            switch status {
            case "success": filter.succeeded = true
            case "failure": filter.succeeded = false
            default: throw WirehookError.invalid("'status' must be success or failure")
            }
        }
        if let type = query.get("event_type"), !type.isEmpty {
            if let problem = EventFilter.problem(with: type) { throw WirehookError.invalid("'event_type': \(problem)") }
            filter.eventTypes = EventFilter(patterns: [type])
        }
        let start: Int64
        if let text = request.headers[Self.lastEventID] ?? query.get("after"), !text.isEmpty {
            guard let cursor = Int64(text), cursor >= 0 else {
                throw WirehookError.invalid("'after' (or Last-Event-ID) must be a cursor from this stream")
            }
            start = cursor
        } else {
            start = try await store.latestAttemptCursor()
        }
        let (store, pollInterval, keepAliveInterval, batchSize) = (
            self.store, self.pollInterval, self.keepAliveInterval, self.batchSize
        )
        let admits = filter
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                // nginx would otherwise hold the events in its buffer.
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ],
            body: ResponseBody { writer in
                var position = AttemptFeedPosition(after: start)
                // Tells the client how long to wait before reconnecting, and opens the stream at once.
                try await writer.write(ByteBuffer(string: "retry: 2000\n: stream after \(start)\n\n"))
                var lastWrite = ContinuousClock.now
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let fetched: [AttemptFeedEntry]
                    do {
                        let cursor = position.cursor
                        fetched = try await withTimeout(.seconds(5)) {
                            try await store.attemptFeed(after: cursor, limit: batchSize)
                        }
                    } catch {
                        // The database is away: keep the stream, try again after a pause.
                        fetched = []
                        try await Task.sleep(for: .seconds(1))
                    }
                    let shown = position.advance(with: fetched, now: .now).filter(admits.admits)
                    if !shown.isEmpty {
                        var text = ""
                        for entry in shown { text += Self.event(entry) }
                        try await writer.write(ByteBuffer(string: text))
                        lastWrite = .now
                    } else if ContinuousClock.now - lastWrite >= keepAliveInterval {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        lastWrite = .now
                    }
                    // A full batch means more is waiting: read on without a pause.
                    if fetched.count < batchSize { try await Task.sleep(for: pollInterval) }
                }
                try await writer.finish(nil)
            })
    }

    static var lastEventID: HTTPField.Name { HTTPField.Name("Last-Event-ID")! }

    static func event(_ entry: AttemptFeedEntry) -> String {
        let data: JSONValue = [
            "cursor": .int(Int(clamping: entry.cursor)),
            "time": .timestamp(entry.attemptedAt),
            "webhook_id": .string(entry.endpointID),
            "delivery_id": .string(entry.deliveryID),
            "event_id": .string(entry.eventID),
            "event_type": .string(entry.eventType),
            "attempt": .int(entry.attemptNumber),
            "outcome": .string(entry.succeeded ? "success" : "failure"),
            "status_code": entry.responseStatus.map { .int($0) } ?? .null,
            "latency_ms": .int(entry.responseTimeMs),
            "error": entry.error.map { .string($0) } ?? .null,
            "trigger": .string(entry.trigger.rawValue),
            "delivery_status": .string(entry.deliveryStatus.rawValue),
        ]
        // Compact JSON has no raw newlines (they are escaped in strings), so it is one data line.
        return "id: \(entry.cursor)\nevent: attempt\ndata: \(String(decoding: JSONWriter.serialize(data), as: UTF8.self))\n\n"
    }
}
