import GRDB
import GRDBSQLite

/// One of GRDB's cached statements, bound and stepped through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes every argument as an existential, counts and checks them,
/// and binds through generic helpers: in a batched ingest that was about a fifth of the writer's
/// time, for statements that run once per row (BENCHMARKS.md, change 26). The statements that run
/// per row on the hot paths (ingest's inserts, the record's attempt and update) bind here
/// instead. They still come from GRDB's cache and run inside GRDB's transaction on the writer; no
/// transaction observer is registered on these databases, so nothing GRDB would do around a
/// step is skipped.
struct DirectStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    /// The next parameter to bind (1-based, as SQLite counts them).
    private var index: Int32 = 1

    /// The statement is reset and its bindings cleared, whatever its last use left.
    init(_ sql: String, _ db: Database) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        // A statement that failed answers its error again from reset; it is reset all the same.
        _ = sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    fileprivate mutating func bind(_ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
        index += 1
    }

    fileprivate mutating func bind(_ value: String) throws {
        var value = value
        try value.withUTF8 { bytes in
            guard let length = Int32(exactly: bytes.count) else { throw DatabaseError(resultCode: .SQLITE_TOOBIG) }
            if let pointer = bytes.baseAddress {
                try check(
                    sqlite3_bind_text(
                        handle, index, UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self), length, transient))
            } else {
                // A nil pointer would bind NULL.
                try check(sqlite3_bind_text(handle, index, "", 0, transient))
            }
        }
        index += 1
    }

    fileprivate mutating func bind(blob value: [UInt8]) throws {
        try value.withUnsafeBytes { bytes in
            guard let length = Int32(exactly: bytes.count) else { throw DatabaseError(resultCode: .SQLITE_TOOBIG) }
            if let pointer = bytes.baseAddress {
                try check(sqlite3_bind_blob(handle, index, pointer, length, transient))
            } else {
                try check(sqlite3_bind_zeroblob(handle, index, 0))
            }
        }
        index += 1
    }

    fileprivate mutating func bindNull() throws {
        try check(sqlite3_bind_null(handle, index))
        index += 1
    }

    /// Binds `values` to the parameters in order and runs the statement to its end.
    mutating func execute<each Value: DirectValue>(_ values: repeat each Value) throws {
        for value in repeat each values { try value.bind(to: &self) }
        try execute()
    }

    /// Binds `values` to the parameters in order and runs the statement to its first row.
    mutating func fetchOne<T, each Value: DirectValue>(_ values: repeat each Value, read: (Row) -> T) throws -> T? {
        for value in repeat each values { try value.bind(to: &self) }
        return try fetchOne(read)
    }

    /// Runs the statement to its end.
    mutating func execute() throws {
        while try step() {}
        try finish()
    }

    /// Runs the statement to its first row (`RETURNING`), hands that row to `read`, and finishes.
    mutating func fetchOne<T>(_ read: (Row) -> T) throws -> T? {
        guard try step() else {
            try finish()
            return nil
        }
        let value = read(Row(handle))
        while try step() {}
        try finish()
        return value
    }

    /// Binds `values` to the parameters in order and runs the statement, handing each result
    /// row to `read`.
    mutating func forEachRow<each Value: DirectValue>(_ values: repeat each Value, read: (Row) throws -> Void) throws {
        for value in repeat each values { try value.bind(to: &self) }
        while try step() { try read(Row(handle)) }
        try finish()
    }

    /// One result row's columns, by position, valid only inside the call it is handed to.
    struct Row {
        let handle: OpaquePointer
        init(_ handle: OpaquePointer) { self.handle = handle }

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

        func blob(_ column: Int32) -> [UInt8] {
            guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
            let count = Int(sqlite3_column_bytes(handle, column))
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }

    private func step() throws -> Bool {
        // GRDB checks the count of arguments; a parameter left unbound would be NULL.
        guard index - 1 == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(
                message: "bound \(index - 1) of \(sqlite3_bind_parameter_count(handle)) parameters", sql: statement.sql)
        }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = failure(code)
            _ = sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw error
        }
    }

    /// Leaves the statement reset with no bindings, so no copy of a value outlives the call.
    private mutating func finish() throws {
        _ = sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        index = 1
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
    }
}

/// SQLite copies the value before the bind returns, so a binding never points at Swift memory
/// that may move or be freed.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A value `DirectStatement` binds to a parameter: integers, text, bytes (a BLOB), or NULL for nil.
protocol DirectValue {
    func bind(to statement: inout DirectStatement) throws
}

extension Int64: DirectValue {
    func bind(to statement: inout DirectStatement) throws { try statement.bind(self) }
}

extension String: DirectValue {
    func bind(to statement: inout DirectStatement) throws { try statement.bind(self) }
}

extension [UInt8]: DirectValue {
    func bind(to statement: inout DirectStatement) throws { try statement.bind(blob: self) }
}

extension Optional: DirectValue where Wrapped: DirectValue {
    func bind(to statement: inout DirectStatement) throws {
        if let self { try self.bind(to: &statement) } else { try statement.bindNull() }
    }
}
