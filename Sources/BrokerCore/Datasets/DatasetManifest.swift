/// A dataset's manifest (`dataset.manifest`): JSON lines, one object per line with the object's
/// `uri` and its size in `bytes` (other members are ignored, blank lines skipped), read strictly:
/// the first bad line stops it, named by its number.
public struct DatasetManifest: Sendable, Equatable {
    public struct Object: Sendable, Equatable {
        public var uri: String
        public var bytes: Int64

        public init(uri: String, bytes: Int64) {
            self.uri = uri
            self.bytes = bytes
        }
    }

    public var objects: [Object]

    public init(objects: [Object]) {
        self.objects = objects
    }

    /// The most objects a manifest may list.
    public static let maximumObjects = 10_000_000

    /// Reads the manifest `text`.
    public init(parsing text: some Collection<UInt8>) throws(DatasetManifestError) {
        var objects: [Object] = []
        var number = 0
        for line in Array(text).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let bytes = Array(line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...])
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            objects.append(try Self.object(bytes, line: number))
            guard objects.count <= Self.maximumObjects else {
                throw DatasetManifestError(line: number, message: "more than \(Self.maximumObjects) objects")
            }
        }
        guard !objects.isEmpty else { throw DatasetManifestError(line: nil, message: "it lists no object") }
        self.objects = objects
    }

    private static func object(_ bytes: [UInt8], line: Int) throws(DatasetManifestError) -> Object {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw DatasetManifestError(line: line, message: "not JSON (\(error.message), column \(error.column))")
        }
        guard case .object(let members) = value else {
            throw DatasetManifestError(line: line, message: "not an object: \(value.kindDescription)")
        }
        var uri: String?
        var size: Int64?
        for member in members {
            switch (member.key, member.value) {
            case ("uri", .string(let text)):
                guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                else {
                    throw DatasetManifestError(
                        line: line, message: "uri must be a non-empty text without tabs or control characters")
                }
                uri = text
            case ("uri", let other):
                throw DatasetManifestError(line: line, message: "uri must be a string, not \(other.kindDescription)")
            case ("bytes", .number(let digits)):
                guard let bytes = Int64(digits), bytes >= 0 else {
                    throw DatasetManifestError(line: line, message: "bytes must be a whole number of at least 0")
                }
                size = bytes
            case ("bytes", let other):
                throw DatasetManifestError(line: line, message: "bytes must be a number, not \(other.kindDescription)")
            default:
                continue
            }
        }
        guard let uri else { throw DatasetManifestError(line: line, message: "uri is required") }
        guard let size else { throw DatasetManifestError(line: line, message: "bytes is required") }
        return Object(uri: uri, bytes: size)
    }

    /// The objects split into `count` shards, in manifest order, each a run of consecutive objects,
    /// cut where the running total of bytes crosses each shard's even share (so shards come out
    /// about equal in bytes without reordering the data); every shard gets at least one object.
    public func shards(_ count: Int) throws(DatasetManifestError) -> [[String]] {
        guard count <= objects.count else {
            throw DatasetManifestError(
                line: nil, message: "it lists \(objects.count) object(s), too few for \(count) shards")
        }
        let total = objects.reduce(Int128(0)) { $0 + Int128($1.bytes) }
        var shards: [[String]] = []
        var current: [String] = []
        var running = Int128(0)
        for (index, object) in objects.enumerated() {
            current.append(object.uri)
            running += Int128(object.bytes)
            let objectsLeft = objects.count - index - 1
            let shardsLeft = count - shards.count - 1
            guard shardsLeft > 0 else { continue }
            if objectsLeft == shardsLeft || running * Int128(count) >= total * Int128(shards.count + 1) {
                shards.append(current)
                current = []
            }
        }
        shards.append(current)
        return shards
    }
}

/// Why a manifest cannot be used: the line (1-based) when one is to blame.
public struct DatasetManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
