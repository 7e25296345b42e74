import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

/// The signer against AWS's published Signature Version 4 vectors.
///
/// - The `aws-sig-v4-test-suite` (AWS General Reference, "Signature Version 4 test suite",
///   https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html; the files are
///   mirrored in github.com/bazelbuild/bazel under `third_party/aws-sig-v4-test-suite/`): cases
///   `get-vanilla`, `get-vanilla-query-order-key`, `get-vanilla-query-order-value`,
///   `post-x-www-form-urlencoded` and `post-sts-token/post-sts-header-before`, each with its
///   `.req` (the request), `.creq` (canonical request), `.sts` (string to sign) and `.authz`
///   (Authorization header). Credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
///   region us-east-1, service "service", time 2015-08-30T12:36:00Z.
/// - The IAM `ListUsers` worked example of the AWS General Reference ("Create a canonical request
///   for Signature Version 4" and the pages after it): `GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08`,
///   service iam, same credentials and time; it publishes the canonical request's hash, the
///   signing key and the signature.
@Suite("SigV4Signer")
struct AWSSigV4SignerTests {
    static let suiteCredentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    /// 2015-08-30T12:36:00Z.
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
    static let suiteSigner = SigV4Signer(credentials: suiteCredentials, region: "us-east-1", service: "service")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// A request as the suite's `.req` files write it (Host and X-Amz-Date included).
    static func suiteRequest(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:], body: String? = nil
    ) -> HTTPRequest {
        var all: HTTPHeaders = headers
        all.add(name: "Host", value: "example.amazonaws.com")
        all.add(name: "X-Amz-Date", value: "20150830T123600Z")
        return HTTPRequest(
            method: method, url: "https://example.amazonaws.com\(target)", headers: all,
            body: body.map { Array($0.utf8) })
    }

    @Test("get-vanilla: canonical request, string to sign, signature, Authorization")
    func getVanilla() throws {
        let signature = try Self.suiteSigner.signature(for: Self.suiteRequest(.get, "/"), at: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + Self.emptyHash)
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(signature.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test("get-vanilla without Host or X-Amz-Date headers: both come from the URL and the clock")
    func getVanillaFromURLAndClock() throws {
        let request = HTTPRequest(method: .get, url: "https://example.amazonaws.com/")
        let signed = try Self.suiteSigner.sign(request, at: Self.suiteDate)
        #expect(signed.headers["X-Amz-Date"] == "20150830T123600Z")
        #expect(signed.headers["Host"] == nil)
        #expect(signed.headers["X-Amz-Security-Token"] == nil)
        #expect(
            signed.headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test("get-vanilla-query-order-key: repeated names sorted by value, case-sensitively")
    func getVanillaQueryOrderKey() throws {
        let signature = try Self.suiteSigner.signature(
            for: Self.suiteRequest(.get, "/?Param1=value2&Param1=Value1"), at: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n" + Self.emptyHash)
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1")
    }

    @Test("get-vanilla-query-order-value")
    func getVanillaQueryOrderValue() throws {
        let signature = try Self.suiteSigner.signature(
            for: Self.suiteRequest(.get, "/?Param1=value2&Param1=value1"), at: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n" + Self.emptyHash)
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606")
        #expect(signature.signature == "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694")
    }

    @Test("post-x-www-form-urlencoded: Content-Type signed, body hashed")
    func postFormURLEncoded() throws {
        let request = Self.suiteRequest(
            .post, "/", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "Param1=value1")
        let signature = try Self.suiteSigner.signature(for: request, at: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                + "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test("post-sts-header-before: the session token is sent and signed")
    func postSTSHeaderBefore() throws {
        let token =
            "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
            + "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6"
            + "q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJ"
            + "abIQwj2ICCR/oLxBA=="
        var credentials = Self.suiteCredentials
        credentials.sessionToken = token
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        let signed = try signer.sign(Self.suiteRequest(.post, "/"), at: Self.suiteDate)
        #expect(signed.headers["X-Amz-Security-Token"] == token)
        #expect(
            signed.headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")
    }

    @Test("IAM ListUsers example of the AWS General Reference: scope, signing key, signature")
    func iamListUsers() throws {
        let signer = SigV4Signer(credentials: Self.suiteCredentials, region: "us-east-1", service: "iam")
        let request = HTTPRequest(
            method: .get, url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"])
        let signature = try signer.signature(for: request, at: Self.suiteDate)
        #expect(
            signature.canonicalRequest
                == "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
                + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + Self.emptyHash)
        #expect(
            signature.stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        #expect(
            SigV4Signer.hex(signer.signingKey(dateStamp: "20150830"))
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test("the signature depends on the secret, the region, the date and every parameter")
    func signatureChanges() throws {
        let base = try Self.suiteSigner.signature(for: Self.suiteRequest(.get, "/?A=1"), at: Self.suiteDate)
        var otherSecret = Self.suiteSigner
        otherSecret.credentials.secretAccessKey = "another-secret"
        var otherRegion = Self.suiteSigner
        otherRegion.region = "eu-west-1"
        let variants = [
            try otherSecret.signature(for: Self.suiteRequest(.get, "/?A=1"), at: Self.suiteDate),
            try otherRegion.signature(for: Self.suiteRequest(.get, "/?A=1"), at: Self.suiteDate),
            try Self.suiteSigner.signature(
                for: Self.suiteRequest(.get, "/?A=1"), at: Self.suiteDate.addingTimeInterval(1)),
            try Self.suiteSigner.signature(for: Self.suiteRequest(.get, "/?A=2"), at: Self.suiteDate),
        ]
        for variant in variants { #expect(variant.signature != base.signature) }
        #expect(variants[1].credentialScope == "20150830/eu-west-1/service/aws4_request")
    }

    @Test("query parameters are re-encoded the AWS way; non-default ports stay in host")
    func encodingAndHost() throws {
        let request = HTTPRequest(
            method: .get, url: "http://127.0.0.1:9400/aws/us-east-1/?b=Linux%2FUNIX&a=x y&c=2026-11-21T15%3a30%3a00Z&d")
        let signature = try Self.suiteSigner.signature(for: request, at: Self.suiteDate)
        let lines = signature.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "/aws/us-east-1/")
        #expect(lines[2] == "a=x%20y&b=Linux%2FUNIX&c=2026-11-21T15%3A30%3A00Z&d=")
        #expect(lines[3] == "host:127.0.0.1:9400")

        let defaultPort = HTTPRequest(method: .get, url: "https://ec2.us-east-1.amazonaws.com:443/?A=1")
        let defaultLines = try Self.suiteSigner.signature(for: defaultPort, at: Self.suiteDate).canonicalRequest
            .split(separator: "\n")
        #expect(defaultLines[3] == "host:ec2.us-east-1.amazonaws.com")
    }

    @Test("a URL that is not absolute http(s) is refused as misconfigured")
    func badURL() {
        #expect(throws: ProviderError.self) {
            try Self.suiteSigner.sign(HTTPRequest(url: "ec2.amazonaws.com/"), at: Self.suiteDate)
        }
        do {
            _ = try Self.suiteSigner.sign(HTTPRequest(url: "ftp://example.com/"), at: Self.suiteDate)
            Issue.record("expected an error")
        } catch {
            guard case .misconfigured = error else {
                Issue.record("expected .misconfigured, got \(error)")
                return
            }
        }
    }

    @Test("AWS timestamps: X-Amz-Date, ISO 8601 out and in")
    func timestamps() throws {
        // 2024-02-29T23:59:58Z: a leap day, two seconds before midnight.
        let leap = Date(timeIntervalSince1970: 1_709_251_198)
        #expect(AWSTime.amzDate(leap) == "20240229T235958Z")
        #expect(AWSTime.dateStamp(leap) == "20240229")
        #expect(AWSTime.iso8601(leap) == "2024-02-29T23:59:58Z")
        #expect(RFC3339.date(from: "2024-02-29T23:59:58Z") == leap)
        #expect(RFC3339.date(from: "2024-02-29T23:59:58.000Z") == leap)
        let fraction = try #require(RFC3339.date(from: "2026-11-21T15:02:11.250Z"))
        #expect(fraction.timeIntervalSince1970 == 1_795_273_331.25)
        for bad in ["2023-02-29T00:00:00Z", "2026-11-21T15:02:11", "2026-11-21 15:02:11Z", "2026-13-01T00:00:00Z", ""] {
            #expect(RFC3339.date(from: bad) == nil, "\(bad)")
        }
    }
}
