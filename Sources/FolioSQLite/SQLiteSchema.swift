import FolioCore
import GRDB

/// Schema migrations for the SQLite store. Names are compared through `name_key`, the
/// lowercased name, so "Report.docx" and "report.docx" cannot live side by side.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY,
                        login TEXT NOT NULL,
                        login_key TEXT NOT NULL UNIQUE,
                        display_name TEXT NOT NULL,
                        is_admin INTEGER NOT NULL,
                        password_hash TEXT,
                        user_info TEXT NOT NULL DEFAULT '',
                        root_folder_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE folders (
                        id TEXT PRIMARY KEY,
                        parent_id TEXT REFERENCES folders(id),
                        owner_id TEXT NOT NULL REFERENCES users(id),
                        name TEXT NOT NULL,
                        name_key TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        modified_at INTEGER NOT NULL,
                        deleted_at INTEGER
                    );
                    CREATE UNIQUE INDEX folders_by_name ON folders(parent_id, name_key) WHERE deleted_at IS NULL;
                    CREATE TABLE files (
                        id TEXT PRIMARY KEY,
                        folder_id TEXT NOT NULL REFERENCES folders(id),
                        owner_id TEXT NOT NULL REFERENCES users(id),
                        name TEXT NOT NULL,
                        name_key TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        sha256 BLOB NOT NULL,
                        blob_key TEXT NOT NULL,
                        modified_at INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        deleted_at INTEGER
                    );
                    CREATE UNIQUE INDEX files_by_name ON files(folder_id, name_key) WHERE deleted_at IS NULL;
                    CREATE TABLE versions (
                        file_id TEXT NOT NULL REFERENCES files(id),
                        number INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        sha256 BLOB NOT NULL,
                        blob_key TEXT NOT NULL,
                        author_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        is_autosave INTEGER,
                        is_exit_save INTEGER,
                        is_modified_by_user INTEGER,
                        editors TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (file_id, number)
                    ) WITHOUT ROWID;
                    CREATE TABLE grants (
                        resource_id TEXT NOT NULL,
                        user_id TEXT NOT NULL REFERENCES users(id),
                        role INTEGER NOT NULL,
                        PRIMARY KEY (resource_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX grants_by_user ON grants(user_id);
                    CREATE TABLE locks (
                        file_id TEXT PRIMARY KEY REFERENCES files(id),
                        lock_id TEXT NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("2-editor-choices") { db in
            // The editor each user last chose for each file extension (host page).
            try db.execute(
                sql: """
                    CREATE TABLE editor_choices (
                        user_id TEXT NOT NULL REFERENCES users(id),
                        extension TEXT NOT NULL,
                        editor TEXT NOT NULL,
                        PRIMARY KEY (user_id, extension)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("3-web") { db in
            // Web pages: sign-in sessions, disabled users and guests, share links, who holds a
            // lock, and indexes for listings sorted by time and for the trash.
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN guest_link_id TEXT;
                    ALTER TABLE users ADD COLUMN language TEXT;
                    CREATE TABLE web_sessions (
                        id_hash TEXT PRIMARY KEY,
                        user_id TEXT NOT NULL REFERENCES users(id),
                        csrf_token TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX web_sessions_by_user ON web_sessions(user_id);
                    CREATE TABLE links (
                        id TEXT PRIMARY KEY,
                        resource_id TEXT NOT NULL,
                        role INTEGER NOT NULL,
                        created_by TEXT NOT NULL REFERENCES users(id),
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        password_hash TEXT,
                        revoked_at INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX links_by_resource ON links(resource_id);
                    CREATE INDEX users_by_link ON users(guest_link_id) WHERE guest_link_id IS NOT NULL;
                    ALTER TABLE locks ADD COLUMN user_id TEXT;
                    CREATE INDEX files_by_time ON files(folder_id, modified_at) WHERE deleted_at IS NULL;
                    CREATE INDEX files_in_trash ON files(owner_id) WHERE deleted_at IS NOT NULL;
                    CREATE INDEX folders_in_trash ON folders(owner_id) WHERE deleted_at IS NOT NULL;
                    """)
        }
        migrator.registerMigration("4-api") { db in
            // The application API: keys, users known by the application's ids, webhooks and
            // their delivery log.
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN external_id TEXT;
                    CREATE UNIQUE INDEX users_by_external_id ON users(external_id) WHERE external_id IS NOT NULL;
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    ) WITHOUT ROWID;
                    CREATE TABLE webhooks (
                        id TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        events TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE webhook_deliveries (
                        id TEXT PRIMARY KEY,
                        webhook_id TEXT NOT NULL,
                        event TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        delivered_at INTEGER,
                        gave_up_at INTEGER,
                        last_status INTEGER,
                        last_error TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX deliveries_due ON webhook_deliveries(next_attempt_at)
                        WHERE delivered_at IS NULL AND gave_up_at IS NULL;
                    CREATE INDEX deliveries_by_webhook ON webhook_deliveries(webhook_id, created_at);
                    """)
        }
        migrator.registerMigration("5-office") { db in
            // ONLYOFFICE's native editor: one document key per editing session of a file version.
            try db.execute(
                sql: """
                    CREATE TABLE office_keys (
                        key TEXT PRIMARY KEY,
                        file_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        retired_at INTEGER,
                        editors TEXT NOT NULL DEFAULT '',
                        conflict_file_id TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX office_keys_by_file ON office_keys(file_id) WHERE retired_at IS NULL;
                    """)
        }
        migrator.registerMigration("6-trash-deleter") { db in
            // Whoever deleted an item finds it in their trash, as does its owner.
            try db.execute(
                sql: """
                    ALTER TABLE files ADD COLUMN deleted_by TEXT;
                    ALTER TABLE folders ADD COLUMN deleted_by TEXT;
                    CREATE INDEX files_trashed_by ON files(deleted_by) WHERE deleted_at IS NOT NULL;
                    CREATE INDEX folders_trashed_by ON folders(deleted_by) WHERE deleted_at IS NOT NULL;
                    """)
        }
        migrator.registerMigration("7-listing-by-time") { db in
            // Listings by time break ties by name: the index gives that order whole.
            try db.execute(
                sql: """
                    DROP INDEX files_by_time;
                    CREATE INDEX files_by_time ON files(folder_id, modified_at, name_key) WHERE deleted_at IS NULL;
                    """)
        }
        migrator.registerMigration("8-space-documents") { db in
            // Documents of spaces (outside storage): the file that stands for each path, and
            // the tag Folio last saw it with.
            try db.execute(
                sql: """
                    CREATE TABLE space_documents (
                        file_id TEXT PRIMARY KEY REFERENCES files(id),
                        space TEXT NOT NULL,
                        path TEXT NOT NULL,
                        tag TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE UNIQUE INDEX space_documents_by_path ON space_documents(space, path);
                    """)
        }
        migrator.registerMigration("9-space-settings") { db in
            // What administrators set per space: the role every signed-in account holds.
            try db.execute(
                sql: """
                    CREATE TABLE space_settings (
                        space TEXT PRIMARY KEY,
                        everyone_role INTEGER
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("10-space-storage-locks") { db in
            // The storage's own lock (WebDAV) Folio holds for an editor, seen by every process.
            try db.execute(
                sql: """
                    ALTER TABLE space_documents ADD COLUMN lock_token TEXT;
                    ALTER TABLE space_documents ADD COLUMN lock_expires_at INTEGER;
                    """)
        }
        migrator.registerMigration("11-listing-indexes") { db in
            // Keyset pages in every order read an index from the cursor on: size order too,
            // and folders by time.
            try db.execute(
                sql: """
                    CREATE INDEX files_by_size ON files(folder_id, size, name_key) WHERE deleted_at IS NULL;
                    CREATE INDEX folders_by_time ON folders(parent_id, modified_at, name_key) WHERE deleted_at IS NULL;
                    """)
        }
        migrator.registerMigration("12-sessions-and-lock-details") { db in
            // The editing session each save came from (retention thins autosaves per session),
            // saves by time for the retention job, and when and through which editor a lock
            // was taken (for people deciding whether to break it); locks broken lately, so
            // that a save their editor sends afterwards is kept as a conflict copy.
            try db.execute(
                sql: """
                    ALTER TABLE versions ADD COLUMN session TEXT;
                    CREATE INDEX versions_by_editor_time ON versions(created_at, file_id)
                        WHERE source IN ('wopi', 'onlyoffice');
                    ALTER TABLE locks ADD COLUMN taken_at INTEGER;
                    ALTER TABLE locks ADD COLUMN editor TEXT;
                    CREATE TABLE broken_locks (
                        file_id TEXT NOT NULL,
                        lock_id TEXT NOT NULL,
                        broken_at INTEGER NOT NULL,
                        broken_by TEXT NOT NULL,
                        PRIMARY KEY (file_id, lock_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("13-derived-content") { db in
            // What previews and conversions made of each content (or why they could not).
            try db.execute(
                sql: """
                    CREATE TABLE derived (
                        sha256 BLOB NOT NULL,
                        kind TEXT NOT NULL,
                        blob_key TEXT,
                        size INTEGER NOT NULL,
                        pages INTEGER,
                        failure TEXT,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (sha256, kind)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
