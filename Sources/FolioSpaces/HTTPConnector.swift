import AsyncHTTPClient
import Crypto
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An application's own storage as a space, through the small HTTP contract of
/// docs/connector-contract.md (`http:https://APP/BASE?secret=S`).
///
/// Every request is signed with the shared secret (HMAC-SHA256 over method, target, time and
/// the body's SHA-256, which Folio knows before it sends a byte, so bodies stream). Writes,
/// moves and deletes carry `If-Match` / `If-None-Match: *`; the application compares and acts
/// atomically, so a refused condition (412) is `SpaceError.changed` and nothing was written.
/// No native locks: Folio keeps the WOPI locks itself.
public struct HTTPConnector: SpaceConnector {
    public let location: HTTPSpaceLocation
    let signer: HTTPSpaceSigner?
    /// Longest a call without content may take.
    public var timeout: TimeAmount = .seconds(30)
    /// Longest a transfer of content may take in all (a stall fails sooner: no byte for 30 s).
    public var transferTimeout: TimeAmount = .hours(6)

    /// One client for every space on another server (`StorageHTTPClient`).
    static var http: HTTPClient { StorageHTTPClient.shared }

    public init(location: HTTPSpaceLocation) {
        self.location = location
        self.signer = location.secret.map(HTTPSpaceSigner.init(secret:))
    }

    /// `http:https://APP/BASE[?secret=S]`
    public init(_ text: String) throws {
        self.init(location: try HTTPSpaceLocation(text))
    }

    public var description: String { location.description }

    /// The same application with its root at `folder` of this space.
    public func rooted(at folder: SpacePath) -> HTTPConnector {
        var connector = HTTPConnector(location: location.appending(folder))
        connector.timeout = timeout
        connector.transferTimeout = transferTimeout
        return connector
    }

    // MARK: Reading

    public func stat(_ path: SpacePath) async throws -> SpaceEntry? {
        let operation = "stat \(path)"
        let response = try await send(.GET, path, action: "meta", operation: operation)
        switch response.status.code {
        case 200:
            return try await HTTPSpaceAnswer.decode(HTTPSpaceMetadata.self, from: response, operation: operation)
                .entry(at: path)
        case 404:
            await Self.discard(response)
            return nil
        default:
            throw await failure(response, operation)
        }
    }

