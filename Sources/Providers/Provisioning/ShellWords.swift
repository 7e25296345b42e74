/// POSIX shell quoting, for the commands and scripts a launch hands a provider as text.
enum ShellWords {
    /// `words` as one shell command line, each word quoted when it needs to be.
    static func line(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    /// `word` as is when it has only safe characters, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        var out = "'"
        for character in word {
            out += character == "'" ? "'\\''" : String(character)
        }
        return out + "'"
    }
}
