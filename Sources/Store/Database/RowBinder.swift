import GRDB
import GRDBSQLite

/// Binds one row's values to a prepared statement through SQLite's C API, then runs it.
///
/// For the bulk upsert's hot loop only: GRDB's `StatementArguments` box every value, which costs
/// more than SQLite's own work once a poll brings 100,000 offers.
struct RowBinder {
    /// Kept alive here: the raw statement below is finalized when GRDB's statement goes away.
    private let owner: Statement
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection?
    private var index: Int32 = 1

    /// SQLite copies bound text and blobs before the call returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, in db: Database) {
        self.owner = statement
        self.statement = statement.sqliteStatement
        self.connection = db.sqliteConnection
    }

    mutating func bind(_ text: String) {
        sqlite3_bind_text(statement, index, text, -1, Self.transient)
        index += 1
    }

    mutating func bind(_ text: String?) {
        if let text { bind(text) } else { bindNull() }
    }

    mutating func bind(_ number: Int64) {
        sqlite3_bind_int64(statement, index, number)
        index += 1
    }

    mutating func bind(_ number: Int) {
        bind(Int64(number))
    }

    mutating func bind(_ flag: Bool) {
        bind(Int64(flag ? 1 : 0))
    }

    mutating func bind(_ number: Double?) {
        if let number {
            sqlite3_bind_double(statement, index, number)
            index += 1
        } else {
            bindNull()
        }
    }

    /// Runs the statement with the values bound so far and readies it for the next row.
    mutating func step() throws {
        defer {
            sqlite3_reset(statement)
            index = 1
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: connection.map { String(cString: sqlite3_errmsg($0)) })
        }
    }

    private mutating func bindNull() {
        sqlite3_bind_null(statement, index)
        index += 1
    }
}
