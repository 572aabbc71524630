import FolioCore
import Foundation
import Hummingbird

/// Who is looking at a page: a signed-in user (or guest) with their session, or nobody; and
/// the language the pages speak to them.
struct WebVisitor: Sendable {
    var user: User?
    var session: WebSession?
    var language: Language

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
        return WebVisitor(user: user, session: session, language: language)
    }

    /// The form's `csrf` field (or the `X-CSRF-Token` header) must be the session's token.
    func checkCSRF(_ given: String?, session: WebSession) throws {
        guard let given, Self.constantTimeEqual(given, session.csrfToken) else { throw WebFormExpired() }
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

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// A form posted without the session's CSRF token (or after the session ended).
struct WebFormExpired: Error {}
