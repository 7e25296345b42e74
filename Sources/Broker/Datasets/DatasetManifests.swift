import BrokerCore
import CurlHTTP
import Foundation
import Providers

/// Reads a job's `dataset.manifest` at submit and splits it into the job's shards: an http(s) URL
/// is fetched, anything else is a path inside the manifest folder (relative to it, or absolute
/// within it: a team cannot make the broker read its other files).
public struct DatasetManifests: Sendable {
    /// The folder manifests named by a path must be in.
    public let folder: String
    private let transport: any HTTPTransport

    /// The largest manifest read.
    public static let maximumBytes = 256 << 20

    public init(folder: String, transport: any HTTPTransport) {
        self.folder = folder
        self.transport = transport
    }

    /// Each shard's object URIs, for `dataset`; a ``DatasetManifestError`` says what is wrong.
    public func shardObjects(of dataset: JobSpec.Dataset) async throws(DatasetManifestError) -> [[String]]? {
        guard let manifest = dataset.manifest else { return nil }
        let text = try await read(manifest)
        return try DatasetManifest(parsing: text).shards(dataset.shards)
    }

    private func read(_ manifest: String) async throws(DatasetManifestError) -> [UInt8] {
        let lowered = manifest.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let response: HTTPResponse
            do {
                response = try await transport.execute(
                    HTTPRequest(
                        url: manifest, timeout: .seconds(60), retry: .default, maxResponseBytes: Self.maximumBytes))
            } catch {
                throw DatasetManifestError(line: nil, message: "cannot fetch \(manifest): \(error)")
            }
            guard response.isSuccess else {
                throw DatasetManifestError(line: nil, message: "cannot fetch \(manifest): HTTP \(response.status)")
            }
            return response.body
        }
        let base = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let path =
            (manifest.hasPrefix("/") ? URL(fileURLWithPath: manifest) : base.appendingPathComponent(manifest))
            .standardizedFileURL.resolvingSymlinksInPath()
        guard path.path.hasPrefix(base.path + "/") else {
            throw DatasetManifestError(
                line: nil,
                message: "'\(manifest)' is not in the broker's manifest folder \(folder) (or give an http(s) URL)")
        }
        guard let data = FileManager.default.contents(atPath: path.path) else {
            throw DatasetManifestError(line: nil, message: "'\(manifest)' cannot be read in \(folder)")
        }
        guard data.count <= Self.maximumBytes else {
            throw DatasetManifestError(line: nil, message: "'\(manifest)' is over \(Self.maximumBytes) bytes")
        }
        return Array(data)
    }
}
