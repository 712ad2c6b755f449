import Hummingbird
import OpenAPIKit
import WirehookCore

/// `POST /events` and the event catalog (`EventsController`, `EventTypesController`).
enum EventOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .post, path: "/events", operationID: "sendEvents", tag: "events",
                summary: "Send one event, or an array of up to \(EventsController<BasicRequestContext>.maxBatch)",
                description: "Answered once the events and their deliveries are committed.",
                access: .bearer(.eventsWrite),
                requestBody: ContractOperation.body(
                    .one(
                        of: S.ref("EventSubmission"),
                        .array(
                            minItems: 1, maxItems: EventsController<BasicRequestContext>.maxBatch,
                            items: S.ref("EventSubmission")))),
                successes: [
                    202: ContractOperation.json(
                        "Accepted. A single event answers `event`, a batch `events`.",
                        .one(
                            of: S.success([
                                "event": S.object(["id": .string, "type": .string(required: false)]),
                                "deliveries": S.count,
                                "duplicate": .boolean(
                                    required: false, description: "Present when the id was seen within 24 hours."),
                            ]),
                            S.success([
                                "events": .array(
                                    items: S.object(["id": .string, "deliveries": S.count, "duplicate": .boolean]))
                            ])),
                        links: ContractOperation.links(to: ["redeliverEvent"], ["id": "/event/id"]))
                ]),
            ContractOperation(
                method: .get, path: "/event-types", operationID: "listEventTypes", tag: "events",
                summary: "The event catalog", description: "Nothing in it is secret: any valid key may read it.",
                access: .bearer(nil),
                parameters: [.query(name: "scope", schema: .string, description: "Only this scope, e.g. `user`.")],
                successes: [
                    200: ContractOperation.json(
                        "The catalog.", S.success(["event_types": .array(items: S.ref("EventType")), "total": S.count]))
                ]),
        ]
    }
}
