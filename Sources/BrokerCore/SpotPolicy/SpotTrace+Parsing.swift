extension SpotTrace {
    /// Reads a trace in the format of skypilot-org/spot-traces:
    /// `{"metadata": {"gap_seconds": 195}, "data": [0, 1, 2, ...]}`, where each value is the number of
    /// spot instances available at that tick (0: none). Other keys are ignored.
    ///
    /// `source` names the file in errors.
    public init(json bytes: [UInt8], source: String) throws(SpotTraceError) {
        func failure(_ message: String) -> SpotTraceError { SpotTraceError(source: source, message: message) }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw failure("\(error)")
        }
        guard case .object(let members) = document else {
            throw failure("expected a JSON object, found \(document.kindDescription)")
        }
        func member(_ key: String, of members: [JSONValue.Member], in path: String) throws(SpotTraceError)
            -> JSONValue
        {
            guard let value = members.first(where: { $0.key == key })?.value else {
                throw failure("missing field '\(path)\(key)'")
            }
            return value
        }
        guard case .object(let metadata) = try member("metadata", of: members, in: "") else {
            throw failure("'metadata' must be an object")
        }
        guard case .number(let gapText) = try member("gap_seconds", of: metadata, in: "metadata."),
            let gap = Int64(gapText), gap > 0
        else {
            throw failure("'metadata.gap_seconds' must be a positive whole number of seconds")
        }
        guard case .array(let values) = try member("data", of: members, in: "") else {
            throw failure("'data' must be an array of instance counts")
        }
        var counts: [Int] = []
        counts.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard case .number(let text) = value, let count = Int(text), count >= 0 else {
                throw failure("'data[\(index)]' must be a non-negative whole number")
            }
            counts.append(count)
        }
        guard !counts.isEmpty else { throw failure("'data' is empty") }
        self.init(tickSeconds: gap, counts: counts)
    }
}
