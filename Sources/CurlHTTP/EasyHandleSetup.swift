import CCurl

/// Sets the options of one easy handle from a transfer's spec. Runs on the loop thread.
enum EasyHandleSetup {
    static func configure(_ easy: UnsafeMutableRawPointer, for transfer: Transfer) throws(CurlHTTPError) {
        let spec = transfer.spec
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        try check(ccurl_easy_setopt_string(easy, CURLOPT_URL, spec.url))
        try check(ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, context))
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(transfer.errorBuffer)))

        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        try check(
            ccurl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let length = size * count
                guard let context else { return 0 }
                let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: data, count: length)
                return transfer.receiveBody(bytes) ? length : 0
            })
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        try check(
            ccurl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let length = size * count
                guard let context else { return 0 }
                let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                let bytes = UnsafeRawBufferPointer(start: data, count: length)
                return transfer.receiveHeader(bytes) ? length : 0
            })

        // "" offers every encoding this libcurl can decode (gzip, deflate, …) and decodes the body.
        try check(ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, spec.timeoutMilliseconds))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, spec.connectTimeoutMilliseconds))
        // Fails early when Content-Length announces too much; the write callback catches the rest.
        try check(ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(spec.maxResponseBytes)))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, spec.verifyTLS ? 1 : 0))
        try check(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, spec.verifyTLS ? 2 : 0))
        if let caBundlePath = spec.caBundlePath {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, caBundlePath))
        }
        try check(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, spec.followRedirects ? 1 : 0))
        if spec.followRedirects {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_MAXREDIRS, 5))
        }
        try check(ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, spec.userAgent))

        try configureMethod(easy, spec: spec)

        var list: UnsafeMutablePointer<curl_slist>?
        for line in spec.headerLines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw .transport(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "out of memory")
            }
            list = appended
        }
        transfer.headerList = list
        try check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))
    }

    private static func configureMethod(_ easy: UnsafeMutableRawPointer, spec: TransferSpec) throws(CurlHTTPError) {
        let method = spec.method
        if method == .head {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
            return
        }
        let sendsBody = spec.body != nil || method == .post || method == .put || method == .patch
        if sendsBody {
            // The size first, so COPYPOSTFIELDS copies exactly that many bytes (binary-safe).
            let body = spec.body ?? []
            try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            let bytes = body.isEmpty ? [0] : body
            let code = bytes.withUnsafeBytes { buffer in
                ccurl_easy_setopt_pointer(
                    easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
            try check(code)
            if method != .post {
                try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue))
            }
        } else if method == .get {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        } else {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue))
        }
    }

    private static func check(_ code: CURLcode) throws(CurlHTTPError) {
        guard code == CURLE_OK else {
            throw CurlHTTPError.from(
                code: code,
                message: String(cString: curl_easy_strerror(code)),
                limit: 0,
                exceededLimit: false
            )
        }
    }
}
