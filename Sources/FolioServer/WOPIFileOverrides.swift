import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// The `POST /wopi/files/{id}` operations, one method each.
struct WOPIFileOverrides: Sendable {
    let folio: Folio
    let urls: WOPIURLs
    let pages: HostPageLinks

    // MARK: Sharing

    /// GetShareUrl: a public link with the asked role.
    func getShareUrl(_ request: Request, _ session: FileSession) async throws -> Response {
        try await ShareURLAnswer.make(
            request, resourceID: session.file.id, user: session.user, folio: folio, urls: pages.urls)
    }

    // MARK: Locks (PROTOCOL.md §A.3)

    func lock(_ request: Request, _ session: FileSession) async throws -> Response {
        let id = try requiredLock(request, .wopiLock)
        return try await answer(folio.lock(.lock(id), session: session), session)
    }

    func unlockAndRelock(_ request: Request, _ session: FileSession) async throws -> Response {
        let new = try requiredLock(request, .wopiLock)
        let old = try requiredLock(request, .wopiOldLock)
        return try await answer(folio.lock(.unlockAndRelock(old: old, new: new), session: session), session)
    }

    func refreshLock(_ request: Request, _ session: FileSession) async throws -> Response {
        let id = try requiredLock(request, .wopiLock)
        return try await answer(folio.lock(.refresh(id), session: session), session)
    }

    func unlock(_ request: Request, _ session: FileSession) async throws -> Response {
        let id = try requiredLock(request, .wopiLock)
        return try await answer(folio.lock(.unlock(id), session: session), session)
    }

    func getLock(_ session: FileSession) async throws -> Response {
        let result = try await folio.lock(.getLock, session: session)
        var headers = HTTPFields()
        headers[.wopiLock] = result.lock?.id ?? ""
        headers[.wopiItemVersion] = String(session.file.version)
        return Response(status: .ok, headers: headers)
    }

    func requiredLock(_ request: Request, _ name: HTTPField.Name) throws -> String {
        switch LockID.validate(request.headers[name]) {
        case .success(let id): return id
        case .failure(let problem): throw FolioError.badRequest("\(name): \(problem)")
        }
    }

    /// 200 with the item version, or 409 with the lock in force.
    func answer(_ result: LockResult, _ session: FileSession) throws -> Response {
        switch result.decision {
        case .allow:
            var headers = HTTPFields()
            headers[.wopiItemVersion] = String(session.file.version)
            return Response(status: .ok, headers: headers)
        case .conflict(let current):
            throw FolioError.lockMismatch(current: current)
        }
    }

    // MARK: PutRelativeFile (§A.4)

    func putRelative(_ request: Request, _ session: FileSession) async throws -> Response {
        let target = try WOPITarget.parse(request)
        let size = try request.integerHeader(.wopiSize) ?? request.contentLength()
        let file = try await folio.putRelative(request.body, expectedSize: size, target: target, session: session)
        // The new file's token expires with the caller's, so tokens cannot be traded for longer ones.
        let token = folio.issueToken(
            .file(file.id), userID: session.user.id, role: .edit, expiresAtMs: session.grant.expiresAtMs,
            editor: session.grant.editor
        ).token
        return try JSONResponse.make(
            NewFileAnswer(
                file: file, user: session.user, url: urls.withToken(urls.file(file.id), token),
                expiresAtMs: session.grant.expiresAtMs, pages: pages))
    }

    // MARK: RenameFile (§A.5), DeleteFile, PutUserInfo

    func rename(_ request: Request, _ session: FileSession) async throws -> Response {
        guard let requested = try request.utf7Header(.wopiRequestedName) else {
            throw FolioError.invalidName("X-WOPI-RequestedName is missing")
        }
        // Office sends an empty X-WOPI-Lock on an unlocked file: that is no lock, not a wrong one.
        let lock = request.headers[.wopiLock].flatMap { $0.isEmpty ? nil : $0 }
        let file = try await folio.rename(session: session, requestedBase: requested, lock: lock)
        let token = request.accessToken ?? ""
        return try JSONResponse.make(
            RenameAnswer(
                name: FileName.splitExtension(file.name).base, url: urls.withToken(urls.file(file.id), token),
                lastModifiedTime: WOPITime.format(microseconds: file.modifiedAt)))
    }

    func delete(_ session: FileSession) async throws -> Response {
        try await folio.delete(session: session)
        return Response(status: .ok)
    }

    func putUserInfo(_ request: Request, _ session: FileSession) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4096)
        try await folio.setUserInfo(session: session, info: String(buffer: body))
        return Response(status: .ok)
    }
}

struct RenameAnswer: Encodable {
    var name: String
    var url: String
    var lastModifiedTime: String
    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case url = "Url"
        case lastModifiedTime = "LastModifiedTime"
    }
}
