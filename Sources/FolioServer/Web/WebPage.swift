import FolioCore
import HTTPTypes
import Hummingbird

/// The frame around every page: head, header with navigation, language switch and the user,
/// then the content. Pages are plain HTML; `folio.js` adds uploads, dialogs and local times.
struct WebPage {
    var title: String
    var visitor: WebVisitor
    var content: String
    var status: HTTPResponse.Status = .ok

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        // Pages show private listings and carry CSRF tokens: never cache them.
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html())))
    }

    func html() -> String {
        let t = visitor.language
        let e = HTMLText.escape
        var nav = ""
        var account = ""
        if let user = visitor.user, let session = visitor.session {
            if user.isGuest {
                nav = "<span class=\"guest\">\(e(t("Guest")))</span>"
            } else {
                nav =
                    "<a href=\"/browse\">\(e(t("Files")))</a><a href=\"/shared\">\(e(t("Shared with me")))</a>"
                    + "<a href=\"/trash\">\(e(t("Trash")))</a>"
                    + (user.isAdmin
                        ? "<a href=\"/admin/users\">\(e(t("Users")))</a><a href=\"/admin/api\">\(e(t("API")))</a>" : "")
            }
            account = """
                <span class="who">\(e(user.displayName))</span>
                <form method="post" action="/logout" class="inline">\(Self.csrfField(session))\
                <button type="submit" class="link">\(e(t("Sign out")))</button></form>
                """
        }
        let languages = Language.allCases.map { language in
            "<button type=\"submit\" name=\"lang\" value=\"\(language.rawValue)\""
                + (language == t ? " aria-pressed=\"true\" class=\"link current\"" : " class=\"link\"")
                + " lang=\"\(language.rawValue)\">\(e(language.nativeName))</button>"
        }.joined()
        return """
            <!DOCTYPE html>
            <html lang="\(t.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title)) · Folio</title>
            <link rel="stylesheet" href="/static/folio.css">
            <script src="/static/folio.js" defer></script>
            </head>
            <body>
            <header class="top">
            <a class="brand" href="/">Folio</a>
            <nav aria-label="Main">\(nav)</nav>
            <div class="account">
            <form method="post" action="/language" class="inline languages" aria-label="\(e(t("Language")))">\
            \(visitor.session.map(Self.csrfField) ?? "")<input type="hidden" name="back" value="">\(languages)</form>
            \(account)
            </div>
            </header>
            <main id="main">
            \(content)
            </main>
            </body>
            </html>
            """
    }

    static func csrfField(_ session: WebSession) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTMLText.escape(session.csrfToken))\">"
    }

    /// A page with one message, e.g. for errors.
    static func message(
        _ text: String, detail: String? = nil, visitor: WebVisitor, status: HTTPResponse.Status,
        link: (href: String, label: String)? = nil
    ) -> Response {
        let e = HTMLText.escape
        var body = "<section class=\"message\"><h1>\(e(text))</h1>"
        if let detail { body += "<p class=\"detail\">\(e(detail))</p>" }
        if let link { body += "<p><a href=\"\(e(link.href))\">\(e(link.label))</a></p>" }
        body += "</section>"
        return WebPage(title: text, visitor: visitor, content: body, status: status).response()
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}
