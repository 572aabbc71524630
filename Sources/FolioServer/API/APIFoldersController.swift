import FolioCore
import Foundation
import Hummingbird

/// `/api/v1/users`, `/api/v1/folders` and grants on files and folders.
struct APIFoldersController<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: APIAuth

    func addRoutes(to group: RouterGroup<Context>) {
        group.put("users/{externalId}", use: putUser)
        group.get("users/{externalId}", use: getUser)
        group.post("folders", use: createFolder)
        group.get("folders/{id}", use: folder)
        group.patch("folders/{id}", use: updateFolder)
        group.delete("folders/{id}", use: deleteFolder)
        group.get("folders/{id}/children", use: children)
        for kind in ["files", "folders"] {
            group.put("\(kind)/{id}/grants/{externalId}", use: grant)
            group.delete("\(kind)/{id}/grants/{externalId}", use: revoke)
        }
    }

    @Sendable func putUser(_ request: Request, context: Context) async throws -> UserJSON {
        _ = try await auth.require(.users, request)
        let body = try await request.json(UserBody.self)
        return UserJSON(
            try await folio.upsertExternalUser(
                externalID: try context.externalID(), displayName: body.displayName))
    }

    @Sendable func getUser(_ request: Request, context: Context) async throws -> UserJSON {
        _ = try await auth.require(.read, request)
        return UserJSON(try await folio.requireExternalUser(try context.externalID()))
    }

    @Sendable func createFolder(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        let body = try await request.json(FolderBody.self)
        let folder = try await folio.appCreateFolder(named: body.name, in: body.parentId)
        return try FolderJSON(folder).response(from: request, context: context).with(status: .created)
    }

    @Sendable func folder(_ request: Request, context: Context) async throws -> FolderJSON {
        _ = try await auth.require(.read, request)
        return FolderJSON(try await folio.requireFolder(try context.parameters.require("id")))
    }

    @Sendable func updateFolder(_ request: Request, context: Context) async throws -> FolderJSON {
        _ = try await auth.require(.write, request)
        let body = try await request.json(UpdateBody.self)
        return FolderJSON(
            try await folio.appUpdateFolder(
                try context.parameters.require("id"), name: body.name, parentID: body.parentId ?? body.folderId))
    }

    @Sendable func deleteFolder(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        try await folio.appDeleteFolder(try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    @Sendable func children(_ request: Request, context: Context) async throws -> ChildrenJSON {
        _ = try await auth.require(.read, request)
        let folder = try await folio.requireFolder(try context.parameters.require("id"))
        let offset = try Self.integer(request, "offset") ?? 0
        let limit = try Self.integer(request, "limit") ?? 100
        guard offset >= 0, (1...1000).contains(limit) else {
            throw APIProblem.badBody("offset must be 0 or more and limit 1 to 1000")
        }
        let page = try await folio.browsing.listFolder(
            id: folder.id, order: .name, descending: false, nameContains: nil, offset: offset, limit: limit,
            now: folio.now())
        return ChildrenJSON(
            items: page.items.map {
                ItemJSON(
                    kind: $0.kind.rawValue, id: $0.id, name: $0.name, size: $0.size,
                    version: $0.kind == .file ? $0.version : nil, modifiedAt: APITime.format($0.modifiedAt))
            }, total: page.total)
    }

    /// A whole-number query parameter given at most once; 400 for anything else.
    static func integer(_ request: Request, _ name: String) throws -> Int? {
        let values = request.uri.queryParameters[values: Substring(name)]
        guard let raw = values.first else { return nil }
        guard values.count == 1, let value = Int(String(raw)) else {
            throw APIProblem.badBody("\(name) must be given once, as a whole number")
        }
        return value
    }

    @Sendable func grant(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        let body = try await request.json(GrantBody.self)
        guard let role = Role(name: body.role) else { throw APIProblem.badBody("role is view, comment or edit") }
        let user = try await folio.requireExternalUser(try context.externalID())
        try await folio.appGrant(try context.parameters.require("id"), to: user, role: role)
        return Response(status: .noContent)
    }

    @Sendable func revoke(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        let user = try await folio.requireExternalUser(try context.externalID())
        try await folio.appGrant(try context.parameters.require("id"), to: user, role: nil)
        return Response(status: .noContent)
    }
}

extension RequestContext {
    /// The `{externalId}` path parameter, percent-decoded (ids may hold any character).
    func externalID() throws -> String {
        let raw = try parameters.require("externalId")
        guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
            throw APIProblem.badBody("the external id is not valid percent-encoding")
        }
        return decoded
    }
}
