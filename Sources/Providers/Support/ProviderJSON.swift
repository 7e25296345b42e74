import BrokerCore
import CurlHTTP
import Foundation

/// What the JSON pricing adapters (Vast.ai, RunPod, Lambda Cloud, Shadeform) share: request
/// defaults, decoding a body into ``ProviderError`` terms, and lenient field readers.
///
/// Providers send numbers as strings ("0.287000") and nulls where a field has no value; a record
/// whose fields have the wrong type must become a ``SkippedRecord``, not fail the whole answer. The
/// readers below therefore never throw: a missing, null or unreadable field is `nil`.
enum ProviderJSON {
    /// The limit for one pricing call.
    static let pricingTimeout: Duration = .seconds(30)

    /// Two attempts at most, waiting for a short `Retry-After` only: the poller backs off on its own.
    static let pricingRetry = RetryPolicy(
        maxAttempts: 2,
        baseDelay: .milliseconds(250),
        maxDelay: .seconds(2),
        maxRetryAfter: .seconds(5)
    )

    /// Decodes a whole answer, mapping decoding failures to ``ProviderError/malformed(_:)`` with a
    /// short reason.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(ProviderError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw .malformed(reason(for: error, bodyIsEmpty: body.isEmpty))
        } catch {
            throw .malformed("cannot decode the answer")
        }
    }

    /// Tries to decode a small error body; nil when it is not that shape.
    static func decodeIfPossible<T: Decodable>(_ type: T.Type, from body: [UInt8]) -> T? {
        guard !body.isEmpty else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(body))
    }

    private static func reason(for error: DecodingError, bodyIsEmpty: Bool) -> String {
        if bodyIsEmpty { return "empty body" }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON (cut off or corrupt)"
        case .dataCorrupted(let context):
            return "unreadable value at '\(path(context.codingPath))'"
        case .keyNotFound(let key, let context):
            return "missing '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            let at = context.codingPath.isEmpty ? "the top level" : "'\(path(context.codingPath))'"
            return "expected \(describe(type)) at \(at)"
        case .valueNotFound(_, let context):
            return "'\(path(context.codingPath))' is null"
        @unknown default:
            return "unexpected shape"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return name
    }

    /// The base URL without trailing slashes.
    static func trimmedBase(_ baseURL: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }

    /// `text` without leading and trailing ASCII whitespace; the same string when there is none,
    /// without going through Foundation (this runs for every record of a 100k-offer answer).
    static func trimmed(_ text: String) -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return text }
        let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
        guard start != utf8.endIndex else { return "" }
        let end = utf8.lastIndex { !isSpace($0) }!
        return String(text[start...end])
    }

    /// The API key when one is configured and not blank.
    static func usableKey(_ apiKey: String?) -> String? {
        guard let apiKey else { return nil }
        let trimmed = apiKey.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// GB from a number of MiB (as Vast reports memory: 81920 → 80, 24564 → 24).
    static func gigabytes(mebibytes: Double) -> Int {
        whole(mebibytes / 1024)
    }

    /// A non-negative whole number from a decoded one, rounded to nearest.
    static func whole(_ value: Double?) -> Int {
        guard let value, value.isFinite, value > 0, value < Double(Int32.max) else { return 0 }
        return Int(value.rounded())
    }
}

/// The string keys of the provider records: any key name, built on demand.
struct JSONKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) {
        self.stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}

extension KeyedDecodingContainer {
    /// A number, also when sent as a string ("0.287000"); nil when missing, null or not a number.
    func lenientDouble(_ key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value.isFinite ? value : nil }
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            return Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        }
        return nil
    }

    /// A whole number, also when sent as a string ("8") or a float with no fraction (8.0).
    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        guard let double = lenientDouble(key), double.rounded() == double, abs(double) < 1e15 else { return nil }
        return Int(double)
    }

    /// Text; numbers and booleans are turned into text (ids are sometimes numbers).
    func lenientString(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite { return String(value) }
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    /// A whole number that is an id: an integer, or a non-empty string.
    func lenientID(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(String.self, forKey: key) {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        return nil
    }

    /// A boolean, also as "true"/"false" or 1/0.
    func lenientBool(_ key: Key) -> Bool? {
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value != 0 }
        if let value = try? decodeIfPresent(String.self, forKey: key) {
            switch value.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        }
        return nil
    }

    /// An amount of dollars: a decimal string parsed exactly, or a JSON number (through `Double`).
    func lenientDollars(_ key: Key) -> LenientAmount {
        if let value = try? decodeIfPresent(Double.self, forKey: key) {
            return Money(dollars: value).map(LenientAmount.amount) ?? .invalid
        }
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            return (try? Money(parsing: text)).map(LenientAmount.amount) ?? .invalid
        }
        return contains(key) && (try? decodeNil(forKey: key)) != true ? .invalid : .missing
    }

    /// An amount of cents: an integer (exact), a decimal string or a number, as ``Money``.
    func lenientCents(_ key: Key) -> LenientAmount {
        if let value = try? decodeIfPresent(Int64.self, forKey: key) {
            let (micro, overflow) = value.multipliedReportingOverflow(by: 10_000)
            return overflow ? .invalid : .amount(Money(microdollars: micro))
        }
        switch lenientDollars(key) {
        case .amount(let dollarsOfCents):
            return .amount(Money(microdollars: dollarsOfCents.microdollars / 100))
        case .missing: return .missing
        case .invalid: return .invalid
        }
    }

    /// A nested keyed container, or nil when the value is missing, null or not an object.
    func lenientObject(_ key: Key) -> KeyedDecodingContainer<JSONKey>? {
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        return try? nestedContainer(keyedBy: JSONKey.self, forKey: key)
    }
}

