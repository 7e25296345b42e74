import Hummingbird

/// `GET /openapi.yaml`: the API's contract, the repository's `openapi.yaml` as compiled into the
/// binary (SwiftPM's `embedInCode` resource), so any copy of the daemon serves the document it
/// was built with, whatever its working directory.
struct OpenAPIRoutes {
    static let document = ByteBuffer(bytes: PackageResources.openapi_yaml)

    func register(on router: some RouterMethods<some RequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: Self.document))
        }
    }
}
