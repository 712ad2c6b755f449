import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import WirehookCore

/// Reads a server-sent-event stream over a real HTTP connection, one event at a time.
///
/// A task of its own reads the body into a buffer, so a wait that runs out loses nothing.
final class EventStreamClient: Sendable {
    struct Event: Sendable {
        var id: String?
        var name: String?
        var data: String

        var json: JSONValue { (try? JSONParser.parse(Array(data.utf8))) ?? .null }
    }

    let status: Int
    let headers: [(String, String)]
    private let buffer = Mutex<(text: String, ended: Bool)>(("", false))
    private let client: HTTPClient
    private let reader: Mutex<Task<Void, Never>?> = Mutex(nil)

    private init(status: Int, headers: [(String, String)], body: HTTPClientResponse.Body, client: HTTPClient) {
        self.status = status
        self.headers = headers
        self.client = client
        let task = Task { [weak self] in
            do {
                for try await chunk in body {
                    guard let self else { return }
                    self.buffer.withLock { $0.text += String(buffer: chunk) }
                }
            } catch {}
            self?.buffer.withLock { $0.ended = true }
        }
        reader.withLock { $0 = task }
    }

    /// Opens `path` with a bearer token and, when given, `Last-Event-ID`.
    static func open(baseURL: String, path: String, token: String?, lastEventID: String? = nil) async throws
        -> EventStreamClient
    {
        // A client of its own, so closing this stream closes its connection.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: baseURL + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await client.execute(request, timeout: .seconds(3600))
        return EventStreamClient(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: response.body, client: client)
    }

    /// The next event that carries data, or nil when `within` runs out or the stream ends.
    func next(within limit: Duration = .seconds(10)) async throws -> Event? {
        let deadline = ContinuousClock.now + limit
        while true {
            let (event, ended) = buffer.withLock { state in (Self.takeEvent(from: &state.text), state.ended) }
            if let event { return event }
            if ended || ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Every event that arrives within `limit`.
    func events(within limit: Duration) async throws -> [Event] {
        let deadline = ContinuousClock.now + limit
        var events: [Event] = []
        while ContinuousClock.now < deadline, let event = try await next(within: deadline - ContinuousClock.now) {
            events.append(event)
        }
        return events
    }

    func close() async {
        reader.withLock { $0?.cancel() }
        try? await client.shutdown()
    }

    /// Parses one complete event (ended by a blank line) off the front of what was read.
    private static func takeEvent(from pending: inout String) -> Event? {
        while let end = pending.range(of: "\n\n") {
            let block = String(pending[..<end.lowerBound])
            pending.removeSubrange(..<end.upperBound)
            var event = Event(id: nil, name: nil, data: "")
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { continue }
                let (field, value) = line.firstIndex(of: ":").map {
                    (String(line[..<$0]), String(line[line.index(after: $0)...]).trimmingPrefix(" "))
                } ?? (String(line), "")
                switch field {
                case "id": event.id = String(value)
                case "event": event.name = String(value)
                case "data":
                    event.data += (hasData ? "\n" : "") + value
                    hasData = true
                default: break
                }
            }
            if hasData { return event }
        }
        return nil
    }
}
