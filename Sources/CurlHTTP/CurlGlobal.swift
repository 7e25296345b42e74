import CCurl

/// Process-wide libcurl state.
///
/// `curl_global_init` must run exactly once, before libcurl is used from several threads.
/// Call ``initialize()`` early in `main`; ``CurlHTTPClient`` calls it as well, so forgetting is
/// harmless as long as the first client is created before other threads use libcurl directly.
public enum CurlGlobal {
    private static let initResult: CURLcode = ccurl_global_init_all()

    /// Runs `curl_global_init(CURL_GLOBAL_ALL)` the first time it is called; later calls do nothing.
    ///
    /// - Returns: `true` if libcurl initialised successfully.
    @discardableResult
    public static func initialize() -> Bool {
        initResult == CURLE_OK
    }

    /// The libcurl version string, for example `"libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 …"`.
    public static var version: String {
        initialize()
        return String(cString: curl_version())
    }
}
