import Crypto
import FolioCore
import Foundation
import GRDB

/// A consistent copy of an installation, taken while it runs: the database through SQLite's
/// online backup (one snapshot), then every blob that snapshot refers to (blobs never change
/// once written, and exist before any commit refers to them), then the signing secret.
/// A backup is itself a data folder: restoring copies it into a new one.
public struct Backup: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var versions: Int
        public var blobs: Int
        public var bytes: Int64
        public var verified: Bool
    }

    let source: DataFolder

    public init(source: DataFolder) { self.source = source }

    public func run(
        to destination: String, verify: Bool, progress: (String) -> Void = { _ in }
    ) throws -> Report {
        let target = DataFolder(path: destination)
        try Self.requireEmpty(target.path)
        guard FileManager.default.fileExists(atPath: source.databasePath) else {
            throw FolioError.notFound("no installation at \(source.path)")
        }
        try FileManager.default.createDirectory(atPath: target.blobsPath, withIntermediateDirectories: true)
        progress("copying the database")
        let live = try DatabasePool(path: source.databasePath)
        let copy = try DatabaseQueue(path: target.databasePath)
        try live.backup(to: copy)
        let rows = try copy.read { db in
            try Row.fetchAll(db, sql: "SELECT blob_key, size, sha256 FROM versions WHERE blob_key <> ''").map {
                (key: $0["blob_key"] as String, size: $0["size"] as Int64, sha: [UInt8]($0["sha256"] as Data))
            }
        }
        var unique: [String: (size: Int64, sha: [UInt8])] = [:]
        for row in rows { unique[row.key] = (row.size, row.sha) }
        progress("copying \(unique.count) blobs for \(rows.count) versions")
        var report = Report(versions: rows.count, blobs: 0, bytes: 0, verified: verify)
        for (index, (key, expected)) in unique.sorted(by: { $0.key < $1.key }).enumerated() {
            let from = source.blobsPath + "/" + key.prefix(2) + "/" + key
            let folder = target.blobsPath + "/" + key.prefix(2)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let to = folder + "/" + key
            // Blobs are immutable: a hard link is an exact, instant copy on the same disk.
            if link(from, to) != 0 { try FileManager.default.copyItem(atPath: from, toPath: to) }
            if verify { try Self.check(to, size: expected.size, sha256: expected.sha) }
            report.blobs += 1
            report.bytes += expected.size
            if (index + 1) % 500 == 0 { progress("copied \(index + 1) of \(unique.count) blobs") }
        }
        for file in [source.secretPath, source.publicURLPath] where FileManager.default.fileExists(atPath: file) {
            let name = (file as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: file, toPath: target.path + "/" + name)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.secretPath)
        progress("done: \(report.blobs) blobs, \(report.bytes) bytes")
        return report
    }

    /// Restores a backup into a new data folder (never over an existing installation),
    /// checking every blob against the database first.
    public static func restore(from backup: String, into destination: String, progress: (String) -> Void = { _ in })
        throws -> Report
    {
        let source = DataFolder(path: backup)
        guard FileManager.default.fileExists(atPath: source.databasePath) else {
            throw FolioError.notFound("\(backup) is not a Folio backup (no folio.sqlite)")
        }
        let existed = FileManager.default.fileExists(atPath: destination)
        do {
            let check = try Backup(source: source).run(to: destination, verify: true, progress: progress)
            // Opening runs the migrations a newer Folio may need.
            _ = try DataFolder(path: destination).open()
            return check
        } catch {
            // A restore that cannot finish leaves nothing half-made behind.
            if !existed {
                try? FileManager.default.removeItem(atPath: destination)
            } else {
                for item in (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? [] {
                    try? FileManager.default.removeItem(atPath: destination + "/" + item)
                }
            }
            throw error
        }
    }

    static func requireEmpty(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue, try FileManager.default.contentsOfDirectory(atPath: path).isEmpty else {
            throw FolioError.conflict("\(path) exists and is not an empty folder; nothing was written")
        }
    }

    static func check(_ path: String, size: Int64, sha256 expected: [UInt8]) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FolioError.storage("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += Int64(chunk.count)
        }
        guard total == size, Array(hasher.finalize()) == expected else {
            throw FolioError.storage("blob \((path as NSString).lastPathComponent) does not match its version")
        }
    }
}
