import FolioCore
import Hummingbird
import WOPI

/// `/wopi/ecosystem`: CheckEcosystem and GetRootContainer.
struct WOPIEcosystemController<Context: RequestContext>: Sendable {
    let folio: Folio
    let links: WOPILinks

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("ecosystem", use: checkEcosystem)
        group.get("ecosystem/root_container_pointer", use: rootContainer)
        group.post("ecosystem", use: override)
    }

    @Sendable func checkEcosystem(_ request: Request, context: Context) async throws -> Response {
        _ = try await folio.authorizeEcosystem(token: request.accessToken)
        return try JSONResponse.make(CheckEcosystemAnswer())
    }

    @Sendable func rootContainer(_ request: Request, context: Context) async throws -> Response {
        let session = try await folio.authorizeEcosystem(token: request.accessToken)
        guard let root = try await folio.files.folder(id: session.user.rootFolderID) else {
            throw FolioError.notFound("the user has no root folder")
        }
        let url = links.container(root, user: session.user, role: .edit, grant: session.grant)
        return try JSONResponse.make(ContainerPointerAnswer(containerPointer: Pointer(name: root.name, url: url)))
    }

    @Sendable func override(_ request: Request, context: Context) async throws -> Response {
        guard let raw = request.headers[.wopiOverride] else {
            throw FolioError.badRequest("X-WOPI-Override is missing")
        }
        let session = try await folio.authorizeEcosystem(token: request.accessToken)
        guard WOPIOverride(header: raw) == .getWopiSrcWithAccessToken else {
            throw FolioError.notImplemented("X-WOPI-Override \(raw) is not supported on the ecosystem")
        }
        guard let native = try request.utf7Header(.wopiHostNativeFileName), !native.isEmpty else {
            throw FolioError.badRequest("X-WOPI-HostNativeFileName is missing")
        }
        let (file, role) = try await folio.resolveNativeFile(native, session: session)
        return try JSONResponse.make(
            URLAnswer(url: links.file(file, user: session.user, role: role, grant: session.grant)))
    }
}
