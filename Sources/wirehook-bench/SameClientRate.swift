import Foundation
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
        let sender = HTTPSender(
            client: HTTPSender.makeClient(maxConnectionsPerHost: connections), targets: .allowingPrivate,
            maxConnectionsPerHost: connections)
        let body = Self.body(bytes: bodyBytes)
        let headers = [
            ("webhook-id", "evt_bench"), ("webhook-timestamp", "1764300000"),
            ("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
        ]
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        let url = self.url
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var mine = Result()
                    while clock.now < deadline {
                        let outcome = await sender.send(url: url, headers: headers, body: body, timeout: .seconds(10))
                        if outcome.isSuccess {
                            mine.sent += 1
                        } else {
                            mine.failed += 1
                            if mine.firstError == nil { mine.firstError = outcome.error }
                        }
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
        try await sender.shutdown()
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
