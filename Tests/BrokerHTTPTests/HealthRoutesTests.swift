import Broker
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeAgent
import Prometheus
import Store
import Testing

@testable import BrokerHTTP

@Suite("Health, readiness and metrics endpoints")
struct HealthRoutesTests {
    private func makeApplication() throws -> (some ApplicationProtocol, BrokerDatabase) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-http-\(UUID())")
        try DataDirectory.prepare(folder.path)
        let database = try BrokerDatabase.open(at: folder.appendingPathComponent("gridbroker.sqlite").path)
        let dependencies = APIDependencies(store: .sqlite(database), metrics: PrometheusCollectorRegistry())
        return (Application(router: buildRouter(dependencies)), database)
    }

    @Test func healthzAnswersOK() async throws {
        let (app, _) = try makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func readyzIsReadyWithAMigratedDatabase() async throws {
        let (app, _) = try makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
        }
    }

    @Test func readyzIsUnavailableOnceTheDatabaseIsClosed() async throws {
        let (app, database) = try makeApplication()
        try database.close()
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.statusCode == 503)
                #expect(problem.detail == "the database is not open or not migrated")
            }
        }
    }

    @Test func metricsSpeakPrometheusTextWithTheBuildVersion() async throws {
        let (app, _) = try makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE gridbroker_build_info gauge"))
                #expect(text.contains(#"gridbroker_build_info{version="\#(BrokerVersion.current)"} 1"#))
            }
        }
    }

    @Test func unknownRouteIsAProblemDocument() async throws {
        let (app, database) = try makeApplication()
        let headers = try await TestToken.issue(database)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: headers) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.statusCode == 404)
                #expect(problem.title == "Not Found")
            }
        }
    }
}
