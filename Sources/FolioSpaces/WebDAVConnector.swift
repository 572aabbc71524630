import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A WebDAV collection (RFC 4918) as a space.
///
/// Compare-and-set: every change is made while Folio holds a WebDAV lock on the document —
/// the editor's native lock when it has one, otherwise a short lock taken for this one change
/// (owner "Folio (saving)"). The lock is taken with the tag as its condition
/// (`If: <url> (["tag"])`, or `If-None-Match: *` for a new document, which locks the name
/// without making a file), so the compare and the lock are one step on the server, and the
/// PUT, MOVE or DELETE then names the token (and the tag again). Every client
/// that goes through the server is refused (423) while the lock is held, so nothing they do
/// lands between the compare and the change, nor between the PUT and the PROPFIND that reads
/// the new tag. A PUT alone with `If-Match` is not enough: mod_dav checks it when the request
/// starts and replaces the file when the upload ends (several racers on one tag all "win").
/// What is left (README): a PUT another client started before the lock, still uploading, lands
/// when it ends; a program that writes the server's files directly ignores locks.
///
/// The tag is the ETag without its weakness mark: mod_dav_fs says `W/"…"` for a file changed
/// within the last second, and the `If` header compares tags weakly (RFC 4918 §10.4.4), so a
/// tag is good for the next write at once; `If-Match` would refuse it for a second.
public struct WebDAVConnector: SpaceConnector {
    public let location: WebDAVLocation
    let client: WebDAVClient
    /// Whether the server advertised WebDAV class 2 (locks) when the connector was made.
    public let hasNativeLocks: Bool
    let tokens: WebDAVLockTokens
    /// Longest a change waits for another Folio's save of the same document to end.
    var saveWait: Duration = .seconds(30)

    static let saveOwner = "Folio (saving)"
    static let editOwner = "Folio"

    public init(location: WebDAVLocation, hasNativeLocks: Bool, tokens: WebDAVLockTokens? = nil) {
        self.location = location
        self.client = WebDAVClient(location: location)
        self.hasNativeLocks = hasNativeLocks
        self.tokens = tokens ?? .shared
    }

    /// Asks the server what it is (OPTIONS: its WebDAV classes) and checks the collection is
    /// there: a wrong password or a missing collection is said now, not at the first save.
    public static func connect(_ location: WebDAVLocation) async throws -> WebDAVConnector {
        let client = WebDAVClient(location: location)
        let response = try await client.send(.OPTIONS, location.url(.root), operation: "OPTIONS")
        guard (200..<300).contains(response.status.code) else { throw await client.unexpected(response, "OPTIONS") }
        await WebDAVClient.drain(response)
        let classes = response.headers["dav"].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !classes.isEmpty else {
            throw FolioError.storage("\(location) is not a WebDAV server (no DAV header in its answer to OPTIONS)")
        }
        let connector = WebDAVConnector(location: location, hasNativeLocks: classes.contains("2"))
        guard let root = try await connector.stat(.root), root.isFolder else {
            throw FolioError.storage("\(location) is not a WebDAV collection")
        }
        return connector
    }

    public var description: String { location.description }

    // MARK: Entries

    /// The ETag without `W/`: see the type's comment.
    static func tag(_ etag: String) -> String { etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag }

    /// What a PROPFIND said about `path`; nil for a lock-null resource (locked, nothing there).
    static func entry(_ resource: WebDAVMultistatus.Resource, path: SpacePath) -> SpaceEntry? {
        let modified = WebDAVMultistatus.microseconds(httpDate: resource.lastModified)
        if resource.isCollection {
            return SpaceEntry(
                path: path, isFolder: true, size: 0, modifiedAt: modified, tag: resource.etag.map(tag) ?? "")
        }
        guard let etag = resource.etag else { return nil }
        return SpaceEntry(
            path: path, isFolder: false, size: resource.contentLength ?? 0, modifiedAt: modified, tag: tag(etag))
    }

    /// The entry at `path` and the owner of a lock on it, if any.
    func state(_ path: SpacePath) async throws -> (entry: SpaceEntry?, lockOwner: String?) {
        guard let found = try await client.propfind(location.url(path), depth: "0", operation: "PROPFIND \(path)"),
            let resource = found.resources.first
        else { return (nil, nil) }
        return (Self.entry(resource, path: path), resource.locks.first?.owner)
    }

    public func stat(_ path: SpacePath) async throws -> SpaceEntry? { try await state(path).entry }

    // MARK: Reads

