import FolioCore

/// Mints the tokened URLs that container and ecosystem answers hand out. Each new token
/// expires with the caller's and carries no more than the role the user holds on its target.
struct WOPILinks: Sendable {
    let folio: Folio
    let urls: WOPIURLs

    func file(_ file: StoredFile, user: User, role: Role, grant: AccessGrant) -> String {
        let token = folio.issueToken(
            .file(file.id), userID: user.id, role: min(role, grant.role), expiresAtMs: grant.expiresAtMs,
            editor: grant.editor)
        return urls.withToken(urls.file(file.id), token.token)
    }

    func container(_ folder: Folder, user: User, role: Role, grant: AccessGrant) -> String {
        let token = folio.issueToken(
            .container(folder.id), userID: user.id, role: min(role, grant.role), expiresAtMs: grant.expiresAtMs,
            editor: grant.editor)
        return urls.withToken(urls.container(folder.id), token.token)
    }

    func ecosystem(user: User, grant: AccessGrant) -> String {
        let token = folio.issueToken(
            .ecosystem, userID: user.id, role: grant.role, expiresAtMs: grant.expiresAtMs, editor: grant.editor)
        return urls.withToken(urls.ecosystem, token.token)
    }

    func ancestors(_ folders: [ReachableFolder], user: User, grant: AccessGrant) -> AncestorsAnswer {
        AncestorsAnswer(
            ancestorsWithRootFirst: folders.map {
                Pointer(name: $0.folder.name, url: container($0.folder, user: user, role: $0.role, grant: grant))
            })
    }
}
