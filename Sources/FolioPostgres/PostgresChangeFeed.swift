import FolioCore
import Logging
import PostgresNIO
import Synchronization

/// The change generation of a PostgreSQL installation, shared by every instance on the
/// database: each instance announces its committed writes with `NOTIFY folio_changes` and
/// listens on that channel on a connection of its own, and every notification (and every
/// local write, before and after) moves the generation, so a CheckFileInfo cache keyed on it
/// is emptied within milliseconds of a change made anywhere.
///
/// While the listening connection is down, nothing can be trusted: `current()` then answers
/// a new number on every call, so no cached entry is ever used, until the connection is back
/// and listening again. A notification lost between a commit and its announcement (the
/// writer died in between) is covered by the cache's own age limit (one second).
package final class PostgresChangeFeed: ChangeGeneration {
    static let channel = "folio_changes"
    /// The announcement, sent after a write committed: a transaction of its own with an
    /// asynchronous commit, so it never waits for a WAL flush (PostgreSQL serialises the
    /// commits of notifying transactions; the write itself stays out of that queue).
    /// The payload is the schema, so installations sharing one database do not empty each
    /// other's caches. A function (made by migration 9), so that it is planned once per
    /// connection: as a `DO` block it was parsed and compiled anew on every write.
    static let announceFunction = """
        CREATE OR REPLACE FUNCTION folio_announce() RETURNS void LANGUAGE plpgsql AS $$BEGIN \
        PERFORM set_config('synchronous_commit', 'off', true); \
        PERFORM pg_notify('\(channel)', current_schema()); END$$
        """

    private let generation = Atomic<UInt64>(1)
    private let listening = Atomic<Bool>(false)
    private let received = Atomic<Int>(0)

    package init() {}

    package func current() -> UInt64 {
        if listening.load(ordering: .acquiring) { return generation.load(ordering: .acquiring) }
        return generation.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
    }

    /// Whether changes made elsewhere are being heard (for tests and `/metrics`).
    package var isListening: Bool { listening.load(ordering: .acquiring) }
    /// Notifications heard since start.
    package var notificationsReceived: Int { received.load(ordering: .relaxed) }

    /// A local write: before it (a reader loading during the transaction is already out of
    /// date) and after it (so is one that loaded before).
    func bump() { generation.wrappingAdd(1, ordering: .acquiringAndReleasing) }

    /// Listens until cancelled: connects, LISTENs, moves the generation on every notification;
    /// when the connection fails, stops trusting the cache and connects again after a pause.
    func run(connect: @Sendable () async throws -> PostgresConnection, logger: Logger) async {
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                let connection = try await connect()
                defer { Task { try? await connection.close() } }
                // The connection has the installation's search_path: its schema is the payload
                // that concerns this installation.
                let schema = try await connection.query("SELECT current_schema()", logger: logger)
                    .collect().first?.decode(String.self)
                try await connection.listen(on: Self.channel) { notifications in
                    // Whatever changed while nobody listened is unknown: start from a new number.
                    bump()
                    listening.store(true, ordering: .releasing)
                    pause = .milliseconds(200)
                    logger.debug("listening for changes", metadata: ["channel": "\(Self.channel)"])
                    for try await notification in notifications where notification.payload == schema {
                        bump()
                        received.wrappingAdd(1, ordering: .relaxed)
                    }
                }
                listening.store(false, ordering: .releasing)
            } catch {
                listening.store(false, ordering: .releasing)
                if Task.isCancelled { return }
                logger.debug(
                    "not listening for changes; cached CheckFileInfo answers are off until it is back",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }
}
