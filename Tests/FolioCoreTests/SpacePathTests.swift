import FolioCore
import Testing

/// Paths into a space are checked once, at the door: nothing that could lead out passes.
@Suite struct SpacePathTests {
    @Test func acceptsOrdinaryPaths() throws {
        #expect(try SpacePath("/").isRoot)
        #expect(try SpacePath("/Reports/q3.docx").components == ["Reports", "q3.docx"])
        #expect(try SpacePath("/Reports/").components == ["Reports"])
        #expect(try SpacePath("/a b/Отчёт #1 (final)?.docx").description == "/a b/Отчёт #1 (final)?.docx")
        #expect(try SpacePath("/Reports/q3.docx").parent == SpacePath("/Reports"))
        #expect(try SpacePath("/.hidden/..x/x..").components == [".hidden", "..x", "x.."])
        // A % that encodes nothing is an ordinary character.
        #expect(try SpacePath("/50% done/Report 100% final.docx").components == ["50% done", "Report 100% final.docx"])
        #expect(try SpacePath("/%/a%zz/b%4").components == ["%", "a%zz", "b%4"])
    }

    @Test(arguments: [
        "", "Reports/q3.docx", "/..", "/../etc/passwd", "/a/../../b", "/a/./b", "/.", "//etc/passwd", "/a//b",
        "/a\\..\\b", "/%2e%2e/x", "/a%2fb", "/a%2Fb", "/x%5c", "/100%25", "/nul\u{0}byte", "/tab\there", "/line\nbreak",
        "/del\u{7f}", "/c1\u{85}x",
        "/" + String(repeating: "x", count: 256),
    ])
    func refusesWaysOut(text: String) {
        #expect(throws: FolioError.self) { try SpacePath(text) }
    }

    @Test func legalNamesAreMadeFromAnything() throws {
        #expect(SpacePath.legalName("My%20Report.pdf") == "My_20Report.pdf")
        #expect(SpacePath.legalName("50% done.txt") == "50% done.txt")
        #expect(SpacePath.legalName("a\\b/c\u{0}d") == "a_b_cd")
        #expect(SpacePath.legalName("..") == "_" && SpacePath.legalName("\u{1}") == "Untitled")
        for name in ["My%20Report.pdf", "a\\b/c", "..", String(repeating: "é", count: 200)] {
            #expect(throws: Never.self) { try SpacePath.root.appending(SpacePath.legalName(name)) }
        }
    }

    @Test func namesAreCheckedToo() throws {
        let folder = try SpacePath("/Reports")
        #expect(try folder.appending("q4.docx").description == "/Reports/q4.docx")
        for bad in ["..", ".", "a/b", "", "x\u{0}"] {
            #expect(throws: FolioError.self) { try folder.appending(bad) }
        }
    }
}
