import FolioCore
import Foundation
import NIOCore

/// A bucket of documents that other programs also write, as a space:
/// `s3:s3://BUCKET[/PREFIX]?endpoint=URL[&region=R]`, credentials from `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY` as for the blob store. Folio edits the objects in place.
///
/// Mapping: the document `/a/b.docx` is the object `PREFIX` + `a/b.docx`; a folder is a common
/// prefix (`a/`), there when any object is under it or when its empty marker object `a/` is
/// (what `makeFolder` writes, so an empty folder exists); listings never show the marker.
/// Keys a `SpacePath` cannot hold (`//`, `%`, control characters…) are left out of listings.
/// The tag is the object's ETag, always written quoted.
///
/// Compare-and-set, and where the gateway leaves a window (Ceph RGW 16, STACK.md):
/// - write: ONE streamed PUT with `If-None-Match: *` or `If-Match` — atomic on RGW, AWS and
///   MinIO, no window. Hence at most 5 GiB (S3's single-PUT limit; CompleteMultipartUpload
///   ignores conditions on RGW). The `If-Match` spelling the gateway takes is learnt
///   (`IfMatchForm`). That the folder a new document goes into exists is checked just before
///   (a folder removed in between gets the document as its only content: harmless).
/// - delete: HEAD and compare the ETag, then DELETE (sent with `If-Match` for gateways that
///   honour it; RGW ignores it). Window on RGW: one HEAD answer to one DELETE, a round trip
///   (about a millisecond on loopback): an outside write landing in it is deleted.
/// - move: HEAD the source and compare; HEAD the target (must be missing); CopyObject with
///   the source's ETag as condition (`x-amz-copy-source-if-match`, and `x-amz-copy-if-match`,
///   the name RGW 16 reads — honoured atomically there) and `If-None-Match: *` on the target
///   (AWS honours it, RGW ignores it); then the source is deleted as above. Windows on RGW:
///   a document created at the target between the target's HEAD and the copy is replaced
///   (one round trip plus the server-side copy); an outside write to the source between the
///   copy and its DELETE is detected by the HEAD before the DELETE (then the copy is taken
///   back and the move fails as `changed`), except within the delete's own HEAD→DELETE trip.
public struct S3SpaceConnector: SpaceConnector {
    public let client: S3Client

    /// S3 takes at most 5 GiB in one PUT, and only a single PUT applies a condition.
    public static let maxWriteSize: Int64 = 5 * 1024 * 1024 * 1024
    /// Folders have no ETag of their own.
    static let folderTag = "folder"

    public init(client: S3Client) { self.client = client }

    /// `s3://BUCKET[/PREFIX]?endpoint=URL[&region=R]` (a leading `s3:` kind is accepted).
    public init(url: String, environment: [String: String]) throws {
        let location = try BucketLocation(url: url.hasPrefix("s3:s3://") ? String(url.dropFirst(3)) : url)
        self.init(client: S3Client(location: location, credentials: try AWSCredentials(environment: environment)))
    }

    public var description: String { "bucket \(client.location)" }

    var endpoint: String { client.location.endpoint.absoluteString }

    // MARK: Keys and entries

    static func key(_ path: SpacePath) -> String { path.components.joined(separator: "/") }
    static func folderKey(_ path: SpacePath) -> String { path.isRoot ? "" : key(path) + "/" }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    static func document(_ path: SpacePath, size: Int64, modified: Date, etag: String) -> SpaceEntry {
        SpaceEntry(
            path: path, isFolder: false, size: size, modifiedAt: micros(modified), tag: ObjectHead.canonical(etag))
    }

    static func folderEntry(_ path: SpacePath) -> SpaceEntry {
        SpaceEntry(path: path, isFolder: true, size: 0, modifiedAt: 0, tag: folderTag)
    }

    /// A condition the gateway refused: 412; AWS's 409 for a racing conditional write; AWS's
    /// 404 for `If-Match` on a missing key (RGW answers 412 there).
    static func conditionFailed(_ error: any Error) -> Bool {
        switch error {
        case S3Error.status(_, 412, _, _), S3Error.status(_, 409, "ConditionalRequestConflict", _), S3Error.noSuchKey:
            true
        default: false
        }
    }

    /// A conditional write that failed with a 5xx: RGW answers a writer that lost a race to
    /// another (its compare on the object's head failed, ECANCELED) with 500. It was a lost
    /// race when the document no longer meets the condition; otherwise the error stands
    /// (`unavailable`). A 5xx after the gateway did write would show Folio's own write as an
    /// outside change: a needless conflict copy, never a lost one.
    static func mayBeLostRace(_ error: any Error) -> Bool {
        if case FolioError.unavailable = error { return true }
        return false
    }

