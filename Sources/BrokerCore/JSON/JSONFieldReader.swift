/// Reads typed values out of parsed JSON, collecting every problem as a ``FieldError`` instead of
/// stopping at the first. Each read returns nil after recording why the value is unusable.
struct JSONFieldReader {
    private(set) var errors: [FieldError] = []

    mutating func report(_ path: String, _ message: String) {
        errors.append(FieldError(field: path, message: message))
    }

    // MARK: Objects

    /// `field` as an object; call ``close(_:)`` when done with it.
    mutating func object(_ field: JSONField) -> JSONObjectReader? {
        guard case .object(let members) = field.value else { return mismatch(field, expected: "an object") }
        return JSONObjectReader(field, members: members)
    }

    /// Records the unknown and repeated keys of an object that has been read.
    mutating func close(_ object: JSONObjectReader) {
        errors.append(contentsOf: object.leftoverErrors())
    }

    /// Member `key`, which must be present and not null.
    mutating func required(_ key: String, of object: inout JSONObjectReader) -> JSONField? {
        guard let field = object.take(key) else {
            report(object.object.path(ofMember: key), "is required")
            return nil
        }
        guard field.value != .null else {
            report(field.path, "is required and cannot be null")
            return nil
        }
        return field
    }

    /// Member `key` if present; `null` counts as absent.
    mutating func optional(_ key: String, of object: inout JSONObjectReader) -> JSONField? {
        guard let field = object.take(key), field.value != .null else { return nil }
        return field
    }

    /// Member `key`, which must be present and not null, read by `read`.
    mutating func required<T>(
        _ key: String, of object: inout JSONObjectReader, as read: (inout JSONFieldReader, JSONField) -> T?
    ) -> T? {
        required(key, of: &object).flatMap { read(&self, $0) }
    }

    /// Member `key` read by `read` if present; `null` counts as absent.
    mutating func optional<T>(
        _ key: String, of object: inout JSONObjectReader, as read: (inout JSONFieldReader, JSONField) -> T?
    ) -> T? {
        optional(key, of: &object).flatMap { read(&self, $0) }
    }

    // MARK: Scalars

    mutating func string(_ field: JSONField) -> String? {
        guard case .string(let string) = field.value else { return mismatch(field, expected: "a string") }
        return string
    }

    /// A string that is not empty or only whitespace, of at most `maxLength` characters counted as
    /// Unicode code points (as JSON Schema's `maxLength` counts them; one character on screen can
    /// hide any number of combining marks).
    mutating func text(_ field: JSONField, maxLength: Int = 4096) -> String? {
        guard let string = string(field) else { return nil }
        if string.allSatisfy(\.isWhitespace) {
            report(field.path, "must not be empty")
            return nil
        }
        if string.unicodeScalars.count > maxLength {
            report(field.path, "must be at most \(maxLength) characters long")
            return nil
        }
        if string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            // NUL cuts SQLite's text functions short, escapes repaint the CLI's terminal.
            report(field.path, "must not contain control characters")
            return nil
        }
        return string
    }

    /// One of the raw values of `T`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ field: JSONField, as type: T.Type = T.self) -> T?
    where T.RawValue == String {
        guard let string = string(field) else { return nil }
        guard let value = T(rawValue: string) else {
            report(
                field.path, "must be one of \(T.allCases.map { $0.rawValue }.joined(separator: ", ")), not '\(string)'")
            return nil
        }
        return value
    }

    mutating func bool(_ field: JSONField) -> Bool? {
        guard case .bool(let bool) = field.value else { return mismatch(field, expected: "a boolean") }
        return bool
    }

    /// A whole number in `range`. "8.0" and "1e3" are whole numbers; "8.5" is not.
    mutating func integer(_ field: JSONField, in range: ClosedRange<Int>) -> Int? {
        guard case .number(let literal) = field.value else { return mismatch(field, expected: "an integer") }
        let approximate = Double(literal) ?? .nan
        if approximate.isFinite && approximate != approximate.rounded(.towardZero) {
            report(field.path, "expected an integer, got a fractional number")
            return nil
        }
        let value = Int(literal) ?? Int(exactly: approximate)
        if let value, range.contains(value) { return value }
        if approximate < Double(range.lowerBound) {
            report(field.path, "must be at least \(range.lowerBound)")
        } else {
            report(field.path, "must be at most \(range.upperBound)")
        }
        return nil
    }

    /// A finite number greater than 0 and at most `maximum`.
    mutating func positiveNumber(_ field: JSONField, atMost maximum: Double) -> Double? {
        guard case .number(let literal) = field.value else { return mismatch(field, expected: "a number") }
        guard let value = Double(literal), value.isFinite else {
            report(field.path, "must be a finite number")
            return nil
        }
        guard value > 0 else {
            report(field.path, "must be greater than 0")
            return nil
        }
        guard value <= maximum else {
            report(field.path, "must be at most \(maximum)")
            return nil
        }
        return value
    }

    /// A positive amount of US dollars written as a plain decimal number (see ``Money/init(parsing:)``).
    mutating func positiveMoney(_ field: JSONField) -> Money? {
        guard case .number(let literal) = field.value else { return mismatch(field, expected: "a number") }
        if literal.contains(where: { $0 == "e" || $0 == "E" }) {
            report(field.path, "must be a plain decimal number of US dollars, without an exponent")
            return nil
        }
        let money: Money
        do {
            money = try Money(parsing: literal)
        } catch {
            // A JSON number without an exponent is always a plain decimal: only overflow is left.
            report(field.path, "is too large")
            return nil
        }
        guard money > .zero else {
            report(field.path, "must be greater than 0")
            return nil
        }
        return money
    }

    // MARK: Arrays

    /// `field`'s elements, each with its path.
    mutating func array(_ field: JSONField) -> [JSONField]? {
        guard case .array(let elements) = field.value else { return mismatch(field, expected: "an array") }
        return elements.enumerated().map { JSONField(value: $1, path: field.path(ofElement: $0)) }
    }

    /// An array of strings, each read by `element`; nil (with every problem recorded) unless all
    /// elements are good, so that indices in later messages match the document. With `uniqueBy`,
    /// each element whose key repeats an earlier one's is reported too.
    mutating func strings(
        _ field: JSONField,
        element: (inout JSONFieldReader, JSONField) -> String? = { $0.string($1) },
        uniqueBy key: ((String) -> String)? = nil
    ) -> [String]? {
        guard let elements = array(field) else { return nil }
        let read = elements.map { element(&self, $0) }
        guard !read.contains(nil) else { return nil }
        let values = read.compactMap { $0 }
        if let key { rejectDuplicates(values, in: field, key: key) }
        return values
    }

    private mutating func rejectDuplicates(_ values: [String], in field: JSONField, key: (String) -> String) {
        var firstIndex: [String: Int] = [:]
        for (index, value) in values.enumerated() {
            if let first = firstIndex[key(value)] {
                report(field.path(ofElement: index), "'\(value)' repeats \(field.path(ofElement: first))")
            } else {
                firstIndex[key(value)] = index
            }
        }
    }

    private mutating func mismatch<T>(_ field: JSONField, expected: String) -> T? {
        report(field.path, "expected \(expected), got \(field.value.kindDescription)")
        return nil
    }
}
