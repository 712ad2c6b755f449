import OpenAPIKit
import WirehookCore

/// The JSON shapes of the API's bodies, built from the same enums and limits the code checks, so
/// the contract moves when they do.
///
/// Answers are closed objects (`additionalProperties: false`): a field the server adds without
/// documenting it fails the contract tests. Requests stay open, since the server ignores fields it
/// does not know.
enum ContractSchemas {
    static func ref(_ name: String) -> JSONSchema { .reference(.component(named: name)) }

    /// A closed object; properties are required unless built with `required: false`.
    static func object(_ properties: OrderedDictionary<String, JSONSchema>, description: String? = nil) -> JSONSchema {
        .object(description: description, properties: properties, additionalProperties: .boolean(false))
    }

    /// `{"success":true, …}`, the envelope of every successful JSON answer but `/health`.
    static func success(_ properties: OrderedDictionary<String, JSONSchema>) -> JSONSchema {
        var all: OrderedDictionary<String, JSONSchema> = ["success": .boolean(allowedValues: [true])]
        for (key, value) in properties { all[key] = value }
        return object(all)
    }

    static func error(codes: [String]) -> JSONSchema {
        object([
            "success": .boolean(allowedValues: [false]),
            "error": object([
                "code": .string(allowedValues: codes.map { AnyCodable($0) }),
                "message": .string(description: "What was wrong, for a person to read."),
            ]),
        ])
    }

    static func enumeration(_ values: [String], required: Bool = true, description: String? = nil) -> JSONSchema {
        .string(required: required, description: description, allowedValues: values.map { AnyCodable($0) })
    }

    static let timestamp = JSONSchema.string(format: .dateTime)
    static let optionalTimestamp = JSONSchema.string(format: .dateTime, nullable: true)
    static let count = JSONSchema.integer(minimum: (0, exclusive: false))
    /// Any JSON value.
    static let anyValue = JSONSchema.fragment(.init())
    static let retryAfterHeader = JSONSchema.string(
        description: "Whole seconds to wait before sending the same request again.", pattern: "^[0-9]+$")

    /// Path parameter ids: whatever the caller got from the API.
    static let id = JSONSchema.string(minLength: 1)

    static var components: OpenAPI.ComponentDictionary<JSONSchema> {
        [
            "Webhook": webhook,
            "DeliveryStats": deliveryStats,
            "EndpointHealth": endpointHealth,
            "Delivery": object(deliveryProperties, description: "One event's delivery to one endpoint."),
            "DeliveryWithAttempts": object(
                deliveryWithAttemptsProperties, description: "A delivery with every attempt, oldest first."),
            "Attempt": attempt,
            "APIKey": apiKey(withKey: false),
            "EventType": eventType,
            "EventSubmission": eventSubmission,
            "WebhookFields": webhookFields,
        ]
    }

    static var webhook: JSONSchema {
        object(
            [
                "id": .string,
                "url": .string(description: "A Discord webhook's token is masked except in the answer to a create."),
                "events": .array(items: .string),
                "description": .string,
                "status": enumeration(["active", "disabled"]),
                "format": enumeration(FormatRegistry.standard.names),
                "secret": .string(description: "Shown in full only when created, set or rotated; otherwise `whsec_***masked***`."),
                "created_at": timestamp,
                "updated_at": timestamp,
                "last_delivery": optionalTimestamp,
                "delivery_stats": ref("DeliveryStats"),
                "health": ref("EndpointHealth"),
                "options": .object(required: false, description: "The format's options; credentials masked."),
            ], description: "An endpoint that receives deliveries.")
    }

    static var deliveryStats: JSONSchema {
        object([
            "total_deliveries": count,
            "successful_deliveries": count,
            "failed_deliveries": count,
            "pending_deliveries": count,
            "last_successful_delivery": optionalTimestamp,
            "last_failed_delivery": optionalTimestamp,
            "average_response_time_ms": .integer(nullable: true),
            "last_30_days": .integer(
                description: "Deliveries created on the last 30 calendar days (UTC), today included.",
                minimum: (0, exclusive: false)),
        ])
    }

    static var endpointHealth: JSONSchema {
        object([
            "state": enumeration(EndpointHealth.State.allCases.map(\.rawValue)),
            "reason": .string(nullable: true),
            "consecutive_failures": count,
            "since": optionalTimestamp,
            "next_probe_at": .string(
                format: .dateTime, nullable: true, description: "When the paused endpoint's probe is due; null otherwise."),
        ])
    }

