import NodeAgent

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads what a virtual machine's boot script (Lambda's `user_data`, EC2's `UserData`, Shadeform's
/// startup script) hands its node: the spec the broker wrote into it (the heredoc that ends at
/// `GRIDBROKER_NODE_SPEC`), whose broker URL, token and environment a simulated agent starts with.
enum BootScript {
    /// The node's environment as its agent sees it: the spec's variables, `GRIDBROKER_URL` and
    /// `GRIDBROKER_AGENT_TOKEN`; empty when the script carries no spec.
    static func environment(_ script: String) -> [String: String] {
        guard let spec = spec(in: script) else { return [:] }
        return spec.environment.merging(
            ["GRIDBROKER_URL": spec.broker, "GRIDBROKER_AGENT_TOKEN": spec.token, "GRIDBROKER_NODE_ID": spec.nodeID]
        ) { _, own in own }
    }

    /// The node spec in the script's heredoc, or nil.
    static func spec(in script: String) -> NodeSpec? {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasSuffix("<<'GRIDBROKER_NODE_SPEC'") }),
            start + 1 < lines.count
        else { return nil }
        return try? JSONDecoder().decode(NodeSpec.self, from: Data(lines[start + 1].utf8))
    }

    /// The words of a POSIX shell script: blanks separate them; single quotes keep everything, double
    /// quotes keep all but `\` before `"`, `\`, `$` and a backquote; a `\` outside quotes keeps the
    /// next character; `#` at the start of a word comments out the rest of the line.
    static func shellWords(_ script: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = script.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n", "\r", ";":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "#" where !inWord:
                while let skipped = characters.next(), skipped != "\n" {}
            case "'":
                inWord = true
                while let quoted = characters.next(), quoted != "'" { word.append(quoted) }
            case "\"":
                inWord = true
                while let quoted = characters.next(), quoted != "\"" {
                    if quoted == "\\", let next = characters.next() {
                        if !"\"\\$`".contains(next) { word.append(quoted) }
                        word.append(next)
                    } else {
                        word.append(quoted)
                    }
                }
            case "\\":
                inWord = true
                if let next = characters.next(), next != "\n" { word.append(next) }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
