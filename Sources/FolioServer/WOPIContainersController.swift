import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// `/wopi/containers/{id}` (folders) and the file endpoints that point into the folder tree.
struct WOPIContainersController<Context: RequestContext>: Sendable {
    let folio: Folio
    let links: WOPILinks
    let pages: HostPageLinks

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("containers/{id}", use: checkContainerInfo)
        group.get("containers/{id}/ancestry", use: containerAncestry)
        group.get("containers/{id}/children", use: children)
        group.get("containers/{id}/ecosystem_pointer", use: containerEcosystemPointer)
        group.post("containers/{id}", use: override)
        group.get("files/{id}/ancestry", use: fileAncestry)
        group.get("files/{id}/ecosystem_pointer", use: fileEcosystemPointer)
    }

    func session(_ request: Request, _ context: Context) async throws -> ContainerSession {
        try await folio.authorizeContainer(token: request.accessToken, folderID: try context.parameters.require("id"))
    }

    func fileSession(_ request: Request, _ context: Context) async throws -> FileSession {
        try await folio.authorizeFile(token: request.accessToken, fileID: try context.parameters.require("id"))
    }

    @Sendable func checkContainerInfo(_ request: Request, context: Context) async throws -> Response {
        let session = try await session(request, context)
        let abilities = folio.abilities(session)
        var answer = CheckContainerInfoAnswer(
            name: session.folder.name, userCanCreateChildContainer: abilities.canCreateChildren,
            userCanCreateChildFile: abilities.canCreateChildren, userCanDelete: abilities.canDelete,
            userCanRename: abilities.canRename)
        if session.role == .edit, !session.user.isGuest { answer.supportedShareUrlTypes = ShareURLAnswer.types }
        return try JSONResponse.make(answer)
    }

    @Sendable func containerAncestry(_ request: Request, context: Context) async throws -> Response {
        let session = try await session(request, context)
        let folders = try await folio.ancestors(ofFolder: session.folder.id, including: false, user: session.user)
        return try JSONResponse.make(links.ancestors(folders, user: session.user, grant: session.grant))
    }

    @Sendable func fileAncestry(_ request: Request, context: Context) async throws -> Response {
        let session = try await fileSession(request, context)
        let folders = try await folio.ancestors(ofFolder: session.file.folderID, including: true, user: session.user)
        return try JSONResponse.make(links.ancestors(folders, user: session.user, grant: session.grant))
    }

    @Sendable func children(_ request: Request, context: Context) async throws -> Response {
        let session = try await session(request, context)
        let filter = request.headers[.wopiFileExtensionFilterList].map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        let (folders, files) = try await folio.children(session, extensions: filter)
        var childFiles: [ChildrenAnswer.ChildFile] = []
        for file in files {
            // Each child's token carries the role the user holds on that file.
            guard let access = try await folio.files.access(fileID: file.id, userID: session.user.id),
                let role = access.role
            else { continue }
            childFiles.append(
                .init(
                    name: file.name, url: links.file(file, user: session.user, role: role, grant: session.grant),
                    version: String(file.version), size: file.size,
                    lastModifiedTime: WOPITime.format(microseconds: file.modifiedAt)))
        }
        let containers = folders.map {
            Pointer(
                name: $0.name, url: links.container($0, user: session.user, role: session.role, grant: session.grant))
        }
        return try JSONResponse.make(ChildrenAnswer(childFiles: childFiles, childContainers: containers))
    }

    @Sendable func containerEcosystemPointer(_ request: Request, context: Context) async throws -> Response {
        let session = try await session(request, context)
        return try JSONResponse.make(URLAnswer(url: links.ecosystem(user: session.user, grant: session.grant)))
    }

    @Sendable func fileEcosystemPointer(_ request: Request, context: Context) async throws -> Response {
        let session = try await fileSession(request, context)
        return try JSONResponse.make(URLAnswer(url: links.ecosystem(user: session.user, grant: session.grant)))
    }

    @Sendable func override(_ request: Request, context: Context) async throws -> Response {
        guard let raw = request.headers[.wopiOverride] else {
            throw FolioError.badRequest("X-WOPI-Override is missing")
        }
        let session = try await session(request, context)
        switch WOPIOverride(header: raw) {
        case .createChildContainer:
            let folder = try await folio.createChildContainer(session, target: try WOPITarget.parse(request))
            let url = links.container(folder, user: session.user, role: session.role, grant: session.grant)
            return try JSONResponse.make(ContainerPointerAnswer(containerPointer: Pointer(name: folder.name, url: url)))
        case .createChildFile:
            let file = try await folio.createChildFile(session, target: try WOPITarget.parse(request))
            let url = links.file(file, user: session.user, role: .edit, grant: session.grant)
            return try JSONResponse.make(
                NewFileAnswer(
                    file: file, user: session.user, url: url, expiresAtMs: session.grant.expiresAtMs,
                    pages: pages))
        case .deleteContainer:
            try await folio.deleteContainer(session)
            return Response(status: .ok)
        case .renameContainer:
            guard let requested = try request.utf7Header(.wopiRequestedName) else {
                throw FolioError.invalidName("X-WOPI-RequestedName is missing")
            }
            let folder = try await folio.renameContainer(session, requested: requested)
            return try JSONResponse.make(NameAnswer(name: folder.name))
        case .getShareURL:
            return try await ShareURLAnswer.make(
                request, resourceID: session.folder.id, user: session.user, folio: folio, urls: pages.urls)
        default:
            throw FolioError.notImplemented("X-WOPI-Override \(raw) is not supported on containers")
        }
    }
}
