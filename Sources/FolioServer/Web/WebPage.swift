import FolioCore
import HTTPTypes
import Hummingbird
import Mustache

/// A web page: the page's template inside `layout` (head, header with navigation, language
/// switch and the user). Pages are plain HTML; `folio.js` adds uploads, dialogs and local times.
struct WebPage {
    var title: String
    var visitor: WebVisitor
    /// The template's name in `Resources/templates`.
    var template: String
    /// What the template shows besides the frame and the texts.
    var view: any MustacheParent
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
        PageTemplates.render(
            PageModel(frame: PageFrame(title: title, visitor: visitor), view: view), template, in: visitor.language)
    }

    /// A page with one message, e.g. for errors.
    static func message(
        _ text: String, detail: String? = nil, visitor: WebVisitor, status: HTTPResponse.Status,
        link: (href: String, label: String)? = nil
    ) -> Response {
        let view = MessageView(
            text: text, detail: detail, link: link.map { MessageView.Link(href: $0.href, label: $0.label) })
        return WebPage(title: text, visitor: visitor, template: "message", view: view, status: status).response()
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

/// What a page template sees: `frame` for the layout and the page's own values (the texts are
/// written into each language's templates).
/// A class, as the engine casts it at every lookup that reaches it (a struct would be copied).
final class PageModel: MustacheParent {
    let frame: PageFrame
    let view: any MustacheParent

    init(frame: PageFrame, view: any MustacheParent) {
        self.frame = frame
        self.view = view
    }

    func child(named name: String) -> Any? {
        switch name {
        case "frame": frame
        default: view.child(named: name)
        }
    }
}

struct MessageView: MustacheParent {
    struct Link: MustacheParent {
        let href: String
        let label: String
        func child(named name: String) -> Any? {
            switch name {
            case "href": href
            case "label": label
            default: nil
            }
        }
    }
    let text: String
    let detail: String?
    let link: Link?

    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "detail": detail
        case "link": link
        default: nil
        }
    }
}
