import OpenAPIKit
import WirehookCore

/// What the service says about itself: `/health`, `/metrics` and this contract.
enum ServiceOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .get, path: "/health", operationID: "getHealth", tag: "service",
                summary: "Liveness, role and whether the database answers",
                description: "503 when the database does not answer within 2 s.", access: .open,
                successes: [
                    200: ContractOperation.json("Healthy.", health),
                    503: ContractOperation.json(
                        "The database did not answer.", health,
                        headers: ["Retry-After": .header(OpenAPI.Header(schema: S.retryAfterHeader, required: true))]),
                ]),
            ContractOperation(
                method: .get, path: "/metrics", operationID: "getMetrics", tag: "service",
                summary: "Prometheus metrics", description: "Served by `wirehook serve`.", access: .bearer(.admin),
                successes: [
                    200: .response(
                        description: "Prometheus text format.",
                        content: [.txt: .content(OpenAPI.Content(schema: .string))])
                ]),
            ContractOperation(
                method: .get, path: APIContract.path, operationID: "getOpenAPIDocument", tag: "service",
                summary: "This document", access: .open,
                successes: [200: ContractOperation.json("The OpenAPI 3.1 document.", .object)]),
        ]
    }

    static var health: JSONSchema {
        S.object([
            "status": S.enumeration(["ok", "unavailable"]),
            "database": S.enumeration(["ok", "unreachable"]),
            "store": S.enumeration(["sqlite", "postgresql"]),
            "error": .string(required: false, description: "Why the database is unreachable."),
            "version": .string,
            "role": S.enumeration(ServerConfiguration.Role.allCases.map(\.rawValue)),
        ])
    }
}
