import ArgumentParser
import FolioCore

struct SpaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "space", abstract: "Roles on the spaces (storage edited in place).",
        subcommands: [GrantSpace.self])
}

struct GrantSpace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Give a user, or everyone signed in, a role on every document of a space.",
        discussion: """
            The space is one the configuration names (--space NAME=KIND:LOCATION, FOLIO_SPACES, spaces:). \
            --everyone gives the role to every account except the guests of public links. \
            The same is on the web page /admin/spaces.
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The space's name.") var name: String
    @Option(help: "The login of the user.") var user: String?
    @Flag(help: "Everyone signed in (not the guests of links) instead of one user.") var everyone = false
    @Option(help: "view, comment or edit; none takes the role back.") var role: String

    func run() async throws {
        try await reportingErrors {
            guard (user == nil) == everyone else {
                throw FolioError.badRequest("give either --user LOGIN or --everyone")
            }
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
            guard let user else {
                try await folio.grantSpaceToEveryone(name, role: granted)
                print(
                    granted.map { "everyone signed in can now \($0.name) every document of space \(name)" }
                        ?? "everyone signed in has no role on space \(name) any more (grants to users stay)")
                return
            }
            let person = try await folio.requireUser(login: user)
            try await folio.grantSpace(name, to: person, role: granted)
            print(
                granted.map { "\(person.login) can now \($0.name) every document of space \(name)" }
                    ?? "\(person.login) has no role on space \(name) any more")
        }
    }
}
