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
                method: .get, path: "/healthz", operationID: "getLiveness", tag: "service",
                summary: "Liveness: the process answers", description: "Never looks at the database.",
                access: .open, successes: [200: ContractOperation.json("The process runs.", liveness)]),
            ContractOperation(
                method: .get, path: "/readyz", operationID: "getReadiness", tag: "service",
                summary: "Readiness: migrations applied, database answering, not shutting down",
                description: "503 while any of the three does not hold.", access: .open,
                successes: [
                    200: ContractOperation.json("Ready for traffic.", readiness),
                    503: ContractOperation.json(
                        "Not ready; `error` says why.", readiness,
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

    static var liveness: JSONSchema {
        S.object([
            "status": S.enumeration(["ok"]),
            "version": .string,
            "role": S.enumeration(ServerConfiguration.Role.allCases.map(\.rawValue)),
        ])
    }

    static var readiness: JSONSchema {
        S.object([
            "status": S.enumeration(["ready", "not_ready"]),
            "shutting_down": .boolean,
            "migrations": S.enumeration(["applied", "pending"]),
            "database": S.enumeration(["ok", "unreachable"]),
            "store": S.enumeration(["sqlite", "postgresql"]),
            "error": .string(required: false, description: "Why the process is not ready."),
            "version": .string,
            "role": S.enumeration(ServerConfiguration.Role.allCases.map(\.rawValue)),
        ])
    }
}
