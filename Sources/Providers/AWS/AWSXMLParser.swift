/// One element of a small XML document: its local name (namespace prefix dropped), its character
/// data and its child elements. Attributes are read past but not kept: the EC2 Query API's answers
/// carry none that matter.
struct AWSXMLElement: Equatable {
    var name: String
    /// The element's own character data, entities decoded; whitespace between children included.
    var text: String
    var children: [AWSXMLElement]

    /// The first child called `name`.
    func child(_ name: String) -> AWSXMLElement? {
        children.first { $0.name == name }
    }

    /// The children called `name`, in document order.
    func children(named name: String) -> [AWSXMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child called `name`, trimmed of surrounding whitespace.
    func childText(_ name: String) -> String? {
        child(name).map { Self.trimmed($0.text) }
    }
}

/// Why a body is not well-formed XML, with the byte offset where reading stopped.
struct AWSXMLSyntaxError: Error, Equatable, CustomStringConvertible {
    var offset: Int
    var reason: String

    var description: String { "\(reason) (at byte \(offset))" }
}

/// A purpose-built, non-validating reader for the flat answers of AWS's Query APIs.
///
/// It checks well-formedness where it matters for an answer cut off or garbled in transit: one root
/// element, every start tag closed by a matching end tag, nothing but whitespace, comments and
/// processing instructions after the root. It understands the XML declaration, comments, CDATA,
/// processing instructions, attributes (skipped), self-closing tags, the five predefined entities
/// and character references. Document type declarations are refused: no entity is ever expanded.
/// One pass over the bytes, no backtracking.
struct AWSXMLParser {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a whole document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws(AWSXMLSyntaxError) -> AWSXMLElement {
        var parser = AWSXMLParser(bytes)
        return try parser.document()
    }

    private mutating func document() throws(AWSXMLSyntaxError) -> AWSXMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        try skipMisc()
        guard index < bytes.count else { throw fail(bytes.isEmpty ? "empty body" : "no root element") }
        guard bytes[index] == UInt8(ascii: "<") else { throw fail("text before the root element") }
        let root = try element()
        try skipMisc()
        guard index == bytes.count else { throw fail("content after the root element </\(root.name)>") }
        return root
    }

