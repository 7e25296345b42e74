import BrokerConsole
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Store
import Testing
import Yams

@testable import BrokerHTTP

@Suite("The OpenAPI document: served, and describing exactly the routes the router has")
struct OpenAPIDocumentTests {
    private static let repositoryDocument = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("openapi.yaml")

    private static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    private func makeRouter() throws -> Router<BrokerRequestContext> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-openapi-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        return buildRouter(APIDependencies(store: .sqlite(database), metrics: PrometheusCollectorRegistry()))
    }

    /// "GET /v1/jobs/{id}" for every operation under the document's `paths`.
    private static func documentedOperations(_ text: String) throws -> Set<String> {
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            let methods = try #require(item as? [String: Any], "path item \(path)").keys
            for method in methods where httpMethods.contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func servesTheRepositoryDocumentAsYAML() async throws {
        let expected = try Data(contentsOf: Self.repositoryDocument)
        let app = Application(router: try makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(Data(buffer: response.body) == expected)
            }
        }
    }

    @Test func documentsEveryRegisteredRouteAndNoOther() throws {
        let documented = try Self.documentedOperations(try String(contentsOf: Self.repositoryDocument, encoding: .utf8))
        // The web console's HTML pages are not the JSON API the document describes.
        let registered = Set(
            try makeRouter().routes.filter { !ConsolePaths.isConsole($0.path.description) }
                .map { "\($0.method.rawValue) \($0.path)" })
        #expect(registered.count > 10)
        #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
        #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
    }
}
