import Crypto
import CurlHTTP
import Foundation

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in the `Authorization` header.
///
/// Every header of the request is signed (except `Authorization`), together with `host` (from the
/// URL, unless the request sets `Host` itself), `x-amz-date` and, for temporary credentials,
/// `x-amz-security-token`. The payload is hashed into the signature; no `x-amz-content-sha256`
/// header is added (services other than S3 do not need it). The path is canonicalized with one
/// round of percent-encoding (decoded, then encoded again), as the published test suite does, and
/// without dot-segment normalization.
///
/// The clock is the caller's: ``sign(_:at:)`` takes the signing time.
public struct SigV4Signer: Sendable {
    /// The algorithm name that starts the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: AWSCredentials
    /// The region in the credential scope, e.g. "us-east-1".
    public var region: String
    /// The service in the credential scope, e.g. "ec2".
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Every intermediate of one signature, so each step can be checked against published vectors.
    public struct Signature: Sendable, Equatable {
        /// The `X-Amz-Date` value, `YYYYMMDD'T'HHMMSS'Z'`.
        public var amzDate: String
        /// `date/region/service/aws4_request`.
        public var credentialScope: String
        public var canonicalRequest: String
        public var stringToSign: String
        /// The signed header names, lowercase, sorted, `;`-separated.
        public var signedHeaders: String
        /// The signature, lowercase hex.
        public var signature: String
        /// The whole `Authorization` header value.
        public var authorization: String
    }

    /// Computes the signature of `request` sent at `date`, without changing the request.
    ///
    /// - Throws: ``ProviderError/misconfigured(_:)`` when the URL is not an absolute http(s) URL.
    public func signature(for request: HTTPRequest, at date: Date) throws(ProviderError) -> Signature {
        guard let url = AWSURL(request.url) else {
            throw .misconfigured("cannot sign a request to '\(request.url)': not an absolute http(s) URL")
        }
        let amzDate = AWSTime.amzDate(date)
        let dateStamp = AWSTime.dateStamp(date)

        var headers: [(name: String, value: String)] = []
        for field in request.headers {
            let name = field.name.lowercased()
            if name == "authorization" || name == "x-amz-date" || name == "x-amz-security-token" { continue }
            headers.append((name, Self.trimmed(field.value)))
        }
        if !headers.contains(where: { $0.name == "host" }) { headers.append(("host", url.host)) }
        headers.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", Self.trimmed(token))) }

        // Sort by name (stably, so repeated names keep their order) and join repeated names with ",".
        var grouped: [(name: String, values: [String])] = []
        for header in headers.enumerated().sorted(by: { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }) {
            if grouped.last?.name == header.element.name {
                grouped[grouped.count - 1].values.append(header.element.value)
            } else {
                grouped.append((header.element.name, [header.element.value]))
            }
        }
        let canonicalHeaders = grouped.map { "\($0.name):\($0.values.joined(separator: ","))\n" }.joined()
        let signedHeaders = grouped.map(\.name).joined(separator: ";")

        let canonicalRequest = [
            request.method.rawValue,
            Self.canonicalURI(url.path),
            Self.canonicalQuery(url.query),
            canonicalHeaders,
            signedHeaders,
            Self.hex(SHA256.hash(data: request.body ?? [])),
        ].joined(separator: "\n")

        let credentialScope = "\(dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            Self.algorithm, amzDate, credentialScope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let signature = Self.hex(Self.hmac(signingKey(dateStamp: dateStamp), stringToSign))
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            amzDate: amzDate, credentialScope: credentialScope, canonicalRequest: canonicalRequest,
            stringToSign: stringToSign, signedHeaders: signedHeaders, signature: signature,
            authorization: authorization)
    }

    /// Returns `request` signed at `date`: with `X-Amz-Date`, `X-Amz-Security-Token` (temporary
    /// credentials only) and `Authorization` set, replacing any earlier values.
    ///
    /// - Throws: ``ProviderError/misconfigured(_:)`` when the URL is not an absolute http(s) URL.
    public func sign(_ request: HTTPRequest, at date: Date) throws(ProviderError) -> HTTPRequest {
        let signature = try signature(for: request, at: date)
        var signed = request
        signed.headers.replaceOrAdd(name: "X-Amz-Date", value: signature.amzDate)
        if let token = credentials.sessionToken {
            signed.headers.replaceOrAdd(name: "X-Amz-Security-Token", value: token)
        }
        signed.headers.replaceOrAdd(name: "Authorization", value: signature.authorization)
        return signed
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    func signingKey(dateStamp: String) -> [UInt8] {
        let dateKey = Self.hmac(Array("AWS4\(credentials.secretAccessKey)".utf8), dateStamp)
        let regionKey = Self.hmac(dateKey, region)
        let serviceKey = Self.hmac(regionKey, service)
        return Self.hmac(serviceKey, "aws4_request")
    }

    private static func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Leading and trailing spaces removed, inner runs of spaces collapsed to one.
    private static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Each path segment decoded and encoded again; "/" for an empty path.
    static func canonicalURI(_ path: String) -> String {
        let encoded = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { AWSURL.encode(bytes: AWSURL.decode($0)) }
            .joined(separator: "/")
        return encoded.isEmpty ? "/" : encoded
    }

    /// Parameters decoded and encoded again, sorted by name then value (byte order), `name=value`
    /// joined with `&`; a parameter without `=` gets an empty value.
    static func canonicalQuery(_ query: String) -> String {
        var pairs: [(name: String, value: String)] = []
        for parameter in query.split(separator: "&") where !parameter.isEmpty {
            let equals = parameter.firstIndex(of: "=")
            let name = parameter[..<(equals ?? parameter.endIndex)]
            let value = equals.map { parameter[parameter.index(after: $0)...] } ?? ""
            pairs.append(
                (AWSURL.encode(bytes: AWSURL.decode(name)), AWSURL.encode(bytes: AWSURL.decode(value))))
        }
        pairs.sort {
            $0.name != $1.name
                ? Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
                : Array($0.value.utf8).lexicographicallyPrecedes(Array($1.value.utf8))
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }
}
