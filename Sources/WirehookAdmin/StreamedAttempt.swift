import Foundation
import WirehookCore

/// One finished attempt from `GET /deliveries/stream`, as `wirehook tail` shows it.
public struct StreamedAttempt: Sendable, Equatable {
    public var cursor: String
    public var time: String
    public var webhookID: String
    public var deliveryID: String
    public var eventID: String
    public var eventType: String
    public var attempt: Int
    /// `success` or `failure`.
    public var outcome: String
    public var statusCode: Int?
    public var latencyMs: Int?
    public var error: String?
    /// The delivery's state after this attempt: `success`, `pending` (will retry) or `failed`.
    public var deliveryStatus: String
    /// The event's `data` exactly as the server sent it, for `--json`.
    public var raw: JSONValue

    /// Reads an `attempt` event's data; nil when it is not one.
    public init?(data: String) {
        guard let json = try? JSONParser.parse(data), let webhook = json["webhook_id"]?.stringValue else { return nil }
        raw = json
        cursor = json["cursor"].map(Display.text) ?? "-"
        time = json["time"]?.stringValue ?? ""
        webhookID = webhook
        deliveryID = json["delivery_id"]?.stringValue ?? "-"
        eventID = json["event_id"]?.stringValue ?? "-"
        eventType = json["event_type"]?.stringValue ?? "-"
        attempt = json["attempt"]?.intValue ?? 0
        outcome = json["outcome"]?.stringValue ?? "-"
        statusCode = json["status_code"]?.intValue
        latencyMs = json["latency_ms"]?.intValue
        error = json["error"]?.stringValue
        deliveryStatus = json["delivery_status"]?.stringValue ?? "-"
    }

    /// One line for people: time, endpoint, event, outcome, HTTP status, latency, then what follows.
    public func line(palette: Palette) -> String {
        let clock = Timestamp.parse(time).map { Display.clock($0, withDate: false) } ?? time
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        let tone: Palette.Tone = outcome == "success" ? .good : .bad
        var parts = [
            palette.paint(pad(clock, 12), .dim),
            pad(Display.printable(webhookID), 22),
            pad(Display.printable(eventType), 20),
            pad(Display.printable(eventID), 24),
            palette.paint(pad(outcome, 7), tone),
            pad(statusCode.map(String.init) ?? "-", 3),
            pad(Display.latency(latencyMs), 6),
        ]
        var tail: [String] = []
        if attempt > 1 { tail.append("attempt \(attempt)") }
        if deliveryStatus == "pending", outcome != "success" { tail.append("will retry") }
        if deliveryStatus == "failed" { tail.append("gave up") }
        if let error, !error.isEmpty { tail.append(Display.printable(String(error.prefix(200)))) }
        if !tail.isEmpty { parts.append(palette.paint(tail.joined(separator: "; "), .dim)) }
        return parts.joined(separator: "  ")
    }
}
