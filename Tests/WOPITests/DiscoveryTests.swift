import Foundation
import Testing
import WOPI

/// Trimmed, real-shaped discovery documents of the three clients.
enum DiscoverySamples {
    static let coolURL = "https://cool.example:9980/browser/0b27e85/cool.html?"

    /// Collabora: MIME-type apps, no placeholders, `Capabilities`, one key published as both.
    static let collabora = """
        <?xml version="1.0" encoding="utf-8"?>
        <wopi-discovery>
            <net-zone name="external-https">
                <app favIconUrl="https://cool.example:9980/browser/0b27e85/images/x-office-document.svg"
                     name="application/vnd.oasis.opendocument.text">
                    <action default="true" ext="odt" name="edit" urlsrc="\(coolURL)"/>
                </app>
                <app name="application/msword">
                    <action default="true" ext="doc" name="edit" urlsrc="\(coolURL)"/>
                </app>
                <app name="application/msword">
                    <action default="true" ext="dot" name="edit" urlsrc="\(coolURL)"/>
                </app>
                <app name="application/vnd.openxmlformats-officedocument.wordprocessingml.document">
                    <action default="true" ext="docx" name="edit" urlsrc="\(coolURL)"/>
                </app>
                <app name="application/pdf">
                    <action default="true" ext="pdf" name="view_comment" urlsrc="\(coolURL)"/>
                </app>
                <app name="Capabilities">
                    <action ext="" name="getinfo" urlsrc="https://cool.example:9980/hosting/capabilities"/>
                </app>
            </net-zone>
            <proof-key exponent="AQAB" modulus="\(ValidatorFixture.modulus)" oldexponent="AQAB"
                oldmodulus="\(ValidatorFixture.modulus)" oldvalue="\(ValidatorFixture.value)"
                value="\(ValidatorFixture.value)"/>
        </wopi-discovery>
        """

    static let officePlaceholders = "&lt;ui=UI_LLCC&amp;&gt;&lt;rs=DC_LLCC&amp;&gt;&lt;dchat=DISABLE_CHAT&amp;&gt;"

    /// Office Online Server: Word/Excel/OneNote apps, two net zones (the less preferred first),
    /// `requires`, a progid action, escaped placeholders, no WOPI_SOURCE.
    static let office = """
        <?xml version="1.0" encoding="utf-8"?><wopi-discovery>
        <net-zone name="internal-http">
          <app name="Word" favIconUrl="http://oos.internal/wv/resources/1033/FavIcon_Word.ico" checkLicense="true">
            <action name="view" ext="docx" default="true"
                urlsrc="http://oos.internal/wv/wordviewerframe.aspx?\(officePlaceholders)"/>
            <action name="edit" ext="docx" requires="locks,update"
                urlsrc="http://oos.internal/we/wordeditorframe.aspx?\(officePlaceholders)"/>
          </app>
          <app name="Visio" favIconUrl="http://oos.internal/vo/resources/1033/FavIcon_Visio.ico">
            <action name="view" ext="vsdx" default="true"
                urlsrc="http://oos.internal/vo/VisioViewer.aspx?\(officePlaceholders)"/>
          </app>
        </net-zone>
        <net-zone name="external-https">
          <app name="Word" favIconUrl="https://oos.example/wv/resources/1033/FavIcon_Word.ico" checkLicense="true">
            <action name="view" ext="docx" default="true"
                urlsrc="https://oos.example/wv/wordviewerframe.aspx?\(officePlaceholders)"/>
            <action name="edit" ext="docx" requires="locks,update"
                urlsrc="https://oos.example/we/wordeditorframe.aspx?\(officePlaceholders)"/>
            <action name="editnew" ext="docx" requires="locks, Update"
                urlsrc="https://oos.example/we/wordeditorframe.aspx?new=1&amp;\(officePlaceholders)"/>
          </app>
          <app name="Excel" favIconUrl="https://oos.example/x/_layouts/resources/FavIcon_Excel.ico">
            <action name="edit" ext="XLSX" requires="update"
                urlsrc="https://oos.example/x/_layouts/xlviewerinternal.aspx?edit=1&amp;\(officePlaceholders)\
        &lt;IsLicensedUser=BUSINESS_USER&amp;&gt;"/>
          </app>
          <app name="OneNote">
            <action name="view" progid="OneNote.Notebook" requires="cobalt,containers"
                urlsrc="https://oos.example/o/onenoteframe.aspx?edit=0&amp;\(officePlaceholders)"/>
            <action name="view" ext="one" requires="cobalt,containers"
                urlsrc="https://oos.example/o/onenoteframe.aspx?edit=0&amp;\(officePlaceholders)"/>
          </app>
        </net-zone>
        <proof-key oldvalue="\(OfficeDiscoveryKeys.oldValue)"
          oldmodulus="\(OfficeDiscoveryKeys.oldModulus)" oldexponent="AQAB"
          value="\(OfficeDiscoveryKeys.value)" modulus="\(OfficeDiscoveryKeys.modulus)" exponent="AQAB"/>
        </wopi-discovery>
        """

