import FolioCore
import Testing
import WOPI

/// The conformance suite, continued, for what the web pages need: listings, moves, the trash,
/// accounts and sessions, share links and guests.
@Suite struct WebStoreConformanceTests {
    let t0: Int64 = 1_800_000_000_000_000

    func fixture(_ kind: StoreKind) async throws -> (any MetadataStore, User) {
        let store = try await kind.make()
        let alice = try await store.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        return (store, alice)
    }

    func file(
        _ store: any MetadataStore, _ name: String, in folder: String, owner: User, at time: Int64, size: Int64 = 1
    )
        async throws -> StoredFile
    {
        var blob = fakeBlob
        blob.size = size
        blob.key = Identifier.random()
        return try await store.createFile(
            folderID: folder, name: name, ownerID: owner.id, blob: blob,
            info: VersionInfo(authorID: owner.id, source: .upload), now: time)
    }

    @Test(arguments: StoreKind.allCases) func listingsPageSortAndSearch(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let root = alice.rootFolderID
        _ = try await store.createFolder(parentID: root, name: "Zeta", ownerID: alice.id, now: t0)
        for i in 0..<25 {
            _ = try await file(
                store, "doc \(String(format: "%02d", i)).docx", in: root, owner: alice, at: t0 + Int64(i),
                size: Int64(100 - i))
        }
        let first = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: nil, offset: 0, limit: 10, now: t0)
        #expect(first.total == 26)
        #expect(first.items.first?.kind == .folder && first.items.first?.name == "Zeta")
        #expect(first.items.dropFirst().map(\.name) == (0..<9).map { "doc \(String(format: "%02d", $0)).docx" })
        let last = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: nil, offset: 20, limit: 10, now: t0)
        #expect(last.items.count == 6 && last.total == 26)
        let past = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: nil, offset: 100, limit: 10, now: t0)
        #expect(past.items.isEmpty && past.total == 26)
        let bySize = try await store.listFolder(
            id: root, order: .size, descending: true, nameContains: nil, offset: 0, limit: 3, now: t0)
        #expect(bySize.items.map(\.name) == ["Zeta", "doc 00.docx", "doc 01.docx"])
        let newest = try await store.listFolder(
            id: root, order: .modified, descending: true, nameContains: nil, offset: 0, limit: 2, now: t0)
        #expect(newest.items.last?.name == "doc 24.docx")
        let search = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: "DOC 1", offset: 0, limit: 50, now: t0)
        #expect(search.total == 10 && search.items.allSatisfy { $0.name.hasPrefix("doc 1") })
    }

    /// Keyset pages: walking forward page by page, and back from the end, gives exactly the
    /// whole listing in every order and direction (folders first, ties broken by name, equal
    /// sizes and times included), and a page after an item stays put when items come and go
    /// before it.
    @Test(arguments: StoreKind.allCases) func keysetPagesWalkTheWholeListing(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let root = alice.rootFolderID
        for i in 0..<4 {
            _ = try await store.createFolder(
                parentID: root, name: "Folder \(i)", ownerID: alice.id, now: t0 + Int64(i % 2))
        }
        for i in 0..<17 {
            // Equal sizes and times in threes: the name breaks the ties.
            _ = try await file(
                store, "Doc \(String(format: "%02d", (i * 7) % 17)).docx", in: root, owner: alice,
                at: t0 + Int64(i / 3), size: Int64(10 + i / 3))
        }
        for order in ListingOrder.allCases {
            for descending in [false, true] {
                let whole = try await store.listFolder(
                    id: root, order: order, descending: descending, nameContains: nil, offset: 0, limit: 100, now: t0
                ).items.map(\.name)
                #expect(whole.count == 21)
                var forward: [String] = []
                var cursor: ListingCursor?
                var pages = 0
                while true {
                    let page = try await store.listFolder(
                        id: root, order: order, descending: descending, nameContains: nil, cursor: cursor,
                        backwards: false, limit: 4, now: t0)
                    #expect(page.total == 21)
                    forward += page.items.map(\.name)
                    pages += 1
                    guard page.hasMore, let last = page.items.last else { break }
                    cursor = ListingCursor(last, order: order)
                }
                #expect(forward == whole, "\(order) \(descending)")
                #expect(pages == 6)
                // Back from the end, page by page.
                var backward: [String] = []
                var before = try await store.listFolder(
                    id: root, order: order, descending: descending, nameContains: nil, cursor: nil, backwards: false,
                    limit: 100, now: t0
                ).items.last.map { ListingCursor($0, order: order) }
                backward = [whole.last!]
                while let place = before {
                    let page = try await store.listFolder(
                        id: root, order: order, descending: descending, nameContains: nil, cursor: place,
                        backwards: true, limit: 4, now: t0)
                    backward = page.items.map(\.name) + backward
                    before = page.hasMore ? page.items.first.map { ListingCursor($0, order: order) } : nil
                }
                #expect(backward == whole, "backwards \(order) \(descending)")
            }
        }
        // A cursor round-trips through its address form.
        let place = ListingCursor(isFolder: false, value: 42, nameKey: "отчёт 1.docx")
        #expect(try ListingCursor(token: place.token) == place)
        #expect(throws: FolioError.self) { try ListingCursor(token: "x.1.abc") }
        // Items coming before the page's place do not move the page.
        let second = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: nil,
            cursor: ListingCursor(isFolder: false, value: nil, nameKey: "doc 05.docx"), backwards: false, limit: 3,
            now: t0)
        _ = try await file(store, "Doc 00a.docx", in: root, owner: alice, at: t0)
        let again = try await store.listFolder(
            id: root, order: .name, descending: false, nameContains: nil,
            cursor: ListingCursor(isFolder: false, value: nil, nameKey: "doc 05.docx"), backwards: false, limit: 3,
            now: t0)
        #expect(again.items.map(\.name) == second.items.map(\.name))
        #expect(second.items.map(\.name) == ["Doc 06.docx", "Doc 07.docx", "Doc 08.docx"])
    }

    @Test(arguments: StoreKind.allCases) func listingsShowWhoHoldsALock(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let doc = try await file(store, "a.docx", in: alice.rootFolderID, owner: alice, at: t0)
        _ = try await store.applyLock(
            fileID: doc.id, operation: .lock("L"), now: t0, holder: LockHolder(userID: alice.id))
        func holder(at time: Int64) async throws -> String? {
            try await store.listFolder(
                id: alice.rootFolderID, order: .name, descending: false, nameContains: nil, offset: 0, limit: 5,
                now: time
            ).items.first?.lockedBy
        }
        #expect(try await holder(at: t0) == "Alice")
        // An expired lock shows nobody.
        #expect(try await holder(at: t0 + 31 * 60 * 1_000_000) == nil)
        // People in an ONLYOFFICE session show too.
        let bob = try await store.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        var key = try await store.officeKey(fileID: doc.id, version: doc.version, now: t0)
        key.editors = [bob.id, alice.id]
        try await store.updateOfficeKey(key)
        #expect(try await holder(at: t0 + 31 * 60 * 1_000_000) == "Bob")
    }

    @Test(arguments: StoreKind.allCases) func movesRefuseCyclesAndTakenNames(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let a = try await store.createFolder(parentID: alice.rootFolderID, name: "A", ownerID: alice.id, now: t0)
        let b = try await store.createFolder(parentID: a.id, name: "B", ownerID: alice.id, now: t0)
        await #expect(throws: FolioError.self) { _ = try await store.moveFolder(id: a.id, toParent: b.id, now: t0) }
        await #expect(throws: FolioError.self) { _ = try await store.moveFolder(id: a.id, toParent: a.id, now: t0) }
        let doc = try await file(store, "x.docx", in: alice.rootFolderID, owner: alice, at: t0)
        _ = try await file(store, "X.DOCX", in: b.id, owner: alice, at: t0)
        await #expect(throws: FolioError.self) { _ = try await store.moveFile(id: doc.id, toFolder: b.id, now: t0) }
        #expect(try await store.moveFile(id: doc.id, toFolder: a.id, now: t0).folderID == a.id)
        #expect(
            try await store.moveFolder(id: b.id, toParent: alice.rootFolderID, now: t0).parentID == alice.rootFolderID)
        #expect(try await store.folderPath(id: b.id).map(\.name) == ["alice", "B"])
    }

    @Test(arguments: StoreKind.allCases) func theTrashRestoresAndPurges(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let folder = try await store.createFolder(parentID: alice.rootFolderID, name: "Old", ownerID: alice.id, now: t0)
        let inside = try await file(store, "in.docx", in: folder.id, owner: alice, at: t0)
        let loose = try await file(store, "loose.docx", in: alice.rootFolderID, owner: alice, at: t0)
        try await store.trashFolder(id: folder.id, now: t0 + 1)
        try await store.deleteFile(id: loose.id, now: t0 + 2)
        // Only what was deleted itself is listed; what is inside a trashed folder cannot be opened.
        #expect(try await store.trash(ownerID: alice.id).map(\.name) == ["loose.docx", "Old"])
        #expect(try await store.access(fileID: inside.id, userID: alice.id)?.role == nil)
        // Restoring into a taken name is refused and changes nothing.
        _ = try await file(store, "loose.docx", in: alice.rootFolderID, owner: alice, at: t0)
        await #expect(throws: FolioError.self) { try await store.restore(.file, id: loose.id, now: t0) }
        try await store.restore(.folder, id: folder.id, now: t0 + 3)
        #expect(try await store.access(fileID: inside.id, userID: alice.id)?.role == .edit)
        try await store.trashFolder(id: folder.id, now: t0 + 4)
        let blobs = try await store.purge(.folder, id: folder.id)
        #expect(blobs == [inside.blobKey])
        #expect(try await store.file(id: inside.id) == nil)
        #expect(try await store.versions(fileID: inside.id).isEmpty)
        #expect(try await store.trash(ownerID: alice.id).map(\.name) == ["loose.docx"])
        #expect(try await store.purge(.file, id: loose.id) == [loose.blobKey])
        #expect(try await store.trash(ownerID: alice.id).isEmpty)
        await #expect(throws: FolioError.self) { _ = try await store.purge(.file, id: loose.id) }
    }

    @Test(arguments: StoreKind.allCases) func whoeverDeletedAnItemFindsItInTheirTrash(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let bob = try await store.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        let team = try await store.createFolder(parentID: alice.rootFolderID, name: "Team", ownerID: alice.id, now: t0)
        let bobs = try await file(store, "bobs.docx", in: team.id, owner: bob, at: t0)
        try await store.deleteFile(id: bobs.id, now: t0 + 1, deletedBy: alice.id)
        #expect(try await store.trash(ownerID: alice.id).map(\.name) == ["bobs.docx"])
        #expect(try await store.trash(ownerID: bob.id).map(\.name) == ["bobs.docx"])
        try await store.restore(.file, id: bobs.id, now: t0 + 2)
        #expect(try await store.trash(ownerID: alice.id).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func accountsAndSessions(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        #expect(try await store.adminExists() == false)
        let admin = try await store.createUser(
            login: "root", displayName: "Root", isAdmin: true, passwordHash: "h", now: t0)
        #expect(try await store.adminExists())
        #expect(try await store.users().map(\.login) == ["alice", "root"])
        let changed = try await store.updateUser(
            id: alice.id, displayName: "Alice L.", isAdmin: nil, isDisabled: true, passwordHash: .some("x"),
            language: .some("ru"))
        #expect(changed.displayName == "Alice L." && changed.isDisabled && changed.language == "ru")
        #expect(try await store.user(id: alice.id) == changed)
        let session = WebSession(idHash: "h1", userID: admin.id, csrfToken: "c", createdAt: t0, expiresAt: t0 + 10)
        try await store.createWebSession(session)
        #expect(try await store.webSession(idHash: "h1", now: t0)?.0 == session)
        #expect(try await store.webSession(idHash: "h1", now: t0 + 10) == nil)
        try await store.deleteWebSessions(userID: admin.id)
        #expect(try await store.webSession(idHash: "h1", now: t0) == nil)
    }

    @Test(arguments: StoreKind.allCases) func guestsComeAndGoWithTheirLink(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let doc = try await file(store, "shared.docx", in: alice.rootFolderID, owner: alice, at: t0)
        let link = ShareLink(
            id: "L1", resourceID: doc.id, role: .edit, createdBy: alice.id, createdAt: t0, expiresAt: nil,
            passwordHash: nil, revokedAt: nil)
        try await store.createLink(link)
        #expect(try await store.links(resourceID: doc.id) == [link])
        let guest = try await store.createGuest(link: link, displayName: "Visitor", now: t0)
        #expect(guest.isGuest && guest.guestLinkID == "L1")
        #expect(try await store.access(fileID: doc.id, userID: guest.id)?.role == .edit)
        // Guests are not accounts: not listed, not among the people an item is shared with.
        #expect(try await store.users().map(\.login) == ["alice"])
        #expect(try await store.grants(resourceID: doc.id).isEmpty)
        try await store.revokeLink(id: "L1", now: t0 + 1)
        #expect(try await store.access(fileID: doc.id, userID: guest.id)?.role == nil)
        #expect(try await store.user(id: guest.id)?.isDisabled == true)
        #expect(try await store.links(resourceID: doc.id).isEmpty)
        await #expect(throws: FolioError.self) {
            _ = try await store.createGuest(link: link, displayName: "Late", now: t0 + 2)
        }
    }

    @Test(arguments: StoreKind.allCases) func grantsAreListedAndSharedItemsFound(kind: StoreKind) async throws {
        let (store, alice) = try await fixture(kind)
        let bob = try await store.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        let doc = try await file(store, "plan.docx", in: alice.rootFolderID, owner: alice, at: t0)
        let folder = try await store.createFolder(
            parentID: alice.rootFolderID, name: "Team", ownerID: alice.id, now: t0)
        try await store.setGrant(resourceID: doc.id, userID: bob.id, role: .comment)
        try await store.setGrant(resourceID: folder.id, userID: bob.id, role: .view)
        #expect(
            try await store.grants(resourceID: doc.id).map { [$0.user.login, $0.role.name] } == [["bob", "comment"]])
        #expect(try await store.sharedWith(userID: bob.id).map(\.name) == ["Team", "plan.docx"])
        #expect(try await store.sharedWith(userID: alice.id).isEmpty)
    }
}
