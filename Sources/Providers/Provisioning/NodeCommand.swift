import Foundation

/// How a launch's command reaches a provider that takes it as text: shell words, or (for the
/// virtual machines of Lambda Cloud and EC2, which run no container by themselves) a boot script
/// that runs the image with Docker.
enum NodeCommand {
    /// `words` as one POSIX shell command line, each word quoted when it needs to be.
    static func shellLine(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    /// A `#!/bin/sh` script that runs `request.image` with its command and environment, with every
    /// GPU and the host's network.
    static func bootScript(_ request: LaunchRequest) -> String {
        var words = ["docker", "run", "--rm", "--gpus", "all", "--network", "host"]
        for (name, value) in request.environment.sorted(by: { $0.key < $1.key }) {
            words += ["-e", "\(name)=\(value)"]
        }
        words.append(request.image)
        words += request.command
        return "#!/bin/sh\nexec \(shellLine(words))\n"
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