    public func read(_ path: SpacePath, range: Range<Int64>?) async throws -> (entry: SpaceEntry, content: BlobReader) {
        if let range, range.isEmpty {
            guard let entry = try await stat(path), !entry.isFolder else { throw SpaceError.notFound(path) }
            return (entry, BlobReader { _ in })
        }
        let opened = try await open(path, range: range)
        let first = HTTPSpaceFirstBody(opened.body)
        let reader = BlobReader { consume in
            var (fresh, body) = first.take()
            var expected = opened.count
            if !fresh {
                // Read again: only the same version, or a clear refusal.
                let again = try await open(path, range: range)
                guard again.entry.tag == opened.entry.tag else {
                    throw SpaceError.changed(path: path, current: again.entry)
                }
                (body, expected) = (again.body, again.count)
            }
            guard let body else { return }
            var received: Int64 = 0
            var chunks = body.makeAsyncIterator()
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await chunks.next()
                } catch {
                    throw FolioError.unavailable("\(description) stopped sending \(path) at byte \(received): \(error)")
                }
                guard let chunk else { break }
                received += Int64(chunk.readableBytes)
                try await consume(chunk)
            }
            guard received == expected else {
                throw FolioError.storage("\(description) sent \(received) of \(expected) bytes of \(path)")
            }
        }
        return (opened.entry, reader)
    }

    /// A `GET` of the document's bytes: its entry (from the answer's headers), the body, and
    /// how many bytes the body has; no body when the range starts at or past the end (416).
    func open(_ path: SpacePath, range: Range<Int64>?) async throws
        -> (entry: SpaceEntry, body: HTTPClientResponse.Body?, count: Int64)
    {
        let operation = "read \(path)"
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")) }
        let response = try await send(
            .GET, path, headers: headers, operation: operation, deadline: transferTimeout)
        switch (response.status.code, range) {
        case (200, nil), (206, .some):
            guard let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
                throw FolioError.storage("\(description) answered \(operation) without Content-Length")
            }
            return (try entry(from: response, path: path), response.body, length)
        case (416, .some):
            let entry = try entry(from: response, path: path)
            await Self.discard(response)
            return (entry, nil, 0)
        case (404, _):
            await Self.discard(response)
            throw SpaceError.notFound(path)
        default:
            throw await failure(response, operation)
        }
    }

    /// The document's metadata from a read's headers (`ETag`, `X-Folio-Size`, `X-Folio-Modified-At`).
    func entry(from response: HTTPClientResponse, path: SpacePath) throws -> SpaceEntry {
        guard let size = response.headers.first(name: "x-folio-size").flatMap({ Int64($0) }),
            let modified = response.headers.first(name: "x-folio-modified-at").flatMap({ Int64($0) })
        else { throw FolioError.storage("\(description) read \(path) without X-Folio-Size and X-Folio-Modified-At") }
        let tag = try HTTPSpaceAnswer.strongTag(response.headers.first(name: "etag"), of: path)
        return SpaceEntry(path: path, isFolder: false, size: size, modifiedAt: modified * 1000, tag: tag)
    }

    public func list(_ folder: SpacePath) async throws -> [SpaceEntry] {
        let operation = "list \(folder)"
        let response = try await send(.GET, folder, action: "list", operation: operation)
        switch response.status.code {
        case 200:
            let listing = try await HTTPSpaceAnswer.decode(HTTPSpaceListing.self, from: response, operation: operation)
            // Names a space cannot address (a %, a slash…) are left out, as a folder space does.
            return try listing.entries.compactMap { meta in
                guard let path = try? folder.appending(meta.name) else { return nil }
                return try meta.entry(at: path)
            }
        case 404:
            await Self.discard(response)
            throw SpaceError.notFound(folder)
        default:
            throw await failure(response, operation)
        }
    }

    // MARK: Writing

    public func write(_ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition) async throws
        -> SpaceEntry
    {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        let operation = "write \(path)"
        let header: (String, String) =
            switch condition {
            case .absent: ("If-None-Match", "*")
            case .matches(let tag): ("If-Match", tag)
            }
        let response = try await send(
            .PUT, path, headers: [header], payload: .content(content), operation: operation, deadline: transferTimeout)
        switch response.status.code {
        case 200, 201:
            return try await HTTPSpaceAnswer.decode(HTTPSpaceMetadata.self, from: response, operation: operation)
                .entry(at: path)
        case 409:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            if refusal.error.code == "parentMissing" { throw SpaceError.notFound(path.parent) }
            throw await failure(response, operation, refusal)
        case 412:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            throw SpaceError.changed(path: path, current: try? refusal.current?.entry(at: path))
        default:
            throw await failure(response, operation)
        }
    }

    public func move(_ from: SpacePath, to: SpacePath, tag: String) async throws -> SpaceEntry {
        guard !from.isRoot, !to.isRoot else { throw FolioError.badRequest("the root of a space cannot be moved") }
        let operation = "move \(from) to \(to)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let body = try encoder.encode(["to": location.target(to)])
        let response = try await send(
            .POST, from, action: "move", headers: [("If-Match", tag)], payload: .json(ByteBuffer(bytes: body)),
            operation: operation)
        switch response.status.code {
        case 200, 201:
            return try await HTTPSpaceAnswer.decode(HTTPSpaceMetadata.self, from: response, operation: operation)
                .entry(at: to)
        case 409:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            switch refusal.error.code {
            case "exists": throw SpaceError.exists(to)
            case "parentMissing": throw SpaceError.notFound(to.parent)
            default: throw await failure(response, operation, refusal)
            }
        case 412:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            throw SpaceError.changed(path: from, current: try? refusal.current?.entry(at: from))
        default:
            throw await failure(response, operation)
        }
    }

    public func delete(_ path: SpacePath, tag: String) async throws {
        let operation = "delete \(path)"
        let response = try await send(.DELETE, path, headers: [("If-Match", tag)], operation: operation)
        switch response.status.code {
        case 200, 204:
            await Self.discard(response)
        case 404:
            await Self.discard(response)
            throw SpaceError.notFound(path)
        case 412:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            throw SpaceError.changed(path: path, current: try? refusal.current?.entry(at: path))
        default:
            throw await failure(response, operation)
        }
    }

    public func makeFolder(_ path: SpacePath) async throws {
        let operation = "make folder \(path)"
        let response = try await send(.POST, path, action: "mkdir", operation: operation)
        switch response.status.code {
        case 200, 201:
            await Self.discard(response)
        case 409:
            let refusal = await HTTPSpaceAnswer.refusal(response)
            switch refusal.error.code {
            case "exists": throw SpaceError.exists(path)
            case "parentMissing": throw SpaceError.notFound(path.parent)
            default: throw await failure(response, operation, refusal)
            }
        default:
            throw await failure(response, operation)
        }
    }

    // MARK: Requests

    enum Payload {
        case none
        case json(ByteBuffer)
        case content(SpaceContent)
    }

    /// Sends one signed request; any answer comes back (the caller reads its status), and a
    /// connection that fails or a call past its deadline is `FolioError.unavailable`.
    func send(
        _ method: HTTPMethod, _ path: SpacePath, action: String? = nil, headers extra: [(String, String)] = [],
        payload: Payload = .none, operation: String, deadline: TimeAmount? = nil
    ) async throws -> HTTPClientResponse {
        let target = location.target(path, action: action)
        var request = HTTPClientRequest(url: location.origin + target)
        request.method = method
        let contentSHA256: String
        switch payload {
        case .none:
            contentSHA256 = HTTPSpaceSigner.emptySHA256
        case .json(let buffer):
            contentSHA256 = buffer.withUnsafeReadableBytes { HTTPSpaceSigner.hex(SHA256.hash(data: $0)) }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(buffer)
        case .content(let content):
            contentSHA256 = HTTPSpaceSigner.hex(content.sha256)
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .stream(try await content.open().chunks(size: content.size), length: .known(content.size))
        }
        let timestamp = Int(Date().timeIntervalSince1970)
        let signing =
            signer?.headers(method: method.rawValue, target: target, contentSHA256: contentSHA256, timestamp: timestamp)
            ?? [("X-Folio-Timestamp", String(timestamp)), ("X-Folio-Content-SHA256", contentSHA256)]
        for (name, value) in signing + extra { request.headers.add(name: name, value: value) }
        do {
            return try await Self.http.execute(request, timeout: deadline ?? timeout)
        } catch let error as FolioError {
            throw error  // the content's own reader failed
        } catch let error as SpaceError {
            throw error
        } catch let error as HTTPClientError where error == .bodyLengthMismatch {
            throw FolioError.storage("\(operation): the content did not have the size it was said to have")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw FolioError.unavailable("\(description) did not answer \(operation): \(error)")
        }
    }

    func failure(_ response: HTTPClientResponse, _ operation: String, _ refusal: HTTPSpaceRefusal? = nil) async
        -> FolioError
    {
        await HTTPSpaceAnswer.failure(response, refusal: refusal, operation: operation, space: description)
    }

    /// Reads a small answer to its end, so its connection goes back to the pool.
    static func discard(_ response: HTTPClientResponse) async {
        _ = try? await response.body.collect(upTo: 1024 * 1024)
    }
}

/// A read's first response body, handed to the first reader of the content only: a second
/// reading asks the application again.
final class HTTPSpaceFirstBody: Sendable {
    let state: Mutex<(fresh: Bool, body: HTTPClientResponse.Body?)>

    init(_ body: HTTPClientResponse.Body?) { state = Mutex((true, body)) }

    /// The first answer's body (nil when it had none), and whether this is the first call.
    func take() -> (fresh: Bool, body: HTTPClientResponse.Body?) {
        state.withLock { state in
            defer { state = (false, nil) }
            return state
        }
    }
}
