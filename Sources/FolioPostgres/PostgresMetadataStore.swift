import FolioCore
import Foundation
import Logging
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization
import WOPI

/// The scale-out metadata store: one PostgreSQL database (or schema) shared by any number of
/// Folio instances. Writes run in READ COMMITTED transactions; every read-check-write of a
/// file first takes the file's row with `FOR UPDATE`, so lock and version changes of one file
/// are serialised across instances (a compare-and-set), while different files never wait on
/// each other. Names stay unique through unique indexes; a transaction that loses such a race
/// runs again and then reports the name as taken, like SQLite would have.
public final class PostgresMetadataStore: MetadataStore {
    let client: PostgresClient
    let logger: Logger
    let location: PostgresLocation
    private let runner: Task<Void, Never>
    private let listener: Task<Void, Never>
    /// The clock of requests waiting for a connection (see `leased`).
    private let ticker = LeaseTicker()
    private let ticking: Task<Void, Never>
    /// Moves on every change made by any instance (LISTEN/NOTIFY); CheckFileInfo's cache is
    /// keyed on it.
    package let changes: PostgresChangeFeed
    let accessCache: AccessCache
    /// Writes finishing together share one announcement.
    private let announcements = Announcements()
    /// The webhooks, as last read (see `webhooks()`).
    let webhookCache = Mutex<(loadedAt: ContinuousClock.Instant, hooks: [Webhook])?>(nil)

    private init(
        client: PostgresClient, location: PostgresLocation, connection: PostgresConnection.Configuration,
        logger: Logger
    ) {
        self.client = client
        self.location = location
        self.logger = logger
        // The pool works only while `run` does; it ends when the store goes away.
        runner = Task { await client.run() }
        ticking = Task { [ticker] in await ticker.run() }
        let changes = PostgresChangeFeed()
        self.changes = changes
        accessCache = AccessCache(counter: changes)
        listener = Task {
            await changes.run(
                connect: { try await PostgresConnection.connect(configuration: connection, id: 1, logger: logger) },
                logger: logger)
        }
    }

    deinit {
        runner.cancel()
        listener.cancel()
        ticking.cancel()
    }

