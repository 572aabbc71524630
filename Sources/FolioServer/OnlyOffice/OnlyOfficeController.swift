import AsyncHTTPClient
import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WOPI

/// ONLYOFFICE's own API (PROTOCOL.md §D.1, §E.4): the signed editor configuration and page,
/// the callback that saves, forcesave and rename through the command service, Save As, and
/// going on after a conflict.
struct OnlyOfficeController<Context: RequestContext>: Sendable {
    let folio: Folio
    let native: OnlyOfficeNative
    let jwt: OnlyOfficeJWT
    let downloader: OnlyOfficeDownloader
    let urls: WOPIURLs
    let auth: WebAuth
    let policy: EditorPolicy
    let logger: Logger

    func addRoutes(to router: Router<Context>) {
        let office = router.group("office")
        office.post("callback", use: callback)
        let pages = office.add(middleware: WebErrorMiddleware(auth: auth))
        pages.get("{id}/open", use: open)
        pages.get("{id}/edit", use: page)
        pages.post("{id}/forcesave", use: forcesave)
        pages.post("{id}/rename", use: rename)
        pages.post("{id}/saveas", use: saveAs)
        pages.post("keys/{key}", use: goOn)
    }

    // MARK: Who asks

    /// Forms and scripts of the page carry the CSRF token of a signed-in caller.
    func checkCSRF(_ request: Request, _ caller: (session: FileSession, visitor: WebVisitor?), given: String?) throws {
        if let session = caller.visitor?.session { try auth.checkCSRF(given, session: session) }
    }

    var configs: OnlyOfficeConfigBuilder {
        OnlyOfficeConfigBuilder(folio: folio, jwt: jwt, urls: urls, policy: policy)
    }

    func config(for session: FileSession, language: String) async throws -> DocsConfig {
        try await configs.config(for: session, language: language)
    }

    @Sendable func open(_ request: Request, context: Context) async throws -> Response {
        let caller = try await auth.fileOpener(request, fileID: try context.parameters.require("id"))
        let config = try await config(for: caller.session, language: caller.visitor?.language.rawValue ?? "en")
        return try JSONResponse.make(config)
    }

