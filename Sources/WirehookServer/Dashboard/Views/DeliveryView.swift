import Foundation
import Hummingbird
import WirehookCore

/// One delivery: its event, the request, and every attempt.
struct DeliveryView {
    var prefix: String
    var csrf: String
    var canWrite: Bool
    var endpointID: String
    var endpointPath: String
    var id: String
    var path: String
    var eventID: String
    var eventType: String
    var status: String
    var attemptCount: Int
    var note: String?
    var createdAt: String
    var nextAttemptAt: String?
    var eventData: String
    var url: String
    var headers: [HeaderView]
    var body: String?
    var skipped: Bool
    var attempts: [AttemptView]
    var noAttempts: Bool
}

/// One request header, masked when it carries a credential.
struct HeaderView {
    var name: String
    var value: String
}

/// One attempt as the delivery page lists it.
struct AttemptView {
    var number: Int
    var attemptedAt: String
    var status: Int?
    var ok: Bool
    var latencyMs: Int
    var error: String?
    var trigger: String
    var response: String?

    init(_ attempt: Attempt, number: Int) {
        self.number = number
        attemptedAt = Timestamp.iso8601(attempt.attemptedAt)
        status = attempt.responseStatus
        ok = attempt.error == nil
        latencyMs = attempt.responseTimeMs
        error = attempt.error
        trigger = attempt.trigger.rawValue
        // The start of the answer is enough to see what went wrong; the log keeps 4 KiB.
        let text = String(decoding: attempt.responseBody.prefix(1024), as: UTF8.self)
        response = text.isEmpty ? nil : text
    }
}