    public func read(_ path: SpacePath, range: Range<Int64>?) async throws -> (entry: SpaceEntry, content: BlobReader) {
        guard !path.isRoot else { throw SpaceError.notFound(path) }
        if let range, range.isEmpty { return (try await document(path), BlobReader { _ in }) }
        let (response, entry) = try await get(path, range: range, expecting: nil)
        guard let response else { return (entry, BlobReader { _ in }) }
        // The first read streams the answer already open; a second one asks again.
        let opened = OpenedAnswer(response)
        let reader = BlobReader { body in
            var answer = opened.take()
            if answer == nil { answer = try await get(path, range: range, expecting: entry.tag).response }
            guard let answer else { return }
            try await stream(answer, path: path, range: range, body)
        }
        return (entry, reader)
    }

    /// The document at `path` (not a folder), or `notFound`.
    func document(_ path: SpacePath) async throws -> SpaceEntry {
        guard let entry = try await stat(path), !entry.isFolder else { throw SpaceError.notFound(path) }
        return entry
    }

    /// GET with a range: the answer (nil when the range starts past the end) and the entry its
    /// headers describe; `changed` when `expecting` is a tag the document no longer has.
    func get(_ path: SpacePath, range: Range<Int64>?, expecting: String?) async throws
        -> (response: HTTPClientResponse?, entry: SpaceEntry)
    {
        var headers: [(String, String)] = []
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")) }
        let response = try await client.send(
            .GET, location.url(path), headers: headers, operation: "GET \(path)", deadline: client.transferTimeout)
        switch response.status.code {
        case 200, 206:
            guard let etag = response.headers.first(name: "etag") else {
                await WebDAVClient.drain(response)
                throw FolioError.storage("\(location) sent \(path) without an ETag")
            }
            var size = Int64(response.headers.first(name: "content-length") ?? "") ?? 0
            if response.status.code == 206,
                let total = response.headers.first(name: "content-range")?.split(separator: "/").last
            {
                size = Int64(total) ?? size
            }
            let entry = SpaceEntry(
                path: path, isFolder: false, size: size,
                modifiedAt: WebDAVMultistatus.microseconds(httpDate: response.headers.first(name: "last-modified")),
                tag: Self.tag(etag))
            if let expecting, entry.tag != expecting {
                await WebDAVClient.drain(response)
                throw SpaceError.changed(path: path, current: entry)
            }
            return (response, entry)
        case 404:
            await WebDAVClient.drain(response)
            throw SpaceError.notFound(path)
        case 416:
            // The range starts at or past the end: nothing to send, the document is there.
            await WebDAVClient.drain(response)
            let entry = try await document(path)
            if let expecting, entry.tag != expecting { throw SpaceError.changed(path: path, current: entry) }
            return (nil, entry)
        default:
            let error = await client.unexpected(response, "GET \(path)")
            if try await stat(path)?.isFolder == true { throw SpaceError.notFound(path) }
            throw error
        }
    }

    /// Hands the answer's bytes to `body`, cut to `range` when the server sent it all (200).
    func stream(
        _ response: HTTPClientResponse, path: SpacePath, range: Range<Int64>?,
        _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        var skip = response.status.code == 200 ? range?.lowerBound ?? 0 : 0
        var left = response.status.code == 200 ? range.map { $0.upperBound - $0.lowerBound } ?? .max : .max
        var iterator = response.body.makeAsyncIterator()
        while left > 0 {
            let next: ByteBuffer?
            do {
                next = try await iterator.next()
            } catch {
                throw FolioError.unavailable("\(location) stopped sending \(path): \(error)")
            }
            guard var chunk = next else { return }
            if skip > 0 {
                let dropped = min(skip, Int64(chunk.readableBytes))
                chunk.moveReaderIndex(forwardBy: Int(dropped))
                skip -= dropped
            }
            if Int64(chunk.readableBytes) > left { chunk = chunk.getSlice(at: chunk.readerIndex, length: Int(left))! }
            left -= Int64(chunk.readableBytes)
            if chunk.readableBytes > 0 { try await body(chunk) }
        }
    }

    // MARK: Writes

    public func write(_ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition) async throws
        -> SpaceEntry
    {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        let key = WebDAVLockTokens.key(location.url(path), user: location.user)
        if let token = tokens.token(key) {
            do {
                return try await put(path, content: content, condition: condition, token: token, held: true)
            } catch is LockLost {
                tokens.remove(key, token: token)
            }
        }
        // 1 s per 256 KiB on top of a minute: the lock outlives a slow upload, not a crash by much.
        let seconds = 60 + Int(min(content.size / 262_144, 3600))
        return try await withSaveLock(path, condition: condition, seconds: seconds) { token in
            try await put(path, content: content, condition: condition, token: token, held: false)
        }
    }

