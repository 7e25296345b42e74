import Hummingbird

/// The console's answers: HTML pages, redirects, and error pages.
enum ConsoleResponse {
    static func html(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html.rendered)))
    }

    /// A page for `user` (see ``Layout/page(_:user:current:_:)``).
    static func page(
        _ title: String, user: ConsoleUser, current: String, status: HTTPResponse.Status = .ok, _ content: HTML
    ) -> Response {
        html(Layout.page(title, user: user, current: current, content), status: status)
    }

    /// An error page that says what went wrong, in words for people.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        html(
            Layout.page(
                "\(status.code) \(status.reasonPhrase)", user: nil,
                "<p class=\"error\">\(message)</p><p><a href=\"/\">Back to the console</a></p>"),
            status: status)
    }
}
