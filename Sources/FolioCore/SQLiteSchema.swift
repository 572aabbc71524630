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
        return migrator
    }
}
