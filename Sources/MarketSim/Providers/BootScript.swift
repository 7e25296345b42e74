/// Reads the environment out of the boot script Lambda's `user_data` and EC2's `UserData` carry:
/// the `-e NAME=value` (or `--env NAME=value`) words of the `docker run` line that starts the node.
enum BootScript {
    /// The variables the script's `docker run` passes to the container; later ones win.
    static func environment(_ script: String) -> [String: String] {
        let words = shellWords(script)
        var environment: [String: String] = [:]
        for (index, word) in words.enumerated().dropLast() where word == "-e" || word == "--env" {
            let assignment = words[index + 1]
            guard let equals = assignment.firstIndex(of: "="), equals > assignment.startIndex else { continue }
            environment[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return environment
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
