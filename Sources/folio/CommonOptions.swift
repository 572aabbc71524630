import ArgumentParser
import FolioCore
import FolioServer
import FolioStores
import Foundation
import Logging

/// `--config` and `--data`, shared by every command that opens an installation.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML configuration file (env FOLIO_CONFIG); see `folio config check`.")
    var config: String?
    @Option(name: .long, help: "The data folder (env FOLIO_DATA; default ./folio-data).")
    var data: String?
    @Option(
        name: .long,
        help:
            "The metadata database: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB[?schema=NAME] (env FOLIO_DATABASE; default the data folder's folio.sqlite)."
    )
    var database: String?
    @Option(
        name: .long,
        help:
            "Where content lives: a folder, file:///DIR, or s3://BUCKET[/PREFIX]?endpoint=URL[&region=R][&path_style=false] with credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (env FOLIO_BLOBS; default the data folder's blobs)."
    )
    var blobs: String?
    @Option(
        name: .long,
        help:
            "A file holding the token-signing secret (base64url, at least 32 bytes), e.g. a mounted secret, so instances need no shared folder (env FOLIO_SECRET_FILE; default the data folder's secret.key, made on first start)."
    )
    var secretFile: String?
    @Option(
        name: .customLong("space"),
        help: ArgumentHelp(
            "A space, edited where it lives: NAME=KIND:LOCATION with KIND folder (an absolute path), webdav, s3 or http; repeatable (env FOLIO_SPACES, comma-separated). In `folio token` and `folio open`, --space NAME picks the space a --path is in.",
            valueName: "space"))
    var space: [String] = []
    @Option(
        name: .customLong("space-history"),
        help: ArgumentHelp(
            "NAME=keep|none: whether Folio keeps the content of every save to a space (keep, the default: history and restore work whatever the storage keeps) or only the current one's (none: versions are still recorded; older content leaves at `folio gc`); repeatable (env FOLIO_SPACE_HISTORY, comma-separated).",
            valueName: "name=history"))
    var spaceHistory: [String] = []
    @Option(
        name: .customLong("version-retention"),
        help: ArgumentHelp(
            "Which editors' autosaves are kept as they age, e.g. \"all 24h, hourly 30d, daily\" (the default: every one for a day, then each editing session's last of each hour for 30 days, then of each day), or keep; uploads, restores, exit saves, saves people asked for and the current version always stay (env FOLIO_VERSION_RETENTION).",
            valueName: "tiers"))
    var versionRetention: String?
    @Option(
        name: .customLong("space-retention"),
        help: ArgumentHelp(
            "NAME=TIERS: a space's own version retention, tiers separated by semicolons, e.g. \"docs=all 7d; daily\", or NAME=keep; repeatable (env FOLIO_SPACE_RETENTION, comma-separated).",
            valueName: "name=tiers"))
    var spaceRetention: [String] = []

    /// The configuration file (when one is named) and the environment.
    func settings() throws -> Settings {
        let path = config ?? Environment.value("FOLIO_CONFIG")
        return Settings(file: try path.map { try ConfigFile(path: $0) })
    }

    func folder(_ settings: Settings) -> DataFolder {
        DataFolder(path: settings.string(.data, option: data) ?? Setting.data.defaultValue)
    }

    var folder: DataFolder {
        get throws { folder(try settings()) }
    }

    /// The database named by the option, FOLIO_DATABASE or the file; nil for the default.
    func database(_ settings: Settings) throws -> DatabaseLocation? {
        try settings.string(.database, option: database).map { try DatabaseLocation(url: $0) }
    }

    /// The blob location named by the option, FOLIO_BLOBS or the file; nil for the folder's.
    func blobs(_ settings: Settings) throws -> BlobLocation? {
        try settings.string(.blobs, option: blobs).map { try BlobLocation(url: $0) }
    }

    /// The secret file named by the option, FOLIO_SECRET_FILE or the file; nil for the folder's.
    func secretFile(_ settings: Settings) -> String? {
        settings.string(.secretFile, option: secretFile)
    }

    /// The spaces the option (values with "="), FOLIO_SPACES or the file define.
    func spaces(_ settings: Settings) throws -> [SpaceLocation] {
        let histories = settings.list(.spaceHistory, option: spaceHistory)
        var history: [String: Space.History] = [:]
        for text in histories {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kept = Space.History(rawValue: parts[1]) else {
                throw FolioError.badRequest("space_history is NAME=keep or NAME=none, not \(text.debugDescription)")
            }
            history[parts[0]] = kept
        }
        let spaces = try settings.list(.spaces, option: space.filter { $0.contains("=") }).map {
            try SpaceLocation($0)
        }
        for name in history.keys where !spaces.contains(where: { $0.name == name }) {
            throw FolioError.badRequest("space_history names \(name), which is no configured space")
        }
        var retention: [String: RetentionPolicy] = [:]
        for text in settings.list(.spaceRetention, option: spaceRetention) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, spaces.contains(where: { $0.name == parts[0] }) else {
                throw FolioError.badRequest(
                    "space_retention is NAME=TIERS for a configured space, not \(text.debugDescription)")
            }
            do {
                retention[parts[0]] = try RetentionPolicy(
                    parsing: parts[1].split(separator: ";").map(String.init))
            } catch FolioError.badRequest(let message) {
                throw FolioError.badRequest("space_retention of \(parts[0]): \(message)")
            }
        }
        return spaces.map { $0.with(history: history[$0.name] ?? .keep).with(retention: retention[$0.name]) }
    }

    /// The retention policy the option, FOLIO_VERSION_RETENTION or the file sets.
    func retention(_ settings: Settings) throws -> RetentionPolicy {
        guard let found = settings.lookup(.versionRetention, option: versionRetention.map(ConfigFile.split) ?? [])
        else { return .standard }
        do {
            return try RetentionPolicy(parsing: found.values)
        } catch FolioError.badRequest(let message) {
            throw FolioError.badRequest("\(found.source): version_retention: \(message)")
        }
    }

    /// The space a command works in: the one `--space NAME` (no "=") names.
    var chosenSpace: String? {
        get throws {
            let chosen = space.filter { !$0.contains("=") }
            guard chosen.count <= 1 else { throw FolioError.badRequest("name one space with --space, not several") }
            return chosen.first
        }
    }

    func open(settings: FolioSettings = .init()) async throws -> Folio {
        var logger = Logger(label: "folio")
        logger.logLevel = .warning
        let all = try self.settings()
        return try await folder(all).open(
            database: try database(all), blobs: try blobs(all), secretFile: secretFile(all), spaces: try spaces(all),
            settings: settings, logger: logger)
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Runs a command body, turning domain errors into one line on standard error and exit status 1.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as FolioError {
        FileHandle.standardError.write(Data("folio: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes JSON to standard output, keys sorted so scripts and diffs see a stable shape.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// An editor kind from the command line, with the error every command gives for a wrong one.
func editorKind(_ name: String) throws -> EditorKind {
    try EditorKind.named(name.lowercased())
}

/// The user called `login` and the role they hold on the file now, with one-line errors for an
/// unknown user or file and for no access.
func userAndRole(_ login: String, on fileID: String, in folio: Folio) async throws -> (User, Role) {
    let user = try await folio.requireUser(login: login)
    guard let access = try await folio.files.access(fileID: fileID, userID: user.id) else {
        throw FolioError.notFound("no file \(fileID)")
    }
    guard let role = access.role else { throw FolioError.forbidden("\(login) has no access to \(fileID)") }
    return (user, role)
}

/// The file a command names: by its id, or a document of a space by `--space NAME --path /PATH`,
/// on which the user is then given `spaceRole` when they hold less (the operator decides).
func namedFile(
    _ fileID: String?, path: String?, data: DataOptions, user login: String, spaceRole: Role, in folio: Folio
) async throws -> String {
    switch (fileID, try data.chosenSpace, path) {
    case (let id?, nil, nil):
        return id
    case (nil, let space?, let path?):
        let file = try await folio.spaceFile(space: space, path: try SpacePath(path))
        let person = try await folio.requireUser(login: login)
        let held = try await folio.files.access(fileID: file.id, userID: person.id)?.role
        if held.map({ $0 < spaceRole }) ?? true {
            try await folio.sharing.setGrant(resourceID: file.id, userID: person.id, role: spaceRole)
        }
        return file.id
    default:
        throw FolioError.badRequest("name a file id, or a space document with --space NAME and --path /PATH")
    }
}

/// `--ttl` seconds as an absolute expiry in milliseconds; nil keeps the default lifetime.
func expiry(ttl: Int64?, folio: Folio) throws -> Int64? {
    if let ttl, ttl <= 0 { throw FolioError.badRequest("--ttl must be a positive number of seconds") }
    return ttl.map { folio.now() / 1000 + $0 * 1000 }
}

/// The base of links printed for a running server: the option, FOLIO_PUBLIC_URL, the public
/// URL of the last `serve` on the data folder, or the default.
func publicBase(_ option: String?, data: DataOptions) throws -> String {
    let settings = try data.settings()
    return settings.string(.publicURL, option: option) ?? data.folder(settings).recordedPublicURL()
        ?? ServerConfiguration().publicURL
}

/// The base of WOPISrc URLs printed for editors: `wopi_url` (FOLIO_WOPI_URL or the
/// configuration file) when set, otherwise what `publicBase` gives.
func wopiBase(_ publicOption: String?, data: DataOptions) throws -> String {
    let settings = try data.settings()
    if publicOption == nil, let wopi = settings.string(.wopiURL, option: nil) { return wopi }
    return try publicBase(publicOption, data: data)
}
