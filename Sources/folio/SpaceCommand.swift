import ArgumentParser
import FolioCore

struct SpaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "space", abstract: "Roles on the spaces (storage edited in place).",
        subcommands: [GrantSpace.self])
}

struct GrantSpace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Give a user a role on every document of a space.",
        discussion: "The space is one the configuration names (--space NAME=KIND:LOCATION, FOLIO_SPACES, spaces:).")

    @OptionGroup var data: DataOptions
    @Argument(help: "The space's name.") var name: String
    @Option(help: "The login of the user.") var user: String
    @Option(help: "view, comment or edit; none takes the role back.") var role: String

    func run() async throws {
        try await reportingErrors {
            let granted: Role?
            if role == "none" {
                granted = nil
            } else {
                guard let role = Role(name: role) else {
                    throw FolioError.badRequest("the role must be view, comment, edit or none")
                }
                granted = role
            }
            let folio = try await data.open()
            let person = try await folio.requireUser(login: user)
            try await folio.grantSpace(name, to: person, role: granted)
            print(
                granted.map { "\(person.login) can now \($0.name) every document of space \(name)" }
                    ?? "\(person.login) has no role on space \(name) any more")
        }
    }
}
