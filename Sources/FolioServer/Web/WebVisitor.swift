import FolioCore
import Foundation
import Hummingbird

/// Who is looking at a page: a signed-in user (or guest) with their session, or nobody; and
/// the language the pages speak to them.
struct WebVisitor: Sendable {
    var user: User?
    var session: WebSession?
    var language: Language
    /// Whether the installation has spaces (the navigation offers them then).
    var hasSpaces = false

    /// The signed-in user; otherwise the request goes to the sign-in page.
    func requireUser() throws -> (User, WebSession) {
        guard let user, let session else { throw WebRedirect.signIn }
        return (user, session)
    }
}

/// A page answered with a redirect instead of content.
enum WebRedirect: Error {
    case signIn
    case to(String)
}

/// Reads and writes the sign-in and language cookies, and checks CSRF tokens.
struct WebAuth: Sendable {
    static let sessionCookie = "folio_session"
    static let languageCookie = "folio_lang"

    let folio: Folio
    /// Cookies are marked Secure when Folio is reached over HTTPS.
    let secure: Bool

    func visitor(_ request: Request) async throws -> WebVisitor {
        var user: User?
        var session: WebSession?
        if let secret = request.cookies[Self.sessionCookie]?.value,
            let (found, owner) = try await folio.webSession(secret: secret)
        {
            session = found
            user = owner
        }
        let language = Language.pick(
            user: user?.language, cookie: request.cookies[Self.languageCookie]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
        return WebVisitor(
            user: user, session: session, language: language, hasSpaces: !folio.spaces.spaces.isEmpty)
    }

    /// The form's `csrf` field (or the `X-CSRF-Token` header) must be the session's token.
    func checkCSRF(_ given: String?, session: WebSession) throws {
        guard let given, Folio.constantTimeEqual(given, session.csrfToken) else { throw WebFormExpired() }
    }

    /// The signed-in user behind a posted form, once its CSRF token is checked.
    func formUser(_ request: Request) async throws -> (User, WebForm) {
        let form = try await WebForm.read(request)
        let (user, session) = try await visitor(request).requireUser()
        try checkCSRF(form["csrf"], session: session)
        return (user, form)
    }

    /// A signed-in administrator, or `FolioError.forbidden`.
    func administrator(_ request: Request) async throws -> (WebVisitor, User, WebSession) {
        let visitor = try await visitor(request)
        let (user, session) = try visitor.requireUser()
        try folio.requireAdministrator(user)
        return (visitor, user, session)
    }

    /// Runs an administrator's form action (CSRF checked), then shows the page again through
    /// `render` with "Done." or, for a refused action, why.
    func administratorAction(
        _ request: Request, _ body: (User, WebForm) async throws -> Void,
        render: (_ message: String, _ isError: Bool) async throws -> Response
    ) async throws -> Response {
        let form = try await WebForm.read(request)
        let (visitor, admin, session) = try await administrator(request)
        try checkCSRF(form["csrf"], session: session)
        do {
            try await body(admin, form)
        } catch let error as FolioError {
            return try await render(WebErrorMiddleware<FolioRequestContext>.detail(error), true)
        }
        return try await render(visitor.language(.done), false)
    }

    /// Where a guest goes once in through a link: the folder, or the file in its editor.
    func destination(of link: ShareLink) async throws -> String {
        if try await folio.files.folder(id: link.resourceID) != nil { return "/browse/\(link.resourceID)" }
        return "/files/\(link.resourceID)/\(link.role == .edit ? "edit" : "view")"
    }

    /// Who opens a file's page: a ticket (`folio open`, Office's HostEditUrl) or a signed-in
    /// browser (then `visitor` is set).
    func fileOpener(_ request: Request, fileID: String) async throws -> (session: FileSession, visitor: WebVisitor?) {
        if let ticket = request.uri.queryParameters["ticket"].map(String.init) {
            return (try await folio.authorizePage(ticket: ticket, fileID: fileID), nil)
        }
        let visitor = try await visitor(request)
        let (user, _) = try visitor.requireUser()
        return (try await folio.fileAccess(fileID, user: user), visitor)
    }

    func sessionCookie(_ secret: String, expiresAt: Int64) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: secret, expires: Date(timeIntervalSince1970: Double(expiresAt) / 1e6),
            path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func clearedSessionCookie() -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func languageCookie(_ language: Language) -> Cookie {
        Cookie(
            name: Self.languageCookie, value: language.rawValue, maxAge: 365 * 86400, path: "/", secure: secure,
            httpOnly: false, sameSite: .lax)
    }
}

/// A form posted without the session's CSRF token (or after the session ended).
struct WebFormExpired: Error {}
