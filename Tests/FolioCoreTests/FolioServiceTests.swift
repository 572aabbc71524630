import FolioCore
import FolioTestSupport
import Testing
import WOPI

/// The rules the services enforce on top of the stores: tokens, roles, names, conflicts.
@Suite struct FolioServiceTests {
    let install: Installation
    var folio: Folio { install.folio }

    init() throws { install = try Installation(settings: FolioSettings(maxUploadBytes: 1000)) }

    func setup() async throws -> (User, User, StoredFile) {
        let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
        let bob = try await folio.addUser(login: "bob", displayName: nil, isAdmin: false, passwordHash: nil)
        let file = try await folio.createFile(
            Chunks("hello"), expectedSize: 5, name: "doc.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload,
            uniqueName: true)
        return (alice, bob, file)
    }

    func session(_ file: StoredFile, _ user: User, _ role: Role = .edit) async throws -> FileSession {
        let token = folio.issueToken(.file(file.id), userID: user.id, role: role).token
        return try await folio.authorizeFile(token: token, fileID: file.id)
    }

    @Test func loginsAreChecked() async throws {
        for bad in ["", "-x", "a b", "a/b", String(repeating: "a", count: 65)] {
            await #expect(throws: FolioError.self) {
                _ = try await folio.addUser(login: bad, displayName: nil, isAdmin: false, passwordHash: nil)
            }
        }
        #expect(
            try await folio.addUser(login: "j.doe@example", displayName: nil, isAdmin: true, passwordHash: nil).isAdmin)
    }

    @Test func tokensOpenOnlyTheirFileUntilTheyExpire() async throws {
        let (alice, _, file) = try await setup()
        let other = try await folio.createFile(
            Chunks("x"), expectedSize: 1, name: "other.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload,
            uniqueName: true)
        let token = folio.issueToken(.file(file.id), userID: alice.id, role: .edit).token
        #expect(try await folio.authorizeFile(token: token, fileID: file.id).role == .edit)
        await #expect(throws: FolioError.unauthorized("the access token was issued for another resource")) {
            _ = try await folio.authorizeFile(token: token, fileID: other.id)
        }
        await #expect(throws: FolioError.unauthorized("no access token")) {
            _ = try await folio.authorizeFile(token: nil, fileID: file.id)
        }
        let containerToken = folio.issueToken(.container(alice.rootFolderID), userID: alice.id, role: .edit).token
        await #expect(throws: FolioError.self) {
            _ = try await folio.authorizeFile(token: containerToken, fileID: file.id)
        }
        install.clock.advance(seconds: folio.settings.tokenLifetimeSeconds + 1)
        await #expect(throws: FolioError.unauthorized("the access token has expired")) {
            _ = try await folio.authorizeFile(token: token, fileID: file.id)
        }
    }

    @Test func grantsAreCheckedOnEveryRequest() async throws {
        let (_, bob, file) = try await setup()
        try await folio.share(resourceID: file.id, with: bob, role: .edit)
        let token = folio.issueToken(.file(file.id), userID: bob.id, role: .edit).token
        #expect(try await folio.authorizeFile(token: token, fileID: file.id).role == .edit)
        // A lowered grant lowers the token's power at once; a withdrawn one ends it.
        try await folio.share(resourceID: file.id, with: bob, role: .view)
        let viewing = try await folio.authorizeFile(token: token, fileID: file.id)
        #expect(viewing.role == .view && !viewing.canWrite)
        await #expect(throws: FolioError.self) {
            _ = try await folio.saveContent(
                Chunks("x"), expectedSize: 1, session: viewing, conditions: .init(lock: .wopi(nil)))
        }
        try await folio.share(resourceID: file.id, with: bob, role: nil)
        await #expect(throws: FolioError.unauthorized("access to this file was withdrawn")) {
            _ = try await folio.authorizeFile(token: token, fileID: file.id)
        }
        await #expect(throws: FolioError.notFound("no file or folder nope")) {
            try await folio.share(resourceID: "nope", with: bob, role: .view)
        }
    }

    @Test func aRefusedSaveReadsNothingAndStoresNothing() async throws {
        let (alice, _, file) = try await setup()
        let editing = try await session(file, alice)
        _ = try await folio.lock(.lock("L"), session: editing)
        // A body that would fail if read: the lock refusal must come first.
        await #expect(throws: FolioError.lockConflict(current: "L", reason: "the file is locked with another id")) {
            _ = try await folio.saveContent(
                Chunks(Array("abc".utf8), failAfter: 0), expectedSize: 3, session: editing,
                conditions: .init(lock: .wopi("M")))
        }
        await #expect(throws: FolioError.tooLarge(limit: 1000)) {
            _ = try await folio.saveContent(
                Chunks(Array(repeating: 1, count: 1001)), expectedSize: nil, session: editing,
                conditions: .init(lock: .wopi("L")))
        }
        await #expect(throws: Chunks.Disconnected.self) {
            _ = try await folio.saveContent(
                Chunks(Array(repeating: 1, count: 100), failAfter: 2), expectedSize: 100, session: editing,
                conditions: .init(lock: .wopi("L")))
        }
        let current = try #require(try await folio.files.file(id: file.id))
        #expect(current.version == 1)
        #expect(try await install.read(current) == Array("hello".utf8))
        #expect(try (folio.blobs as! DirectoryBlobStore).allKeys() == [file.blobKey])
    }

    @Test func putRelativeNamesTargetsAsTheProtocolSays() async throws {
        let (alice, _, file) = try await setup()
        let editing = try await session(file, alice)
        let pdf = try await folio.putRelative(
            Chunks("%PDF"), expectedSize: 4, target: .suggested(".pdf"), session: editing)
        #expect(pdf.name == "doc.pdf" && pdf.folderID == alice.rootFolderID)
        let again = try await folio.putRelative(
            Chunks("%PDF"), expectedSize: 4, target: .suggested(".pdf"), session: editing)
        #expect(again.name == "doc (2).pdf")
        // Collabora's Save As vector: a path and UTF-7 shifted characters in the name.
        let decoded = try #require(UTF7.decode("/jan/hole+AWE-ovsk+AP0-/hello world+ACU-1.pdf"))
        let saved = try await folio.putRelative(
            Chunks("x"), expectedSize: 1, target: .suggested(decoded), session: editing)
        #expect(saved.name == "hello world%1.pdf")
        await #expect(throws: RelativeTargetProblem(kind: .exists, validTarget: "doc (3).pdf")) {
            _ = try await folio.putRelative(
                Chunks("x"), expectedSize: 1, target: .specific("doc.pdf", overwrite: false), session: editing)
        }
        await #expect(throws: RelativeTargetProblem.self) {
            _ = try await folio.putRelative(
                Chunks("x"), expectedSize: 1, target: .specific("a/b.pdf", overwrite: false), session: editing)
        }
        let overwritten = try await folio.putRelative(
            Chunks("new"), expectedSize: 3, target: .specific("doc.pdf", overwrite: true), session: editing)
        #expect(overwritten.id == pdf.id && overwritten.version == 2)
        // A locked target is not overwritten.
        _ = try await folio.lock(.lock("T"), session: try await session(pdf, alice))
        await #expect(throws: FolioError.lockConflict(current: "T", reason: "the target file is locked")) {
            _ = try await folio.putRelative(
                Chunks("new"), expectedSize: 3, target: .specific("doc.pdf", overwrite: true), session: editing)
        }
    }

    @Test func saveAsOfASharedFileLandsInTheUsersOwnFolder() async throws {
        let (_, bob, file) = try await setup()
        try await folio.share(resourceID: file.id, with: bob, role: .edit)
        let copy = try await folio.putRelative(
            Chunks("x"), expectedSize: 1, target: .suggested("copy.docx"), session: try await session(file, bob))
        #expect(copy.folderID == bob.rootFolderID && copy.ownerID == bob.id)
    }

    @Test func renameKeepsTheExtensionAndAdjustsTakenNames() async throws {
        let (alice, _, file) = try await setup()
        _ = try await folio.createFile(
            Chunks("x"), expectedSize: 1, name: "taken.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload,
            uniqueName: false)
        let editing = try await session(file, alice)
        #expect(try await folio.rename(session: editing, requestedBase: "report", lock: nil).name == "report.docx")
        #expect(
            try await folio.rename(session: try await session(file, alice), requestedBase: "taken", lock: nil).name
                == "taken (2).docx")
        await #expect(throws: FolioError.self) {
            _ = try await folio.rename(session: try await session(file, alice), requestedBase: "   ", lock: nil)
        }
        await #expect(throws: FolioError.self) {
            _ = try await folio.rename(session: try await session(file, alice, .view), requestedBase: "x", lock: nil)
        }
    }

    @Test func foldersAndNativeNames() async throws {
        let (alice, bob, _) = try await setup()
        let folder = try await folio.ensureFolder(path: "Reports/2026", owner: alice)
        #expect(try await folio.ensureFolder(path: "reports/2026", owner: alice).id == folder.id)
        let file = try await folio.createFile(
            Chunks("q"), expectedSize: 1, name: "q1.xlsx", folderID: folder.id, owner: alice, source: .upload,
            uniqueName: true)
        let session = try await folio.authorizeEcosystem(
            token: folio.issueToken(.ecosystem, userID: alice.id, role: .edit).token)
        #expect(try await folio.resolveNativeFile("Reports/2026/Q1.xlsx", session: session).0.id == file.id)
        #expect(try await folio.resolveNativeFile(file.id, session: session).1 == .edit)
        let bobs = try await folio.authorizeEcosystem(
            token: folio.issueToken(.ecosystem, userID: bob.id, role: .edit).token)
        await #expect(throws: FolioError.notFound("no such file")) {
            _ = try await folio.resolveNativeFile(file.id, session: bobs)
        }
        // Ancestors stop where the user's reach stops.
        try await folio.share(resourceID: folder.id, with: bob, role: .view)
        let path = try await folio.ancestors(ofFolder: folder.id, including: true, user: bob)
        #expect(path.map(\.folder.name) == ["2026"] && path[0].role == .view)
        #expect(
            try await folio.ancestors(ofFolder: folder.id, including: false, user: alice).map(\.folder.name) == [
                "alice", "Reports",
            ])
    }
}
