import FolioCore
import WOPI

/// The signed editor configuration for a file session (PROTOCOL.md §D.1): document key, title,
/// download URL, permissions from the role and the editor policy, callback, user, language.
struct OnlyOfficeConfigBuilder: Sendable {
    let folio: Folio
    let jwt: OnlyOfficeJWT
    let urls: WOPIURLs
    let policy: EditorPolicy

    func config(for session: FileSession, language: String) async throws -> DocsConfig {
        let ext = String(FileName.splitExtension(session.file.name).ext.dropFirst()).lowercased()
        guard let type = DocsDocumentType.of(ext) else {
            throw FolioError.notFound("ONLYOFFICE does not open .\(ext) files")
        }
        let key = try await folio.officeKeys.officeKey(
            fileID: session.file.id, version: session.file.version, now: folio.now())
        // The document server fetches the content with a plain read token (no editor binding).
        let read = folio.issueToken(.file(session.file.id), userID: session.user.id, role: .view)
        let role = session.role
        var config = DocsConfig(
            documentType: type,
            document: .init(
                fileType: ext, key: key.key, title: String(session.file.name.prefix(128)),
                url: urls.withToken(urls.file(session.file.id) + "/contents", read.token),
                permissions: .init(
                    edit: role == .edit, comment: role >= .comment, review: role == .edit,
                    download: !policy.hideExport.contains(role), print: !policy.hidePrint.contains(role),
                    copy: !policy.disableCopy.contains(role))),
            editorConfig: .init(
                callbackUrl: urls.base + "/office/callback", mode: role >= .comment ? "edit" : "view",
                lang: language, user: .init(id: session.user.id, name: session.user.displayName),
                customization: .init(forcesave: true)),
            token: nil)
        config.token = try await jwt.sign(config)
        return config
    }

}
