import FolioCore
import Hummingbird
import Logging
import WOPI

/// Turns errors on the web pages into pages: the sign-in page for visitors who are not signed
/// in, and a message with the right status for everything else. Nothing has changed when a
/// page says an action failed: every action is checked before anything is written.
struct WebErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// With it, error pages show the signed-in person's navigation.
    var auth: WebAuth? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch WebRedirect.signIn {
            let target = request.uri.path == "/" ? "" : "?next=" + ActionURL.percentEncode(request.uri.string)
            return WebPage.redirect("/login" + target)
        } catch WebRedirect.to(let location) {
            return WebPage.redirect(location)
        } catch {
            var visitor = WebVisitor(
                user: nil, session: nil,
                language: Language.pick(
                    user: nil, cookie: request.cookies[WebAuth.languageCookie]?.value,
                    acceptLanguage: request.headers[.acceptLanguage]))
            if let auth, let signedIn = try? await auth.visitor(request) { visitor = signedIn }
            let t = visitor.language
            // Within a space, back to the space's start; elsewhere to the user's files.
            let parts = request.uri.path.split(separator: "/")
            let home = parts.first == "spaces" && parts.count > 1 ? "/spaces/\(parts[1])" : "/browse"
            let back = (href: home, label: t(.backToFolder))
            switch error {
            case is WebFormExpired:
                return WebPage.message(
                    t(.formExpired), visitor: visitor, status: .forbidden, link: back)
            case let error as FolioError:
                let (status, title): (HTTPResponse.Status, String) =
                    switch error {
                    case .notFound: (.notFound, t(.notFound))
                    case .unauthorized: (.unauthorized, t(.noAccess))
                    case .forbidden: (.forbidden, t(.noAccess))
                    case .lockConflict, .conflict, .nameTaken, .modifiedSince: (.conflict, t(.somethingWentWrong))
                    case .badRequest, .invalidName, .truncated: (.badRequest, t(.somethingWentWrong))
                    case .tooLarge: (.contentTooLarge, t(.somethingWentWrong))
                    case .preconditionFailed: (.preconditionFailed, t(.somethingWentWrong))
                    case .notImplemented: (.notImplemented, t(.somethingWentWrong))
                    case .proofFailed, .storage: (.internalServerError, t(.somethingWentWrong))
                    case .unavailable: (.serviceUnavailable, t(.tryAgainLater))
                    }
                if status == .internalServerError || status == .serviceUnavailable {
                    context.logger.error("web request failed", metadata: ["error": "\(error)"])
                }
                var page = WebPage.message(
                    title, detail: Self.detail(error), visitor: visitor, status: status, link: back)
                if status == .serviceUnavailable { page.headers[.retryAfter] = FolioError.retryAfterSeconds }
                return page
            case let error as any HTTPResponseError:
                throw error
            default:
                context.logger.error("web request failed", metadata: ["error": "\(error)"])
                return WebPage.message(
                    t(.somethingWentWrong), visitor: visitor, status: .internalServerError, link: back)
            }
        }
    }

    /// What went wrong, in words for people (the error's own text, with lock ids left out).
    static func detail(_ error: FolioError) -> String {
        switch error {
        case .lockConflict: "The file is open in an editor right now. Close it there first."
        case .nameTaken(let suggestion): "That name is taken. \(suggestion) is free."
        default: error.description.prefix(1).uppercased() + error.description.dropFirst() + "."
        }
    }
}
