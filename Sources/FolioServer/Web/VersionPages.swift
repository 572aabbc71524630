import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// A file's versions: when, by whom, how big and from where; download any, restore any as a
/// new version (nothing is ever deleted by a restore).
struct VersionPages<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    /// Whether previews work on this server (a thumbnail beside each version).
    var previews = false

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("files/{id}/versions", use: page)
        router.get("files/{id}/versions/{number}/download", use: download)
        router.post("files/{id}/versions/{number}/restore", use: restore)
        router.post("files/{id}/lock/break", use: breakLock)
    }

    static func sourceLabel(_ version: Version) -> Text {
        switch version.source {
        case .upload: .sourceUpload
        case .restore: .sourceRestore
        case .outside: .sourceOutside
        case .wopi, .onlyoffice: version.flags.isAutosave == true ? .autosave : .editorSave
        }
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let file = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        let versions = try await folio.files.versions(fileID: file.file.id)
        let ext = String(FileName.splitExtension(file.file.name).ext.dropFirst()).lowercased()
        let drawn = previews && PreviewService.previewable.contains(ext) && !folio.isSpaceFile(file.file)
        var authors: [String: String] = [:]
        for id in Set(versions.map(\.authorID)) {
            authors[id] = try await folio.accounts.user(id: id)?.displayName ?? id
        }
        let entries = VersionsView.entries(versions) { version in
            let current = version.number == file.file.version
            return VersionsView.Row(
                number: version.number, current: current, time: WebFormat.time(version.createdAt, t),
                author: authors[version.authorID] ?? "", size: WebFormat.size(version.size, t),
                source: t(Self.sourceLabel(version)), canRestore: !current && file.canWrite && version.hasContent,
                hasContent: version.hasContent, thumbnail: drawn && version.hasContent && version.size > 0)
        }
        // Who holds the lock, since when and through which editor; its owner may break it.
        let lock = try await folio.locksInForce(fileID: file.file.id).first.map { lock in
            VersionsView.Lock(
                holder: lock.holder,
                editor: lock.editor.flatMap(EditorKind.init(rawValue:))?.displayName ?? lock.editor,
                since: lock.takenAt.map { WebFormat.time($0, t) }, until: WebFormat.time(lock.expiresAt, t),
                canBreak: folio.mayBreakLock(of: file.file, user: user))
        }
        let view = VersionsView(
            folderHref: try await SpaceLinks.folderHref(of: file.file, folio: folio), fileID: file.file.id,
            fileName: file.file.name, csrf: session.csrfToken, entries: entries, lock: lock)
        return WebPage(title: t(.versions), visitor: visitor, template: "versions", view: view).response()
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
        return ContentResponse.make(
            size: version.size, headers: headers, reader: try await folio.openVersion(version), on: context.eventLoop)
    }

    @Sendable func breakLock(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        let file = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        try await folio.breakLock(fileID: file.file.id, for: user)
        return WebPage.redirect("/files/\(file.file.id)/versions")
    }

    @Sendable func restore(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        let (file, version) = try await version(context, user: user)
        _ = try await folio.restoreVersion(version.number, session: file)
        return WebPage.redirect("/files/\(file.file.id)/versions")
    }
}
