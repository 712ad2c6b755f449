import OpenAPIKit
import WirehookCore

/// `GET /deliveries/stream` (`DeliveryStreamController`): finished attempts as server-sent events.
enum DeliveryStreamOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .get, path: "/deliveries/stream", operationID: "streamDeliveries", tag: "deliveries",
                summary: "Finished attempts as server-sent events, as they are recorded",
                description: "Each attempt is an `attempt` event whose `id` is its cursor and whose `data` is one "
                    + "line of JSON: cursor, time, webhook_id, delivery_id, event_id, event_type, attempt, outcome "
                    + "(`success`/`failure`), status_code, latency_ms, error, trigger, delivery_status. A "
                    + "`: keep-alive` comment goes out every 15 s. The stream does not end by itself.",
                access: .bearer(.webhooksRead),
                parameters: [
                    .query(name: "webhook_id", schema: .string, description: "Only this webhook's attempts."),
                    .query(
                        name: "status", schema: S.enumeration(["success", "failure"]),
                        description: "Only attempts with this outcome."),
                    .query(name: "event_type", schema: .string, description: "A name or `scope.*`."),
                    .query(
                        name: "after", schema: .integer(minimum: (0, exclusive: false)),
                        description: "Resume after this cursor; `0` replays every attempt still kept. By default "
                            + "the stream starts with the attempts recorded after it opens."),
                    .header(
                        name: "Last-Event-ID", schema: .string(pattern: "^[0-9]*$"),
                        description: "As EventSource sends it on reconnect; wins over `after`."),
                ],
                successes: [
                    200: .response(
                        description: "The event stream.",
                        content: [.init(rawValue: "text/event-stream")!: .content(OpenAPI.Content(schema: .string))])
                ],
                errors: [.notFound, .unprocessable])
        ]
    }
}
