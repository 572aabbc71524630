import FolioCore
import Foundation
import PostgresNIO

/// Saves (`addVersion`): a compare-and-set first, a save that queues on the file's row when
/// that keeps missing.
extension PostgresMetadataStore {
    /// What a save writes.
    package struct Save: Sendable {
        let fileID: String
        let blob: StoredBlob
        let info: VersionInfo
        let conditions: WriteConditions
        let now: Int64
        let note: WebhookNote?

        package init(
            fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64,
            note: WebhookNote?
        ) {
            self.fileID = fileID
            self.blob = blob
            self.info = info
            self.conditions = conditions
            self.now = now
            self.note = note
        }
    }

    /// The file and its lock, held by nothing; the basis's stamp is the file's `lock_gen`.
    package static func readForSave(fileID: String, now: Int64, _ db: PostgresSession) async throws -> SaveBasis {
        guard let row = try await db.row(HotSQL.FileForSave.self, try binds(fileID, now)) else {
            throw FolioError.notFound("no such file")
        }
        return SaveBasis(file: try file(from: row), lock: try lock(from: row), stamp: try row.get("lock_gen"))
    }

    /// Decides on what was seen and writes the version only if the file and its lock are still
    /// as seen: the new file, or nil when something moved (read again, or queue). A refusal on
    /// what was seen is thrown: the save's lock rules hold on the lock as seen, and the write
    /// proves it was still in force.
    package static func saveIfUnchanged(_ save: Save, seen: SaveBasis, _ db: PostgresSession) async throws
        -> StoredFile?
    {
        try StoreRules.checkWrite(save.conditions, file: seen.file, current: seen.lock)
        let next = StoreRules.nextVersion(of: seen.file, blob: save.blob, now: save.now)
        var bindings = try versionBindings(save, next: next)
        bindings.append(seen.file.version)
        bindings.append(seen.stamp)
        let changed: Int64? = try await db.row(HotSQL.SaveVersionIfUnchanged.self, bindings)?.get("changed")
        return changed == 1 ? next : nil
    }

    /// The save in a transaction that holds the file's row: saves of one file then land one
    /// after the other, in the order they came.
    package static func saveHeld(_ save: Save, _ db: PostgresSession) async throws -> StoredFile {
        // The file (held) and its lock in one read; the lock checked again by the write.
        guard let row = try await db.row(HotSQL.FileForHeldSave.self, try binds(save.fileID, save.now)) else {
            throw FolioError.notFound("no such file")
        }
        let file = try file(from: row)
        var current = try lock(from: row)
        let next = StoreRules.nextVersion(of: file, blob: save.blob, now: save.now)
        for attempt in 0..<2 {
            do {
                try StoreRules.checkWrite(save.conditions, file: file, current: current)
            } catch  where attempt == 0 {
                // Refused on a lock the first read may have seen out of date: read it again.
                current = try await currentLock(db, fileID: save.fileID, now: save.now)
                try StoreRules.checkWrite(save.conditions, file: file, current: current)
            }
            let checked: String? =
                switch save.conditions.lock {
                case .wopi, .mustBeUnlocked: current?.id ?? ""
                case .none: nil
                }
            var bindings = try versionBindings(save, next: next)
            if let checked { bindings.append(checked) } else { bindings.appendNull() }
            bindings.append(save.now)
            let changed: Int64? = try await db.row(HotSQL.SaveVersion.self, bindings)?.get("changed")
            if changed == 1 { return next }
            // The lock changed before the row was held: decide again on the lock in force.
            current = try await currentLock(db, fileID: save.fileID, now: save.now)
        }
        throw FolioError.storage("the new version of \(save.fileID) was not written")
    }

    /// $1-$16 of the version statements.
    static func versionBindings(_ save: Save, next: StoredFile) throws -> PostgresBindings {
        let flags = save.info.flags
        return try binds(
            save.fileID, next.version, save.blob.size, Data(save.blob.sha256), save.blob.key, next.modifiedAt,
            save.note?.event.rawValue, save.note?.payload(for: next, now: save.now), save.now, save.info.authorID,
            save.info.source.rawValue, flags.isAutosave, flags.isExitSave, flags.isModifiedByUser,
            save.info.editors.joined(separator: ","), save.info.session)
    }

    /// The lock in a row read with `lock_id` and `expires_at` columns (in force, or NULL).
    static func lock(from row: PostgresRandomAccessRow) throws -> FileLock? {
        try row.get("lock_id", as: String?.self).map { FileLock(id: $0, expiresAt: try row.get("expires_at")) }
    }
}
