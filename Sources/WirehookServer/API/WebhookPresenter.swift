import WirehookCore

/// The API's JSON shapes for endpoints and deliveries (the VPN Enterprise document's field names).
enum WebhookPresenter {
    static let maskedSecret = "whsec_***masked***"

    static func webhook(_ endpoint: Endpoint, stats: DeliveryStats, revealSecret: Bool = false) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("id", .string(endpoint.id)),
            JSONMember("url", .string(revealSecret ? endpoint.url : maskedURL(endpoint))),
            JSONMember("events", .array(endpoint.events.map { .string($0) })),
            JSONMember("description", .string(endpoint.description)),
            JSONMember("status", .string(endpoint.active ? "active" : "disabled")),
            JSONMember("format", .string(endpoint.format)),
            JSONMember("secret", .string(revealSecret ? endpoint.secret : maskedSecret)),
            JSONMember("created_at", .timestamp(endpoint.createdAt)),
            JSONMember("updated_at", .timestamp(endpoint.updatedAt)),
            JSONMember("last_delivery", .timestamp(stats.lastDelivery)),
            JSONMember("delivery_stats", deliveryStats(stats)),
            JSONMember("health", health(endpoint.visibleHealth)),
        ]
        if case .object(let options) = endpoint.options, !options.isEmpty {
            members.append(JSONMember("options", maskedOptions(endpoint.options)))
        }
        return .object(members)
    }

    /// A Discord webhook URL ends in the webhook's token, which is all it takes to post as it.
    static func maskedURL(_ endpoint: Endpoint) -> String {
        guard endpoint.format == "discord", let slash = endpoint.url.lastIndex(of: "/"),
            endpoint.url[endpoint.url.index(after: slash)...].count > 4
        else { return endpoint.url }
        return endpoint.url[...slash] + "***masked***"
    }

    /// Options may hold credentials (a Telegram bot token); they are never echoed in full.
    static func maskedOptions(_ options: JSONValue) -> JSONValue {
        guard case .object(let members) = options else { return options }
        return .object(
            members.map { member in
                let sensitive = ["token", "bot_token", "password", "authorization"].contains(member.key)
                return sensitive ? JSONMember(member.key, "***masked***") : member
            })
    }

    static func health(_ health: EndpointHealth) -> JSONValue {
        [
            "state": .string(health.state.rawValue),
            "reason": .optionalString(health.reason),
            "consecutive_failures": .int(health.consecutiveFailures),
            "since": .timestamp(health.since),
            "next_probe_at": .timestamp(health.state == .paused ? health.nextProbeAt : nil),
        ]
    }

    static func deliveryStats(_ stats: DeliveryStats) -> JSONValue {
        [
            "total_deliveries": .int(stats.total),
            "successful_deliveries": .int(stats.successful),
            "failed_deliveries": .int(stats.failed),
            "pending_deliveries": .int(stats.pending),
            "last_successful_delivery": .timestamp(stats.lastSuccessful),
            "last_failed_delivery": .timestamp(stats.lastFailed),
            "average_response_time_ms": .optionalInt(stats.averageResponseTimeMs),
            "last_30_days": .int(stats.last30Days),
        ]
    }

    static func delivery(_ d: Delivery) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("id", .string(d.id)),
            JSONMember("webhook_id", .string(d.endpointID)),
            JSONMember("event_id", .string(d.eventID)),
            JSONMember("event_type", .string(d.eventType)),
            JSONMember("status", .string(d.status.rawValue)),
            JSONMember("attempts", .int(d.attempts)),
            JSONMember("response_status", .optionalInt(d.responseStatus)),
            JSONMember("response_time_ms", .optionalInt(d.responseTimeMs)),
            JSONMember("delivered_at", .timestamp(d.deliveredAt)),
            JSONMember("next_attempt_at", .timestamp(d.nextAttemptAt)),
            JSONMember("last_attempt_at", .timestamp(d.lastAttemptAt)),
            JSONMember("created_at", .timestamp(d.createdAt)),
        ]
        if let note = d.note { members.append(JSONMember("note", .string(note))) }
        members.append(JSONMember("event_data", d.eventData))
        return .object(members)
    }

    static func attempt(_ a: Attempt, number: Int) -> JSONValue {
        [
            "attempt": .int(number),
            "attempted_at": .timestamp(a.attemptedAt),
            "response_status": .optionalInt(a.responseStatus),
            "response_time_ms": .int(a.responseTimeMs),
            "error": .optionalString(a.error),
            "response_body": .string(String(decoding: a.responseBody, as: UTF8.self)),
            "trigger": .string(a.trigger.rawValue),
        ]
    }
}
