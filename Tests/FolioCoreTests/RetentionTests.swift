import FolioCore
import FolioTestSupport
import Testing
import WOPI

/// Retention through Folio's own saves, with the clock moved by hand: a week of an editor's
/// autosaves, an editing session still open, a dry run, and `gc` freeing what was removed.
@Suite struct RetentionTests {
    let install: Installation
    var folio: Folio { install.folio }

    init() throws { install = try Installation() }

    func session(_ file: StoredFile, _ user: User) async throws -> FileSession {
        let token = folio.issueToken(.file(file.id), userID: user.id, role: .edit, editor: .collabora).token
        return try await folio.authorizeFile(token: token, fileID: file.id)
    }

    /// One working day through WOPI: Lock, an autosave every ten minutes for eight hours
    /// (Collabora's flags), an exit save and Unlock — or, with `leaveOpen`, no exit and no Unlock.
    func workday(_ file: StoredFile, _ user: User, lock: String, leaveOpen: Bool = false) async throws {
        _ = try await folio.lock(.lock(lock), session: try await session(file, user))
        for i in 0..<48 {
            if i > 0 { install.clock.advance(seconds: 600) }
            _ = try await folio.lock(.refresh(lock), session: try await session(file, user))
            _ = try await folio.saveContent(
                Chunks("\(lock) autosave \(i)"), expectedSize: nil, session: try await session(file, user),
                conditions: WriteConditions(lock: .wopi(lock)), flags: SaveFlags(isAutosave: true, isExitSave: false))
        }
        guard !leaveOpen else { return }
        install.clock.advance(seconds: 600)
        _ = try await folio.saveContent(
            Chunks("\(lock) exit"), expectedSize: nil, session: try await session(file, user),
            conditions: WriteConditions(lock: .wopi(lock)), flags: SaveFlags(isAutosave: false, isExitSave: true))
        _ = try await folio.lock(.unlock(lock), session: try await session(file, user))
    }

    @Test func aWeekOfAutosavesIsThinnedExceptTheSessionStillOpen() async throws {
        let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
        let file = try await folio.createFile(
            Chunks("first"), expectedSize: 5, name: "plan.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: false)
        // Links name files, not versions: one made now still opens the current version after.
        let link = try await folio.createLink(on: file.id, role: .view, expiresAt: nil, password: nil, by: alice)
        // Seven days from 09:00; the last session (day 7) is still open the next morning.
        for day in 1...7 {
            install.clock.advance(seconds: 9 * 3600)
            try await workday(file, alice, lock: "lock-day-\(day)", leaveOpen: day == 7)
            install.clock.advance(seconds: 15 * 3600 - 48 * 600 + (day == 7 ? 600 : 0))
        }
        // Day 8, 09:00: day 7's lock is refreshed by its editor, still in force.
        _ = try await folio.lock(.refresh("lock-day-7"), session: try await session(file, alice))
        let before = try await folio.files.versions(fileID: file.id)
        #expect(before.count == 1 + 6 * 49 + 48)
        #expect(before.last?.session == VersionSession.wopi(lock: "lock-day-7"))

        let dry = try await folio.applyRetention(.standard, dryRun: true)
        #expect(dry.versionsRemoved == 6 * 40 && dry.filesChecked == 1 && dry.dryRun)
        #expect(try await folio.files.versions(fileID: file.id).count == before.count)

        let report = try await folio.applyRetention(.standard)
        #expect(report.versionsRemoved == 6 * 40)
        let after = try await folio.files.versions(fileID: file.id)
        #expect(after.count == before.count - 240)
        for day in 1...6 {
            let session = VersionSession.wopi(lock: "lock-day-\(day)")
            #expect(after.filter { $0.session == session }.count == 9, "day \(day): 8 hourly and the exit save")
        }
        #expect(after.filter { $0.session == VersionSession.wopi(lock: "lock-day-7") }.count == 48)
        #expect(after.first?.source == .upload && after.last?.number == before.last?.number)
        // A second run removes nothing; the file, its content and its link are as they were.
        #expect(try await folio.applyRetention(.standard).versionsRemoved == 0)
        let now = try #require(try await folio.files.file(id: file.id))
        #expect(String(decoding: try await install.read(now), as: UTF8.self) == "lock-day-7 autosave 47")
        let guest = try await folio.joinLink(link.id, displayName: "Guest", password: nil).user
        #expect(try await folio.fileAccess(file.id, user: guest).file.version == now.version)
        // The removed versions' content leaves at gc.
        let gc = try await folio.collectGarbage(minimumAge: 0)
        #expect(gc.orphansRemoved == 240)
        for version in after { _ = try await folio.openVersion(version) }
        // Once the session ends (the lock gone), its autosaves thin too.
        _ = try await folio.lock(.unlock("lock-day-7"), session: try await session(file, alice))
        install.clock.advance(seconds: 24 * 3600)
        #expect(try await folio.applyRetention(.standard).versionsRemoved == 40)
    }

    @Test func aSaveAfterTheLockWasBrokenIsKeptAsAConflictCopy() async throws {
        let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
        let bob = try await folio.addUser(login: "bob", displayName: nil, isAdmin: false, passwordHash: nil)
        let file = try await folio.createFile(
            Chunks("first"), expectedSize: 5, name: "plan.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: false)
        try await folio.share(resourceID: file.id, with: bob, role: .edit)
        _ = try await folio.lock(.lock("bobs-lock"), session: try await session(file, bob))
        let locks = try await folio.locksInForce(fileID: file.id)
        #expect(
            locks.first?.holder == "bob" && locks.first?.editor == "collabora" && locks.first?.takenAt == folio.now())
        // Bob may not break it (not the owner); alice may.
        do {
            try await folio.breakLock(fileID: file.id, for: bob)
            Issue.record("bob broke the lock")
        } catch FolioError.forbidden {}
        try await folio.breakLock(fileID: file.id, for: alice)
        install.clock.advance(seconds: 60)
        do {
            _ = try await folio.saveContent(
                Chunks("bob's late work"), expectedSize: nil, session: try await session(file, bob),
                conditions: WriteConditions(lock: .wopi("bobs-lock")))
            Issue.record("the save went through")
        } catch FolioError.lockConflict(let current, let reason) {
            #expect(current == "")
            #expect(reason.contains("broken by alice") && reason.contains("conflict copy"), "\(reason)")
        }
        #expect(try await folio.files.file(id: file.id)?.version == 1)
        let (_, files) = try await folio.files.children(ofFolder: alice.rootFolderID)
        let copy = try #require(files.first { $0.name.hasPrefix("plan (conflict copy, bob, ") })
        #expect(copy.name.hasSuffix(" UTC).docx") && copy.ownerID == alice.id)
        #expect(String(decoding: try await install.read(copy), as: UTF8.self) == "bob's late work")
        #expect(try await folio.files.role(userID: bob.id, folderID: alice.rootFolderID) == nil)
        _ = try await session(copy, bob)
        // Any other refused save stays a plain refusal: nothing is written.
        _ = try await folio.lock(.lock("alices-lock"), session: try await session(file, alice))
        do {
            _ = try await folio.saveContent(
                Chunks("stale"), expectedSize: nil, session: try await session(file, bob),
                conditions: WriteConditions(lock: .wopi("some-other-lock")))
            Issue.record("the stale save went through")
        } catch FolioError.lockConflict {}
        #expect(try await folio.files.children(ofFolder: alice.rootFolderID).files.count == 2)
    }
}
