import FolioCore
import FolioServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A Microsoft-shaped discovery served from memory.
struct StaticDiscovery: DiscoveryFetching {
    static let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <wopi-discovery><net-zone name="external-https">
        <app name="Word" favIconUrl="https://office.test/word.ico">
        <action name="view" ext="docx" urlsrc="https://office.test/wv/view.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
        <action name="edit" ext="docx" requires="locks,update" urlsrc="https://office.test/we/edit.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;rs=DC_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
        <action name="mobileView" ext="docx" urlsrc="https://office.test/wv/mobile.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
        <action name="view" ext="doc" urlsrc="https://office.test/wv/view.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
        <action name="convert" ext="doc" targetext="docx" requires="update" urlsrc="https://office.test/wv/convert.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
        </app></net-zone></wopi-discovery>
        """
    func fetch(_ url: String) async throws -> Data { Data(Self.xml.utf8) }
}

@Suite struct HostPageTests {
    func app(_ f: ServerFixture) -> some ApplicationProtocol {
        appWithMicrosoftEditor(f.folio, configuration: f.configuration)
    }

    func ticket(_ f: ServerFixture, _ file: StoredFile? = nil, user: User? = nil, role: Role = .edit) -> String {
        f.folio.issueToken(.page((file ?? f.file).id), userID: (user ?? f.alice).id, role: role).token
    }

    /// The value of a hidden form field in the page.
    func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func editPagePostsTheTokenIntoTheFrame() async throws {
        let f = try await ServerFixture.make()
        try await app(f).test(.router) { client in
            let r = try await client.execute(
                uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f))", method: .get,
                headers: headers(["Accept-Language": "ru-RU,ru;q=0.9"]))
            #expect(r.status == .ok)
            #expect(r.header("Cache-Control") == "no-cache, no-store" && r.header("Expires") == "-1")
            #expect(r.header("Pragma") == "no-cache")
            let html = r.text
            #expect(
                html.contains(
                    "action=\"https://office.test/we/edit.aspx?ui=ru-RU&amp;rs=ru-RU&amp;wopisrc=http%3A%2F%2Ffolio.test%2Fwopi%2Ffiles%2F\(f.file.id)\""
                ))
            #expect(html.contains("target=\"office_frame\"") && html.contains("name=\"office_frame\""))
            #expect(html.contains("<link rel=\"icon\" href=\"https://office.test/word.ico\">"))
            let token = try #require(field("access_token", in: html))
            let grant = try #require(f.folio.signer.verify(token))
            #expect(grant.editor == .microsoft && grant.role == .edit && grant.resource == .file(f.file.id))
            #expect(Int64(field("access_token_ttl", in: html) ?? "") == grant.expiresAtMs)
            // The token is in the form, never in a URL.
            #expect(!html.contains("access_token=\(token)"))
        }
    }

    @Test func theUsersChoiceOfEditorIsRememberedPerExtension() async throws {
        let f = try await ServerFixture.make()
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        var configuration = f.configuration
        configuration.editors = [
            .microsoft: ["https://a.test/hosting/discovery"], .onlyoffice: ["https://b.test/hosting/discovery"],
        ]
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: StaticDiscovery())
        try await app.test(.router) { client in
            let page = "/files/\(f.file.id)/edit?ticket=\(ticket(f))"
            func editor(of html: String) -> EditorKind? {
                field("access_token", in: html).flatMap(f.folio.signer.verify)?.editor
            }
            // Both fit: a chooser is shown; without a choice the first configured kind opens.
            var html = try await client.execute(uri: page, method: .get).text
            #expect(html.contains("<nav id=\"editors\"") && html.contains("ONLYOFFICE"))
            #expect(editor(of: html) == .microsoft)
            html = try await client.execute(uri: page + "&editor=onlyoffice", method: .get).text
            #expect(editor(of: html) == .onlyoffice)
            #expect(html.contains("<strong aria-current=\"page\">ONLYOFFICE</strong>"))
            // Remembered for .docx.
            html = try await client.execute(uri: page, method: .get).text
            #expect(editor(of: html) == .onlyoffice)
            #expect(try await f.folio.accounts.editorChoice(userID: f.alice.id, fileExtension: "docx") == "onlyoffice")
            try await client.execute(uri: page + "&editor=word", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test func viewersGetTheViewAction() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        try await app(f).test(.router) { client in
            let html = try await client.execute(
                uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f, user: f.bob, role: .view))", method: .get
            ).text
            #expect(html.contains("https://office.test/wv/view.aspx?ui=en-US&amp;wopisrc="))
            #expect(field("access_token", in: html).flatMap(f.folio.signer.verify)?.role == .view)
        }
    }

    /// Collabora's discovery has only `edit` for the formats it edits: a viewer (a view share,
    /// a view link's guest) opens through it with a view-only token, and so does `/view` for an
    /// editor, instead of "no editor can open this".
    @Test func collaboraViewersOpenTheEditActionReadOnly() async throws {
        struct CollaboraDiscovery: DiscoveryFetching {
            func fetch(_ url: String) async throws -> Data {
                Data(
                    """
                    <?xml version="1.0" encoding="utf-8"?>
                    <wopi-discovery><net-zone name="external-http">
                    <app name="application/vnd.openxmlformats-officedocument.wordprocessingml.document">
                    <action default="true" ext="docx" name="edit" urlsrc="https://cool.test/browser/abc/cool.html?"/>
                    </app></net-zone></wopi-discovery>
                    """.utf8)
            }
        }
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        var configuration = f.configuration
        configuration.editors = [.collabora: ["https://cool.test/hosting/discovery"]]
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: CollaboraDiscovery())
        try await app.test(.router) { client in
            for (user, role, action) in [(f.bob, Role.view, "edit"), (f.bob, .view, "view"), (f.alice, .edit, "view")] {
                let r = try await client.execute(
                    uri: "/files/\(f.file.id)/\(action)?ticket=\(ticket(f, user: user, role: role))", method: .get)
                #expect(r.status == .ok, "\(user.login) \(action)")
                #expect(r.text.contains("action=\"https://cool.test/browser/abc/cool.html?WOPISrc="))
                let grant = field("access_token", in: r.text).flatMap(f.folio.signer.verify)
                #expect(grant?.role == .view && grant?.editor == .collabora, "\(user.login) \(action)")
            }
            // Editing still edits.
            let r = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f))", method: .get)
            #expect(field("access_token", in: r.text).flatMap(f.folio.signer.verify)?.role == .edit)
        }
    }

    /// The page carries the phone version of the chosen action where discovery has one (here
    /// only mobileView), for its script to take on a narrow screen.
    @Test func thePhoneVersionOfTheActionGoesWithThePage() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        try await app(f).test(.router) { client in
            let viewer = try await client.execute(
                uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f, user: f.bob, role: .view))", method: .get
            ).text
            #expect(viewer.contains("var mobileURL = 'https://office.test/wv/mobile.aspx?ui=en-US&wopisrc="))
            let editor = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f))", method: .get)
                .text
            #expect(editor.contains("var mobileURL = null;"))
        }
    }

    /// The page's token renewal: asked the way the page was opened, never more than the role
    /// the user holds now, refused once access is withdrawn or without the page's header.
    @Test func hostPagesRenewTheirTokenWhileAccessLasts() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        try await app(f).test(.router) { client in
            let renew = headers(["X-Folio-Renew": "1"])
            let bobs = ticket(f, user: f.bob, role: .view)
            let page = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(bobs)", method: .get).text
            #expect(
                page.contains("var renewURL = '/files/\(f.file.id)/token?editor=microsoft&role=view&ticket=\(bobs)'"))
            #expect(page.contains("var takesNewTokens = false;"))
            #expect(page.contains("This editing session ends at {time}."))

            let uri = "/files/\(f.file.id)/token?editor=microsoft&role=edit&ticket=\(bobs)"
            let r = try await client.execute(uri: uri, method: .post, headers: renew)
            #expect(r.status == .ok)
            #expect(r.header("Cache-Control") == "no-store")
            let json = r.json()
            let grant = try #require((json["access_token"] as? String).flatMap(f.folio.signer.verify))
            #expect(grant.role == .view && grant.editor == .microsoft && grant.resource == .file(f.file.id))
            #expect((json["access_token_ttl"] as? Int).map(Int64.init) == grant.expiresAtMs)

            #expect(try await client.execute(uri: uri, method: .post).status == .forbidden)
            try await f.folio.share(resourceID: f.file.id, with: f.bob, role: nil)
            #expect(try await client.execute(uri: uri, method: .post, headers: renew).status == .unauthorized)
        }
    }

    @Test func legacyFilesOpenForEditingThroughConvert() async throws {
        let f = try await ServerFixture.make(content: "binary", name: "old.doc")
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
        try await app(f).test(.router) { client in
            let html = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f))", method: .get).text
            #expect(html.contains("https://office.test/wv/convert.aspx?ui=en-US&amp;wopisrc="))
            #expect(field("access_token", in: html).flatMap(f.folio.signer.verify)?.role == .edit)
            // A viewer cannot create the converted copy: the file opens for viewing.
            let viewer = try await client.execute(
                uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f, user: f.bob, role: .view))", method: .get
            ).text
            #expect(viewer.contains("https://office.test/wv/view.aspx?ui=en-US&amp;wopisrc="))
            // Nor can a commenter; with no edit action for .doc they view it too.
            try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .comment)
            let commenter = try await client.execute(
                uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f, user: f.bob, role: .comment))", method: .get
            ).text
            #expect(commenter.contains("https://office.test/wv/view.aspx?ui=en-US&amp;wopisrc="))
            #expect(field("access_token", in: commenter).flatMap(f.folio.signer.verify)?.role == .view)
        }
    }

    @Test func ticketsAndTokensDoNotOpenEachOther() async throws {
        let f = try await ServerFixture.make()
        try await app(f).test(.router) { client in
            try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(f.token())", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=INVALID", method: .get) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/wopi/files/\(f.file.id)?access_token=\(ticket(f))", method: .get) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func unsupportedFilesOfferADownload() async throws {
        let f = try await ServerFixture.make(content: "a,b", name: "data.csv")
        try await app(f).test(.router) { client in
            let r = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket(f))", method: .get)
            #expect(r.status == .unsupportedMediaType && r.text.contains("No configured editor can open .csv files"))
            let link = try #require(r.text.range(of: "href=\"http://folio.test").map { r.text[$0.upperBound...] })
            let path = String(link.prefix { $0 != "\"" })
            let download = try await client.execute(uri: path, method: .get)
            #expect(download.status == .ok && download.text == "a,b")
            #expect(download.header("Content-Disposition") == "attachment; filename*=UTF-8''data.csv")
        }
    }

    @Test func microsoftCheckFileInfoPointsAtTheHostPages() async throws {
        let f = try await ServerFixture.make()
        let token = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .microsoft).token
        try await app(f).test(.router) { client in
            let info = try await client.execute(uri: f.uri(token: token), method: .get).json()
            for key in ["HostViewUrl", "HostEditUrl", "DownloadUrl", "CloseUrl"] {
                #expect((info[key] as? String)?.hasPrefix("http://folio.test/files/\(f.file.id)/") == true, "\(key)")
            }
            #expect(info["BreadcrumbFolderName"] as? String == "Docs")
            let edit = String((info["HostEditUrl"] as? String ?? "").dropFirst("http://folio.test".count))
            try await client.execute(uri: edit, method: .get) { #expect($0.status == .ok) }
        }
    }
}
