/// The frame of every console page: the head (stylesheet and script from `/assets`), the
/// navigation for the signed-in user, and the log-out form.
enum Layout {
    /// The pages in the navigation: path, label, and whether only admins see it.
    private static let pages: [(path: String, label: String, admin: Bool)] = [
        ("/console/market", "Market", false), ("/console/quote", "Quote", false), ("/console/jobs", "Jobs", false),
        ("/console/spend", "Spend", false), ("/console/admin", "Admin", true),
    ]

    /// A whole page titled `title` with `content`, for `user` (nil: signed out, no navigation).
    static func page(_ title: String, user: ConsoleUser?, current: String? = nil, _ content: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · gridbroker</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/console.css">
        <script src="/assets/console.js" defer></script>
        </head><body>
        <header><a class="brand" href="/">gridbroker</a>\(navigation(user, current: current))</header>
        <main><h1>\(title)</h1>
        \(content)
        </main></body></html>
        """
    }

    private static func navigation(_ user: ConsoleUser?, current: String?) -> HTML {
        guard let user else { return .empty }
        let links = pages.filter { !$0.admin || user.isAdmin }.map { page -> HTML in
            page.path == current
                ? "<a href=\"\(page.path)\" aria-current=\"page\">\(page.label)</a>"
                : "<a href=\"\(page.path)\">\(page.label)</a>"
        }
        let who = user.isAdmin ? "admin" : "team \(user.teamID ?? "")"
        return """
            <nav>\(links)</nav>
            <form class="logout" method="post" action="/logout">\(csrfField(user))
            <span class="who">\(user.tokenName) (\(who))</span> <button type="submit" id="logout">Log out</button></form>
            """
    }

    /// The hidden field that carries the session's CSRF token in a form.
    static func csrfField(_ user: ConsoleUser) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(user.csrfToken)\">"
    }

    /// A form of one button that POSTs to `action` (cancel, enable, poll…).
    static func button(_ label: String, action: String, user: ConsoleUser, id: String? = nil) -> HTML {
        let idAttribute: HTML = id.map { "id=\"\($0)\" " } ?? .empty
        return """
            <form class="inline" method="post" action="\(action)">\(csrfField(user))<button \(idAttribute)type="submit">\(label)</button></form>
            """
    }
}