    static let onlyofficeTemplate = [
        "&lt;rs=DC_LLCC&amp;&gt;&lt;dchat=DISABLE_CHAT&amp;&gt;&lt;embed=EMBEDDED&amp;&gt;",
        "&lt;fs=FULLSCREEN&amp;&gt;&lt;hid=HOST_SESSION_ID&amp;&gt;&lt;rec=RECORDING&amp;&gt;",
        "&lt;sc=SESSION_CONTEXT&amp;&gt;&lt;thm=THEME_ID&amp;&gt;&lt;ui=UI_LLCC&amp;&gt;",
        "&lt;wopisrc=WOPI_SOURCE&amp;&gt;&amp;",
    ].joined()

    /// ONLYOFFICE Docs in WOPI mode: Word app and a MIME-named app, WOPI_SOURCE placeholders, both keys.
    static let onlyoffice = """
        <?xml version="1.0" encoding="utf-8"?><wopi-discovery><net-zone name="external-http">\
        <app name="Word" favIconUrl="http://ds.example/web-apps/apps/documenteditor/main/resources/img/favicon.ico">\
        <action name="view" ext="docx" urlsrc="http://ds.example/hosting/wopi/word/view?\(onlyofficeTemplate)" />\
        <action name="embedview" ext="docx"
            urlsrc="http://ds.example/hosting/wopi/word/view?embed=1&amp;\(onlyofficeTemplate)" />\
        <action name="editnew" ext="docx" requires="locks,update"
            urlsrc="http://ds.example/hosting/wopi/word/edit?\(onlyofficeTemplate)" />\
        <action name="edit" ext="docx" default="true" requires="locks,update"
            urlsrc="http://ds.example/hosting/wopi/word/edit?\(onlyofficeTemplate)" />\
        </app>\
        <app name="application/vnd.openxmlformats-officedocument.wordprocessingml.document">\
        <action name="edit" ext="" default="true" requires="locks,update"
            urlsrc="http://ds.example/hosting/wopi/word/edit?\(onlyofficeTemplate)" />\
        </app>\
        <app name="Capabilities"><action ext="" name="getinfo" urlsrc="http://ds.example/hosting/capabilities"/></app>\
        </net-zone><proof-key oldvalue="\(ValidatorFixture.oldValue)" oldmodulus="\(ValidatorFixture.oldModulus)" \
        oldexponent="AQAB" value="\(ValidatorFixture.value)" modulus="\(ValidatorFixture.modulus)" exponent="AQAB"/>\
        </wopi-discovery>
        """
}

@Suite struct DiscoveryTests {
    static let wordApp = "<app name='Word'><action name='view' ext='docx' urlsrc='u'/></app>"

