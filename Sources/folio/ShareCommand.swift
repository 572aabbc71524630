import ArgumentParser
import FolioCore

struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share", abstract: "Give a user a role on a file or folder.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The file or folder id.") var id: String
    @Option(help: "The login of the user to share with.") var user: String
    @Option(help: "view, comment or edit.") var role: String

    func run() async throws {
        try await reportingErrors {
            guard let role = Role(name: role) else {
                throw FolioError.badRequest("the role must be view, comment or edit")
            }
            let folio = try await data.open()
            let target = try await folio.requireUser(login: user)
            try await folio.share(resourceID: id, with: target, role: role)
            print("\(target.login) can now \(role.name) \(id)")
        }
    }
}
