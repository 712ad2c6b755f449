import Foundation
import GRDB
import Testing
@testable import WirehookSQLite

/// The hot statements bind through SQLite's C API; what they store must be what GRDB's binding
/// stored, and a mistake must fail the statement, never store NULL or trap.
struct DirectStatementTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make() + "/direct.sqlite")
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB, UNIQUE (s))")
        }
        return queue
    }

    static let insert = "INSERT INTO t (id, n, s, b) VALUES (?, ?, ?, ?) RETURNING id"

    @Test func valuesArriveAsGRDBWouldBindThem() throws {
        let queue = try Self.database()
        try queue.write { db in
            var statement = try DirectStatement(Self.insert, db)
            let rows: [(Int64, Int64?, String?, [UInt8])] = [
                (1, 42, "", []), (2, nil, "Привет, мир", [0, 1, 255]), (3, .min, nil, Array(repeating: 7, count: 4096)),
            ]
            for (id, n, s, b) in rows {
                #expect(try statement.fetchOne(id, n, s, b) { $0.int64(0) } == id)
            }
        }
        try queue.read { db in
            let stored = try Row.fetchAll(db, sql: "SELECT n, typeof(n), s, typeof(s), b, typeof(b) FROM t ORDER BY id")
            #expect(stored[0]["n"] == 42)
            #expect(stored[0][3] == "text" && stored[0]["s"] == "", "an empty string is not NULL")
            #expect(stored[0][5] == "blob" && (stored[0]["b"] as Data).isEmpty, "an empty body is not NULL")
            #expect(stored[1][1] == "null")
            #expect(stored[1]["s"] == "Привет, мир")
            #expect(Array(stored[1]["b"] as Data) == [0, 1, 255])
            #expect(stored[2]["n"] == Int64.min)
            #expect(stored[2][3] == "null")
            #expect((stored[2]["b"] as Data).count == 4096)
        }
    }

    @Test func aParameterLeftUnboundFailsTheStatement() throws {
        let queue = try Self.database()
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                var statement = try DirectStatement(Self.insert, db)
                try statement.execute(Int64(1), Int64(2), "three")
            }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 0)
    }

    @Test func aConstraintFailureIsSQLitesErrorAndTheStatementRunsAgain() throws {
        let queue = try Self.database()
        try queue.write { db in
            var statement = try DirectStatement(Self.insert, db)
            try statement.execute(Int64(1), Int64?.none, "s1", [UInt8]())
        }
        do {
            try queue.write { db in
                var statement = try DirectStatement(Self.insert, db)
                try statement.execute(Int64(2), Int64?.none, "s1", [UInt8]())
            }
            Issue.record("a duplicate of a unique column was stored")
        } catch let error as DatabaseError {
            #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE, "\(error)")
        }
        try queue.write { db in
            var statement = try DirectStatement(Self.insert, db)
            #expect(try statement.fetchOne(Int64(3), Int64(3), "s3", [UInt8]([3])) { $0.int64(0) } == 3)
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }
}
