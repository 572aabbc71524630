import FolioCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1`: the application API, with JSON errors, and its OpenAPI description.
enum APIRouter {
    static func addRoutes(to router: Router<FolioRequestContext>, parts: ServerParts) {
        let folio = parts.folio
        let auth = APIAuth(folio: folio)
        let api = router.group("api/v1").add(middleware: APIErrorMiddleware())
        let description =
            Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "static")
            .flatMap { try? Data(contentsOf: $0) } ?? Data("{}".utf8)
        api.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: description)))
        }
        APIFoldersController(folio: folio, auth: auth).addRoutes(to: api)
        APIFilesController(folio: folio, auth: auth).addRoutes(to: api)
        APISessionsController(
            folio: folio, auth: auth, chooser: EditorChooser(registry: parts.editors), urls: parts.wopiURLs,
            pages: parts.pages,
            onlyOffice: parts.configuration.onlyOfficeNative.map {
                OnlyOfficeConfigBuilder(
                    folio: folio, jwt: OnlyOfficeJWT(secret: $0.secret), urls: parts.wopiURLs,
                    policy: parts.configuration.policy)
            }
        ).addRoutes(to: api)
        APIWebhooksController(folio: folio, auth: auth).addRoutes(to: api)
        APIPreviewsController(folio: folio, auth: auth, previews: parts.previews, missing: parts.previewsMissing)
            .addRoutes(to: api)
        // Everything else under /api/v1 answers in the API's JSON (the router's own "not
        // found" passes through router-level middleware only).
        router.add(middleware: APIFallbackMiddleware(routes: DescribedRoutes(description: description)))
    }
}

/// The paths and methods of the OpenAPI description, to tell a wrong method from a wrong path.
struct DescribedRoutes: Sendable {
    let routes: [(pattern: [String], methods: [String])]

    init(description: Data) {
        let document = (try? JSONSerialization.jsonObject(with: description)) as? [String: Any]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let verbs = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        routes = paths.map { path, operations in
            (
                path.split(separator: "/").map(String.init),
                verbs.filter { operations[$0] != nil }.map { $0.uppercased() }
            )
        }
    }

    /// The methods the path allows, or nil when no described path matches it.
    func methods(for path: String) -> [String]? {
        let parts = path.split(separator: "/").map(String.init)
        for route in routes where route.pattern.count == parts.count {
            let matches = zip(route.pattern, parts).allSatisfy { pattern, part in
                pattern.hasPrefix("{") || pattern == part
            }
            if matches { return route.methods }
        }
        return nil
    }
}

/// Unknown paths and methods under /api/v1: 405 with `Allow` for a described path, else 404,
/// both in the API's JSON error shape.
struct APIFallbackMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: DescribedRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/v1") {
            guard let allowed = routes.methods(for: request.uri.path) else {
                return APIErrorMiddleware<Context>.response(.notFound, code: "not_found", message: "no such route")
            }
            var response = APIErrorMiddleware<Context>.response(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))")
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
