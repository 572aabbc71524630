import ArgumentParser
import FolioCore
import Foundation

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage the application API's keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; it is printed once and stored only as a hash.")

        @OptionGroup var data: DataOptions
        @Argument(help: "A name for the key, e.g. the application that uses it.") var name: String
        @Option(
            name: .customLong("scope"),
            help: "read, write, users, sessions or webhooks; repeatable (default: all).")
        var scopes: [String] = []
        @Flag(help: "Print {id, name, scopes, key} as JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                var chosen: Set<APIScope> = []
                for name in scopes {
                    guard let scope = APIScope(rawValue: name) else {
                        throw FolioError.badRequest(
                            "a scope is " + APIScope.allCases.map(\.rawValue).joined(separator: ", ")
                                + ", not \"\(name)\"")
                    }
                    chosen.insert(scope)
                }
                let folio = try await data.open()
                let (key, token) = try await folio.createAPIKey(
                    name: name, scopes: chosen.isEmpty ? Set(APIScope.allCases) : chosen)
                if json {
                    struct Answer: Encodable {
                        var id, name, key: String
                        var scopes: [String]
                    }
                    try printJSON(
                        Answer(id: key.id, name: key.name, key: token, scopes: key.scopes.map(\.rawValue).sorted()))
                } else {
                    print(token)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (never their secrets).")
        @OptionGroup var data: DataOptions

        func run() async throws {
            try await reportingErrors {
                let folio = try await data.open()
                for key in try await folio.apiKeys.apiKeys() {
                    let state = key.revokedAt == nil ? "live" : "revoked"
                    print(
                        "\(key.id)  \(key.name)  [\(key.scopes.map(\.rawValue).sorted().joined(separator: ","))]  \(state)"
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; it stops working at once.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The key's id (the part after folio_).") var id: String

        func run() async throws {
            try await reportingErrors {
                try await data.open().revokeAPIKey(id: id)
                print("revoked \(id)")
            }
        }
    }
}
