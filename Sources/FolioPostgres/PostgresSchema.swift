import FolioCore

/// Schema migrations for the PostgreSQL store: the same tables as SQLite's after all of its
/// migrations, in PostgreSQL's types. Each migration is a list of statements (the extended
/// protocol runs one at a time) applied in one transaction, recorded in `folio_migrations`.
enum PostgresSchema {
    static let migrations: [(name: String, statements: [String])] = [
        (
            "1-initial",
            [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    login TEXT NOT NULL,
                    login_key TEXT COLLATE "C" NOT NULL UNIQUE,
                    display_name TEXT COLLATE "C" NOT NULL,
                    is_admin BOOLEAN NOT NULL,
                    password_hash TEXT,
                    user_info TEXT NOT NULL DEFAULT '',
                    root_folder_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    disabled BOOLEAN NOT NULL DEFAULT FALSE,
                    guest_link_id TEXT,
                    language TEXT,
                    external_id TEXT
                )
                """,
                "CREATE INDEX users_by_link ON users(guest_link_id) WHERE guest_link_id IS NOT NULL",
                "CREATE UNIQUE INDEX users_by_external_id ON users(external_id) WHERE external_id IS NOT NULL",
                """
                CREATE TABLE folders (
                    id TEXT PRIMARY KEY,
                    parent_id TEXT REFERENCES folders(id),
                    owner_id TEXT NOT NULL REFERENCES users(id),
                    name TEXT NOT NULL,
                    name_key TEXT COLLATE "C" NOT NULL,
                    created_at BIGINT NOT NULL,
                    modified_at BIGINT NOT NULL,
                    deleted_at BIGINT,
                    deleted_by TEXT
                )
                """,
                "CREATE UNIQUE INDEX folders_by_name ON folders(parent_id, name_key) WHERE deleted_at IS NULL",
                "CREATE INDEX folders_in_trash ON folders(owner_id) WHERE deleted_at IS NOT NULL",
                "CREATE INDEX folders_trashed_by ON folders(deleted_by) WHERE deleted_at IS NOT NULL",
                """
                CREATE TABLE files (
                    id TEXT PRIMARY KEY,
                    folder_id TEXT NOT NULL REFERENCES folders(id),
                    owner_id TEXT NOT NULL REFERENCES users(id),
                    name TEXT NOT NULL,
                    name_key TEXT COLLATE "C" NOT NULL,
                    version BIGINT NOT NULL,
                    size BIGINT NOT NULL,
                    sha256 BYTEA NOT NULL,
                    blob_key TEXT NOT NULL,
                    modified_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    deleted_at BIGINT,
                    deleted_by TEXT
                )
                """,
                "CREATE UNIQUE INDEX files_by_name ON files(folder_id, name_key) WHERE deleted_at IS NULL",
                "CREATE INDEX files_by_time ON files(folder_id, modified_at, name_key) WHERE deleted_at IS NULL",
                "CREATE INDEX files_by_size ON files(folder_id, size, name_key) WHERE deleted_at IS NULL",
                "CREATE INDEX files_in_trash ON files(owner_id) WHERE deleted_at IS NOT NULL",
                "CREATE INDEX files_trashed_by ON files(deleted_by) WHERE deleted_at IS NOT NULL",
                """
                CREATE TABLE versions (
                    file_id TEXT NOT NULL REFERENCES files(id),
                    number BIGINT NOT NULL,
                    size BIGINT NOT NULL,
                    sha256 BYTEA NOT NULL,
                    blob_key TEXT NOT NULL,
                    author_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    source TEXT NOT NULL,
                    is_autosave BOOLEAN,
                    is_exit_save BOOLEAN,
                    is_modified_by_user BOOLEAN,
                    editors TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (file_id, number)
                )
                """,
                """
                CREATE TABLE grants (
                    resource_id TEXT NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    role INTEGER NOT NULL,
                    PRIMARY KEY (resource_id, user_id)
                )
                """,
                "CREATE INDEX grants_by_user ON grants(user_id)",
                """
                CREATE TABLE locks (
                    file_id TEXT PRIMARY KEY REFERENCES files(id),
                    lock_id TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    user_id TEXT
                )
                """,
                """
                CREATE TABLE editor_choices (
                    user_id TEXT NOT NULL REFERENCES users(id),
                    extension TEXT NOT NULL,
                    editor TEXT NOT NULL,
                    PRIMARY KEY (user_id, extension)
                )
                """,
                """
                CREATE TABLE web_sessions (
                    id_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX web_sessions_by_user ON web_sessions(user_id)",
                "CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at)",
                """
                CREATE TABLE links (
                    id TEXT PRIMARY KEY,
                    resource_id TEXT NOT NULL,
                    role INTEGER NOT NULL,
                    created_by TEXT NOT NULL REFERENCES users(id),
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    password_hash TEXT,
                    revoked_at BIGINT
                )
                """,
                "CREATE INDEX links_by_resource ON links(resource_id)",
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                """
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    events TEXT NOT NULL,
                    secret TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE webhook_deliveries (
                    id TEXT PRIMARY KEY,
                    webhook_id TEXT NOT NULL,
                    event TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT,
                    delivered_at BIGINT,
                    gave_up_at BIGINT,
                    last_status INTEGER,
                    last_error TEXT
                )
                """,
                """
                CREATE INDEX deliveries_due ON webhook_deliveries(next_attempt_at)
                    WHERE delivered_at IS NULL AND gave_up_at IS NULL
                """,
                "CREATE INDEX deliveries_by_webhook ON webhook_deliveries(webhook_id, created_at)",
                """
                CREATE TABLE office_keys (
                    key TEXT PRIMARY KEY,
                    file_id TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    retired_at BIGINT,
                    editors TEXT NOT NULL DEFAULT '',
                    conflict_file_id TEXT
                )
                """,
                "CREATE INDEX office_keys_by_file ON office_keys(file_id) WHERE retired_at IS NULL",
            ]
        ),
        (
            "2-space-documents",
            [
                """
                CREATE TABLE space_documents (
                    file_id TEXT PRIMARY KEY REFERENCES files(id),
                    space TEXT COLLATE "C" NOT NULL,
                    path TEXT COLLATE "C" NOT NULL,
                    tag TEXT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX space_documents_by_path ON space_documents(space, path)",
            ]
        ),
        (
            "3-space-settings",
            [
                """
                CREATE TABLE space_settings (
                    space TEXT COLLATE "C" PRIMARY KEY,
                    everyone_role INTEGER
                )
                """
            ]
        ),
        (
            "4-space-storage-locks",
            [
                "ALTER TABLE space_documents ADD COLUMN lock_token TEXT",
                "ALTER TABLE space_documents ADD COLUMN lock_expires_at BIGINT",
            ]
        ),
        (
            "5-listing-indexes",
            [
                // files_by_size is in 1-initial here; folders by time for keyset pages in time order.
                "CREATE INDEX folders_by_time ON folders(parent_id, modified_at, name_key) WHERE deleted_at IS NULL"
            ]
        ),
        (
            "6-sessions-and-lock-details",
            [
                "ALTER TABLE versions ADD COLUMN session TEXT",
                """
                CREATE INDEX versions_by_editor_time ON versions(created_at, file_id)
                    WHERE source IN ('wopi', 'onlyoffice')
                """,
                "ALTER TABLE locks ADD COLUMN taken_at BIGINT",
                "ALTER TABLE locks ADD COLUMN editor TEXT",
                """
                CREATE TABLE broken_locks (
                    file_id TEXT COLLATE "C" NOT NULL,
                    lock_id TEXT NOT NULL,
                    broken_at BIGINT NOT NULL,
                    broken_by TEXT NOT NULL,
                    PRIMARY KEY (file_id, lock_id)
                )
                """,
            ]
        ),
        (
            "7-derived-content",
            [
                """
                CREATE TABLE derived (
                    sha256 BYTEA NOT NULL,
                    kind TEXT COLLATE "C" NOT NULL,
                    blob_key TEXT,
                    size BIGINT NOT NULL,
                    pages BIGINT,
                    failure TEXT,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (sha256, kind)
                )
                """
            ]
        ),
        (
            "8-lock-generation",
            [
                // Moved by every lock change, in the statement that makes it: a save that
                // compares it at its write sees any lock change since it read (PostgreSQL
                // re-checks an updated row's conditions on its newest version, not on a snapshot).
                "ALTER TABLE files ADD COLUMN lock_gen BIGINT NOT NULL DEFAULT 0"
            ]
        ),
        ("9-announce-function", [PostgresChangeFeed.announceFunction]),
    ]
}
