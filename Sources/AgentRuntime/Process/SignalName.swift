#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signal names accepted by `--checkpoint-signal`: `USR1`, `SIGUSR1` or a number.
public enum SignalName {
    public static let known: [String: Int32] = [
        "USR1": SIGUSR1, "USR2": SIGUSR2, "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "TERM": SIGTERM,
        "ALRM": SIGALRM, "CONT": SIGCONT, "WINCH": SIGWINCH,
    ]

    /// The signal named `text`, or `nil` when it is neither a known name nor a number in 1...64.
    public static func parse(_ text: String) -> Int32? {
        if let number = Int32(text) { return (1...64).contains(number) ? number : nil }
        let name = text.uppercased()
        return known[name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name]
    }
}
