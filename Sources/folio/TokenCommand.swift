import ArgumentParser
import FolioCore
import FolioServer

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue a WOPI access token for a user on a file.",
        discussion: """
            A file of Folio's by its id, or a document of a space by --space NAME --path /PATH: its \
            file id stays the same for as long as the document exists, and the user is given the \
            role asked for (default edit) on it.
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The file id (or --space NAME --path /PATH).") var fileID: String?
    @Option(help: "The path of a document in the space --space names, e.g. /Reports/q3.docx.") var path: String?
    @Option(help: "The login of the user.") var user: String
    @Option(help: "view, comment or edit (default: the user's role on the file).") var role: String?
    @Option(help: "Lifetime in seconds (default 36000).") var ttl: Int64?
    @Option(help: "Base URL of the server (default: the one the last `serve` on this folder used).")
    var publicURL: String?
    @Option(help: "Bind the token to an editor session: collabora, microsoft or onlyoffice.") var editor: String?
    @Flag(help: "Print {wopiSrc, accessToken, accessTokenTTL} as JSON.") var json = false

    struct Issued: Encodable {
        var wopiSrc: String
        var accessToken: String
        var accessTokenTTL: Int64
    }

    func run() async throws {
        try await reportingErrors {
            let folio = try await data.open()
            let asked = try role.map { name in
                guard let role = Role(name: name) else {
                    throw FolioError.badRequest("the role must be view, comment or edit")
                }
                return role
            }
            let fileID = try await namedFile(
                fileID, path: path, data: data, user: user, spaceRole: asked ?? .edit, in: folio)
            let (person, held) = try await userAndRole(user, on: fileID, in: folio)
            var granted = held
            if let role {
                guard let asked = Role(name: role) else {
                    throw FolioError.badRequest("the role must be view, comment or edit")
                }
                guard asked <= held else { throw FolioError.forbidden("\(user) may only \(held.name) \(fileID)") }
                granted = asked
            }
            let expiry = try expiry(ttl: ttl, folio: folio)
            let kind = try editor.map(editorKind)
            let issued = folio.issueToken(
                .file(fileID), userID: person.id, role: granted, expiresAtMs: expiry, editor: kind)
            let wopiSrc = WOPIURLs(publicURL: try wopiBase(publicURL, data: data)).file(fileID)
            if json {
                try printJSON(Issued(wopiSrc: wopiSrc, accessToken: issued.token, accessTokenTTL: issued.expiresAtMs))
            } else {
                print("WOPISrc:          \(wopiSrc)")
                print("access_token:     \(issued.token)")
                print("access_token_ttl: \(issued.expiresAtMs)")
            }
        }
    }
}
