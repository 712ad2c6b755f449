import OpenAPIKit
import WirehookCore

/// `/webhooks…`: endpoints, their delivery log and test sends (`WebhooksController`).
enum WebhookOperations {
    typealias S = ContractSchemas

    static let webhookID = ContractOperation.pathID("id", "The webhook's id (`wh_…`).")
    static let deliveryID = ContractOperation.pathID("delivery_id", "The delivery's id (`del_…`).")
    static let webhookAnswer = S.success(["webhook": S.ref("Webhook")])

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .get, path: "/webhooks", operationID: "listWebhooks", tag: "webhooks",
                summary: "List webhooks, optionally by health", access: .bearer(.webhooksRead),
                parameters: [
                    .query(
                        name: "health", schema: S.enumeration(EndpointHealth.State.allCases.map(\.rawValue)),
                        description: "Only endpoints in this health state.")
                ],
                successes: [
                    200: ContractOperation.json(
                        "Every webhook, secrets masked.",
                        S.success(["webhooks": .array(items: S.ref("Webhook")), "total": S.count]))
                ],
                errors: [.unprocessable]),
            ContractOperation(
                method: .post, path: "/webhooks", operationID: "createWebhook", tag: "webhooks",
                summary: "Create a webhook", description: "The answer is the only one that shows the full secret.",
                access: .bearer(.webhooksWrite),
                requestBody: ContractOperation.body(
                    S.webhookFieldsSchema(requiringURLAndEvents: true),
                    example: AnyCodable([
                        "url": AnyCodable("https://receiver.example.invalid/hooks"),
                        "events": AnyCodable(["user.*", "billing.invoice.paid"]),
                        "description": AnyCodable("Support bot"),
                    ])),
                successes: [
                    201: ContractOperation.json(
                        "Created; the secret in full.", webhookAnswer,
                        links: ContractOperation.links(to: byWebhookID, ["id": "/webhook/id"]))
                ]),
            ContractOperation(
                method: .get, path: "/webhooks/{id}", operationID: "getWebhook", tag: "webhooks",
                summary: "One webhook with its delivery stats and health", access: .bearer(.webhooksRead),
                parameters: [webhookID],
                successes: [200: ContractOperation.json("The webhook, secret masked.", webhookAnswer)],
                errors: [.notFound]),
            update(.put, operationID: "replaceWebhook"),
            update(.patch, operationID: "updateWebhook"),
            ContractOperation(
                method: .delete, path: "/webhooks/{id}", operationID: "deleteWebhook", tag: "webhooks",
                summary: "Delete a webhook and its delivery log", access: .bearer(.webhooksWrite),
                parameters: [webhookID],
                successes: [
                    200: ContractOperation.json(
                        "Deleted.", S.success(["message": .string, "webhook_id": .string]))
                ],
                errors: [.notFound]),
            ContractOperation(
                method: .get, path: "/webhooks/{id}/stats", operationID: "getWebhookStats", tag: "webhooks",
                summary: "The webhook's delivery stats", access: .bearer(.webhooksRead), parameters: [webhookID],
                successes: [
                    200: ContractOperation.json(
                        "The stats.", S.success(["webhook_id": .string, "delivery_stats": S.ref("DeliveryStats")]))
                ],
                errors: [.notFound]),
            ContractOperation(
                method: .get, path: "/webhooks/{id}/deliveries", operationID: "listDeliveries", tag: "deliveries",
                summary: "The delivery log, newest first", access: .bearer(.webhooksRead),
                parameters: [
                    webhookID,
                    .query(
                        name: "limit", schema: .integer(maximum: (500, exclusive: false), minimum: (1, exclusive: false)),
                        description: "Page size, 50 by default."),
                    .query(name: "cursor", schema: .string, description: "`next_cursor` of the previous page."),
                    .query(name: "status", schema: S.enumeration(Delivery.Status.allCases.map(\.rawValue))),
                ],
                successes: [
                    200: ContractOperation.json(
                        "One page.",
                        S.success([
                            "deliveries": .array(items: S.ref("Delivery")),
                            "total": S.count,
                            "has_more": .boolean,
                            "next_cursor": .string(nullable: true),
                        ]))
                ],
                errors: [.notFound, .unprocessable]),
            ContractOperation(
                method: .get, path: "/webhooks/{id}/deliveries/{delivery_id}", operationID: "getDelivery",
                tag: "deliveries", summary: "One delivery with every attempt", access: .bearer(.webhooksRead),
                parameters: [webhookID, deliveryID],
                successes: [
                    200: ContractOperation.json("The delivery.", S.success(["delivery": S.ref("DeliveryWithAttempts")]))
                ],
                errors: [.notFound]),
            ContractOperation(
                method: .post, path: "/webhooks/{id}/test", operationID: "testWebhook", tag: "webhooks",
                summary: "Send a signed test delivery to this endpoint only",
                description: "Waits up to the attempt timeout plus a second for the receiver's answer.",
                access: .bearer(.webhooksWrite), parameters: [webhookID],
                requestBody: ContractOperation.body(
                    .object(properties: [
                        "event_type": .string(required: false, description: "`webhook.test` by default.", maxLength: 200),
                        "custom_data": .object(required: false, description: "The event's data."),
                    ]), required: false),
                successes: [
                    200: ContractOperation.json("The attempt was made.", testAnswer, links: deliveryLinks),
                    202: ContractOperation.json("The delivery is still pending.", testAnswer, links: deliveryLinks),
                ],
                errors: [.notFound]),
        ]
    }

    /// The operations that take a webhook's id and nothing else.
    static let byWebhookID = [
        "getWebhook", "replaceWebhook", "updateWebhook", "getWebhookStats", "listDeliveries", "testWebhook",
        "recoverDeliveries", "rotateWebhookSecret", "deleteWebhook",
    ]

    static var deliveryLinks: OpenAPI.Link.Map {
        ContractOperation.links(
            to: ["getDelivery", "retryDelivery"], ["id": "/delivery/webhook_id", "delivery_id": "/delivery/id"])
    }

    static var testAnswer: JSONSchema {
        S.success(["event": S.object(["id": .string, "type": .string]), "delivery": S.ref("Delivery")])
    }

    static func update(_ method: OpenAPI.BuiltinHttpMethod, operationID: String) -> ContractOperation {
        ContractOperation(
            method: .builtin(method), path: "/webhooks/{id}", operationID: operationID, tag: "webhooks",
            summary: "Change any of a webhook's fields",
            description: "Fields left out keep their value. Enabling a disabled endpoint resets its health and "
                + "sends what waited. PUT and PATCH behave alike.",
            access: .bearer(.webhooksWrite), parameters: [webhookID],
            requestBody: ContractOperation.body(S.ref("WebhookFields")),
            successes: [200: ContractOperation.json("The webhook; the secret in full when it was set.", webhookAnswer)],
            errors: [.notFound])
    }
}
