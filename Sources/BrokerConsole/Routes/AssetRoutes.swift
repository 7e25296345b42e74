import Hummingbird

/// `/assets/console.css` and `/assets/console.js`, compiled into the binary.
struct AssetRoutes<Context: ConsoleRequestContext> {
    func register(on router: Router<Context>) {
        router.get("assets/console.css") { _, _ in Self.asset(PackageResources.console_css, type: "text/css") }
        router.get("assets/console.js") { _, _ in Self.asset(PackageResources.console_js, type: "text/javascript") }
    }

    private static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "\(type); charset=utf-8", .cacheControl: "max-age=300"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