    /// Connects, makes the schema if the URL names one, and brings the tables up to date.
    /// Several instances starting together migrate once: the first holds an advisory lock.
    public static func open(
        _ location: PostgresLocation, maximumConnections: Int? = nil, logger: Logger = Logger(label: "folio.postgres")
    ) async throws -> PostgresMetadataStore {
        let tls: PostgresClient.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(TLSConfiguration.makeClientConfiguration())
            case .require: .require(TLSConfiguration.makeClientConfiguration())
            }
        let probeTLS: PostgresConnection.Configuration.TLS =
            switch location.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        // One plain connection first: a wrong address or password is reported at once, in
        // the server's words, instead of after the pool's retries give up.
        var single = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: probeTLS)
        do {
            let probe = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw FolioError.storage("cannot connect to \(location): \(Self.describe(error))")
        }
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.maximumConnections = maximumConnections ?? location.poolSize
        if let schema = location.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
            single.options.additionalStartupParameters = [("search_path", schema)]
        }
        // The pool's own chatter (each reconnection attempt) stays out of Folio's log; failures
        // reach Folio as errors of the requests that needed the database.
        var background = logger
        background.logLevel = .error
        let store = PostgresMetadataStore(
            client: PostgresClient(configuration: configuration, backgroundLogger: background), location: location,
            connection: single, logger: logger)
        do {
            try await store.migrate()
        } catch {
            throw FolioError.storage("cannot prepare \(location): \(Self.describe(error))")
        }
        return store
    }

    func migrate() async throws {
        try await transaction { db in
            // Serialise concurrent starts on this schema (the key is per schema name).
            let schema = location.schema ?? "public"
            try await db.execute("SELECT pg_advisory_xact_lock(72405, hashtext(\(schema)))")
            if location.schema != nil {
                try await db.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: "\"" + schema + "\"")")
            }
            try await db.execute(
                "CREATE TABLE IF NOT EXISTS folio_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)")
            let applied = Set(
                try await db.rows("SELECT name FROM folio_migrations").map { try $0.get("name", as: String.self) })
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await db.execute(PostgresQuery(unsafeSQL: statement))
                }
                try await db.execute(
                    "INSERT INTO folio_migrations (name, applied_at) VALUES (\(migration.name), now())")
            }
        }
    }

    /// A connection outside any transaction, for reads.
    package func read<T: Sendable>(_ body: @Sendable (PostgresSession) async throws -> T) async throws -> T {
        do {
            return try await leased { connection in
                try await body(PostgresSession(connection: connection, logger: logger))
            }
        } catch let error as PSQLError where Self.isNUL(error) {
            // PostgreSQL text cannot hold NUL, so nothing is named or found by such a value;
            // SQLite would simply have found nothing.
            throw FolioError.notFound("nothing has a name or id with a NUL character")
        }
    }

    /// Every write goes through here: one transaction, run again (a few times, after a short
    /// pause) when PostgreSQL reports a serialisation failure, a deadlock, or a unique index
    /// that a concurrent transaction filled after this one checked it.
    @discardableResult
    package func write<T: Sendable>(_ body: @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await retrying { try await transaction(body) }
    }

    /// A write whose statements each commit by themselves (compare-and-set statements), so no
    /// BEGIN and COMMIT: `body` answers nil when it wrote nothing, and only a write is
    /// announced. Run again like `write` on the same failures (a failed statement left nothing).
    package func writeEach<T: Sendable>(_ body: @Sendable (PostgresSession) async throws -> T?) async throws -> T? {
        try await retrying {
            try await leased { connection in
                let db = PostgresSession(connection: connection, logger: logger)
                let value = try await body(db)
                if value != nil { await announce(db) }
                return value
            }
        }
    }

    private func retrying<T: Sendable>(_ run: () async throws -> T) async throws -> T {
        changes.bump()
        defer { changes.bump() }
        var attempt = 0
        while true {
            do {
                return try await run()
            } catch let error as PSQLError where attempt < 5 && Self.retryable(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << attempt))))
            } catch let error as PSQLError where Self.isNUL(error) {
                throw FolioError.badRequest("text with a NUL character cannot be stored")
            }
        }
    }

    /// Every instance hears of a write (their caches empty) before it is answered, so the next
    /// request through another instance sees it; should this fail, the write stands and their
    /// caches age out within a second. (Announcing from a task after answering broke that:
    /// tests/scale read the old content through the other instance.)
    private func announce(_ db: PostgresSession) async {
        await announcements.announce {
            do {
                _ = try await db.rows(HotSQL.Announce.self, PostgresBindings())
            } catch {
                logger.debug("change not announced", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func transaction<T: Sendable>(_ body: @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await leased { connection in
            let db = PostgresSession(connection: connection, logger: logger)
            try await db.execute("BEGIN")
            do {
                let value = try await body(db)
                try await db.execute("COMMIT")
                await announce(db)
                return value
            } catch {
                // A broken connection cannot roll back; the server ends its transaction then.
                _ = try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// How long a request waits for a connection before Folio checks whether the database can
    /// be reached at all, in ticks of `ticker` (a second each, the first one sooner): the pool
    /// itself waits for the database as long as it takes, which a request must not when the
    /// database is gone.
    static let leaseTicks = 4

    /// One of the pool's connections for `body`. When none comes within `leaseTicks`, a TCP
    /// connection to the database is tried (1 s): refused or unanswered, the request fails as
    /// unavailable (503 with Retry-After) and gives up its place in the pool's queue; answered
    /// (the database is only busy), it waits on and looks again after as long. A body that
    /// has its connection runs as long as it needs.
    func leased<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let acquired = LeaseFlag()
        let ticker = self.ticker
        let client = self.client
        let location = self.location
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        acquired.set()
                        return try await body(connection)
                    }
                }
                group.addTask {
                    while true {
                        // Between three and four seconds (ticks are a second apart), then the
                        // probe's one: a 503 within five.
                        for _ in 0..<Self.leaseTicks { try await ticker.nextTick() }
                        if acquired.isSet { return nil }
                        guard await Self.reachable(location) else {
                            throw FolioError.unavailable(
                                "PostgreSQL at \(location) cannot be reached (no connection within 4 s)")
                        }
                    }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let value = result { return value }
                }
                throw CancellationError()
            }
        }
    }

    /// Whether the database's address takes a TCP connection within a second.
    static func reachable(_ location: PostgresLocation) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1)).connect(host: location.host, port: location.port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// PostgreSQL refused a NUL character in text (SQLSTATE 22021).
    static func isNUL(_ error: PSQLError) -> Bool { error.sqlState == "22021" }

    static func retryable(_ error: PSQLError) -> Bool {
        ["40001", "40P01", "23505"].contains(error.sqlState ?? "")
    }

    /// A readable one-line cause for a failure to connect or migrate.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    // MARK: Users

    public func createUser(login: String, displayName: String, isAdmin: Bool, passwordHash: String?, now: Int64)
        async throws -> User
    {
        let user = StoreRules.newAccount(
            login: login, displayName: displayName, isAdmin: isAdmin, passwordHash: passwordHash, now: now)
        try await write { db in
            if try await db.value("SELECT TRUE FROM users WHERE login_key = \(Self.key(login))", as: Bool.self) != nil {
                throw FolioError.conflict("a user with login \(login) already exists")
            }
            try await Self.insertUser(db, user)
        }
        return user
    }

    public func user(id: String) async throws -> User? {
        try await read { db in try await Self.fetchUser(db, id: id) }
    }

    public func user(login: String) async throws -> User? {
        try await read { db in
            try await db.row("SELECT * FROM users WHERE login_key = \(Self.key(login))").map(Self.user(from:))
        }
    }

    public func setUserInfo(userID: String, info: String) async throws {
        try await write { db in
            guard try await db.execute("UPDATE users SET user_info = \(info) WHERE id = \(userID) RETURNING 1") == 1
            else { throw FolioError.notFound("no such user") }
        }
    }

    // MARK: Folders

    public func folder(id: String) async throws -> Folder? {
        try await read { db in try await Self.fetchFolder(db, id: id) }
    }

    public func createFolder(parentID: String, name: String, ownerID: String, now: Int64) async throws -> Folder {
        let folder = Folder(
            id: Identifier.random(), parentID: parentID, ownerID: ownerID, name: name, createdAt: now,
            modifiedAt: now)
        try await write { db in
            guard try await Self.fetchFolder(db, id: parentID) != nil else {
                throw FolioError.notFound("no such folder")
            }
            try await Self.ensureNameFree(db, folderID: parentID, name: name)
            try await db.execute(
                """
                INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
                VALUES (\(folder.id), \(parentID), \(ownerID), \(name), \(Self.key(name)), \(now), \(now))
                """)
        }
        return folder
    }

    public func renameFolder(id: String, name: String, now: Int64) async throws -> Folder {
        try await write { db in
            guard var folder = try await Self.fetchFolder(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such folder")
            }
            if let parent = folder.parentID, Self.key(name) != Self.key(folder.name) {
                try await Self.ensureNameFree(db, folderID: parent, name: name)
            }
            try await db.execute(
                "UPDATE folders SET name = \(name), name_key = \(Self.key(name)), modified_at = \(now) WHERE id = \(id)"
            )
            folder.name = name
            folder.modifiedAt = now
            return folder
        }
    }

    public func deleteFolder(id: String, now: Int64) async throws {
        try await write { db in
            guard let folder = try await Self.fetchFolder(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such folder")
            }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be deleted") }
            let used = try await db.value(
                """
                SELECT EXISTS (SELECT 1 FROM files WHERE folder_id = \(id) AND deleted_at IS NULL)
                    OR EXISTS (SELECT 1 FROM folders WHERE parent_id = \(id) AND deleted_at IS NULL)
                """, as: Bool.self)
            if used == true { throw FolioError.conflict("the folder is not empty") }
            try await db.execute("UPDATE folders SET deleted_at = \(now) WHERE id = \(id)")
        }
    }

    public func folderPath(id: String) async throws -> [Folder] {
        try await read { db in
            try await db.rows(
                """
                WITH RECURSIVE chain(id, parent_id, depth) AS (
                    SELECT id, parent_id, 0 FROM folders WHERE id = \(id) AND deleted_at IS NULL
                    UNION ALL
                    SELECT f.id, f.parent_id, c.depth + 1 FROM folders f JOIN chain c ON f.id = c.parent_id
                )
                SELECT folders.* FROM chain JOIN folders USING (id) ORDER BY chain.depth DESC
                """
            ).map(Self.folder(from:))
        }
    }

    public func children(ofFolder id: String) async throws -> (folders: [Folder], files: [StoredFile]) {
        try await read { db in
            let folders = try await db.rows(
                "SELECT * FROM folders WHERE parent_id = \(id) AND deleted_at IS NULL ORDER BY name_key"
            ).map(Self.folder(from:))
            let files = try await db.rows(
                "SELECT * FROM files WHERE folder_id = \(id) AND deleted_at IS NULL ORDER BY name_key"
            ).map(Self.file(from:))
            return (folders, files)
        }
    }

    public func nameExists(inFolder folderID: String, name: String) async throws -> Bool {
        try await read { db in try await Self.nameUsed(db, folderID: folderID, name: name) }
    }

    // MARK: Files

    public func file(id: String) async throws -> StoredFile? {
        try await read { db in try await Self.fetchFile(db, id: id) }
    }

    public func access(fileID: String, userID: String) async throws -> FileAccessRecord? {
        // One prepared statement, remembered until any instance changes anything (the feed).
        try await accessCache.record(fileID: fileID, userID: userID) {
            try await read { db in
                try await db.row(HotSQL.FileAccess.self, try binds(fileID, userID)).map(Self.accessRecord(from:))
            }
        }
    }

    public func saveAccess(fileID: String, userID: String, now: Int64) async throws -> (FileAccessRecord, SaveBasis)? {
        try await read { db in
            guard let row = try await db.row(HotSQL.FileAccessForSave.self, try binds(fileID, userID, now)) else {
                return nil
            }
            let record = try Self.accessRecord(from: row)
            return (
                record, SaveBasis(file: record.file, lock: try Self.lock(from: row), stamp: try row.get("lock_gen"))
            )
        }
    }

    static func accessRecord(from row: PostgresRandomAccessRow) throws -> FileAccessRecord {
        FileAccessRecord(
            file: try file(from: row), user: try user(from: row, prefix: "u_"),
            role: try row.get("role", as: Int?.self).flatMap(Role.init(rawValue:)),
            folderName: try row.get("folder_name"))
    }

    public func cachedAccess(fileID: String, userID: String) -> FileAccessRecord? {
        accessCache.cached(fileID: fileID, userID: userID)
    }

    public func role(userID: String, folderID: String) async throws -> Role? {
        try await read { db in
            try await Self.folderRole(db, userID: userID, folderID: folderID)
        }
    }

    public func createFile(
        folderID: String, name: String, ownerID: String, blob: StoredBlob, info: VersionInfo, now: Int64,
        note: WebhookNote?
    ) async throws -> StoredFile {
        let file = StoreRules.newFile(folderID: folderID, name: name, ownerID: ownerID, blob: blob, now: now)
        try await write { db in
            guard try await Self.fetchFolder(db, id: folderID) != nil else {
                throw FolioError.notFound("no such folder")
            }
            try await Self.ensureNameFree(db, folderID: folderID, name: name)
            try await db.execute(
                """
                INSERT INTO files (id, folder_id, owner_id, name, name_key, version, size, sha256, blob_key,
                    modified_at, created_at)
                VALUES (\(file.id), \(folderID), \(ownerID), \(name), \(Self.key(name)), 1, \(blob.size),
                    \(Data(blob.sha256)), \(blob.key), \(now), \(now))
                """)
            try await Self.insertVersion(db, fileID: file.id, number: 1, blob: blob, info: info, now: now)
            try await Self.record(note, file: file, db, now: now)
        }
        return file
    }

    public func saveBasis(fileID: String, now: Int64) async throws -> SaveBasis {
        try await read { db in try await Self.readForSave(fileID: fileID, now: now, db) }
    }

    public func addVersion(
        fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64,
        note: WebhookNote?, basis: SaveBasis?
    ) async throws -> StoredFile {
        let save = Save(fileID: fileID, blob: blob, info: info, conditions: conditions, now: now, note: note)
        // Decide on what was read, write only if nothing moved: one statement that commits by
        // itself instead of a transaction's four round trips (and none to read when the caller
        // brings the basis it decided on). When another save or a lock change comes in between
        // twice, the save queues on the file's row instead (no endless retries).
        let landed = try await writeEach { db -> StoredFile? in
            // A basis the save would be refused on may be out of date, and its lock may have
            // expired since (an expiry moves no generation): then decide on a fresh read.
            var seen = basis.flatMap { basis in
                let usable =
                    (basis.lock?.expiresAt).map { $0 > now } ?? true
                    && (try? StoreRules.checkWrite(conditions, file: basis.file, current: basis.lock)) != nil
                return usable ? basis : nil
            }
            for _ in 0..<2 {
                let decidedOn: SaveBasis
                if let seen {
                    decidedOn = seen
                } else {
                    decidedOn = try await Self.readForSave(fileID: fileID, now: now, db)
                }
                if let saved = try await Self.saveIfUnchanged(save, seen: decidedOn, db) { return saved }
                seen = nil
            }
            return nil
        }
        if let landed { return landed }
        return try await write { db in try await Self.saveHeld(save, db) }
    }

    public func renameFile(
        id: String, name: String, lock: String?, checkLock: Bool, now: Int64, note: WebhookNote?
    ) async throws -> StoredFile {
        try await write { db in
            guard var file = try await Self.fetchFile(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such file")
            }
            if checkLock {
                try StoreRules.checkRename(lock: lock, current: try await Self.currentLock(db, fileID: id, now: now))
            }
            if Self.key(name) != Self.key(file.name) {
                try await Self.ensureNameFree(db, folderID: file.folderID, name: name)
            }
            try await db.execute("UPDATE files SET name = \(name), name_key = \(Self.key(name)) WHERE id = \(id)")
            file.name = name
            try await Self.record(note, file: file, db, now: now)
            return file
        }
    }

    public func deleteFile(id: String, now: Int64, deletedBy: String?, note: WebhookNote?) async throws {
        try await write { db in
            guard let file = try await Self.fetchFile(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such file")
            }
            try StoreRules.checkDelete(current: try await Self.currentLock(db, fileID: id, now: now))
            try await db.execute("DELETE FROM locks WHERE file_id = \(id)")
            try await db.execute("UPDATE files SET deleted_at = \(now), deleted_by = \(deletedBy) WHERE id = \(id)")
            try await Self.record(note, file: file, db, now: now)
        }
    }

    public func versions(fileID: String) async throws -> [Version] {
        try await read { db in
            try await db.rows("SELECT * FROM versions WHERE file_id = \(fileID) ORDER BY number").map(
                Self.version(from:))
        }
    }

    // MARK: Locks

    public func applyLock(
        fileID: String, operation: LockOperation, now: Int64, holder: LockHolder?, note: WebhookNote?
    ) async throws -> LockResult {
        // Read, decide, then change the lock row only if it is still as read, in one statement
        // that commits by itself: two round trips instead of a transaction's five. Someone
        // else's change in between makes the change find nothing; then read and decide again.
        // (Nothing any cache holds changes: no announcement.)
        for _ in 0..<50 {
            let outcome = try await read { db -> LockResult? in
                guard
                    let row = try await db.row(
                        HotSQL.FileAndLock.self, try binds(fileID, StoreRules.takenID(operation)))
                else {
                    throw FolioError.notFound("no such file")
                }
                let file = try Self.file(from: row)
                let readID = try row.get("l_lock_id", as: String?.self)
                let readExpiry = try row.get("l_expires_at", as: Int64?.self)
                let current = readID.flatMap { id in
                    readExpiry.flatMap { $0 > now ? FileLock(id: id, expiresAt: $0) : nil }
                }
                let broken = try row.get("broken", as: Bool.self)
                let (result, change) = StoreRules.lock(operation, current: current, now: now) { _ in broken }
                let lockNote = note?.forLock(operation, result)
                let event = lockNote?.event.rawValue
                let payload = lockNote?.payload(for: file, now: now)
                let changed: Int64?
                switch change {
                case .none:
                    return result
                case .set(let lock):
                    changed = try await db.row(
                        HotSQL.SetLockIfUnchanged.self,
                        try binds(
                            fileID, lock.id, lock.expiresAt, holder?.userID, readID, readExpiry, event, payload, now,
                            holder?.editor)
                    )?.get("changed")
                case .release:
                    guard let readID, let readExpiry else { return result }
                    changed = try await db.row(
                        HotSQL.ReleaseLockIfUnchanged.self,
                        try binds(fileID, readID, readExpiry, nil, nil, nil, event, payload, now, nil)
                    )?.get("changed")
                }
                return changed == 1 ? result : nil
            }
            if let outcome { return outcome }
            try await Task.sleep(for: .microseconds(Int.random(in: 50...500)))
        }
        throw FolioError.unavailable("the lock of this file is changing too fast; try again")
    }

    /// The outbox: one delivery per webhook listening to the note's event, written in the
    /// change's transaction (nothing when no webhook listens).
    static func record(_ note: WebhookNote?, file: StoredFile, _ db: PostgresSession, now: Int64) async throws {
        guard let note else { return }
        let event = note.event.rawValue
        let payload = note.payload(for: file, now: now)
        try await db.execute(
            """
            INSERT INTO webhook_deliveries (id, webhook_id, event, payload, created_at, next_attempt_at)
            SELECT substr(md5(random()::text || clock_timestamp()::text || id), 1, 22), id, \(event), \(payload),
                \(now), \(now)
            FROM webhooks WHERE position(',' || \(event) || ',' in ',' || events || ',') > 0
            """)
    }

    public func currentLock(fileID: String, now: Int64) async throws -> FileLock? {
        try await read { db in try await Self.currentLock(db, fileID: fileID, now: now) }
    }

    public func currentLocks(now: Int64, fileID: String?) async throws -> [LockEntry] {
        try await read { db in
            try await db.rows(
                """
                SELECT l.file_id, f.name, l.lock_id, l.expires_at, l.taken_at, l.editor, u.login FROM locks l
                JOIN files f ON f.id = l.file_id AND f.deleted_at IS NULL
                LEFT JOIN users u ON u.id = l.user_id
                WHERE l.expires_at > \(now) AND (\(fileID)::text IS NULL OR l.file_id = \(fileID))
                ORDER BY f.name_key, l.file_id
                """
            ).map {
                LockEntry(
                    fileID: try $0.get("file_id"), fileName: try $0.get("name"), lockID: try $0.get("lock_id"),
                    expiresAt: try $0.get("expires_at"), holder: try $0.get("login"),
                    takenAt: try $0.get("taken_at"), editor: try $0.get("editor"))
            }
        }
    }

    // MARK: Editor choices

    public func editorChoice(userID: String, fileExtension: String) async throws -> String? {
        try await read { db in
            try await db.value(
                "SELECT editor FROM editor_choices WHERE user_id = \(userID) AND extension = \(fileExtension)")
        }
    }

    public func setEditorChoice(userID: String, fileExtension: String, editor: String) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO editor_choices (user_id, extension, editor) VALUES (\(userID), \(fileExtension), \(editor))
                ON CONFLICT (user_id, extension) DO UPDATE SET editor = EXCLUDED.editor
                """)
        }
    }

    // MARK: Grants

    public func setGrant(resourceID: String, userID: String, role: Role?) async throws {
        try await write { db in
            if let role {
                try await db.execute(
                    """
                    INSERT INTO grants (resource_id, user_id, role) VALUES (\(resourceID), \(userID), \(role.rawValue))
                    ON CONFLICT (resource_id, user_id) DO UPDATE SET role = EXCLUDED.role
                    """)
            } else {
                try await db.execute("DELETE FROM grants WHERE resource_id = \(resourceID) AND user_id = \(userID)")
            }
        }
    }
}

/// Whether a request got its connection (set by the request, read by its watchdog).
final class LeaseFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
