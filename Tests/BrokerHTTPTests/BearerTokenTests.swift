import Hummingbird
import Testing

@testable import BrokerHTTP

@Suite("Authorization: Bearer, its scheme in any case")
struct BearerTokenTests {
    private func token(_ header: String?) -> String? {
        var fields = HTTPFields()
        if let header { fields[.authorization] = header }
        let head = HTTPRequest(method: .get, scheme: "http", authority: "x", path: "/v1/jobs", headerFields: fields)
        return BearerToken.from(Request(head: head, body: .init(buffer: ByteBuffer())))
    }

    @Test("the scheme is matched in any case; anything else is no token")
    func schemes() {
        #expect(token("Bearer gbt_abc") == "gbt_abc")
        #expect(token("bearer gbt_abc") == "gbt_abc")
        #expect(token("BEARER  gbt_abc ") == "gbt_abc")
        #expect(token("Basic dXNlcjpwYXNz") == nil)
        #expect(token("Bearers gbt_abc") == nil)
        #expect(token("Beare gbt_abc") == nil)
        #expect(token("Bearen gbt_abc") == nil)
        #expect(token("Bea_er gbt_abc") == nil)
        #expect(token("Bearer ") == nil)
        #expect(token("Bearer") == nil)
        #expect(token(nil) == nil)
    }
}