    /// Whitespace, comments and processing instructions (the XML declaration among them).
    private mutating func skipMisc() throws(AWSXMLSyntaxError) {
        while true {
            while index < bytes.count, bytes[index].isXMLWhitespace { index += 1 }
            if hasPrefix("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if hasPrefix("<!--") {
                try skip(past: "-->", what: "comment")
            } else if hasPrefix("<!") {
                throw fail("document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    /// Reads an element whose `<` is at `index`, with everything inside it, up to its end tag.
    ///
    /// Iterative: a stack of open elements, so deep nesting cannot exhaust the call stack.
    private mutating func element() throws(AWSXMLSyntaxError) -> AWSXMLElement {
        var stack: [(node: AWSXMLElement, qualifiedName: [UInt8])] = []
        var text: [UInt8] = []

        func flushText(into node: inout AWSXMLElement) {
            if !text.isEmpty {
                node.text += String(decoding: text, as: UTF8.self)
                text.removeAll(keepingCapacity: true)
            }
        }

        while true {
            guard index < bytes.count else {
                let open = stack.last.map { "<\($0.node.name)>" } ?? "an element"
                throw fail("the body ends inside \(open)")
            }
            let byte = bytes[index]
            if byte != UInt8(ascii: "<") {
                if stack.isEmpty { throw fail("text outside the root element") }
                try characterData(into: &text)
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if next == UInt8(ascii: "/") {
                index += 2
                let name = try nameToken()
                skipWhitespace()
                guard index < bytes.count else { throw fail("the body ends inside the end tag </\(decoded(name))") }
                guard bytes[index] == UInt8(ascii: ">") else { throw fail("malformed end tag </\(decoded(name))") }
                index += 1
                guard var closed = stack.popLast() else { throw fail("end tag </\(decoded(name))> without start") }
                guard closed.qualifiedName == name else {
                    throw fail("end tag </\(decoded(name))> does not close <\(decoded(closed.qualifiedName))>")
                }
                flushText(into: &closed.node)
                if stack.isEmpty { return closed.node }
                stack[stack.count - 1].node.children.append(closed.node)
            } else if next == UInt8(ascii: "!") && hasPrefix("<!--") {
                try skip(past: "-->", what: "comment")
            } else if next == UInt8(ascii: "!") && hasPrefix("<![CDATA[") {
                guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                text.append(contentsOf: bytes[start..<index - 3])
            } else if next == UInt8(ascii: "?") {
                try skip(past: "?>", what: "processing instruction")
            } else if next == UInt8(ascii: "!") {
                throw fail("unexpected markup declaration")
            } else {
                if !stack.isEmpty { flushText(into: &stack[stack.count - 1].node) }
                index += 1
                let name = try nameToken()
                let selfClosing = try skipAttributes()
                let node = AWSXMLElement(name: localName(name), text: "", children: [])
                if selfClosing {
                    if stack.isEmpty { return node }
                    stack[stack.count - 1].node.children.append(node)
                } else {
                    stack.append((node, name))
                }
            }
        }
    }

    /// Reads character data up to the next `<`, decoding entity and character references.
    private mutating func characterData(into text: inout [UInt8]) throws(AWSXMLSyntaxError) {
        while index < bytes.count {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "<"), bytes[index] != UInt8(ascii: "&") {
                index += 1
            }
            text.append(contentsOf: bytes[start..<index])
            guard index < bytes.count, bytes[index] == UInt8(ascii: "&") else { return }
            try reference(into: &text)
        }
    }

    private mutating func reference(into text: inout [UInt8]) throws(AWSXMLSyntaxError) {
        let start = index
        guard let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("unterminated entity reference")
        }
        let body = Array(bytes[(start + 1)..<semicolon])
        index = semicolon + 1
        switch body {
        case Array("lt".utf8): text.append(UInt8(ascii: "<"))
        case Array("gt".utf8): text.append(UInt8(ascii: ">"))
        case Array("amp".utf8): text.append(UInt8(ascii: "&"))
        case Array("quot".utf8): text.append(UInt8(ascii: "\""))
        case Array("apos".utf8): text.append(UInt8(ascii: "'"))
        default:
            guard body.first == UInt8(ascii: "#"), body.count > 1 else {
                index = start
                throw fail("unknown entity &\(decoded(body));")
            }
            let hex = body[1] == UInt8(ascii: "x")
            let digits = body.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: hex ? 16 : 10),
                let scalar = Unicode.Scalar(value)
            else {
                index = start
                throw fail("bad character reference &\(decoded(body));")
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }

    /// A name: bytes up to whitespace, `/`, `>` or `=`.
    private mutating func nameToken() throws(AWSXMLSyntaxError) -> [UInt8] {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isXMLWhitespace || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<")
            {
                break
            }
            index += 1
        }
        guard index < bytes.count else { throw fail("the body ends inside a tag") }
        guard index > start else { throw fail("a tag without a name") }
        return Array(bytes[start..<index])
    }

    /// Skips `name="value"` pairs to the end of a start tag; returns whether it was `/>`.
    private mutating func skipAttributes() throws(AWSXMLSyntaxError) -> Bool {
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("the body ends inside a start tag") }
            switch bytes[index] {
            case UInt8(ascii: ">"):
                index += 1
                return false
            case UInt8(ascii: "/"):
                guard index + 1 < bytes.count else { throw fail("the body ends inside a start tag") }
                guard bytes[index + 1] == UInt8(ascii: ">") else { throw fail("stray '/' in a start tag") }
                index += 2
                return true
            default:
                _ = try nameToken()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    throw fail("attribute without a value")
                }
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
                else { throw fail("attribute value without quotes") }
                let quote = bytes[index]
                index += 1
                guard let end = bytes[index...].firstIndex(of: quote) else {
                    throw fail("the body ends inside an attribute value")
                }
                index = end + 1
            }
        }
    }

    private mutating func skip(past terminator: String, what: String) throws(AWSXMLSyntaxError) {
        let pattern = Array(terminator.utf8)
        var probe = index
        while probe + pattern.count <= bytes.count {
            if bytes[probe] == pattern[0] && bytes[probe..<probe + pattern.count].elementsEqual(pattern) {
                index = probe + pattern.count
                return
            }
            probe += 1
        }
        throw fail("the body ends inside a \(what)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index].isXMLWhitespace { index += 1 }
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { bytes[index..<index + count].elementsEqual($0) }
    }

    private func localName(_ name: [UInt8]) -> String {
        let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name[...]
        return String(decoding: local, as: UTF8.self)
    }

    private func decoded(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(64), as: UTF8.self)
    }

    private func fail(_ reason: String) -> AWSXMLSyntaxError {
        AWSXMLSyntaxError(offset: index, reason: reason)
    }
}

extension UInt8 {
    fileprivate var isXMLWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D
    }
}

extension AWSXMLElement {
    /// `text` without leading and trailing XML whitespace (space, tab, CR, LF).
    static func trimmed(_ text: String) -> String {
        let whitespace: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !whitespace.contains($0) }),
            let last = scalars.lastIndex(where: { !whitespace.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
