import ArgumentParser
import FolioCore
import FolioServer

struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Print a link that opens a file in its editor, for a user.",
        discussion: "A file of Folio's by its id, or a document of a space by --space NAME --path /PATH.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The file id (or --space NAME --path /PATH).") var fileID: String?
    @Option(help: "The path of a document in the space --space names, e.g. /Reports/q3.docx.") var path: String?
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
            let folio = try await data.open()
            let fileID = try await namedFile(
                fileID, path: path, data: data, user: user, spaceRole: action == "edit" ? .edit : .view, in: folio)
            let (person, role) = try await userAndRole(user, on: fileID, in: folio)
            let ticket = folio.issueToken(
                .page(fileID), userID: person.id, role: role, expiresAtMs: try expiry(ttl: ttl, folio: folio)
            ).token
            var url =
                WOPIURLs(publicURL: try publicBase(publicURL, data: data)).base
                + "/files/\(fileID)/\(action)?ticket=\(ticket)"
            if let kind { url += "&editor=\(kind.rawValue)" }
            if json { try printJSON(["url": url]) } else { print(url) }
        }
    }
}
