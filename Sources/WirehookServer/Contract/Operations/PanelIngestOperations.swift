import OpenAPIKit
import WirehookCore

/// `/ingest/…` (`PanelIngestController`): a panel's own webhooks, unchanged.
enum PanelIngestOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ingest(
                "remnawave", operationID: "ingestRemnawave", proof: .remnawaveSignature,
                body: "A Remnawave webhook, old or new envelope."),
            ingest(
                "marzban", operationID: "ingestMarzban", proof: .marzbanSecret,
                body: "Marzban's notification array, or one notification."),
            ingest(
                "wg-portal", operationID: "ingestWgPortal", proof: .wgPortalAuthorization,
                body: "A wg-portal webhook, either connect shape."),
        ]
    }

    static func ingest(_ panel: String, operationID: String, proof: PanelProof, body: String) -> ContractOperation {
        ContractOperation(
            method: .post, path: "/ingest/\(panel)", operationID: operationID, tag: "ingest",
            summary: "Accept a \(panel) webhook",
            description: "Each event is normalised to its canonical name and fanned out; its id comes from the "
                + "content, so the panel's own retries are accepted once. Events outside the catalog are "
                + "accepted as custom.",
            access: .panel(proof),
            requestBody: ContractOperation.body(S.anyValue, description: body),
            successes: [
                200: ContractOperation.json(
                    "Accepted.",
                    S.success([
                        "events": .array(
                            items: S.object([
                                "id": .string, "type": .string, "custom": .boolean, "deliveries": S.count,
                                "duplicate": .boolean,
                            ]))
                    ]))
            ])
    }
}
