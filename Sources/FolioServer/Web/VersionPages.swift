import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// A file's versions: when, by whom, how big and from where; download any, restore any as a
/// new version (nothing is ever deleted by a restore).
struct VersionPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("files/{id}/versions", use: page)
        router.get("files/{id}/versions/{number}/download", use: download)
        router.post("files/{id}/versions/{number}/restore", use: restore)
    }

    static func sourceLabel(_ version: Version) -> String {
        switch version.source {
        case .upload: "upload"
        case .restore: "restore"
        case .wopi, .onlyoffice: version.flags.isAutosave == true ? "autosave" : "editor save"
        }
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let e = HTMLText.escape
        let file = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        let versions = try await folio.files.versions(fileID: file.file.id).reversed()
        var authors: [String: String] = [:]
        for id in Set(versions.map(\.authorID)) {
            authors[id] = try await folio.accounts.user(id: id)?.displayName ?? id
        }
        let csrf = WebPage.csrfField(session)
        var html = """
            <nav class="crumbs"><ol><li><a href="/browse/\(file.file.folderID)">\(e(t("Back to the folder")))</a></li></ol></nav>
            <h1>\(e(t("Versions"))): \(e(file.file.name))</h1>
            <table class="listing versions"><thead><tr><th scope="col">\(e(t("Version")))</th><th scope="col">\(e(t("Time")))</th>\
            <th scope="col">\(e(t("Author")))</th><th scope="col">\(e(t("Size")))</th><th scope="col">\(e(t("Source")))</th>\
            <th scope="col">\(e(t("Actions")))</th></tr></thead><tbody>
            """
        for version in versions {
            let current = version.number == file.file.version
            var actions =
                "<a class=\"button\" href=\"/files/\(file.file.id)/versions/\(version.number)/download\">\(e(t("Download")))</a>"
            if !current, file.canWrite {
                actions += """
                    <form method="post" action="/files/\(file.file.id)/versions/\(version.number)/restore" class="inline">\(csrf)\
                    <button type="submit">\(e(t("Restore this version")))</button></form>
                    """
            }
            html += """
                <tr data-version="\(version.number)"><td>\(version.number)\(current ? " <span class=\"badge\">\(e(t("current")))</span>" : "")</td>\
                <td class="time">\(WebFormat.time(version.createdAt, t))</td><td>\(e(authors[version.authorID] ?? ""))</td>\
                <td class="size">\(WebFormat.size(version.size, t))</td><td class="source">\(e(t(Self.sourceLabel(version))))</td>\
                <td class="actions"><div class="actions">\(actions)</div></td></tr>
                """
        }
        html += "</tbody></table>"
        return WebPage(title: t("Versions"), visitor: visitor, content: html).response()
    }

    func version(_ context: Context, user: User) async throws -> (FileSession, Version) {
        let file = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        guard let number = Int64(try context.parameters.require("number")),
            let version = try await folio.files.versions(fileID: file.file.id).first(where: { $0.number == number })
        else { throw FolioError.notFound("no such version") }
        return (file, version)
    }

    @Sendable func download(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.visitor(request).requireUser()
        let (file, version) = try await version(context, user: user)
        let (base, ext) = FileName.splitExtension(file.file.name)
        var headers = HTTPFields()
        headers[.contentDisposition] =
            "attachment; filename*=UTF-8''" + ActionURL.percentEncode("\(base) (v\(version.number))\(ext)")
        return ContentResponse.make(size: version.size, headers: headers) { try await folio.readVersion(version, $0) }
    }

    @Sendable func restore(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        let (file, version) = try await version(context, user: user)
        _ = try await folio.restoreVersion(version.number, session: file)
        return WebPage.redirect("/files/\(file.file.id)/versions")
    }
}
