import FolioCore
import Hummingbird

/// The API key a request carries (`Authorization: Bearer folio_…`), checked for a scope.
struct APIAuth: Sendable {
    let folio: Folio

    func require(_ scope: APIScope, _ request: Request) async throws -> APIKey {
        let key = try await folio.authenticateAPIKey(Request.bearerToken(request.headers[.authorization]))
        guard key.scopes.contains(scope) else {
            throw APIProblem(
                status: .forbidden, code: "missing_scope", message: "this API key lacks the \(scope.rawValue) scope")
        }
        return key
    }
}
