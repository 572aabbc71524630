import ArgumentParser
import FolioCore
import FolioServer

struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Print a link that opens a file in its editor, for a user.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The file id.") var fileID: String
    @Option(help: "The login of the user.") var user: String
    @Option(help: "edit or view (default edit).") var action = "edit"
    @Option(help: "collabora, microsoft or onlyoffice (default: the first that supports the file).") var editor: String?
    @Option(help: "Lifetime of the link in seconds (default 36000).") var ttl: Int64?
    @Option(help: "Base URL of the server (default: the one the last `serve` on this folder used).")
    var publicURL: String?
    @Flag(help: "Print {url} as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            guard action == "edit" || action == "view" else { throw FolioError.badRequest("--action is edit or view") }
            let kind = try editor.map(editorKind)
            let folio = try data.open()
            let person = try await folio.requireUser(login: user)
            guard let access = try await folio.store.access(fileID: fileID, userID: person.id) else {
                throw FolioError.notFound("no file \(fileID)")
            }
            guard let role = access.role else { throw FolioError.forbidden("\(user) has no access to \(fileID)") }
            if let ttl, ttl <= 0 { throw FolioError.badRequest("--ttl must be a positive number of seconds") }
            let ticket = folio.issueToken(
                .page(fileID), userID: person.id, role: role, expiresAtMs: ttl.map { folio.now() / 1000 + $0 * 1000 }
            ).token
            let base =
                publicURL ?? Environment.value("FOLIO_PUBLIC_URL") ?? data.folder.recordedPublicURL()
                ?? ServerConfiguration().publicURL
            var url = WOPIURLs(publicURL: base).base + "/files/\(fileID)/\(action)?ticket=\(ticket)"
            if let kind { url += "&editor=\(kind.rawValue)" }
            if json { try printJSON(["url": url]) } else { print(url) }
        }
    }
}
