import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import WirehookCore
import WirehookDelivery

/// The same-client raw rate: how fast Wirehook's own `HTTPSender` posts to a receiver with no
/// queue, store or signing in the way, at the worker's concurrency and connection cap.
struct SameClientRate {
    let url: String
    let concurrency: Int
    let connections: Int
    let duration: Duration
    let bodyBytes: Int
    /// Sends with the bare AsyncHTTPClient `HTTPSender` wraps, to see what the wrapper costs.
    var plainClient = false
    /// Sends with `LeanClientRate`'s minimal client instead.
    var lean = false

    struct Result {
        var sent = 0
        var failed = 0
        var seconds = 0.0
        var firstError: String?

        var rate: Double { seconds > 0 ? Double(sent) / seconds : 0 }
        var json: String {
            let error = firstError.map { #","first_error":"\#(JSONText.escaped($0))""# } ?? ""
            return #"{"sent":\#(sent),"failed":\#(failed),"seconds":\#(seconds),"rate":\#(rate)\#(error)}"#
        }
    }

    func measure() async throws -> Result {
        if lean { return try await measureLean() }
        let sender = HTTPSender(
            client: HTTPSender.makeClient(maxConnectionsPerHost: connections), targets: .allowingPrivate,
            maxConnectionsPerHost: connections)
        let body = Self.body(bytes: bodyBytes)
        let headers = [
            ("webhook-id", "evt_bench"), ("webhook-timestamp", "1764300000"),
            ("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
        ]
        let url = self.url
        let plain = plainClient
        let bare = HTTPSender.makeClient(maxConnectionsPerHost: connections)
        let total = await Self.drive(senders: concurrency, for: duration) { _ in
            let outcome =
                plain
                ? await Self.plainSend(bare, url: url, headers: headers, body: body)
                : await sender.send(url: url, headers: headers, body: body, timeout: .seconds(10))
            return Sent(ok: outcome.isSuccess, error: outcome.error, stop: false)
        }
        try await sender.shutdown()
        try await bare.shutdown()
        return total
    }

    static func plainSend(_ client: HTTPClient, url: String, headers: [(String, String)], body: [UInt8]) async
        -> SendOutcome
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            return SendOutcome(
                statusCode: code, latencyMs: 0, responseBody: [], error: (200..<300).contains(code) ? nil : "HTTP \(code)",
                retryAfter: nil)
        } catch {
            return SendOutcome(statusCode: nil, latencyMs: 0, responseBody: [], error: "\(error)", retryAfter: nil)
        }
    }

    /// `--lean`: one sender per connection, as many as the worker's per-host connection cap.
    func measureLean() async throws -> Result {
        guard let target = URLComponents(string: url), let host = target.host else {
            throw ValidationError("--url must be an http:// URL")
        }
        let port = target.port ?? 80
        let path = target.path.isEmpty ? "/" : target.path
        let body = ByteBuffer(bytes: Self.body(bytes: bodyBytes))
        var head = HTTPHeaders()
        head.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
        head.add(name: "Content-Type", value: "application/json")
        head.add(name: "Content-Length", value: String(body.readableBytes))
        head.add(name: "webhook-id", value: "evt_bench")
        head.add(name: "webhook-timestamp", value: "1764300000")
        head.add(name: "webhook-signature", value: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")
        let group = MultiThreadedEventLoopGroup.singleton
        let headers = head
        var open: [LeanClientRate.Connection] = []
        for _ in 0..<min(concurrency, self.connections) {
            open.append(try await LeanClientRate.Connection.open(host: host, port: port, group: group))
        }
        let connections = open
        let total = await Self.drive(senders: connections.count, for: duration) { index in
            do {
                let status = try await connections[index].post(path: path, head: headers, body: body)
                return Sent(ok: (200..<300).contains(status), error: nil, stop: false)
            } catch {
                return Sent(ok: false, error: "\(error)", stop: true)
            }
        }
        for connection in open { try? await connection.channel.close().get() }
        return total
    }

    /// What one request came to; `stop` ends that sender's loop (its connection is gone).
    struct Sent: Sendable {
        var ok: Bool
        var error: String?
        var stop: Bool
    }

    /// `senders` loops, each sending one request after another until `duration` has passed.
    static func drive(senders: Int, for duration: Duration, _ send: @escaping @Sendable (Int) async -> Sent) async
        -> Result
    {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for index in 0..<senders {
                group.addTask {
                    var mine = Result()
                    while clock.now < deadline {
                        let sent = await send(index)
                        if sent.ok {
                            mine.sent += 1
                        } else {
                            mine.failed += 1
                            if mine.firstError == nil { mine.firstError = sent.error }
                        }
                        if sent.stop { break }
                    }
                    return mine
                }
            }
            for await part in group {
                total.sent += part.sent
                total.failed += part.failed
                total.firstError = total.firstError ?? part.firstError
            }
        }
        total.seconds = Double((clock.now - start).nanoseconds) / 1e9
        return total
    }

    /// A JSON body of about `bytes` bytes, shaped like a Standard Webhooks delivery.
    static func body(bytes: Int) -> [UInt8] {
        let head = #"{"type":"user.created","timestamp":"2026-11-28T00:00:00Z","data":{"pad":""#
        let tail = #""}}"#
        let pad = max(0, bytes - head.utf8.count - tail.utf8.count)
        return Array((head + String(repeating: "x", count: pad) + tail).utf8)
    }
}

/// Minimal JSON string escaping for the figures this tool prints.
enum JSONText {
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
