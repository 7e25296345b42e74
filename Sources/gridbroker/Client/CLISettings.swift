import Foundation

/// Where the CLI finds the daemon and its API token: a flag, else `GRIDBROKER_URL` /
/// `GRIDBROKER_TOKEN`, else the CLI config file (`$XDG_CONFIG_HOME/gridbroker/cli.yaml`, or
/// `~/.config/gridbroker/cli.yaml`) with `url:` and `token:` lines, else the default address
/// and no token.
struct CLISettings {
    static let defaultURL = "http://127.0.0.1:8080"

    var url: String
    var token: String?

    init(url flagURL: String?, token flagToken: String?, environment: [String: String]) throws {
        let file = try Self.readFile(Self.configPath(environment: environment))
        let url = flagURL ?? environment["GRIDBROKER_URL"] ?? file["url"] ?? Self.defaultURL
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        token = flagToken ?? environment["GRIDBROKER_TOKEN"] ?? file["token"]
    }

    /// The CLI config file's path (it need not exist).
    static func configPath(environment: [String: String]) -> String {
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/gridbroker/cli.yaml"
    }

    /// The file's `key: value` lines (quotes around a value removed, `#` lines skipped); empty when
    /// there is no file.
    static func readFile(_ path: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("cannot read \(path)")
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw CommandFailure("\(path): expected 'key: value' lines such as 'url: http://127.0.0.1:8080'")
            }
            var value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[trimmed[..<colon].trimmingCharacters(in: .whitespaces)] = value
        }
        return values
    }
}
