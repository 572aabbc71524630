import Testing
import WOPI

@Suite struct ActionURLTests {
    static let wopiSrc = "https://folio.example/wopi/files/F1le_x-9"
    static let encoded = "https%3A%2F%2Ffolio.example%2Fwopi%2Ffiles%2FF1le_x-9"

    @Test func collaboraAppendsWOPISrc() {
        #expect(
            ActionURL.fill(urlsrc: DiscoverySamples.coolURL, wopiSrc: Self.wopiSrc, values: ["UI_LLCC": "de-DE"])
                == DiscoverySamples.coolURL + "WOPISrc=" + Self.encoded)
        #expect(
            ActionURL.fill(urlsrc: "https://c/edit", wopiSrc: Self.wopiSrc, values: [:])
                == "https://c/edit?WOPISrc=\(Self.encoded)")
        #expect(
            ActionURL.fill(urlsrc: "https://c/edit?lang=fr", wopiSrc: Self.wopiSrc, values: [:])
                == "https://c/edit?lang=fr&WOPISrc=\(Self.encoded)")
    }

    @Test func officeFillsGivenPlaceholdersAndDropsTheRest() {
        let urlsrc =
            "https://oos/we/wordeditorframe.aspx?new=1&<ui=UI_LLCC&><rs=DC_LLCC&><dchat=DISABLE_CHAT&>"
            + "<IsLicensedUser=BUSINESS_USER&>"
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: Self.wopiSrc, values: ["UI_LLCC": "en-US", "BUSINESS_USER": "1"])
                == "https://oos/we/wordeditorframe.aspx?new=1&ui=en-US&IsLicensedUser=1&WOPISrc=\(Self.encoded)")
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: Self.wopiSrc, values: [:])
                == "https://oos/we/wordeditorframe.aspx?new=1&WOPISrc=\(Self.encoded)")
        let noQuery = "https://oos/wv/wordviewerframe.aspx?<ui=UI_LLCC&><rs=DC_LLCC&>"
        #expect(
            ActionURL.fill(urlsrc: noQuery, wopiSrc: Self.wopiSrc, values: [:])
                == "https://oos/wv/wordviewerframe.aspx?WOPISrc=\(Self.encoded)")
    }

    @Test func placeholderWithoutAmpersand() {
        // Office's preload actions end with `<ui=UI_LLCC>`.
        let urlsrc = "https://oos/x/StaticLoad.aspx?wx=x&usescript=1&<ui=UI_LLCC>"
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: Self.wopiSrc, values: ["UI_LLCC": "en-US"])
                == "https://oos/x/StaticLoad.aspx?wx=x&usescript=1&ui=en-US&WOPISrc=\(Self.encoded)")
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: Self.wopiSrc, values: [:])
                == "https://oos/x/StaticLoad.aspx?wx=x&usescript=1&WOPISrc=\(Self.encoded)")
    }

    @Test func onlyofficeFillsWOPISourceInPlace() throws {
        let discovery = try Discovery(xml: DiscoverySamples.onlyoffice)
        let edit = try #require(discovery.action(named: "edit", forExtension: "docx"))
        #expect(
            ActionURL.fill(urlsrc: edit.urlsrc, wopiSrc: Self.wopiSrc, values: ["UI_LLCC": "de-DE", "THEME_ID": "2"])
                == "http://ds.example/hosting/wopi/word/edit?thm=2&ui=de-DE&wopisrc=\(Self.encoded)")
        let embed = try #require(discovery.action(named: "embedview", forExtension: "docx"))
        #expect(
            ActionURL.fill(urlsrc: embed.urlsrc, wopiSrc: Self.wopiSrc, values: [:])
                == "http://ds.example/hosting/wopi/word/view?embed=1&wopisrc=\(Self.encoded)")
        // Older ONLYOFFICE templates start with `?&`.
        #expect(
            ActionURL.fill(urlsrc: "http://ds/view?&<ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&", wopiSrc: "w", values: [:])
                == "http://ds/view?wopisrc=w")
    }

    @Test func valuesArePercentEncoded() {
        let urlsrc = "https://c/e?<sc=SESSION_CONTEXT&><ui=UI_LLCC&><wopisrc=WOPI_SOURCE>"
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: "https://h/f?a=b c", values: ["SESSION_CONTEXT": "a b&c=d/ü"])
                == "https://c/e?sc=a%20b%26c%3Dd%2F%C3%BC&wopisrc=https%3A%2F%2Fh%2Ff%3Fa%3Db%20c")
        #expect(ActionURL.percentEncode("AZaz09-._~") == "AZaz09-._~")
        #expect(ActionURL.percentEncode("+/=%? #") == "%2B%2F%3D%25%3F%20%23")
    }

    @Test func emptyUnknownAndWOPISourceValuesAreIgnored() {
        let urlsrc = "https://c/e?<ui=UI_LLCC&><x=NOT_A_PLACEHOLDER&><odd><wopisrc=WOPI_SOURCE&>"
        #expect(
            ActionURL.fill(urlsrc: urlsrc, wopiSrc: "w", values: ["UI_LLCC": "", "WOPI_SOURCE": "other"])
                == "https://c/e?wopisrc=w")
        // A `<` without `>` is not a placeholder and stays.
        #expect(ActionURL.fill(urlsrc: "https://c/e?a=<b", wopiSrc: "w", values: [:]) == "https://c/e?a=<b&WOPISrc=w")
    }
}
