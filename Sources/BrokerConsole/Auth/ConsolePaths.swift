/// The paths the web console answers, beside the JSON API: `/`, `/login`, `/logout`,
/// `/console/...` (the pages) and `/assets/...` (its stylesheet and script).
public enum ConsolePaths {
    /// The session cookie's name.
    public static let sessionCookie = "gridbroker_session"
    public static let login = "/login"
    public static let home = "/console/market"

    /// Whether `path` is the console's (compared by component, as the router matches paths).
    public static func isConsole(_ path: String) -> Bool {
        isConsole(components: path.split(separator: "/", omittingEmptySubsequences: true))
    }

    /// ``isConsole(_:)`` for a path already split into its non-empty components.
    public static func isConsole(components parts: [Substring]) -> Bool {
        guard let first = parts.first else { return true }
        return (parts.count == 1 && (first == "login" || first == "logout")) || first == "console" || first == "assets"
    }

    /// Whether `path` is served without a session: the login page and the assets.
    static func isOpen(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts == ["login"] || parts.first == "assets"
    }
}
