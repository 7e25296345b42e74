import BrokerCore
import Foundation
import Testing

/// Loads recorded provider answers stored under `Tests/ProvidersTests/Fixtures/<provider>/`.
///
/// Fixtures are copied into the test bundle as one folder (`resources: [.copy("Fixtures")]`), so
/// every lookup goes through the `Fixtures/<provider>` subdirectory.
enum Fixture {
    /// Why a fixture could not be loaded.
    struct NotFound: Error, CustomStringConvertible {
        var path: String
        var description: String { "fixture not found in the test bundle: \(path)" }
    }

    /// The URL of `Fixtures/<provider>/<name>.<ext>` in the test bundle.
    ///
    /// - Parameters:
    ///   - name: the file name without its extension, for example `"offers"`.
    ///   - ext: the extension without the dot; `"json"` unless told.
    ///   - provider: the folder under `Fixtures`, for example `"vast"` or `"aws"`.
    static func url(_ name: String, ext: String = "json", provider: String) throws -> URL {
        guard
            let url = Bundle.module.url(
                forResource: name,
                withExtension: ext,
                subdirectory: "Fixtures/\(provider)"
            )
        else {
            throw NotFound(path: "Fixtures/\(provider)/\(name).\(ext)")
        }
        return url
    }

    /// The bytes of `Fixtures/<provider>/<name>.<ext>`.
    static func bytes(_ name: String, ext: String = "json", provider: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name, ext: ext, provider: provider)))
    }

    /// The text of `Fixtures/<provider>/<name>.<ext>`, decoded as UTF-8.
    static func string(_ name: String, ext: String = "json", provider: String) throws -> String {
        String(decoding: try bytes(name, ext: ext, provider: provider), as: UTF8.self)
    }

    /// The first half of a fixture's bytes: an answer cut off mid-transfer.
    static func truncated(_ name: String, ext: String = "json", provider: String) throws -> [UInt8] {
        let all = try bytes(name, ext: ext, provider: provider)
        return Array(all.prefix(all.count / 2))
    }
}

/// The catalog model named exactly `name`, as an offer's GPU.
func knownGPU(_ name: String) throws -> GPUName {
    .known(try #require(GPUCatalog.standard.models.first { $0.name == name }))
}
