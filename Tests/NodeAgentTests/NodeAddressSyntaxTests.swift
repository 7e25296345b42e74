import NodeAgent
import Testing

@Suite("A node's address: what the agent may send and the broker hands out")
struct NodeAddressSyntaxTests {
    @Test("IPv4, IPv6 (with a zone) and host names pass; spaces, shell text, non-ASCII and long names do not")
    func addresses() {
        for good in ["10.0.0.7", "fe80::1%eth0", "node-3.internal", "ip-10-0-0-7_x"] {
            #expect(NodeAddressSyntax.isValid(good), "\(good)")
        }
        for bad in ["", "10.0.0.7; rm -rf /", "nœud.local", String(repeating: "a", count: 254), "a b"] {
            #expect(!NodeAddressSyntax.isValid(bad), "\(bad)")
        }
    }
}
