import ArgumentParser
import FolioCore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [AddUser.self])

    struct AddUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user.")

        @OptionGroup var data: DataOptions
        @Argument(help: "The login name.") var login: String
        @Option(help: "The display name (default: the login).") var name: String?
        @Flag(help: "Make the user an administrator.") var admin = false
        @Flag(help: "Read the password from standard input (first line).") var passwordStdin = false
        @Flag(help: "Print the user as JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                var hash: String?
                if passwordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw FolioError.badRequest("no password on standard input")
                    }
                    hash = try PasswordHasher.hash(line)
                }
                let folio = try await data.open()
                let user = try await folio.addUser(login: login, displayName: name, isAdmin: admin, passwordHash: hash)
                if json {
                    try printJSON(["id": user.id, "login": user.login, "name": user.displayName])
                } else {
                    print("added user \(user.login) (\(user.id))")
                }
            }
        }
    }
}
