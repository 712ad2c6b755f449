import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore
import Synchronization
import WirehookCore

/// Time from Wirehook's 202 to the receiver's answer, for events sent at a steady rate to a
/// server with one endpoint on an `ArrivalReceiver`.
struct LatencyProbe {
    let server: String
    let token: String
    let rate: Int
    let count: Int

    struct Result {
        var sent = 0
        var accepted = 0
        var delivered = 0
        var p50Ms = 0.0
        var p99Ms = 0.0
        var p999Ms = 0.0
        var maxMs = 0.0

        var json: String {
            #"{"sent":\#(sent),"accepted":\#(accepted),"delivered":\#(delivered),"p50_ms":\#(p50Ms),"#
                + #""p99_ms":\#(p99Ms),"p999_ms":\#(p999Ms),"max_ms":\#(maxMs)}"#
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func measure() async throws -> Result {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let receiver = ArrivalReceiver()
        let (ports, portReady) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.run { portReady.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw Failure(description: "receiver did not start") }
            do {
                try await createEndpoint(client, port: port)
            } catch {
                try? await client.shutdown()
                throw error
            }
            let result: Result
            do {
                result = try await sendAndWait(client, receiver: receiver)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            group.cancelAll()
            return result
        }
    }

    private func createEndpoint(_ client: HTTPClient, port: Int) async throws {
        var request = HTTPClientRequest(url: server + "/webhooks")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: #"{"url":"http://127.0.0.1:\#(port)/latency","events":["user.created"]}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 201 else {
            throw Failure(description: "creating the endpoint: HTTP \(response.status.code) \(String(buffer: body))")
        }
    }

    private func sendAndWait(_ client: HTTPClient, receiver: ArrivalReceiver) async throws -> Result {
        let run = UInt32.random(in: 0...UInt32.max)
        let clock = ContinuousClock()
        let accepted = AcceptTimes()
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let start = clock.now
        let server = self.server
        let token = self.token
        await withDiscardingTaskGroup { group in
            for n in 0..<count {
                // A schedule fixed in advance: a slow answer does not slow the senders (no
                // coordinated omission).
                try? await clock.sleep(until: start + interval * n)
                group.addTask {
                    var request = HTTPClientRequest(url: server + "/events")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(token)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(
                        ByteBuffer(string: #"{"type":"user.created","id":"lat-\#(run)-\#(n)","data":{"n":\#(n)}}"#))
                    guard let response = try? await client.execute(request, timeout: .seconds(30)) else { return }
                    let now = clock.now
                    _ = try? await response.body.collect(upTo: 1 << 20)
                    if response.status.code == 202 { accepted.note(n, at: now) }
                }
            }
        }
        // Deliveries still on their way get up to 30 seconds after the last 202.
        let acceptedCount = accepted.all.count
        let waitUntil = clock.now + .seconds(30)
        while receiver.count < acceptedCount, clock.now < waitUntil { try? await clock.sleep(for: .milliseconds(20)) }

        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var result = Result(sent: count, accepted: acceptedCount)
        for (n, at) in accepted.all {
            guard let arrived = receiver.arrival(of: "lat-\(run)-\(n)") else { continue }
            result.delivered += 1
            // A delivery can land before its 202 is read; that counts as no wait at all.
            let micros = max(0, (arrived - at).nanoseconds / 1000)
            _ = histogram.record(UInt64(min(micros, 60_000_000)))
        }
        result.p50Ms = Double(histogram.valueAtPercentile(50)) / 1000
        result.p99Ms = Double(histogram.valueAtPercentile(99)) / 1000
        result.p999Ms = Double(histogram.valueAtPercentile(99.9)) / 1000
        result.maxMs = Double(histogram.max) / 1000
        return result
    }
}

/// When each event's 202 was read, by its number.
final class AcceptTimes: Sendable {
    private let times = Mutex<[Int: ContinuousClock.Instant]>([:])

    var all: [Int: ContinuousClock.Instant] { times.withLock { $0 } }

    func note(_ n: Int, at instant: ContinuousClock.Instant) { times.withLock { $0[n] = instant } }
}
