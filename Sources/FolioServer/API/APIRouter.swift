import FolioCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1`: the application API, with JSON errors, and its OpenAPI description.
enum APIRouter {
    static func addRoutes(to router: Router<BasicRequestContext>, parts: ServerParts) {
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
            folio: folio, auth: auth, chooser: EditorChooser(registry: parts.editors), urls: parts.urls,
            pages: parts.pages,
            onlyOffice: parts.configuration.onlyOfficeNative.map {
                OnlyOfficeConfigBuilder(
                    folio: folio, jwt: OnlyOfficeJWT(secret: $0.secret), urls: parts.urls,
                    policy: parts.configuration.policy)
            }
        ).addRoutes(to: api)
        APIWebhooksController(folio: folio, auth: auth).addRoutes(to: api)
    }
}
