import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore

/// WebDAV LOCK and UNLOCK: the editor's native locks, and the short lock every change is made
/// under (see `WebDAVConnector`).
extension WebDAVConnector {
    enum LockAnswer {
        case taken(token: String, seconds: Int)
        /// The condition sent with the LOCK did not hold.
        case conditionFailed
        /// Someone holds a lock on it (or on a folder above it).
        case locked
        case parentMissing
    }

    static func lockBody(owner: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>\
        <D:owner>\(owner)</D:owner></D:lockinfo>
        """
    }

    /// An exclusive write lock on `path` for `seconds`; `headers` carry its condition. A LOCK
    /// with an `If` header and no body refreshes the lock that header names.
    func sendLock(_ path: SpacePath, owner: String?, seconds: Int, headers: [(String, String)]) async throws
        -> LockAnswer
    {
        var all = headers + [("timeout", "Second-\(seconds)")]
        var body: HTTPClientRequest.Body?
        if let owner {
            all += [("depth", "0"), ("content-type", "application/xml; charset=utf-8")]
            body = .bytes(ByteBuffer(string: Self.lockBody(owner: owner)))
        }
        let response = try await client.send(
            .LOCK, location.url(path), headers: all, body: body, operation: "LOCK \(path)")
        switch response.status.code {
        case 200, 201:
            let text = (try? await response.body.collect(upTo: 1024 * 1024)).map { String(buffer: $0) } ?? ""
            var token = response.headers.first(name: "lock-token") ?? ""
            token = token.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            if token.isEmpty, owner == nil, let named = headers.first(where: { $0.0 == "if" })?.1 {
                // A refresh answers without Lock-Token: it is the one the If header named.
                token =
                    named.split(separator: "(").last.map { String($0) }?.trimmingCharacters(
                        in: CharacterSet(charactersIn: "()<> ")) ?? ""
            }
            guard !token.isEmpty else { throw FolioError.storage("\(location) locked \(path) without a Lock-Token") }
            return .taken(token: token, seconds: Self.grantedSeconds(text) ?? seconds)
        case 412:
            await WebDAVClient.drain(response)
            return .conditionFailed
        case 423, 207:
            await WebDAVClient.drain(response)
            return .locked
        case 409:
            await WebDAVClient.drain(response)
            return try await stat(path.parent)?.isFolder == true ? .locked : .parentMissing
        default:
            throw await client.unexpected(response, "LOCK \(path)")
        }
    }

    /// The lock's lifetime the server granted (`<D:timeout>Second-N</D:timeout>`).
    static func grantedSeconds(_ xml: String) -> Int? {
        guard let range = xml.range(of: "Second-") else { return nil }
        return Int(xml[range.upperBound...].prefix { $0.isNumber })
    }

    /// Runs `body` holding a short lock on `path` taken only if `condition` holds. Waits while
    /// another Folio saves the same document (up to `saveWait`); a lock of anyone else is
    /// `lockedElsewhere`. A condition that fails is `changed` (`missing` when nothing is there).
    func withSaveLock<T>(
        _ path: SpacePath, condition: SpaceWriteCondition, seconds: Int,
        missing: SpaceError? = nil, _ body: (String) async throws -> T
    ) async throws -> T {
        let headers: [(String, String)] =
            switch condition {
            case .absent: [("if-none-match", "*")]
            case .matches(let tag): [("if", ifHeader(path, token: nil, tag: tag))]
            }
        let deadline = ContinuousClock.now + saveWait
        var pause = Duration.milliseconds(20)
        while true {
            switch try await sendLock(path, owner: Self.saveOwner, seconds: seconds, headers: headers) {
            case .taken(let token, _):
                do {
                    let result = try await body(token)
                    await release(path, token: token)
                    return result
                } catch {
                    await release(path, token: token)
                    throw error
                }
            case .conditionFailed:
                let current = try await stat(path)
                if current == nil, let missing { throw missing }
                throw SpaceError.changed(path: path, current: current)
            case .parentMissing:
                throw SpaceError.notFound(path.parent)
            case .locked:
                let (current, owner) = try await state(path)
                if !Self.holds(condition, current) {
                    if current == nil, let missing { throw missing }
                    throw SpaceError.changed(path: path, current: current)
                }
                guard owner == Self.saveOwner, ContinuousClock.now < deadline else {
                    throw SpaceError.lockedElsewhere(path: path, owner: owner ?? "")
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(250))
            }
        }
    }

    /// UNLOCK that never fails: a lock left behind (the server down) ends with its timeout.
    /// Tried twice: a request sent on a kept-alive connection the server has just closed fails
    /// without reaching it (seen once in CI after a refused MOVE), and a short lock left
    /// behind would hold every later change of the document back for its minute.
    func release(_ path: SpacePath, token: String) async {
        for _ in 0..<2 {
            guard
                let response = try? await client.send(
                    .UNLOCK, location.url(path), headers: [("lock-token", "<\(token)>")],
                    operation: "UNLOCK \(path)")
            else { continue }
            let status = response.status.code
            await WebDAVClient.drain(response)
            // Given back, or nothing to give back (4xx): either way done.
            if status < 500 { return }
        }
    }

    // MARK: Native locks

    public func lock(_ path: SpacePath, seconds: Int) async throws -> SpaceLock {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space cannot be locked") }
        switch try await sendLock(path, owner: Self.editOwner, seconds: seconds, headers: []) {
        case .taken(let token, let granted):
            tokens.set(WebDAVLockTokens.key(location.url(path), user: location.user), token)
            return SpaceLock(token: token, expiresAt: Self.microsecondsFromNow(granted))
        case .locked:
            throw SpaceError.lockedElsewhere(path: path, owner: try await state(path).lockOwner ?? "")
        case .parentMissing:
            throw SpaceError.notFound(path.parent)
        case .conditionFailed:
            throw FolioError.storage("\(location) refused to lock \(path) (HTTP 412)")
        }
    }

    public func refresh(_ path: SpacePath, lock: SpaceLock, seconds: Int) async throws -> SpaceLock {
        let key = WebDAVLockTokens.key(location.url(path), user: location.user)
        switch try await sendLock(
            path, owner: nil, seconds: seconds, headers: [("if", ifHeader(path, token: lock.token, tag: nil))])
        {
        case .taken(let token, let granted):
            tokens.set(key, token)
            return SpaceLock(token: token, expiresAt: Self.microsecondsFromNow(granted))
        case .conditionFailed, .locked, .parentMissing:
            // The lock is gone (expired, broken): take it again unless someone else has one now.
            tokens.remove(key, token: lock.token)
            return try await self.lock(path, seconds: seconds)
        }
    }

    public func unlock(_ path: SpacePath, lock: SpaceLock) async throws {
        let key = WebDAVLockTokens.key(location.url(path), user: location.user)
        let response = try await client.send(
            .UNLOCK, location.url(path), headers: [("lock-token", "<\(lock.token)>")], operation: "UNLOCK \(path)")
        await WebDAVClient.drain(response)
        tokens.remove(key, token: lock.token)
        switch response.status.code {
        // 400, 404, 409, 412: no such lock (any more), or no such document: nothing to give back.
        case 200..<300, 400, 404, 409, 412: return
        default: throw client.failure(response.status, "UNLOCK \(path)")
        }
    }

    public func adopt(_ path: SpacePath, lock: SpaceLock) {
        tokens.set(WebDAVLockTokens.key(location.url(path), user: location.user), lock.token)
    }

    static func microsecondsFromNow(_ seconds: Int) -> Int64 {
        Int64((Date().timeIntervalSince1970 + Double(seconds)) * 1_000_000)
    }
}