    // MARK: Looking

    public func stat(_ path: SpacePath) async throws -> SpaceEntry? {
        if !path.isRoot, let head = try await client.headObject(Self.key(path)) {
            return Self.document(path, size: head.size, modified: head.lastModified, etag: head.etag)
        }
        return try await folder(path)
    }

    /// The folder at `path` when its marker or anything under its prefix is there (one
    /// listing of one key); the root always (the listing still checks the bucket answers).
    func folder(_ path: SpacePath) async throws -> SpaceEntry? {
        let first = try await client.listFolder(Self.folderKey(path), limit: 1)
        guard path.isRoot || !first.objects.isEmpty || !first.folders.isEmpty else { return nil }
        return Self.folderEntry(path)
    }

    func requireFolder(_ path: SpacePath) async throws {
        if path.isRoot { return }
        guard try await folder(path) != nil else { throw SpaceError.notFound(path) }
    }

    public func read(_ path: SpacePath, range: Range<Int64>?) async throws -> (entry: SpaceEntry, content: BlobReader) {
        guard !path.isRoot else { throw SpaceError.notFound(path) }
        let key = Self.key(path)
        if range?.isEmpty != true, let got = try await client.getObjectWithHead(key, range: range) {
            let entry = Self.document(path, size: got.head.size, modified: got.head.lastModified, etag: got.head.etag)
            let body = got.body
            return (entry, BlobReader { send in for try await chunk in body { try await send(chunk) } })
        }
        // Nothing there, or a range that holds no byte of it (416): no bytes, if it exists.
        guard let head = try await client.headObject(key) else { throw SpaceError.notFound(path) }
        return (Self.document(path, size: head.size, modified: head.lastModified, etag: head.etag), BlobReader { _ in })
    }

    public func list(_ folder: SpacePath) async throws -> [SpaceEntry] {
        let prefix = Self.folderKey(folder)
        let listing = try await client.listFolder(prefix)
        var entries: [SpaceEntry] = []
        for object in listing.objects {
            let name = String(object.key.dropFirst(prefix.count))
            // The folder's own marker is no entry; a key no path can name is left out.
            guard object.key.hasPrefix(prefix), !name.isEmpty, let path = try? folder.appending(name) else { continue }
            entries.append(Self.document(path, size: object.size, modified: object.lastModified, etag: object.etag))
        }
        for sub in listing.folders where sub.hasPrefix(prefix) && sub.hasSuffix("/") {
            guard let path = try? folder.appending(String(sub.dropFirst(prefix.count).dropLast())) else { continue }
            entries.append(Self.folderEntry(path))
        }
        guard folder.isRoot || !listing.objects.isEmpty || !listing.folders.isEmpty else {
            throw SpaceError.notFound(folder)
        }
        return entries
    }

    // MARK: Writing

    public func write(_ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition) async throws
        -> SpaceEntry
    {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        // Refused before a byte is sent: a larger write would need a multipart upload, whose
        // completion applies no condition.
        guard content.size <= Self.maxWriteSize else { throw FolioError.tooLarge(limit: Self.maxWriteSize) }
        switch condition {
        case .absent:
            // (A document that still has its tag is in its folder: no check needed there.)
            try await requireFolder(path.parent)
            if let folder = try await folder(path) { throw SpaceError.changed(path: path, current: folder) }
            do {
                return try await put(path, content, headers: [("if-none-match", "*")])
            } catch let error where Self.conditionFailed(error) {
                throw SpaceError.changed(path: path, current: try await stat(path))
            } catch let error where Self.mayBeLostRace(error) {
                guard let current = try await stat(path) else { throw error }
                throw SpaceError.changed(path: path, current: current)
            }
        case .matches(let tag):
            return try await withIfMatch(path, tag: tag) { form in
                try await put(path, content, headers: [("if-match", form.header(tag))])
            }
        }
    }

    /// One streamed PUT; the entry from its answer (its ETag: a HEAD afterwards could already
    /// show another program's write).
    func put(_ path: SpacePath, _ content: SpaceContent, headers: [(String, String)]) async throws -> SpaceEntry {
        let answer = try await client.putObject(
            Self.key(path), size: content.size, sha256: content.sha256, content: try await content.open(),
            headers: headers)
        guard let etag = answer.first(name: "etag"), !etag.isEmpty else {
            throw FolioError.storage("\(description) took \(path) without giving its ETag")
        }
        let when = ObjectHead.httpDate(answer.first(name: "last-modified") ?? answer.first(name: "date")) ?? Date()
        return Self.document(path, size: content.size, modified: when, etag: etag)
    }