    @Test func collabora() throws {
        let discovery = try Discovery(xml: DiscoverySamples.collabora)
        #expect(discovery.apps.map(\.name).count == 5)
        // The app listed twice is one app with both actions.
        #expect(discovery.apps.first { $0.name == "application/msword" }?.actions.map(\.ext) == ["doc", "dot"])
        let docx = discovery.actions(forExtension: ".DOCX")
        #expect(docx.count == 1)
        #expect(docx.first?.name == "edit")
        #expect(docx.first?.isDefault == true)
        #expect(docx.first?.requires == [])
        #expect(docx.first?.urlsrc == DiscoverySamples.coolURL)
        #expect(discovery.action(named: "EDIT", forExtension: "odt")?.urlsrc == DiscoverySamples.coolURL)
        #expect(discovery.action(named: "view_comment", forExtension: "pdf") != nil)
        #expect(discovery.actions(forExtension: "") == [])
        #expect(discovery.actions(forExtension: "xlsx") == [])
        #expect(discovery.capabilitiesURL == "https://cool.example:9980/hosting/capabilities")
        #expect(discovery.apps.first?.favIconURL?.hasSuffix("x-office-document.svg") == true)
        let keys = try #require(discovery.proofKey)
        #expect(keys.old == keys.current)
        #expect(keys.current == (try ProofKey(modulusBase64: ValidatorFixture.modulus, exponentBase64: "AQAB")))
    }

