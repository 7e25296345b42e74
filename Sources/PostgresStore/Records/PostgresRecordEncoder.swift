import Foundation
import PostgresNIO
import Store

extension PostgresConnection {
    /// Inserts `record` into `table`, a column per property (in snake case, nil as NULL), followed
    /// by `suffix` (an `ON CONFLICT …` or `RETURNING …` clause); returns the rows it returns.
    @discardableResult
    func insert<Record: Encodable>(_ record: Record, into table: String, _ suffix: String = "") async throws
        -> [PostgresRow]
    {
        let encoder = PostgresRecordEncoder()
        try record.encode(to: encoder)
        let placeholders = (1...encoder.columns.count).map { "$\($0)" }.joined(separator: ", ")
        let columns = encoder.columns.joined(separator: ", ")
        return try await rows(
            PostgresQuery(
                unsafeSQL: "INSERT INTO \(table) (\(columns)) VALUES (\(placeholders)) \(suffix)",
                binds: encoder.bindings))
    }
}

/// Collects a record's properties as columns and bound values.
private final class PostgresRecordEncoder: Encoder {
    private(set) var columns: [String] = []
    private(set) var bindings = PostgresBindings()
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Columns<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("a record is a row of columns, not a list")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("a record is a row of columns, not one value")
    }

    func append(_ column: String, _ bind: (inout PostgresBindings) throws -> Void) rethrows {
        columns.append(column)
        try bind(&bindings)
    }
}

private struct Columns<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: PostgresRecordEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.append(PostgresColumnName.of(key.stringValue)) { $0.appendNull() }
    }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        let column = PostgresColumnName.of(key.stringValue)
        if let value = value as? any PostgresThrowingDynamicTypeEncodable {
            try encoder.append(column) { try $0.append(value) }
            return
        }
        // An enumeration: its raw value.
        let raw = RawValueCapture()
        try value.encode(to: raw)
        guard let text = raw.text else {
            throw EncodingError.invalidValue(value, .init(codingPath: [key], debugDescription: "not a column value"))
        }
        encoder.append(column) { $0.append(text) }
    }

    // Synthesized encoding skips nil properties; a row needs them as NULL.
    mutating func encodeIfPresent<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        preconditionFailure("a column is one value")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("a column is one value")
    }

    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
}

/// Takes the one string an enumeration encodes as.
private final class RawValueCapture: Encoder, SingleValueEncodingContainer {
    var text: String?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        preconditionFailure("a column is one value")
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("a column is one value") }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }
    func encodeNil() throws {}
    func encode(_ value: String) throws { text = value }
    func encode<Value: Encodable>(_ value: Value) throws {
        throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a column value"))
    }
}

/// A property's column: `pricePerHourMicros` → `price_per_hour_micros`, as GRDB's snake-case
/// strategies name them.
enum PostgresColumnName {
    static func of(_ property: String) -> String {
        var name = ""
        for character in property {
            if character.isUppercase {
                name += "_" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }
}
