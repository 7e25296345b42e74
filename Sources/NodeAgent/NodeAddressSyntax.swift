/// What a node's reported address may be, checked alike by the agent (before it sends one) and the
/// broker (before it hands one out as `MASTER_ADDR`): an IPv4 or IPv6 address or a DNS name, 1 to
/// 253 ASCII letters, digits and `.-:_%`.
public enum NodeAddressSyntax {
    public static func isValid(_ text: String) -> Bool {
        (1...253).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || ".-:_%".unicodeScalars.contains(scalar))
            }
    }
}
