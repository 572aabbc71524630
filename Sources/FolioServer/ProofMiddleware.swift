import FolioCore
import Hummingbird

/// Runs `ProofChecker` for every WOPI request whose token is bound to an editor.
struct ProofMiddleware<Context: RequestContext>: RouterMiddleware {
    let checker: ProofChecker
    let signer: TokenSigner

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let token = request.accessToken, let grant = signer.verify(token), let editor = grant.editor {
            try await checker.check(request, token: token, editor: editor)
        }
        return try await next(request, context)
    }
}