    @Test func officeOnlineServer() throws {
        let discovery = try Discovery(xml: DiscoverySamples.office)
        // Apps of the preferred zone first; Visio only exists in the internal zone and is kept.
        #expect(discovery.apps.map(\.name) == ["Word", "Excel", "OneNote", "Visio"])
        let word = try #require(discovery.apps.first)
        #expect(word.favIconURL == "https://oos.example/wv/resources/1033/FavIcon_Word.ico")
        #expect(word.actions.map(\.name) == ["view", "edit", "editnew"])
        #expect(word.actions.allSatisfy { $0.urlsrc.hasPrefix("https://oos.example/") })
        let edit = try #require(discovery.action(named: "edit", forExtension: "docx"))
        #expect(edit.requires == ["locks", "update"])
        #expect(!edit.isDefault)
        #expect(
            edit.urlsrc == "https://oos.example/we/wordeditorframe.aspx?<ui=UI_LLCC&><rs=DC_LLCC&><dchat=DISABLE_CHAT&>"
        )
        #expect(discovery.action(named: "editnew", forExtension: "docx")?.requires == ["locks", "update"])
        #expect(discovery.action(named: "view", forExtension: "docx")?.isDefault == true)
        #expect(discovery.actions(forExtension: "xlsx").first?.urlsrc.contains("edit=1&<ui=UI_LLCC&>") == true)
        #expect(discovery.actions(forExtension: "vsdx").first?.urlsrc.hasPrefix("http://oos.internal/") == true)
        // The progid action has no extension; the ext one is found by extension.
        let oneNote = try #require(discovery.apps.first { $0.name == "OneNote" })
        #expect(oneNote.actions.map(\.ext) == ["", "one"])
        #expect(discovery.actions(forExtension: "one").count == 1)
        #expect(discovery.capabilitiesURL == nil)
        let keys = try #require(discovery.proofKey)
        #expect(keys.current == (try ProofKey(modulusBase64: OfficeDiscoveryKeys.modulus, exponentBase64: "AQAB")))
        #expect(keys.old == (try ProofKey(cspBlobBase64: OfficeDiscoveryKeys.oldValue)))
        #expect(keys.current != keys.old)
    }

    @Test func onlyoffice() throws {
        let discovery = try Discovery(xml: DiscoverySamples.onlyoffice)
        #expect(discovery.apps.map(\.name).count == 3)
        #expect(discovery.actions(forExtension: "docx").map(\.name) == ["view", "embedview", "editnew", "edit"])
        let mime = try #require(discovery.apps.first { $0.name.hasPrefix("application/") })
        #expect(mime.actions.map(\.ext) == [""])
        let edit = try #require(discovery.action(named: "edit", forExtension: "docx"))
        #expect(edit.isDefault && edit.requires == ["locks", "update"])
        #expect(edit.urlsrc.hasSuffix("<ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&"))
        #expect(discovery.capabilitiesURL == "http://ds.example/hosting/capabilities")
        let keys = try #require(discovery.proofKey)
        #expect(keys.current == (try ProofKey(cspBlobBase64: ValidatorFixture.value)))
        #expect(keys.old == (try ProofKey(cspBlobBase64: ValidatorFixture.oldValue)))
    }

    @Test func zonePreferenceAndUnknownZones() throws {
        func zone(_ name: String, _ urlsrc: String) -> String {
            "<net-zone name='\(name)'><app name='Word'><action name='edit' ext='docx' urlsrc='\(urlsrc)'/>"
                + "</app></net-zone>"
        }
        let order = ["lab", "internal-http", "internal-https", "external-http", "external-https"]
        for preferred in order.indices {
            let zones = order[...preferred].map { zone($0, "u-\($0)") }.joined()
            let discovery = try Discovery(xml: "<wopi-discovery>\(zones)</wopi-discovery>")
            #expect(discovery.actions(forExtension: "docx").map(\.urlsrc) == ["u-\(order[preferred])"])
            #expect(discovery.proofKey == nil)
        }
    }

    @Test func proofKeyWithoutOldKey() throws {
        let discovery = try Discovery(
            xml: """
                <wopi-discovery><net-zone name="external-http"><app name="Word">
                <action name="view" ext="docx" urlsrc="u"/></app></net-zone>
                <proof-key value="\(ValidatorFixture.value)"/></wopi-discovery>
                """)
        #expect(discovery.proofKey?.current == (try ProofKey(cspBlobBase64: ValidatorFixture.value)))
        #expect(discovery.proofKey?.old == nil)
    }

    @Test func refusesBrokenDocuments() {
        #expect(throws: DiscoveryError.self) { try Discovery(xml: "<wopi-discovery><net-zone>") }
        #expect(throws: DiscoveryError.self) { try Discovery(xml: "") }
        #expect(throws: DiscoveryError.self) { try Discovery(xml: "not xml at all") }
        #expect(throws: DiscoveryError.notDiscovery(root: "html")) {
            try Discovery(xml: "<html><body>\(Self.wordApp)</body></html>")
        }
        // Collabora's source template has no urlsrc: nothing usable.
        #expect(throws: DiscoveryError.noActions) {
            try Discovery(
                xml: "<wopi-discovery><net-zone name='external-http'><app name='image/svg+xml'>"
                    + "<action name='view' ext='svg'/></app></net-zone></wopi-discovery>")
        }
        #expect(throws: DiscoveryError.noActions) { try Discovery(xml: "<wopi-discovery/>") }
    }

    @Test func refusesUnusableProofKeys() {
        func discovery(_ proofKey: String) throws -> Discovery {
            try Discovery(
                xml: "<wopi-discovery><net-zone name='external-http'>\(Self.wordApp)</net-zone>"
                    + "\(proofKey)</wopi-discovery>")
        }
        let small = Data([0xC0] + [UInt8](repeating: 0, count: 127)).base64EncodedString()  // 1024 bits
        for bad in [
            "<proof-key/>",
            "<proof-key modulus=\"\(small)\" exponent=\"AQAB\"/>",
            "<proof-key modulus='\(ValidatorFixture.modulus)' exponent='AQAB' value='\(ValidatorFixture.oldValue)'/>",
            "<proof-key value=\"\(ValidatorFixture.value)\" oldvalue=\"bm90IGEga2V5\"/>",
        ] {
            #expect(throws: DiscoveryError.self, "\(bad.prefix(60))") { try discovery(bad) }
        }
        #expect(throws: DiscoveryError.invalidProofKey(ProofKeyError.keyTooSmall(bits: 1024).description)) {
            try discovery("<proof-key modulus=\"\(small)\" exponent=\"AQAB\"/>")
        }
    }
}