    /// Runs `request` under `If-Match: tag` in the spelling the gateway takes (`IfMatchForm`):
    /// when the first spelling is refused while the document still has `tag`, the other one is
    /// tried once, and remembered when it works.
    func withIfMatch<T>(_ path: SpacePath, tag: String, _ request: (IfMatchForm) async throws -> T) async throws -> T {
        let form = IfMatchForm.preferred(at: endpoint)
        do {
            return try await request(form)
        } catch let error where Self.conditionFailed(error) || Self.mayBeLostRace(error) {
            let current = try await stat(path)
            guard let current, !current.isFolder, ObjectHead.sameTag(current.tag, tag) else {
                throw SpaceError.changed(path: path, current: current)
            }
            if Self.mayBeLostRace(error) { throw error }
        }
        do {
            let result = try await request(form.other)
            IfMatchForm.learn(form.other, at: endpoint)
            return result
        } catch let error where Self.conditionFailed(error) || Self.mayBeLostRace(error) {
            let current = try await stat(path)
            guard let current, !current.isFolder, ObjectHead.sameTag(current.tag, tag) else {
                throw SpaceError.changed(path: path, current: current)
            }
            guard Self.conditionFailed(error) else { throw error }
            throw FolioError.storage("\(description) refuses If-Match \(tag) spelt either way while \(path) has it")
        }
    }

    public func move(_ from: SpacePath, to: SpacePath, tag: String) async throws -> SpaceEntry {
        guard !from.isRoot, !to.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        guard let source = try await client.headObject(Self.key(from)), ObjectHead.sameTag(source.etag, tag) else {
            throw SpaceError.changed(path: from, current: try await stat(from))
        }
        try await requireFolder(to.parent)
        // Last before the copy, to keep the window in which RGW (which ignores If-None-Match on
        // a copy) would replace a document created at the target as short as it can be.
        if try await stat(to) != nil { throw SpaceError.exists(to) }
        let copied: SpaceEntry
        do {
            let condition = ObjectHead.canonical(tag)
            let copy = try await client.copyObject(
                from: Self.key(from), to: Self.key(to),
                headers: [
                    ("x-amz-copy-source-if-match", condition), ("x-amz-copy-if-match", condition),
                    ("if-none-match", "*"),
                ])
            let when = copy.lastModified == .distantPast ? Date() : copy.lastModified
            copied = Self.document(to, size: source.size, modified: when, etag: copy.etag)
        } catch let error where Self.conditionFailed(error) {
            if try await stat(to) != nil { throw SpaceError.exists(to) }
            throw SpaceError.changed(path: from, current: try await stat(from))
        }
        do {
            try await delete(from, tag: tag)
        } catch let error as SpaceError {
            // The source changed or went after it was copied: the move did not happen, so the
            // copy goes again (only while it is still the copy).
            try? await delete(to, tag: copied.tag)
            if case .changed = error { throw SpaceError.changed(path: from, current: try await stat(from)) }
            throw SpaceError.changed(path: from, current: nil)
        }
        return copied
    }

    public func delete(_ path: SpacePath, tag: String) async throws {
        guard !path.isRoot, let head = try await client.headObject(Self.key(path)) else {
            throw SpaceError.notFound(path)
        }
        guard ObjectHead.sameTag(head.etag, tag) else {
            throw SpaceError.changed(
                path: path, current: Self.document(path, size: head.size, modified: head.lastModified, etag: head.etag))
        }
        try await withIfMatch(path, tag: tag) { form in
            try await client.deleteObject(Self.key(path), headers: [("if-match", form.header(tag))])
        }
    }

    public func makeFolder(_ path: SpacePath) async throws {
        guard !path.isRoot else { throw SpaceError.exists(path) }
        try await requireFolder(path.parent)
        if try await stat(path) != nil { throw SpaceError.exists(path) }
        do {
            _ = try await client.send(
                .PUT, key: Self.folderKey(path), headers: [("if-none-match", "*")], body: ByteBuffer(),
                operation: "PUT \(Self.folderKey(path))")
        } catch let error where Self.conditionFailed(error) {
            throw SpaceError.exists(path)
        }
    }
}