    /// A native lock's token was refused although the document is as Folio saw it: the lock
    /// expired or was broken; the change is tried again under a lock of its own.
    struct LockLost: Error {}

    /// The `If` header (RFC 4918 §10.4) for `path`: the lock's token and the tag it must have,
    /// each when given. Tagged with the document's URL: mod_dav applies an untagged list to
    /// the parent folder too, and a DELETE or MOVE then fails (424).
    func ifHeader(_ path: SpacePath, token: String?, tag: String?) -> String {
        var conditions: [String] = []
        if let token { conditions.append("<\(token)>") }
        if let tag { conditions.append("[\(tag.hasPrefix("\"") ? tag : "\"\(tag)\"")]") }
        return "<\(location.url(path))> (\(conditions.joined(separator: " ")))"
    }

    func put(
        _ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition, token: String, held: Bool
    ) async throws -> SpaceEntry {
        var headers: [(String, String)] = []
        switch condition {
        case .absent: headers = [("if", ifHeader(path, token: token, tag: nil)), ("if-none-match", "*")]
        case .matches(let tag): headers = [("if", ifHeader(path, token: token, tag: tag))]
        }
        let response = try await upload(
            location.url(path), headers: headers, content: content, operation: "PUT \(path)")
        switch response.status.code {
        case 200, 201, 204:
            await WebDAVClient.drain(response)
            // Still under the lock: no one else can have changed it since the PUT.
            guard let entry = try await stat(path), !entry.isFolder else {
                throw FolioError.storage("\(path) is not on \(location) right after it was written")
            }
            return entry
        case 412:
            await WebDAVClient.drain(response)
            let current = try await stat(path)
            if held, Self.holds(condition, current) { throw LockLost() }
            throw SpaceError.changed(path: path, current: current)
        case 423:
            await WebDAVClient.drain(response)
            if held { throw LockLost() }
            throw SpaceError.lockedElsewhere(path: path, owner: try await state(path).lockOwner ?? "")
        case 409:
            await WebDAVClient.drain(response)
            throw SpaceError.notFound(path.parent)
        default:
            throw await client.unexpected(response, "PUT \(path)")
        }
    }

    /// Whether what is at a path now still meets the condition.
    static func holds(_ condition: SpaceWriteCondition, _ current: SpaceEntry?) -> Bool {
        switch condition {
        case .absent: current == nil
        case .matches(let tag): current.map { !$0.isFolder && $0.tag == tag } ?? false
        }
    }

    /// PUT with the content streamed from its reader, `Content-Length` known up front.
    func upload(_ url: String, headers: [(String, String)], content: SpaceContent, operation: String) async throws
        -> HTTPClientResponse
    {
        let body = try await content.open().chunks(size: content.size)
        do {
            return try await client.send(
                .PUT, url, headers: headers, body: .stream(body, length: .known(content.size)),
                operation: operation, deadline: client.transferTimeout)
        } catch {
            // The content that would not read is the cause, not the broken request it left.
            if let failure = body.readerFailure { throw failure }
            throw error
        }
    }

    public func move(_ from: SpacePath, to: SpacePath, tag: String) async throws -> SpaceEntry {
        guard !from.isRoot, !to.isRoot else { throw FolioError.badRequest("the root of a space cannot move") }
        let key = WebDAVLockTokens.key(location.url(from), user: location.user)
        if let token = tokens.token(key) {
            do {
                let moved = try await sendMove(from, to: to, tag: tag, token: token, held: true)
                // The server drops a lock when its document moves.
                tokens.remove(key, token: token)
                return moved
            } catch is LockLost {
                tokens.remove(key, token: token)
            }
        }
        return try await withSaveLock(from, condition: .matches(tag), seconds: 60) { token in
            try await sendMove(from, to: to, tag: tag, token: token, held: false)
        }
    }

    func sendMove(_ from: SpacePath, to: SpacePath, tag: String, token: String, held: Bool) async throws -> SpaceEntry {
        let response = try await client.send(
            .MOVE, location.url(from),
            headers: [
                ("destination", location.url(to)), ("overwrite", "F"),
                ("if", ifHeader(from, token: token, tag: tag)),
            ], operation: "MOVE \(from) to \(to)")
        await WebDAVClient.drain(response)
        switch response.status.code {
        case 201, 204:
            guard let entry = try await stat(to) else {
                throw FolioError.storage("\(to) is not on \(location) right after the move")
            }
            return entry
        case 412:
            // Overwrite: F found the target taken, or the source is no longer as Folio saw it.
            if try await stat(to) != nil { throw SpaceError.exists(to) }
            let current = try await stat(from)
            if held, Self.holds(.matches(tag), current) { throw LockLost() }
            throw SpaceError.changed(path: from, current: current)
        case 423:
            if held, try await stat(to) == nil { throw LockLost() }
            if try await stat(to) != nil { throw SpaceError.exists(to) }
            throw SpaceError.lockedElsewhere(path: to, owner: try await state(to).lockOwner ?? "")
        case 409:
            throw SpaceError.notFound(to.parent)
        default:
            throw client.failure(response.status, "MOVE \(from) to \(to)")
        }
    }

    public func delete(_ path: SpacePath, tag: String) async throws {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space cannot be deleted") }
        let key = WebDAVLockTokens.key(location.url(path), user: location.user)
        if let token = tokens.token(key) {
            do {
                try await sendDelete(path, tag: tag, token: token, held: true)
                tokens.remove(key, token: token)
                return
            } catch is LockLost {
                tokens.remove(key, token: token)
            }
        }
        try await withSaveLock(path, condition: .matches(tag), seconds: 60, missing: .notFound(path)) { token in
            try await sendDelete(path, tag: tag, token: token, held: false)
        }
    }

    func sendDelete(_ path: SpacePath, tag: String, token: String, held: Bool) async throws {
        let response = try await client.send(
            .DELETE, location.url(path), headers: [("if", ifHeader(path, token: token, tag: tag))],
            operation: "DELETE \(path)")
        await WebDAVClient.drain(response)
        switch response.status.code {
        case 200, 202, 204: return
        case 404: throw SpaceError.notFound(path)
        case 412, 423:
            let current = try await stat(path)
            guard let current else { throw SpaceError.notFound(path) }
            if held, Self.holds(.matches(tag), current) { throw LockLost() }
            if response.status.code == 423, current.tag == tag {
                throw SpaceError.lockedElsewhere(path: path, owner: try await state(path).lockOwner ?? "")
            }
            throw SpaceError.changed(path: path, current: current)
        default:
            throw client.failure(response.status, "DELETE \(path)")
        }
    }

    // MARK: Folders

    public func list(_ folder: SpacePath) async throws -> [SpaceEntry] {
        guard
            let found = try await client.propfind(
                location.url(folder, folder: true), depth: "1", operation: "PROPFIND \(folder)",
                // mod_dav answers 400 for a document's URL with a final slash.
                absent: [400, 404, 409])
        else { throw SpaceError.notFound(folder) }
        var isFolder = false
        var entries: [SpaceEntry] = []
        for resource in found.resources {
            guard let names = location.names(ofHref: resource.href) else { continue }
            if names == folder.components {
                isFolder = resource.isCollection
                continue
            }
            // One level down; a name no space path can hold is left out.
            guard names.count == folder.components.count + 1, Array(names.dropLast()) == folder.components,
                let path = try? folder.appending(names[names.count - 1]),
                let entry = Self.entry(resource, path: path)
            else { continue }
            entries.append(entry)
        }
        guard isFolder else { throw SpaceError.notFound(folder) }
        return entries
    }

    public func makeFolder(_ path: SpacePath) async throws {
        guard !path.isRoot else { throw SpaceError.exists(path) }
        let response = try await client.send(.MKCOL, location.url(path), operation: "MKCOL \(path)")
        await WebDAVClient.drain(response)
        switch response.status.code {
        case 201, 200, 204: return
        case 405: throw SpaceError.exists(path)
        case 409: throw SpaceError.notFound(path.parent)
        case 423: throw SpaceError.lockedElsewhere(path: path, owner: try await state(path).lockOwner ?? "")
        default: throw client.failure(response.status, "MKCOL \(path)")
        }
    }
}

/// A GET answer that is streamed once; the reader asks again after that.
final class OpenedAnswer: Sendable {
    private let answer: Mutex<HTTPClientResponse?>

    init(_ answer: HTTPClientResponse) { self.answer = Mutex(answer) }

    func take() -> HTTPClientResponse? {
        answer.withLock { answer in
            defer { answer = nil }
            return answer
        }
    }
}
