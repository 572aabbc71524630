import FolioCore

/// Links into Folio's own pages for a file, each with a host-page ticket (never a WOPI token)
/// that expires with the session that asked for it.
struct HostPageLinks: Sendable {
    let folio: Folio
    let urls: WOPIURLs

    func page(_ action: String, file: StoredFile, user: User, role: Role, expiresAtMs: Int64?) -> String {
        let ticket = folio.issueToken(.page(file.id), userID: user.id, role: role, expiresAtMs: expiresAtMs).token
        return urls.base + "/files/\(file.id)/\(action)?ticket=\(ticket)"
    }

    func closed(_ file: StoredFile) -> String { urls.base + "/files/\(file.id)/closed" }
}