    static var deliveryProperties: OrderedDictionary<String, JSONSchema> {
        [
            "id": .string,
            "webhook_id": .string,
            "event_id": .string,
            "event_type": .string,
            "status": enumeration(Delivery.Status.allCases.map(\.rawValue)),
            "attempts": count,
            "response_status": .integer(nullable: true),
            "response_time_ms": .integer(nullable: true),
            "delivered_at": optionalTimestamp,
            "next_attempt_at": optionalTimestamp,
            "last_attempt_at": optionalTimestamp,
            "created_at": timestamp,
            "note": .string(required: false, description: "Why a delivery was skipped, for example."),
            "event_data": anyValue,
        ]
    }

    static var deliveryWithAttemptsProperties: OrderedDictionary<String, JSONSchema> {
        var properties = deliveryProperties
        properties["attempt_log"] = .array(items: ref("Attempt"))
        return properties
    }

    static var attempt: JSONSchema {
        object([
            "attempt": .integer(minimum: (1, exclusive: false)),
            "attempted_at": timestamp,
            "response_status": .integer(nullable: true),
            "response_time_ms": count,
            "error": .string(nullable: true),
            "response_body": .string(description: "The first 4 KiB of the receiver's answer."),
            "trigger": enumeration(AttemptTrigger.allCases.map(\.rawValue)),
        ])
    }

    static func apiKey(withKey: Bool) -> JSONSchema {
        var properties: OrderedDictionary<String, JSONSchema> = [
            "id": .string,
            "name": .string,
            "scopes": .array(items: enumeration(APIScope.allCases.map(\.rawValue))),
            "created_at": timestamp,
            "last_used_at": optionalTimestamp,
        ]
        if withKey { properties["key"] = .string(description: "The key itself, shown only in this answer.") }
        return object(properties)
    }

    static var eventType: JSONSchema {
        object([
            "name": .string,
            "scope": .string,
            "description": .string,
            "sources": .array(items: .string),
            "dialect_names": object([
                "remnawave": .string(required: false),
                "marzban": .string(required: false),
                "wg-portal": object(["event": .string, "entity": .string]).optionalSchemaObject(),
                "vpn-enterprise": .string(required: false),
            ]),
            "example": anyValue,
        ])
    }

    static var eventSubmission: JSONSchema {
        .object(
            description: "One event. Its type may be any dialect's spelling of a catalog event (stored under the "
                + "canonical name) or a well-formed custom name.",
            properties: [
                "type": .string(maxLength: 200, examples: ["user.created"]),
                "data": .fragment(required: false, description: "The event's payload; numbers must fit a 64-bit float."),
                "id": .string(
                    required: false,
                    description: "Your id for the event; the same id within 24 hours is accepted once.",
                    minLength: 1, maxLength: Event.maxIDLength, pattern: "^[!-~]+$"),
                "occurred_at": .one(
                    of: .string(format: .dateTime), .number(minimum: (0, exclusive: false)), required: false,
                    description: "RFC 3339 time or unix seconds; now when absent."),
            ])
    }

    /// The fields a webhook is created or changed with; `url` and `events` are required to create.
    static var webhookFields: JSONSchema {
        webhookFieldsSchema(requiringURLAndEvents: false)
    }

    static func webhookFieldsSchema(requiringURLAndEvents: Bool) -> JSONSchema {
        .object(properties: [
            "url": .string(
                required: requiringURLAndEvents,
                description: "http or https. A literal private, loopback or link-local address is refused unless "
                    + "WIREHOOK_ALLOW_PRIVATE_TARGETS or WIREHOOK_ALLOWED_TARGETS allow it.",
                maxLength: EndpointRules.maxURLLength, pattern: "^https?://"),
            "events": .array(
                required: requiringURLAndEvents,
                description: "Catalog names (any dialect's spelling), `*`, or a scope wildcard such as `user.*`.",
                items: .string),
            "description": .string(required: false, maxLength: EndpointRules.maxDescriptionLength),
            "active": .boolean(required: false),
            "status": enumeration(["active", "disabled"], required: false, description: "Another way to say `active`."),
            "format": enumeration(FormatRegistry.standard.names, required: false, description: "`standard` by default."),
            "secret": .string(required: false, description: "Generated when absent.", maxLength: 1024),
            "options": .object(required: false, description: "The format's options, e.g. `chat_id` for telegram, `timeout_seconds` (1-60)."),
        ])
    }
}
