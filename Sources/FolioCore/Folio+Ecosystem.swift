import WOPI

extension Folio {
    /// GetFileWopiSrc: resolves a host-native file identifier, a file id or a path below the
    /// user's root folder ("Reports/2026/q1.xlsx"), to a file the user can reach.
    public func resolveNativeFile(_ identifier: String, session: EcosystemSession) async throws -> (StoredFile, Role) {
        if Identifier.isValid(identifier),
            let access = try await files.access(fileID: identifier, userID: session.user.id),
            let role = access.role
        {
            return (access.file, role)
        }
        var folderID = session.user.rootFolderID
        let parts = identifier.split(separator: "/").map(String.init)
        guard let last = parts.last else { throw FolioError.notFound("no such file") }
        for part in parts.dropLast() {
            let children = try await files.children(ofFolder: folderID)
            guard let next = children.folders.first(where: { $0.name.lowercased() == part.lowercased() }) else {
                throw FolioError.notFound("no such file")
            }
            folderID = next.id
        }
        let children = try await files.children(ofFolder: folderID)
        guard let file = children.files.first(where: { $0.name.lowercased() == last.lowercased() }),
            let role = try await files.access(fileID: file.id, userID: session.user.id)?.role
        else { throw FolioError.notFound("no such file") }
        return (file, role)
    }
}
