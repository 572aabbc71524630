import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FolioServer

/// The page templates load, and every value reaches the page escaped.
@Suite struct PageTemplateTests {
    static let hostile = "<script>\"'&x.docx"
    static let escaped = "&lt;script&gt;&quot;&#39;&amp;x.docx"

    @Test(arguments: Language.allCases) func everyTemplateLoads(in language: Language) throws {
        let library = try PageTemplates.load(language)
        let names = try PageTemplates.sources().keys
        for name in [
            "layout", "message", "login", "setup", "landing", "browse", "browse-row", "trash", "shared", "versions",
            "version-row",
            "share", "role-option", "admin-users", "admin-api", "host", "no-editor", "onlyoffice",
        ] {
            #expect(names.contains(name) && library.getTemplate(named: name) != nil, "\(name)")
        }
    }

    /// The unescaped values are the ONLYOFFICE configuration, JSON whose "<" is written \u003c,
    /// and a folder's rows, put together by `RowStencil` with every value escaped.
    @Test func onlyTheEditorConfigurationAndTheRowsAreUnescaped() throws {
        for (name, text) in try PageTemplates.sources() {
            let raw = text.components(separatedBy: "{{{").count - 1 + text.components(separatedBy: "{{&").count - 1
            #expect(raw == (name == "onlyoffice" || name == "browse" ? 1 : 0), "\(name)")
            if name == "browse" { #expect(text.contains("{{{renderedRows}}}")) }
            #expect(text.hasPrefix("{{% CONTENT_TYPE: FOLIO_HTML }}\n"), "\(name) does not start as HTML")
        }
    }

    func visitor() -> WebVisitor {
        let user = User(
            id: "u1", login: "ada", displayName: Self.hostile, isAdmin: true, passwordHash: nil, userInfo: "",
            rootFolderID: "r1", createdAt: 0)
        let session = WebSession(idHash: "s1", userID: "u1", csrfToken: Self.hostile, createdAt: 0, expiresAt: 1)
        return WebVisitor(user: user, session: session, language: .en)
    }

    @Test func browseEscapesNamesInTextAndAttributes() {
        let row = FolderView.Row(
            id: "f1", name: Self.hostile, isFolder: false, open: "edit", lockedBy: Self.hostile,
            downloadOnly: false, editable: true, viewable: true, size: "1 B", modified: WebTime(iso: "i", text: "t"))
        let sort = FolderView.SortLink(aria: "none", href: "/browse/r1?q=" + Self.hostile, mark: "")
        let view = FolderView(
            language: .en, crumbs: [.init(id: "r1", name: Self.hostile, current: true)], folderID: "r1", sort: "name",
            descending: false, search: Self.hostile, canEdit: true, canShare: true, csrf: Self.hostile,
            here: "/browse/r1?q=" + Self.hostile, rows: [row], sortLinks: [sort, sort, sort], pager: nil)
        let html = WebPage(title: Self.hostile, visitor: visitor(), template: "browse", view: view).html()
        #expect(!html.contains(Self.hostile) && !html.contains("<script>"))
        #expect(html.contains("<title>\(Self.escaped) · Folio</title>"))
        #expect(html.contains("data-name=\"\(Self.escaped)\""))
        #expect(html.contains("<a class=\"item file\" href=\"/files/f1/edit\">\(Self.escaped)</a>"))
        #expect(html.contains("<span class=\"who\">\(Self.escaped)</span>"))
        #expect(html.contains("name=\"q\" id=\"search\" value=\"\(Self.escaped)\""))
        #expect(html.contains("<span class=\"badge editing\">\(Self.escaped) editing</span>"))
    }

    @Test func hostPageEscapesHTMLAndScriptValues() {
        let page = HostPage(
            title: Self.hostile, actionURL: "https://office.test/edit?a=1&b=2", token: "tok", tokenTTL: 5,
            favicon: nil, closeURL: "http://folio.test/x'</script>\\", language: "en-US",
            alternatives: [(name: Self.hostile, url: "/files/f1/edit?editor=x&y", current: false)])
        let html = page.html()
        #expect(!html.contains(Self.hostile))
        #expect(html.contains("<title>\(Self.escaped)</title>"))
        #expect(html.contains("title=\"\(Self.escaped)\" allowfullscreen"))
        #expect(html.contains("action=\"https://office.test/edit?a=1&amp;b=2\""))
        #expect(html.contains("<a href=\"/files/f1/edit?editor=x&amp;y\">\(Self.escaped)</a>"))
        #expect(html.contains("window.location.replace('http://folio.test/x\\'\\u003c/script\\u003e\\\\');"))
        #expect(html.contains("var shareURL = null;"))
    }

    @Test func aHostileFileNameIsEscapedOnTheServedPages() async throws {
        // File names lose < > " when they are cleaned; a search and a display name keep them.
        let f = try await ServerFixture.make(name: "it's & that.docx")
        _ = try await f.folio.accounts.updateUser(
            id: f.alice.id, displayName: Self.hostile, isAdmin: nil, isDisabled: nil, passwordHash: nil,
            language: nil)
        let (secret, _) = try await f.folio.startWebSession(for: f.alice, expiresAt: nil)
        try await f.app.test(.router) { client in
            let cookie = headers(["Cookie": "\(WebAuth.sessionCookie)=\(secret)"])
            let page = try await client.execute(
                uri: "/browse/\(f.file.folderID)?q=%3Cscript%3E%22%27%26x.docx", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(!page.text.contains(Self.hostile))
            #expect(page.text.contains("value=\"\(Self.escaped)\""))
            #expect(page.text.contains("<span class=\"who\">\(Self.escaped)</span>"))
            let all = try await client.execute(uri: "/browse/\(f.file.folderID)", method: .get, headers: cookie)
            #expect(all.text.contains("data-name=\"it&#39;s &amp; that.docx\""))
        }
    }
}
