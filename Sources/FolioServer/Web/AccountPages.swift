import FolioCore
import Foundation
import Hummingbird
import Synchronization

/// The one-time key that opens the set-up page while no administrator exists.
final class SetupKey: Sendable {
    let value: String

    /// Derived from the installation's secret, so every instance on one database prints, and
    /// accepts, the same link; it opens the set-up page only while there is no administrator.
    init(signer: TokenSigner) {
        value = signer.derivedKey(purpose: "first-administrator-setup")
    }
}

/// Sign-in, sign-out, the first-run set-up, and the language switch.
struct AccountPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    let setupKey: SetupKey

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("/") { request, _ in
            let visitor = try await auth.visitor(request)
            if visitor.user != nil { return WebPage.redirect("/browse") }
            return WebPage.redirect("/login")
        }
        router.get("login") { request, _ in try await loginPage(request, error: nil) }
        router.post("login", use: login)
        router.post("logout", use: logout)
        router.get("setup", use: setupPage)
        router.post("setup", use: setup)
        router.post("language", use: language)
    }

    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let t = visitor.language
        let next = request.uri.queryParameters["next"].map(String.init) ?? ""
        let view = LoginView(error: error, next: next)
        return WebPage(title: t(.signIn), visitor: visitor, template: "login", view: view, status: status).response()
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let visitor = try await auth.visitor(request)
        do {
            let (secret, session) = try await folio.signIn(
                login: form["login"]?.trimmingCharacters(in: .whitespaces) ?? "", password: form["password"] ?? "")
            let next = WebForm.localPath(form["next"]) ?? "/browse"
            var response = WebPage.redirect(next)
            response.setCookie(auth.sessionCookie(secret, expiresAt: session.expiresAt))
            return response
        } catch let error as FolioError {
            let message =
                if case .forbidden = error { WebErrorMiddleware<Context>.detail(error) } else {
                    visitor.language(.wrongLogin)
                }
            return try await loginPage(request, error: message, status: .unauthorized)
        }
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let visitor = try await auth.visitor(request)
        if let session = visitor.session, let secret = request.cookies[WebAuth.sessionCookie]?.value {
            try auth.checkCSRF(form["csrf"], session: session)
            try await folio.signOut(secret: secret)
        }
        var response = WebPage.redirect("/login")
        response.setCookie(auth.clearedSessionCookie())
        return response
    }

    func setupAllowed(_ key: String?) async throws -> Bool {
        guard let key, Folio.constantTimeEqual(key, setupKey.value) else { return false }
        return try await !folio.accounts.adminExists()
    }

    @Sendable func setupPage(_ request: Request, context: Context) async throws -> Response {
        try await setupForm(request, key: request.uri.queryParameters["key"].map(String.init), error: nil)
    }

    func setupForm(_ request: Request, key: String?, error: String?) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let t = visitor.language
        guard try await setupAllowed(key) else {
            return WebPage.message(
                t(.setupLinkInvalid), visitor: visitor, status: .forbidden,
                link: (href: "/login", label: t(.signIn)))
        }
        let view = SetupView(error: error, key: key ?? "")
        return WebPage(title: t(.setUpFolio), visitor: visitor, template: "setup", view: view).response()
    }

    @Sendable func setup(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let visitor = try await auth.visitor(request)
        let t = visitor.language
        let key = form["key"]
        guard try await setupAllowed(key) else { return try await setupForm(request, key: key, error: nil) }
        guard form["password"] == form["password2"] else {
            return try await setupForm(request, key: key, error: t(.passwordsDiffer))
        }
        let admin: User
        do {
            let login = try form.require("login")
            admin = try await folio.createFirstAdministrator(
                login: login, displayName: form["name"].flatMap { $0.isEmpty ? nil : $0 } ?? login,
                password: form["password"] ?? "")
        } catch let error as FolioError {
            return try await setupForm(request, key: key, error: WebErrorMiddleware<Context>.detail(error))
        }
        let (secret, session) = try await folio.startWebSession(for: admin, expiresAt: nil)
        var response = WebPage.redirect("/browse")
        response.setCookie(auth.sessionCookie(secret, expiresAt: session.expiresAt))
        return response
    }

    @Sendable func language(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let visitor = try await auth.visitor(request)
        guard let language = form["lang"].flatMap(Language.init(rawValue:)) else {
            throw FolioError.badRequest("unknown language")
        }
        if let user = visitor.user, let session = visitor.session {
            try auth.checkCSRF(form["csrf"], session: session)
            try await folio.setLanguage(language.rawValue, for: user)
        }
        var response = WebPage.redirect(form.back ?? "/")
        response.setCookie(auth.languageCookie(language))
        return response
    }
}
