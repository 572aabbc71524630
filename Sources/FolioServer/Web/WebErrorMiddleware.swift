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
            let back = (href: "/browse", label: t("Back to the folder"))
            switch error {
            case is WebFormExpired:
                return WebPage.message(
                    t("The form expired; please try again."), visitor: visitor, status: .forbidden, link: back)
            case let error as FolioError:
                let (status, title): (HTTPResponse.Status, String) =
                    switch error {
                    case .notFound: (.notFound, t("Not found."))
                    case .unauthorized: (.unauthorized, t("You have no access to this."))
                    case .forbidden: (.forbidden, t("You have no access to this."))
                    case .lockConflict, .conflict, .nameTaken, .modifiedSince: (.conflict, t("Something went wrong."))
                    case .badRequest, .invalidName, .truncated: (.badRequest, t("Something went wrong."))
                    case .tooLarge: (.contentTooLarge, t("Something went wrong."))
                    case .preconditionFailed: (.preconditionFailed, t("Something went wrong."))
                    case .notImplemented: (.notImplemented, t("Something went wrong."))
                    case .proofFailed, .storage: (.internalServerError, t("Something went wrong."))
                    }
                if status == .internalServerError {
                    context.logger.error("web request failed", metadata: ["error": "\(error)"])
                }
                return WebPage.message(title, detail: Self.detail(error), visitor: visitor, status: status, link: back)
            case let error as any HTTPResponseError:
                throw error
            default:
                context.logger.error("web request failed", metadata: ["error": "\(error)"])
                return WebPage.message(
                    t("Something went wrong."), visitor: visitor, status: .internalServerError, link: back)
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
