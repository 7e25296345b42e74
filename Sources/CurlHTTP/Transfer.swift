import CCurl
import Synchronization

/// One attempt, resolved against the client's configuration and validated on the caller's side.
struct TransferSpec: Sendable {
    var method: HTTPMethod
    var url: String
    /// `Name: value` lines for `CURLOPT_HTTPHEADER`, including the suppressions of libcurl defaults.
    var headerLines: [String]
    var body: [UInt8]?
    var timeoutMilliseconds: Int
    var connectTimeoutMilliseconds: Int
    var maxResponseBytes: Int
    var userAgent: String
    var verifyTLS: Bool
    var caBundlePath: String?
    var followRedirects: Bool

    init(request: HTTPRequest, configuration: CurlHTTPClient.Configuration) throws(CurlHTTPError) {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw .invalidRequest("header name is not a valid token")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("value of header \(name) contains a line break")
            }
            // libcurl sends "Name;" as a header with an empty value; "Name:" would remove it.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // libcurl adds "Expect: 100-continue" to larger bodies (a round-trip wasted on every API
        // call) and a form Content-Type to every body; an empty "Name:" line suppresses each.
        if !request.headers.contains("Expect") {
            lines.append("Expect:")
        }
        if request.body != nil, !request.headers.contains("Content-Type") {
            lines.append("Content-Type:")
        }
        let timeout = request.timeout ?? configuration.defaultTimeout
        self.method = request.method
        self.url = request.url
        self.headerLines = lines
        self.body = request.body
        self.timeoutMilliseconds = timeout.curlMilliseconds
        self.connectTimeoutMilliseconds = min(configuration.connectTimeout, timeout).curlMilliseconds
        self.maxResponseBytes = max(0, request.maxResponseBytes ?? configuration.defaultMaxResponseBytes)
        self.userAgent = configuration.userAgent
        self.verifyTLS = configuration.verifyTLS
        self.caBundlePath = configuration.caBundlePath
        self.followRedirects = configuration.followRedirects
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

/// The state of one attempt: its continuation (shared, behind a lock) and its easy handle and
/// buffers (touched only by the loop thread, including from libcurl's callbacks).
final class Transfer: @unchecked Sendable {
    typealias Continuation = CheckedContinuation<HTTPResponse, any Error>

    private enum Phase {
        case idle
        case waiting(Continuation)
        case cancelledEarly
        case finished
    }

    /// Headers beyond this many bytes fail the transfer like an oversized body.
    static let maxHeaderBytes = 1 << 20

    let spec: TransferSpec
    private let phase = Mutex<Phase>(.idle)

    // Loop-thread state.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var headers = HTTPHeaders()
    var headerBytes = 0
    var body: [UInt8] = []
    var exceededLimit = false
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(spec: TransferSpec) {
        self.spec = spec
        let size = ccurl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        errorBuffer.deallocate()
        precondition(easy == nil && headerList == nil, "transfer released with libcurl resources")
    }

    /// Stores the continuation. Returns `false` if the task was already cancelled; the caller then
    /// resumes the continuation with `CancellationError` itself.
    func begin(_ continuation: Continuation) -> Bool {
        phase.withLock { phase in
            guard case .idle = phase else { return false }
            phase = .waiting(continuation)
            return true
        }
    }

    /// Resumes the continuation unless something already did.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        let continuation: Continuation? = phase.withLock { phase in
            guard case .waiting(let continuation) = phase else { return nil }
            phase = .finished
            return continuation
        }
        continuation?.resume(with: result)
    }

    /// Whether the continuation has been resumed.
    var isFinished: Bool {
        phase.withLock { phase in
            if case .finished = phase { return true }
            return false
        }
    }

    /// Task cancellation: resumes with `CancellationError` at once and asks the loop to free the
    /// easy handle. Called from any thread.
    func cancel(on loop: CurlMultiLoop) {
        let continuation: Continuation? = phase.withLock { phase in
            switch phase {
            case .idle:
                phase = .cancelledEarly
                return nil
            case .waiting(let continuation):
                phase = .finished
                return continuation
            case .cancelledEarly, .finished:
                return nil
            }
        }
        if let continuation {
            // Enqueue first: whoever observes the CancellationError observes a queued clean-up.
            loop.enqueue(.cancel(self))
            continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: Loop thread

    /// Receives one header line (status line, field, or the blank line ending a block).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= Self.maxHeaderBytes else {
            exceededLimit = true
            return false
        }
        var line = String(decoding: bytes, as: UTF8.self)
        while line.hasSuffix("\r\n") || line.hasSuffix("\n") || line.hasSuffix("\r") {
            line.removeLast()
        }
        if line.hasPrefix("HTTP/") {
            // A new response block: interim 1xx or a redirect's headers are superseded.
            headers = HTTPHeaders()
        } else if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            // Obsolete line folding: continue the previous value.
            headers.fields[headers.count - 1].value += " " + line.trimmingASCIIWhitespace()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingASCIIWhitespace()
            headers.add(name: name, value: value)
        }
        return true
    }

    /// Receives body bytes; returns `false` (abort) once the size limit would be exceeded.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= spec.maxResponseBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// The error text libcurl left in the error buffer.
    var errorMessage: String {
        String(cString: errorBuffer)
    }
}
