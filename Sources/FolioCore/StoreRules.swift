import WOPI

/// The decisions every metadata store takes the same way inside its write transactions, given
/// what it read there: so SQLite and PostgreSQL cannot drift apart.
package enum StoreRules {
    /// Throws when a new version of `file` may not be written under `conditions` with
    /// `current` the lock in force.
    package static func checkWrite(_ conditions: WriteConditions, file: StoredFile, current: FileLock?) throws {
        switch conditions.lock {
        case .wopi(let header):
            if case .conflict(let lock) = LockTable.decide(
                .putFile(lock: header, currentSize: file.size), current: current?.id)
            {
                throw FolioError.lockMismatch(current: lock)
            }
        case .mustBeUnlocked:
            if let current {
                throw FolioError.lockConflict(current: current.id, reason: "the target file is locked")
            }
        case .none:
            break
        }
        if let expected = conditions.expectedVersion, expected != file.version {
            throw FolioError.preconditionFailed("the file is at version \(file.version), not \(expected)")
        }
        if let since = conditions.unmodifiedSince, since != file.modifiedAt { throw FolioError.modifiedSince }
    }

    /// `file` moved on to `blob` as its next version at `now`. Times move forward even if two
    /// saves land within one microsecond.
    package static func nextVersion(of file: StoredFile, blob: StoredBlob, now: Int64) -> StoredFile {
        var next = file
        next.version += 1
        next.size = blob.size
        next.sha256 = blob.sha256
        next.blobKey = blob.key
        next.modifiedAt = max(now, file.modifiedAt + 1)
        return next
    }

    package static func checkRename(lock: String?, current: FileLock?) throws {
        if case .conflict(let c) = LockTable.decide(.rename(lock: lock), current: current?.id) {
            throw FolioError.lockConflict(current: c, reason: "the file is locked with another id")
        }
    }

    package static func checkDelete(current: FileLock?) throws {
        if case .conflict(let c) = LockTable.decide(.delete, current: current?.id) {
            throw FolioError.lockConflict(current: c, reason: "the file is locked")
        }
    }

    /// What a lock operation changes in the lock row.
    package enum LockChange {
        case none
        case set(FileLock)
        case release
    }

    /// The decision for `operation` against `current`, and the change the store must make.
    /// `wasBroken` is asked only when the operation would take a lock id that is not the one in
    /// force: a lock someone broke stays broken (its editor, alive after all, gets 409 and its
    /// saves go to conflict copies instead of taking the document back).
    /// The id an operation would newly take, if any (for the broken-lock check).
    package static func takenID(_ operation: LockOperation) -> String? {
        switch operation {
        case .lock(let id), .unlockAndRelock(_, let id): id
        default: nil
        }
    }

    package static func lock(
        _ operation: LockOperation, current: FileLock?, now: Int64, wasBroken: (String) throws -> Bool = { _ in false }
    ) rethrows -> (LockResult, LockChange) {
        let decision = LockTable.decide(operation, current: current?.id)
        if case .allow(.set(let id)) = decision, id != current?.id, try wasBroken(id) {
            return (LockResult(decision: .conflict(current: current?.id ?? ""), lock: current), .none)
        }
        switch decision {
        case .conflict, .allow(.keep):
            return (LockResult(decision: decision, lock: current), .none)
        case .allow(.set(let id)):
            let lock = FileLock(id: id, expiresAt: now + LockID.lifetimeSeconds * 1_000_000)
            return (LockResult(decision: decision, lock: lock), .set(lock))
        case .allow(.release):
            return (LockResult(decision: decision, lock: nil), .release)
        }
    }

    /// A person's account with a fresh id and a new root folder.
    package static func newAccount(login: String, displayName: String, isAdmin: Bool, passwordHash: String?, now: Int64)
        -> User
    {
        User(
            id: Identifier.random(), login: login, displayName: displayName, isAdmin: isAdmin,
            passwordHash: passwordHash, userInfo: "", rootFolderID: Identifier.random(), createdAt: now)
    }

    /// A new file at version 1 with `blob` as its content.
    package static func newFile(folderID: String, name: String, ownerID: String, blob: StoredBlob, now: Int64)
        -> StoredFile
    {
        StoredFile(
            id: Identifier.random(), folderID: folderID, ownerID: ownerID, name: name, version: 1, size: blob.size,
            sha256: blob.sha256, blobKey: blob.key, modifiedAt: now, createdAt: now)
    }

    /// How a folder listing reads: the column and direction to sort by, the lowercased search
    /// (nil for none), and how many rows each side must read (offset + limit, not overflowing).
    package struct Listing {
        package var column: String
        package var direction: String
        package var query: String?
        package var window: Int

        package init(order: ListingOrder, descending: Bool, nameContains: String?, offset: Int, limit: Int) {
            column =
                switch order {
                case .name: "name_key"
                case .size: "size"
                case .modified: "modified_at"
                }
            direction = descending ? "DESC" : "ASC"
            query = nameContains.map(StoreRules.key).flatMap { $0.isEmpty ? nil : $0 }
            let (sum, overflow) = offset.addingReportingOverflow(limit)
            window = overflow ? Int.max : sum
        }
    }

    /// A user made by the store itself (a guest, an application's user): login from `prefix`
    /// and a fresh id, a new root folder.
    package static func newUser(
        prefix: String, displayName: String, now: Int64, guestLinkID: String? = nil, externalID: String? = nil
    ) -> User {
        let id = Identifier.random()
        let login = prefix + (prefix == "app-" ? id.replacingOccurrences(of: "-", with: "_") : id)
        return User(
            id: id, login: login, displayName: displayName, isAdmin: false, passwordHash: nil, userInfo: "",
            rootFolderID: Identifier.random(), createdAt: now, guestLinkID: guestLinkID, externalID: externalID)
    }

    /// ONLYOFFICE's key alphabet (letters, digits, - . _ =); keys are never reused.
    package static func newOfficeKey(fileID: String, version: Int64, now: Int64) -> OfficeKey {
        OfficeKey(key: "\(fileID).\(version).\(Identifier.random())", fileID: fileID, version: version, createdAt: now)
    }

    package static func key(_ name: String) -> String { name.lowercased() }

    /// A keyset page's SQL pieces (both stores): each side's condition and the orders. `p`
    /// makes a placeholder for a value (SQLite's `?`, PostgreSQL's interpolation is done by
    /// the caller); the value, when the cursor has one, is bound first, the name second.
    package struct KeysetListing {
        package var column: String
        /// Folders' sort column: size order sorts folders by name.
        package var folderColumn: String
        /// Each side's direction and comparison, and the kinds' order.
        package var direction: String
        package var comparison: String
        package var kindDirection: String
        /// Which side the cursor leaves: all of it, none of it, or what lies past the cursor.
        package enum Side { case all, none, past }
        package var folders: Side
        package var files: Side

        package init(order: ListingOrder, descending: Bool, cursor: ListingCursor?, backwards: Bool) {
            column =
                switch order {
                case .name: "name_key"
                case .size: "size"
                case .modified: "modified_at"
                }
            folderColumn = order == .modified ? "modified_at" : "name_key"
            let ascending = descending == backwards
            direction = ascending ? "ASC" : "DESC"
            comparison = ascending ? ">" : "<"
            kindDirection = backwards ? "DESC" : "ASC"
            switch cursor {
            case nil: (folders, files) = (.all, .all)
            case let cursor? where cursor.isFolder: (folders, files) = (.past, backwards ? .none : .all)
            case _?: (folders, files) = (backwards ? .all : .none, .past)
            }
        }

        /// The cursor's value for a side's column: the name for name-ordered columns.
        package static func value(_ cursor: ListingCursor, column: String) -> DatabaseValueKind {
            column == "name_key" ? .text(cursor.nameKey) : .integer(cursor.value ?? 0)
        }

        package enum DatabaseValueKind: Sendable {
            case text(String)
            case integer(Int64)
        }
    }
}
