import PostgresNIO
import Store

/// Reads a row's columns by name, as GRDB's `Row` subscripts do.
struct PostgresColumns {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    subscript<Value: PostgresDecodable>(_ name: String) -> Value {
        get throws {
            guard row.contains(name) else { throw StoreError.corruptRecord("the row has no column \(name)") }
            do {
                return try row[name].decode(Value.self)
            } catch {
                throw StoreError.corruptRecord("column \(name): \(error)")
            }
        }
    }

    /// A column holding an enumeration's raw value.
    func value<Value: RawRepresentable>(_ name: String, as type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let raw: String = try self[name]
        guard let value = Value(rawValue: raw) else {
            throw StoreError.corruptRecord("column \(name): '\(raw)' is not a \(Value.self)")
        }
        return value
    }
}
