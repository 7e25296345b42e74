/// JSON-lines text read strictly: one JSON object per line (blank lines skipped), each handed to a
/// reader that collects its problems; the first bad line stops the reading with an error naming it.
enum NeutralJSONLines {
    static func read<T>(
        _ text: [UInt8], _ read: (inout JSONFieldReader, inout JSONObjectReader, _ line: Int) -> T?
    ) throws(NeutralCatalogError) -> [T] {
        var values: [T] = []
        var lineNumber = 0
        var start = 0
        while start < text.count {
            lineNumber += 1
            let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
            defer { start = end + 1 }
            let line = text[start..<end]
            guard line.contains(where: { !$0.isASCIIWhitespace }) else { continue }
            let document: JSONValue
            do {
                document = try JSONParser.parse(Array(line))
            } catch {
                throw NeutralCatalogError(
                    line: lineNumber, message: "malformed JSON at column \(error.column): \(error.message)")
            }
            var reader = JSONFieldReader()
            var value: T?
            if var object = reader.object(JSONField(value: document, path: "")) {
                value = read(&reader, &object, lineNumber)
                reader.close(object)
            }
            guard let value, reader.errors.isEmpty else {
                throw NeutralCatalogError(
                    line: lineNumber, message: reader.errors.map(\.description).joined(separator: "; "))
            }
            values.append(value)
        }
        return values
    }
}

extension JSONFieldReader {
    /// A name for a neutral catalog field: not empty, and without the NUL character that
    /// ``NeutralOffers`` uses to separate the parts of an offer id.
    mutating func neutralName(_ field: JSONField) -> String? {
        guard let name = text(field) else { return nil }
        guard !name.utf8.contains(0) else {
            report(field.path, "must not contain the NUL character")
            return nil
        }
        return name
    }
}
