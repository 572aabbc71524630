import Testing
import WOPI

struct FileNameTests {
    @Test(arguments: [
        // Paths: only the last component survives, whichever separator.
        ("/jan/holešovský/hello world%1.pdf", "hello world%1.pdf"),
        ("C:\\Users\\jan\\Report.docx", "Report.docx"),
        ("..\\..\\etc/passwd", "passwd"),
        ("../../secret.txt", "secret.txt"),
        ("a/\u{301}b.txt", "\u{301}b.txt"),  // a combining mark does not hide the '/'
        // Windows-illegal characters become '_'; '#', '%', '&' and friends stay.
        ("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"),
        ("#1 & 100% {draft} [v2] ~$x.docx", "#1 & 100% {draft} [v2] ~$x.docx"),
        ("C:name.txt", "C_name.txt"),
        // Controls and bidi overrides vanish.
        ("a\u{0}b\u{1F}c\u{7F}d\u{85}e\u{9F}f\tg\nh.txt", "abcdefgh.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("x\u{2066}y\u{2069}.docx", "xy.docx"),
        // Trimming.
        ("  name.docx  ", "name.docx"),
        ("\u{3000}\u{A0}name.docx", "name.docx"),
        ("name.docx...", "name.docx"),
        ("name. . .", "name"),
        ("\u{0} name.docx \u{0}", "name.docx"),
        // Kept as is.
        (".bashrc", ".bashrc"),
        ("..hidden", "..hidden"),
        ("日本語.xlsx", "日本語.xlsx"),
        ("😀 party 👨‍👩‍👧.pptx", "😀 party 👨‍👩‍👧.pptx"),
        ("madeup_name.wopitestx", "madeup_name.wopitestx"),
        ("a..b", "a..b"),
    ])
    func cleans(raw: String, expected: String) {
        #expect(FileName.clean(raw) == expected)
    }

    @Test(arguments: [
        "", " ", ".", "..", "...", ". .", "dir/", "a/..", "a\\.", "/", "\\", "\u{0}\u{1F}\u{7F}",
        "\u{202E}", "  .  ",
    ])
    func refuses(raw: String) {
        #expect(FileName.clean(raw) == nil)
    }

    @Test func cleanedNamesNeverContainSeparatorsOrControls() {
        let nasty = "a/b\\c\u{0}d\u{1B}[31me\u{7F}f\u{202E}g<h>i:j\"k|l?m*n.txt"
        let cleaned = FileName.clean(nasty)
        #expect(cleaned == "cd[31mefg_h_i_j_k_l_m_n.txt")
    }

    @Test func validatorLongNameIsCutKeepingTheExtension() {
        let long = String(repeating: "longwopitestfilename", count: 25) + ".wopitestx"
        #expect(long.count == 510)
        let cleaned = FileName.clean(long)
        #expect(cleaned?.utf16.count == 250)
        #expect(cleaned?.hasSuffix(".wopitestx") == true)
        #expect(cleaned.map { long.hasPrefix($0.dropLast(".wopitestx".count)) } == true)
    }

    @Test func lengthLimit() {
        let exact = String(repeating: "a", count: 245) + ".docx"
        #expect(FileName.clean(exact) == exact)
        #expect(FileName.clean("b" + exact) == "b" + String(repeating: "a", count: 244) + ".docx")
        #expect(FileName.clean("abcdef.txt", maxLength: 8) == "abcd.txt")
        #expect(FileName.clean("abcdef.txt", maxLength: 10) == "abcdef.txt")
        // An extension that leaves no room is cut like the rest.
        #expect(FileName.clean("a.verylongextension", maxLength: 5) == "a.ver")
        #expect(FileName.clean("abc.defgh", maxLength: 6) == "abc.de")
        // A cut that exposes trailing dots or spaces drops them.
        #expect(FileName.clean("abc. def.txt", maxLength: 8) == "abc.txt")
        #expect(FileName.clean("ab  cdef", maxLength: 4) == "ab")
        #expect(FileName.clean("a....bcdef", maxLength: 4) == "a")
        #expect(FileName.clean("abc", maxLength: 0) == nil)
    }

    @Test func lengthCountsUTF16AndNeverSplitsACharacter() {
        // Each emoji is 2 UTF-16 units; the budget before ".txt" is 3.
        #expect(FileName.clean("😀😀😀.txt", maxLength: 7) == "😀.txt")
        #expect(FileName.clean("é\u{301}é\u{301}.txt", maxLength: 7) == "é\u{301}.txt")
        // An 8-unit grapheme is all or nothing.
        #expect(FileName.clean("👨‍👩‍👧x.txt", maxLength: 9) == ".txt")
        // One grapheme with thousands of combining marks is not "one character".
        let zalgo = "a" + String(repeating: "\u{301}", count: 5000) + "b.docx"
        let cleaned = FileName.clean(zalgo)
        #expect(cleaned != nil && cleaned!.utf16.count <= 250)
    }

    @Test(arguments: [
        ("report.docx", "report", ".docx"),
        ("archive.tar.gz", "archive.tar", ".gz"),
        ("README", "README", ""),
        (".bashrc", ".bashrc", ""),
        ("..bashrc", "..bashrc", ""),
        (".config.json", ".config", ".json"),
        ("name.", "name.", ""),
        ("a..b", "a.", ".b"),
        ("", "", ""),
        (".", ".", ""),
        ("..", "..", ""),
        ("hello world%1.pdf", "hello world%1", ".pdf"),
        ("日本語.xlsx", "日本語", ".xlsx"),
    ])
    func splitsExtension(name: String, base: String, ext: String) {
        let split = FileName.splitExtension(name)
        #expect(split.base == base)
        #expect(split.ext == ext)
    }

    @Test func uniqueNameKeepsAFreeName() {
        #expect(FileName.uniqueName("a.docx") { _ in false } == "a.docx")
    }

    @Test func uniqueNameCountsUpKeepingTheExtension() {
        let taken: Set = ["a.docx", "a (2).docx", "a (3).docx", "README", ".bashrc", "x.tar.gz"]
        #expect(FileName.uniqueName("a.docx", taken: taken.contains) == "a (4).docx")
        #expect(FileName.uniqueName("README", taken: taken.contains) == "README (2)")
        #expect(FileName.uniqueName(".bashrc", taken: taken.contains) == ".bashrc (2)")
        #expect(FileName.uniqueName("x.tar.gz", taken: taken.contains) == "x.tar (2).gz")
    }

    @Test func uniqueNameLeavesCaseToTheCaller() {
        let taken: Set = ["report.docx", "report (2).docx"]
        let caseInsensitive = { (name: String) in taken.contains(name.lowercased()) }
        #expect(FileName.uniqueName("Report.DOCX", taken: caseInsensitive) == "Report (3).DOCX")
        #expect(FileName.uniqueName("Report.DOCX", taken: taken.contains) == "Report.DOCX")
    }

    @Test func uniqueNameStaysWithinTheLimit() {
        let long = String(repeating: "n", count: 245) + ".docx"
        let unique = FileName.uniqueName(long) { $0 == long }
        #expect(unique == String(repeating: "n", count: 241) + " (2).docx")
        #expect(unique.utf16.count == 250)
        #expect(
            FileName.uniqueName("abcdef.txt", maxLength: 10) { $0 == "abcdef.txt" } == "ab (2).txt")
        // No room for the extension: it goes, the counter stays.
        #expect(
            FileName.uniqueName("a.extension", maxLength: 8) { $0 == "a.extension" } == "a.ex (2)")
    }

    @Test func uniqueNameResultsAreAllDifferent() {
        var taken: Set<String> = []
        for _ in 0..<50 {
            taken.insert(FileName.uniqueName("Doc.docx", taken: taken.contains))
        }
        #expect(taken.count == 50)
        #expect(taken.contains("Doc (50).docx"))
    }
}
