import PostgresNIO
import NIOCore

// The statements that name no partition key, prepared once per connection so PostgreSQL may
// plan them once: planned on every call, a claim took 1.5 ms with 10 days' partitions and 3 ms
// with 41, and 0.7 ms with 41 as a generic plan (pgbench, BENCHMARKS.md). Statements that
// name their rows' seqs are not prepared: planned for the values given, they read only those
// days, where a generic plan reads every day (recording results that way took 3.3 times as
// long, `--pg-statements`). PostgresNIO prepares a statement the first time it runs on a connection.

/// `PostgresQueries.dueOfEndpoints`.
struct DueOfEndpoints: PostgresPreparedStatement {
    static let sql = PostgresQueries.dueOfEndpoints
    typealias Row = (Int64, String, Int64, Int64, Int64)

    var nowMs: Int64
    var endpointIDs: [String]
    var limits: [Int64]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(nowMs)
        bindings.append(endpointIDs)
        bindings.append(limits)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// `PostgresQueries.claimDue`, through its function: the function keeps the plan, this keeps
/// the call parsed.
struct ClaimDue: PostgresPreparedStatement {
    static let sql = "SELECT * FROM wirehook_claim_due($1, $2, $3, $4, $5, $6)"
    typealias Row = (Int64, String, String, String, String, Int64, Int32, Int32, String?, Int64, ByteBuffer, String?)

    var nowMs: Int64
    var endpointIDs: [String]
    var limits: [Int64]
    var total: Int64
    var owner: String
    var leaseUntilMs: Int64

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(nowMs)
        bindings.append(endpointIDs)
        bindings.append(limits)
        bindings.append(total)
        bindings.append(owner)
        bindings.append(leaseUntilMs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// `PostgresQueries.nextDue`.
struct NextDue: PostgresPreparedStatement {
    static let sql = PostgresQueries.nextDue
    typealias Row = Int64?

    func makeBindings() -> PostgresBindings { PostgresBindings() }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64?.self) }
}
