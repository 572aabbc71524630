import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// `/wopi/files/{id}`: CheckFileInfo, GetFile, PutFile and the `X-WOPI-Override` operations.
struct WOPIFilesController<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let urls: WOPIURLs
    let fileInfo: CheckFileInfoBuilder

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("files/{id}", use: checkFileInfo)
        group.get("files/{id}/contents", use: getFile)
        group.post("files/{id}/contents", use: putFile)
        group.post("files/{id}", use: override)
    }

    func session(_ request: Request, _ context: Context) async throws -> FileSession {
        let id = try context.parameters.require("id")
        return try await folio.authorizeFile(token: request.accessToken, fileID: id)
    }

    @Sendable func checkFileInfo(_ request: Request, context: Context) async throws -> Response {
        JSONResponse.make(bytes: fileInfo.build(try await folio.refreshed(try await session(request, context))).json())
    }

    @Sendable func getFile(_ request: Request, context: Context) async throws -> Response {
        let session = try await folio.refreshed(try await session(request, context))
        let file = session.file
        if let max = try request.integerHeader(.wopiMaxExpectedSize), file.size > max {
            throw FolioError.preconditionFailed(
                "the file is \(file.size) bytes, more than X-WOPI-MaxExpectedSize \(max)")
        }
        var headers = HTTPFields()
        headers[.wopiItemVersion] = String(file.version)
        return try await ContentResponse.make(file, folio: folio, headers: headers, on: context.eventLoop)
    }

    @Sendable func putFile(_ request: Request, context: Context) async throws -> Response {
        guard let raw = request.headers[.wopiOverride] else {
            throw FolioError.badRequest("PutFile needs X-WOPI-Override: PUT")
        }
        guard WOPIOverride(header: raw) == .put else {
            throw FolioError.notImplemented("\(raw) is not an operation on file contents")
        }
        let (session, basis) = try await folio.authorizeSave(
            token: request.accessToken, fileID: try context.parameters.require("id"))
        let size = try request.contentLength()
        try checkLimit(size)
        let conditions = WriteConditions(
            lock: .wopi(request.headers[.wopiLock]), unmodifiedSince: try timestamp(request))
        let saved: StoredFile
        do {
            saved = try await folio.saveContent(
                request.body, expectedSize: size, session: session, conditions: conditions, source: .wopi,
                flags: try saveFlags(request), editors: editors(request), basis: basis)
        } catch let error as FolioError where error.isConflict {
            // Every 409 to PutFile names the current lock (empty when there is none), the
            // timestamp conflict and a save kept as a space's conflict copy included.
            var answer = WOPIErrorMiddleware<Context>.response(for: error, logger: context.logger)
            if answer.headers[.wopiLock] == nil {
                let current = try? await folio.files.currentLock(fileID: session.file.id, now: folio.now())
                answer.headers[.wopiLock] = current?.id ?? ""
            }
            return answer
        }
        var headers = HTTPFields()
        headers[.wopiItemVersion] = String(saved.version)
        // Written straight to bytes, like CheckFileInfo: JSONEncoder for this one field was
        // 1 % of a save's CPU time.
        var body = JSONWriter()
        body.add("LastModifiedTime", WOPITime.format(microseconds: saved.modifiedAt))
        return JSONResponse.make(bytes: body.finished(), headers: headers)
    }

    @Sendable func override(_ request: Request, context: Context) async throws -> Response {
        guard let raw = request.headers[.wopiOverride] else {
            throw FolioError.badRequest("X-WOPI-Override is missing")
        }
        guard let operation = WOPIOverride(header: raw) else {
            throw FolioError.notImplemented("X-WOPI-Override \(raw) is not supported")
        }
        let session = try await session(request, context)
        let overrides = WOPIFileOverrides(folio: folio, urls: urls, pages: fileInfo.pages)
        switch operation {
        case .lock:
            if request.headers[.wopiOldLock] != nil {
                return try await overrides.unlockAndRelock(request, session)
            }
            return try await overrides.lock(request, session)
        case .getLock: return try await overrides.getLock(session)
        case .refreshLock: return try await overrides.refreshLock(request, session)
        case .unlock: return try await overrides.unlock(request, session)
        case .putRelative:
            try checkLimit(try request.integerHeader(.wopiSize) ?? request.contentLength())
            return try await overrides.putRelative(request, session)
        case .renameFile: return try await overrides.rename(request, session)
        case .delete: return try await overrides.delete(session)
        case .putUserInfo: return try await overrides.putUserInfo(request, session)
        case .getShareURL: return try await overrides.getShareUrl(request, session)
        default: throw FolioError.notImplemented("X-WOPI-Override \(raw) is not supported on files")
        }
    }

    /// Refuses a declared size over the limit before reading any of the body.
    func checkLimit(_ size: Int64?) throws {
        if let size, size > folio.settings.maxUploadBytes {
            throw FolioError.tooLarge(limit: folio.settings.maxUploadBytes)
        }
    }

    /// Collabora's `X-COOL-WOPI-Timestamp`, or ONLYOFFICE's `X-LOOL-WOPI-Timestamp`.
    func timestamp(_ request: Request) throws -> Int64? {
        guard let raw = request.headers[.coolTimestamp] ?? request.headers[.loolTimestamp] else { return nil }
        guard let time = WOPITime.parse(raw) else {
            throw FolioError.badRequest("the WOPI timestamp \"\(raw)\" is not an ISO 8601 time")
        }
        return time
    }

    func saveFlags(_ request: Request) throws -> SaveFlags {
        SaveFlags(
            isAutosave: try request.booleanHeader(.coolAutosave) ?? request.booleanHeader(.loolAutosave),
            isExitSave: try request.booleanHeader(.coolExitSave) ?? request.booleanHeader(.loolExitSave),
            isModifiedByUser: try request.booleanHeader(.coolModifiedByUser)
                ?? request.booleanHeader(.loolModifiedByUser))
    }

    func editors(_ request: Request) -> [String] {
        guard let raw = request.headers[.wopiEditors] else { return [] }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
