import Foundation
import PostgresNIO
import Store

extension PostgresRow {
    /// The row as a record: each property read from the column of its name in snake case (the
    /// store's records are `Codable` with GRDB's snake-case columns, the same on both backends).
    func record<Record: Decodable>(_ type: Record.Type) throws -> Record {
        do {
            return try Record(from: PostgresRecordDecoder(row: makeRandomAccess()))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.corruptRecord("\(Record.self): \(error)")
        }
    }
}

/// Decodes a record from a row's columns: dates, numbers, strings and booleans with postgres-nio's
/// own decoding, enumerations through their raw values.
private struct PostgresRecordDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row is not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row is not one value"))
    }
}

/// A row's columns, by the snake-case names of a record's properties.
private struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { row.contains(Self.column(key)) }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).bytes == nil }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try cell(key).decode(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try cell(key).decode(String.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try cell(key).decode(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try cell(key).decode(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try cell(key).decode(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try cell(key).decode(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try cell(key).decode(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try cell(key).decode(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try cell(key).decode(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        let cell = try cell(key)
        if let type = Value.self as? any PostgresDecodable.Type { return try cell.decode(type) as! Value }
        // An enumeration (or any type that decodes from one value): its raw value.
        return try Value(from: CellDecoder(cell: cell))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column is one value"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [key], debugDescription: "a column is one value"))
    }

    func superDecoder() throws -> any Decoder {
        throw DecodingError.keyNotFound(Key(stringValue: "super")!, .init(codingPath: [], debugDescription: "no super"))
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder() }

    /// An integer type postgres-nio does not decode: read as a `bigint`, then checked.
    private func integer<Value: FixedWidthInteger>(_ key: Key) throws -> Value {
        let value = try cell(key).decode(Int64.self)
        guard let exact = Value(exactly: value) else {
            throw StoreError.corruptRecord("column \(Self.column(key)): \(value) is not a \(Value.self)")
        }
        return exact
    }

    private func cell(_ key: Key) throws -> PostgresCell {
        let column = Self.column(key)
        guard row.contains(column) else {
            throw StoreError.corruptRecord("the row has no column \(column)")
        }
        return row[column]
    }

    static func column(_ key: Key) -> String { PostgresColumnName.of(key.stringValue) }
}

/// One column, for a type that decodes from a single value.
private struct CellDecoder: Decoder, SingleValueDecodingContainer {
    let cell: PostgresCell
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "a column is one value"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a column is one value"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { cell.bytes == nil }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        guard let type = Value.self as? any PostgresDecodable.Type else {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: [], debugDescription: "\(Value.self) is not a column type"))
        }
        return try cell.decode(type) as! Value
    }
}
