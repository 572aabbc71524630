import ArgumentParser
import FolioCore
import FolioServer
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect Folio's configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Read the configuration as `serve` would, report every error, and print each setting.",
            discussion: """
                Each setting comes from, in this order: its command-line option, its environment \
                variable, the configuration file (--config or FOLIO_CONFIG), its default. Exit status \
                0 when the configuration is valid, 1 with a one-line error when it is not.
                """)

        @OptionGroup var data: DataOptions
        @OptionGroup var server: ServerOptions

        func run() async throws {
            try await reportingErrors {
                let settings = try data.settings()
                // Everything `serve` would parse, so that an error shows here first.
                let configuration = try server.configuration(settings)
                _ = try server.folioSettings(settings)
                _ = try server.logLevel(settings)
                _ = try server.logsAsJSON(settings)
                _ = try server.accessLogged(settings)
                let database = try data.database(settings)
                let blobs = try data.blobs(settings)
                let spaces = try data.spaces(settings)
                _ = try data.retention(settings)
                // A named secret file must be readable and valid now, not at the first token.
                if let path = data.secretFile(settings) { _ = try DataFolder.readSecret(from: path) }
                let width = Setting.allCases.map(\.key.count).max() ?? 0
                for setting in Setting.allCases {
                    let option =
                        switch setting {
                        case .data: data.data.map { [$0] } ?? []
                        case .database: data.database.map { [$0] } ?? []
                        case .blobs: data.blobs.map { [$0] } ?? []
                        case .secretFile: data.secretFile.map { [$0] } ?? []
                        case .spaces: data.space.filter { $0.contains("=") }
                        case .spaceHistory: data.spaceHistory
                        case .versionRetention: data.versionRetention.map(ConfigFile.split) ?? []
                        case .spaceRetention: data.spaceRetention
                        default: server.option(setting)
                        }
                    var shown = setting.defaultValue
                    var source = "default"
                    if let found = settings.lookup(setting, option: option) {
                        shown =
                            setting.isSecret
                            ? "(set, not shown)"
                            : setting == .database
                                ? database?.description ?? ""
                                : setting == .blobs
                                    ? blobs?.description ?? ""
                                    : setting == .spaces
                                        ? spaces.map(\.description).joined(separator: ", ")
                                        : found.values.joined(separator: ", ")
                        source = found.source.description
                    } else if setting == .publicURL {
                        shown = configuration.publicURL
                    }
                    let key = setting.key.padding(toLength: width, withPad: " ", startingAt: 0)
                    print("\(key)  \(shown)  (\(source))")
                }
                print("configuration is valid")
            }
        }
    }
}
