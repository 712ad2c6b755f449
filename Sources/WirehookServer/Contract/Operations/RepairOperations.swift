import Hummingbird
import OpenAPIKit
import WirehookCore

/// Retry, recover, rotate-secret and redeliver (`RepairController`): all make new attempts.
enum RepairOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .post, path: "/webhooks/{id}/deliveries/{delivery_id}/retry", operationID: "retryDelivery",
                tag: "deliveries", summary: "Attempt one delivery again now",
                description: "Whatever its status, with a fresh retry schedule. A skipped delivery is a 422; one "
                    + "being attempted right now is a 409.",
                access: .bearer(.webhooksWrite), parameters: [WebhookOperations.webhookID, WebhookOperations.deliveryID],
                successes: [
                    202: ContractOperation.json(
                        "Queued.", S.success(["delivery": .one(of: [S.ref("Delivery"), .null()])]))
                ],
                errors: [.notFound, .conflict, .unprocessable]),
            ContractOperation(
                method: .post, path: "/webhooks/{id}/recover", operationID: "recoverDeliveries", tag: "deliveries",
                summary: "Queue every matching delivery of the webhook again",
                access: .bearer(.webhooksWrite), parameters: [WebhookOperations.webhookID],
                requestBody: ContractOperation.body(
                    .object(properties: [
                        "since": .string(format: .dateTime, description: "ISO 8601 time.", maxLength: 40),
                        "until": .string(
                            format: .dateTime, required: false, description: "After `since`.", maxLength: 40),
                        "status": S.enumeration(
                            ["failed", "success", "any"], required: false, description: "`failed` by default."),
                    ])),
                successes: [
                    202: ContractOperation.json(
                        "Queued.", S.success(["webhook_id": .string, "recovered": S.count]))
                ],
                errors: [.notFound]),
            ContractOperation(
                method: .post, path: "/webhooks/{id}/rotate-secret", operationID: "rotateWebhookSecret",
                tag: "webhooks", summary: "Give the webhook a new secret",
                description: "For formats that carry several signatures the old secret keeps signing until the "
                    + "grace period ends.",
                access: .bearer(.webhooksWrite), parameters: [WebhookOperations.webhookID],
                requestBody: ContractOperation.body(
                    .object(properties: [
                        "secret": .string(required: false, description: "Generated when absent.", maxLength: 1024),
                        "grace_seconds": .integer(
                            required: false, description: "86400 by default.",
                            maximum: (Int(RepairController<BasicRequestContext>.maxGrace.components.seconds), exclusive: false),
                            minimum: (0, exclusive: false)),
                    ]), required: false),
                successes: [
                    200: ContractOperation.json(
                        "The webhook with its new secret in full.",
                        S.success([
                            "webhook": S.ref("Webhook"),
                            "previous_secret_expires_at": S.optionalTimestamp,
                            "note": .string,
                        ]))
                ],
                errors: [.notFound]),
            ContractOperation(
                method: .post, path: "/events/{id}/redeliver", operationID: "redeliverEvent", tag: "events",
                summary: "Send a stored event again to every endpoint subscribed to it now",
                access: .bearer(.webhooksWrite), parameters: [ContractOperation.pathID("id", "The event's id.")],
                successes: [
                    202: ContractOperation.json(
                        "Queued.",
                        S.success([
                            "event": S.object(["id": .string, "type": .string]), "deliveries": S.count,
                        ]))
                ],
                // Redelivery goes through the ingest queue, which sheds load with a 503.
                errors: [.notFound, .unavailable]),
        ]
    }
}