    /// The page that runs ONLYOFFICE's editor for the file.
    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let caller = try await auth.fileOpener(request, fileID: try context.parameters.require("id"))
        let config = try await config(for: caller.session, language: caller.visitor?.language.rawValue ?? "en")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(config), as: UTF8.self).replacingOccurrences(
            of: "<", with: "\\u003c")
        // A page opened with a ticket sends it along with its own requests.
        let page = OnlyOfficePage(
            language: caller.visitor?.language.rawValue ?? "en", fileName: caller.session.file.name,
            publicURL: native.publicURL, config: json, fileID: caller.session.file.id,
            query: request.uri.queryParameters["ticket"].map { "?ticket=" + String($0) } ?? "",
            csrf: caller.visitor?.session?.csrfToken ?? "")
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return HTML.response(PageTemplates.render(page, "onlyoffice"), headers: headers)
    }

    // MARK: Callback

    @Sendable func callback(_ request: Request, context: Context) async throws -> Response {
        let raw = try await request.body.collect(upTo: 1 << 20)
        let bodyToken = (try? JSONDecoder().decode(DocsTokenEnvelope.self, from: Data(buffer: raw)))?.token
        let callback: DocsCallback
        do {
            callback = try await jwt.callback(authorization: request.headers[.authorization], bodyToken: bodyToken)
        } catch {
            logger.warning("refused an ONLYOFFICE callback without a valid signature", metadata: ["error": "\(error)"])
            return try JSONResponse.make(["error": 1], status: .forbidden)
        }
        let users = callback.users ?? []
        do {
            switch callback.status {
            case 1:
                try await folio.officeEditors(key: callback.key, users: users, closed: false)
            case 4:
                try await folio.officeEditors(key: callback.key, users: [], closed: true)
            case 2, 6:
                guard let url = callback.url else { throw FolioError.badRequest("a save callback without url") }
                let result = try await downloader.download(url) { body, size in
                    try await folio.officeSave(
                        body, expectedSize: size, key: callback.key, users: users, final: callback.status == 2,
                        flags: callback.saveFlags)
                }
                logger.info(
                    "ONLYOFFICE save stored",
                    metadata: ["key": "\(callback.key)", "status": "\(callback.status)", "result": "\(result)"])
            case 3, 7:
                logger.error(
                    "ONLYOFFICE reported a save error; the stored file is kept",
                    metadata: ["key": "\(callback.key)", "status": "\(callback.status)"])
            default:
                logger.info("ONLYOFFICE callback ignored", metadata: ["status": "\(callback.status)"])
            }
        } catch {
            logger.error(
                "ONLYOFFICE callback not handled",
                metadata: ["key": "\(callback.key)", "status": "\(callback.status)", "error": "\(error)"])
            return try JSONResponse.make(["error": 1])
        }
        return try JSONResponse.make(["error": 0])
    }

    // MARK: Commands, rename, Save As, conflicts

    func command(_ command: DocsCommand) async throws {
        let token = try await jwt.sign(command)
        var request = HTTPClientRequest(url: (native.internalURL ?? native.publicURL) + "/command")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(["token": token])))
        let response = try await downloader.client.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 64 * 1024)
        let answer = try? JSONDecoder().decode(DocsCommandAnswer.self, from: Data(buffer: body))
        guard response.status == .ok, let answer else {
            throw FolioError.storage("the command service answered \(response.status.code)")
        }
        // 4: nothing changed since the last save, which is fine for a forcesave.
        guard answer.error == 0 || (command.c == "forcesave" && answer.error == 4) else {
            throw FolioError.conflict("the document server refused \(command.c) (error \(answer.error))")
        }
    }

    func liveKey(_ file: StoredFile) async throws -> OfficeKey {
        try await folio.officeKeys.officeKey(fileID: file.id, version: file.version, now: folio.now())
    }

    @Sendable func forcesave(_ request: Request, context: Context) async throws -> Response {
        let caller = try await auth.fileOpener(request, fileID: try context.parameters.require("id"))
        try checkCSRF(request, caller, given: request.headers[HTTPField.Name("X-CSRF-Token")!])
        guard caller.session.canWrite else { throw FolioError.forbidden("you may not save this file") }
        let key = try await liveKey(caller.session.file)
        try await command(DocsCommand(c: "forcesave", key: key.key, meta: nil, userdata: caller.session.user.id))
        return try JSONResponse.make(["error": 0])
    }

    @Sendable func rename(_ request: Request, context: Context) async throws -> Response {
        let caller = try await auth.fileOpener(request, fileID: try context.parameters.require("id"))
        try checkCSRF(request, caller, given: request.headers[HTTPField.Name("X-CSRF-Token")!])
        let body = try JSONDecoder().decode(
            DocsRenameBody.self, from: Data(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let renamed = try await folio.rename(session: caller.session, requestedBase: body.name, lock: nil)
        let key = try await liveKey(renamed)
        try await command(DocsCommand(c: "meta", key: key.key, meta: ["title": renamed.name], userdata: nil))
        return try JSONResponse.make(["name": renamed.name])
    }

    @Sendable func saveAs(_ request: Request, context: Context) async throws -> Response {
        let caller = try await auth.fileOpener(request, fileID: try context.parameters.require("id"))
        try checkCSRF(request, caller, given: request.headers[HTTPField.Name("X-CSRF-Token")!])
        let body = try JSONDecoder().decode(
            DocsSaveAsBody.self, from: Data(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let session = caller.session
        // A copy is an export: refused where the policy hides export for the role.
        guard !policy.hideExport.contains(session.role) else {
            throw FolioError.forbidden("saving a copy is not allowed for your role")
        }
        var name = body.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !name.hasPrefix(".") else { throw FolioError.invalidName("a copy needs a name") }
        if let type = body.fileType, !name.lowercased().hasSuffix("." + type.lowercased()) { name += "." + type }
        let folderRole = try await folio.files.role(userID: session.user.id, folderID: session.file.folderID)
        let folderID = folderRole == .edit ? session.file.folderID : session.user.rootFolderID
        let file = try await downloader.download(body.url) { stream, size in
            try await folio.createFile(
                stream, expectedSize: size, name: name, folderID: folderID, owner: session.user, source: .onlyoffice,
                uniqueName: true)
        }
        return try JSONResponse.make(["id": file.id, "name": file.name], status: .created)
    }

    /// After a conflict: the user goes on with their own version, the copy, in a new session.
    @Sendable func goOn(_ request: Request, context: Context) async throws -> Response {
        guard let record = try await folio.officeKeys.officeKey(try context.parameters.require("key")),
            let copyID = record.conflictFileID
        else { throw FolioError.notFound("no conflict for this key") }
        let caller = try await auth.fileOpener(request, fileID: copyID)
        try checkCSRF(request, caller, given: request.headers[HTTPField.Name("X-CSRF-Token")!])
        return try JSONResponse.make(
            try await config(for: caller.session, language: caller.visitor?.language.rawValue ?? "en"))
    }
}

struct DocsTokenEnvelope: Decodable { var token: String? }
struct DocsCommandAnswer: Decodable { var error: Int }
struct DocsRenameBody: Decodable { var name: String }
/// `onRequestSaveAs`'s data.
struct DocsSaveAsBody: Decodable {
    var url: String
    var title: String
    var fileType: String?
}
