import Foundation
import ArgumentParser

/// The Swift half of `scripts/bench`: the measurements that need Wirehook's own HTTP sender or
/// one clock shared by a sender and a receiver. Each prints one JSON object on standard output.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirehook-bench",
        abstract: "Load generator and latency probe for scripts/bench (see BENCHMARKS.md).",
        subcommands: [SameClientCommand.self, LatencyCommand.self, ClaimBacklogCommand.self, RetentionCommand.self])
}

/// `same-client`: Wirehook's `HTTPSender` posting straight to a receiver, as the worker would.
struct SameClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "same-client", abstract: "POST deliveries with HTTPSender straight to a receiver; print the rate.")

    @Option(help: "Receiver URL.") var url: String
    @Option(help: "Requests in flight at once (the worker's concurrency).") var concurrency = 64
    @Option(help: "Connections per host (the worker's per-endpoint cap).") var connections = 48
    @Option(help: "How long to send, in seconds.") var seconds = 5.0
    @Option(help: "Body size in bytes.") var bodyBytes = 370
    @Flag(help: "AsyncHTTPClient alone, without HTTPSender's guard and per-attempt deadline task.")
    var plainClient = false
    @Flag(help: "A minimal keep-alive client on SwiftNIO's HTTP/1 codec instead (a measurement, not Wirehook's sender).")
    var lean = false

    func validate() throws {
        guard (1...10_000).contains(concurrency), (1...10_000).contains(connections) else {
            throw ValidationError("--concurrency and --connections must be 1 to 10000")
        }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be above 0 and at most 3600") }
        guard (2...1_000_000).contains(bodyBytes) else { throw ValidationError("--body-bytes must be 2 to 1000000") }
    }

    func run() async throws {
        let result = try await SameClientRate(
            url: url, concurrency: concurrency, connections: connections,
            duration: .milliseconds(Int64(seconds * 1000)), bodyBytes: bodyBytes, plainClient: plainClient,
            lean: lean
        ).measure()
        print(result.json)
    }
}

/// `latency`: events at a steady rate, time from each 202 to the receiver's answer.
struct LatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "Send events at a steady rate; print p50/p99/p99.9 from 202 to delivery.")

    @Option(help: "Wirehook's base URL.") var server: String
    @Option(help: "Admin token (or set WIREHOOK_ADMIN_TOKEN).") var token: String?
    @Option(help: "Events per second.") var rate = 1000
    @Option(help: "How long to send, in seconds.") var seconds = 10.0

    func validate() throws {
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be 1 to 100000") }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be above 0 and at most 3600") }
    }

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["WIREHOOK_ADMIN_TOKEN"] else {
            throw ValidationError("give --token or set WIREHOOK_ADMIN_TOKEN")
        }
        let count = Int(Double(rate) * seconds)
        let result = try await LatencyProbe(server: server, token: token, rate: rate, count: max(1, count)).measure()
        print(result.json)
    }
}
