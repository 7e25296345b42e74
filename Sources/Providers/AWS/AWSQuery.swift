import CurlHTTP
import Foundation

/// What the EC2 Query API callers (pricing and provisioning) share: the API version, parameter
/// encoding, the per-region endpoint, the configuration check and pagination.
enum AWSQuery {
    /// The Query API version the adapters speak.
    static let apiVersion = "2016-11-15"

    /// `name=value` pairs as a form body, joined with `&`: percent-encoded as AWS wants them, and a
    /// space as `+`, byte for byte what the AWS SDKs send (emulators that check signatures, such as
    /// moto, re-encode the form that way before they verify it).
    static func encoded(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
    }

    private static func formEncode(_ text: String) -> String {
        AWSURL.encode(text).replacingOccurrences(of: "%20", with: "+")
    }

    /// The endpoint of `region`: `endpoint` with `{region}` replaced, without query or fragment,
    /// ending in "/".
    static func regionURL(endpoint: String, region: String) throws(ProviderError) -> String {
        var base = endpoint.replacingOccurrences(of: "{region}", with: region)
        if let queryStart = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = String(base[..<queryStart]) }
        guard AWSURL(base) != nil else {
            throw .misconfigured("the AWS endpoint '\(endpoint)' is not an absolute http(s) URL")
        }
        return base.hasSuffix("/") ? base : base + "/"
    }

    /// Checks that the credentials are complete and every region is a region name.
    static func checkConfiguration(credentials: AWSCredentials, regions: [String]) throws(ProviderError) {
        guard credentials.isComplete else {
            throw .misconfigured("AWS credentials are missing (access key id and secret access key are required)")
        }
        guard !regions.isEmpty else { throw .misconfigured("no AWS regions configured") }
        for region in regions where !isRegionName(region) {
            throw .misconfigured("'\(region)' is not an AWS region name")
        }
    }

    /// Whether `text` looks like a region name: lowercase letters, digits and dashes.
    static func isRegionName(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            }
    }

    /// Every item of every page: `page` fetches the page after a token (nil for the first) and
    /// returns its items and the next token. A token that comes back twice, or more than
    /// `maxPages` pages, is a server that never stops paginating.
    static func allPages<Item>(
        maxPages: Int, _ page: (String?) async throws(ProviderError) -> (items: [Item], nextToken: String?)
    ) async throws(ProviderError) -> [Item] {
        var items: [Item] = []
        var token: String?
        var pages = 0
        repeat {
            let (pageItems, next) = try await page(token)
            items.append(contentsOf: pageItems)
            pages += 1
            if let next, next == token { throw .malformed("the same NextToken came back twice") }
            guard pages < maxPages || next == nil else {
                throw .malformed("still paginating after \(maxPages) pages")
            }
            token = next
        } while token != nil
        return items
    }
}

extension ProviderError {
    /// The error with the region named in its message (for the cases that carry one); an API
    /// error's code stays as AWS sent it, so callers can still match on it.
    func inRegion(_ region: String) -> ProviderError {
        if case .api(let code, let message) = self { return .api(code: code, message: "region \(region): \(message)") }
        return mappingMessages { "region \(region): \($0)" }
    }
}
