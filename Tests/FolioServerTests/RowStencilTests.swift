import Foundation
import Mustache
import Testing

@testable import FolioServer

/// A folder's rows from `RowStencil` are byte for byte what the engine renders from
/// `browse-row.mustache`, in every shape a row can take and in every language.
@Suite struct RowStencilTests {
    static let hostile = "<script>\"'&x{{name}}\u{E000}0\u{E001}.docx"

    /// Every combination of the row's sections, each with values of its own.
    static func rows() -> [FolderView.Row] {
        (0..<(1 << 5)).flatMap { bits in
            (0..<2).map { copy in
                FolderView.Row(
                    id: "id\(bits)-\(copy)", name: hostile + "\(copy)", isFolder: bits & 1 != 0, open: "view",
                    lockedBy: bits & 2 != 0 ? "Ann \(copy) & <b>" : nil, downloadOnly: bits & 4 != 0,
                    editable: bits & 8 != 0, viewable: bits & 16 != 0, size: "\(bits) KB",
                    modified: WebTime(iso: "2026-12-04T0\(copy):00:00Z", text: "4 Dec \(copy)"))
            }
        }
    }

    static func page(_ language: Language, canEdit: Bool, canShare: Bool, rows: [FolderView.Row]) -> FolderView {
        FolderView(
            language: language, crumbs: [], folderID: "r1", sort: "name", descending: false, search: "",
            canEdit: canEdit, canShare: canShare, csrf: "csrf'\"<", here: "/browse/r1?q=a&b=<c>", rows: rows,
            sortLinks: [], pager: nil)
    }

    @Test(arguments: Language.allCases) func stencilledRowsAreWhatTheEngineRenders(in language: Language) throws {
        var reference = try PageTemplates.load(language)
        try reference.register("{{% CONTENT_TYPE: FOLIO_HTML }}{{#rows}}{{>browse-row}}{{/rows}}", named: "rows")
        for canEdit in [false, true] {
            for canShare in [false, true] {
                let page = Self.page(language, canEdit: canEdit, canShare: canShare, rows: Self.rows())
                let expected = try #require(reference.render(page, withTemplate: "rows"))
                let stencil = try #require(PageTemplates.folderRows[language])
                #expect(stencil.render(page.rows, page: page) == expected, "canEdit \(canEdit), canShare \(canShare)")
                #expect(!expected.contains(Self.hostile) && expected.contains("Ann 1 &amp; &lt;b&gt;"))
            }
        }
    }

    @Test func aFolderWithoutRowsRendersNothing() throws {
        let page = Self.page(.en, canEdit: true, canShare: true, rows: [])
        #expect(PageTemplates.folderRows[.en]?.render([], page: page) == "")
    }
}
