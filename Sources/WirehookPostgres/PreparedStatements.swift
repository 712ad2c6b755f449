import NIOCore
import PostgresNIO

// The worker's statements, prepared once per connection. They name no partition key, so with a
// partition per day PostgreSQL spent longer planning them than running them: a claim took
// 1.5 ms with 10 days and 3 ms with 41 when planned each time, and 0.7 ms with 41 prepared
// (pgbench, BENCHMARKS.md). PostgresNIO prepares a statement on a connection the first time
// it runs there.

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

/// `PostgresQueries.nextDue`.
struct NextDue: PostgresPreparedStatement {
    static let sql = PostgresQueries.nextDue
    typealias Row = Int64?

    func makeBindings() -> PostgresBindings { PostgresBindings() }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int64?.self) }
}

/// `PostgresQueries.recordAttempts`.
struct RecordAttempts: PostgresPreparedStatement {
    static let sql = PostgresQueries.recordAttempts
    typealias Row = ()

    var deliverySequences: [Int64]
    var attemptedAt: [Int64]
    var statuses: [Int64]
    var latencies: [Int64]
    var errors: [String]
    var bodies: [ByteBuffer]
    var triggers: [String]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(deliverySequences)
        bindings.append(attemptedAt)
        bindings.append(statuses)
        bindings.append(latencies)
        bindings.append(errors)
        bindings.append(bodies)
        bindings.append(triggers)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}

/// `PostgresQueries.recordDeliveries`.
struct RecordDeliveries: PostgresPreparedStatement {
    static let sql = PostgresQueries.recordDeliveries
    typealias Row = ()

    var sequences: [Int64]
    var states: [String]
    var nextAttempts: [Int64]
    var statuses: [Int64]
    var latencies: [Int64]
    var attemptedAt: [Int64]
    var deliveredAt: [Int64]
    var errors: [String]
    var increments: [Int64]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(sequences)
        bindings.append(states)
        bindings.append(nextAttempts)
        bindings.append(statuses)
        bindings.append(latencies)
        bindings.append(attemptedAt)
        bindings.append(deliveredAt)
        bindings.append(errors)
        bindings.append(increments)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