/// A price field as read: an amount, absent (missing or null), or present but unreadable.
enum LenientAmount: Equatable {
    case amount(Money)
    case missing
    case invalid

    var money: Money? {
        if case .amount(let money) = self { money } else { nil }
    }
}

/// Resolves providers' GPU names through the catalog, trying each spelling in turn, and caches the
/// answers: a Vast answer has 100k records but a few dozen distinct names.
struct GPUResolver {
    let catalog: GPUCatalog
    private var cache: [CacheKey: GPUName] = [:]

    private struct CacheKey: Hashable {
        var names: [String]
        var memoryGB: Int?
    }

    private struct SingleKey: Hashable {
        var name: String
        var memoryGB: Int?
    }

    private var singleCache: [SingleKey: GPUName] = [:]

    init(catalog: GPUCatalog) {
        self.catalog = catalog
    }

    /// The first of `names` the catalog knows (with `memoryGB` to choose between models sharing a
    /// name), then the first name with the memory appended ("H100 SXM" → "H100 SXM 80GB"), else
    /// `.unknown(rawName)`.
    mutating func resolve(_ names: [String], memoryGB: Int?, rawName: String) -> GPUName {
        let key = CacheKey(names: names + [rawName], memoryGB: memoryGB)
        if let cached = cache[key] { return cached }
        let resolved = lookUp(names, memoryGB: memoryGB).map(GPUName.known) ?? .unknown(rawName)
        cache[key] = resolved
        return resolved
    }

    /// ``resolve(_:memoryGB:rawName:)`` for one name, kept as the raw name when unknown.
    mutating func resolve(_ name: String, memoryGB: Int?) -> GPUName {
        let key = SingleKey(name: name, memoryGB: memoryGB)
        if let cached = singleCache[key] { return cached }
        let resolved = lookUp([name], memoryGB: memoryGB).map(GPUName.known) ?? .unknown(name)
        singleCache[key] = resolved
        return resolved
    }

    private func lookUp(_ names: [String], memoryGB: Int?) -> GPUModel? {
        let memory = memoryGB.flatMap { $0 > 0 ? $0 : nil }
        for name in names where !name.isEmpty {
            if let model = catalog.model(named: name, memoryGB: memory) { return model }
        }
        if let memory {
            for name in names where !name.isEmpty {
                if let model = catalog.model(named: "\(name) \(memory)GB", memoryGB: memory) { return model }
            }
        }
        return nil
    }
}

extension ProviderJSON {
    /// The body of a successful answer. A failed one (other than 429, which stays
    /// ``ProviderError/rateLimited(retryAfterSeconds:)``) is first offered to `envelope`, which
    /// reads the provider's own error format; otherwise ``HTTPResponse/successBody()`` maps it.
    static func body(
        of response: HTTPResponse,
        envelope: ([UInt8]) -> ProviderError?
    ) throws(ProviderError) -> [UInt8] {
        if !response.isSuccess, response.status != 429, let error = envelope(response.body) {
            throw error
        }
        return try response.successBody()
    }

    /// A pricing `GET` of `url`: JSON accepted, the key (when usable) sent as `authorization(key)`.
    static func pricingGET(
        _ url: String, apiKey: String?, authorization: (String) -> (name: String, value: String)
    ) -> HTTPRequest {
        var headers = headers(hasBody: false)
        if let key = usableKey(apiKey) {
            let header = authorization(key)
            headers.add(name: header.name, value: header.value)
        }
        return HTTPRequest(method: .get, url: url, headers: headers, timeout: pricingTimeout, retry: pricingRetry)
    }

    /// `Accept: application/json`, plus `Content-Type` when there is a body.
    static func headers(hasBody: Bool) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if hasBody { headers.add(name: "Content-Type", value: "application/json") }
        return headers
    }
}

/// A provider's own error body (`{"error": …}`, `{"errors": […]}`): the error it describes, if
/// the body is one.
protocol ProviderErrorEnvelope: Decodable {
    var error: ProviderError? { get }
}

extension HTTPTransport {
    /// Sends `request` and returns the body of a successful answer. A failed answer is first read
    /// as the provider's `Envelope`, so its own message reaches the operator.
    func fetchBody<Envelope: ProviderErrorEnvelope>(
        _ request: HTTPRequest, errors: Envelope.Type
    ) async throws(ProviderError) -> [UInt8] {
        let response = try await send(request)
        return try ProviderJSON.body(of: response) { body in
            ProviderJSON.decodeIfPossible(Envelope.self, from: body)?.error
        }
    }
}

/// What one provider record became: its offers (possibly none), or a skip with the reason.
enum RecordOutcome {
    case offers([Offer])
    case skipped(SkippedRecord)
}

extension PricingSnapshot {
    /// The snapshot of `records`, each turned into offers or a skip by `outcome`, which shares one
    /// GPU-name resolver (and its cache) across the answer.
    init<Records: Sequence>(
        _ records: Records, catalog: GPUCatalog, outcome: (Records.Element, inout GPUResolver) -> RecordOutcome
    ) {
        var resolver = GPUResolver(catalog: catalog)
        var offers: [Offer] = []
        var skipped: [SkippedRecord] = []
        for record in records {
            switch outcome(record, &resolver) {
            case .offers(let made): offers.append(contentsOf: made)
            case .skipped(let skip): skipped.append(skip)
            }
        }
        self.init(offers: offers, skipped: skipped)
    }
}
