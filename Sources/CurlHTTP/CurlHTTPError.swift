import CCurl

/// Why a request failed. Task cancellation is reported as `CancellationError` instead.
///
/// Descriptions never contain request headers, bodies or URLs (they may carry API keys); messages
/// come from libcurl's error buffer, which names at most the host and port.
public enum CurlHTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL is malformed or its scheme is not `http`/`https`.
    case invalidURL
    /// The request cannot be sent as given, for example a header containing a line break.
    case invalidRequest(String)
    /// No connection could be made: refused, unreachable, or the host name did not resolve.
    case connectionFailed(String)
    /// The attempt did not finish within its timeout.
    case timedOut
    /// The decoded response body exceeded `maxResponseBytes`.
    case responseTooLarge(limit: Int)
    /// TLS failed: handshake error, or the peer's certificate or host name did not verify.
    case tls(String)
    /// Another libcurl failure, with its `CURLcode` and message.
    case transport(code: Int, message: String)
    /// The client was shut down before or while the request ran.
    case clientShutDown

    public var description: String {
        switch self {
        case .invalidURL:
            return "invalid URL (malformed, or not http/https)"
        case .invalidRequest(let why):
            return "invalid request: \(why)"
        case .connectionFailed(let message):
            return "connection failed: \(message)"
        case .timedOut:
            return "request timed out"
        case .responseTooLarge(let limit):
            return "response body larger than the limit of \(limit) bytes"
        case .tls(let message):
            return "TLS error: \(message)"
        case .transport(let code, let message):
            return "transport error \(code): \(message)"
        case .clientShutDown:
            return "HTTP client was shut down"
        }
    }

    /// Whether another attempt may succeed: connection failures, timeouts, and connections that
    /// broke mid-transfer.
    public var isRetryable: Bool {
        switch self {
        case .connectionFailed, .timedOut:
            return true
        case .transport(let code, _):
            return Self.retryableTransportCodes.contains(code)
        case .invalidURL, .invalidRequest, .responseTooLarge, .tls, .clientShutDown:
            return false
        }
    }

    private static let retryableTransportCodes: Set<Int> = [
        Int(CURLE_PARTIAL_FILE.rawValue),
        Int(CURLE_GOT_NOTHING.rawValue),
        Int(CURLE_SEND_ERROR.rawValue),
        Int(CURLE_RECV_ERROR.rawValue),
        Int(CURLE_HTTP2.rawValue),
        Int(CURLE_HTTP2_STREAM.rawValue),
    ]

    /// Maps a failed transfer's code to an error.
    ///
    /// - Parameters:
    ///   - code: the transfer's result.
    ///   - message: the error buffer's text, or empty.
    ///   - limit: the response-size limit, reported when the body was cut off for size.
    ///   - exceededLimit: whether the write callback refused data because of the limit.
    static func from(code: CURLcode, message: String, limit: Int, exceededLimit: Bool) -> CurlHTTPError {
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        switch code {
        case CURLE_WRITE_ERROR where exceededLimit, CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: limit)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectionFailed(text)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls(text)
        default:
            return .transport(code: Int(code.rawValue), message: text)
        }
    }
}
