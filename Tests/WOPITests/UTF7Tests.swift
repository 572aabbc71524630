import Testing
import WOPI

/// Compares UTF-16 code units, since `==` on String treats canonically equivalent strings as equal.
private func same(_ a: String?, _ b: String) -> Bool {
    a.map { Array($0.utf16) == Array(b.utf16) } ?? false
}

/// Deterministic generator (SplitMix64) so random-ish round trips are reproducible.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct UTF7Tests {
    /// (text, what .NET's Encoding.UTF7 produces). Encodings checked against the validator
    /// runner's `dotnet_utf7` (a port of .NET's UTF7Encoding) and Python's 'utf-7' decoder.
    static let twoWay: [(String, String)] = [
        // Collabora test/UnitWOPISaveAs.cpp: a full path, literal space, '%' shifted.
        ("/jan/holešovský/hello world%1.pdf", "/jan/hole+AWE-ovsk+AP0-/hello world+ACU-1.pdf"),
        // RFC 2152 examples as .NET writes them ('-' always closes a shift, '!' is shifted).
        ("Hi Mom -\u{263A}-!", "Hi Mom -+Jjo--+ACE-"),
        ("日本語", "+ZeVnLIqe-"),
        ("A\u{2262}\u{0391}.", "A+ImIDkQ-."),
        // Names the WOPI validator sends (data/TestCases.xml): '_' is optional-direct, so shifted.
        (".wopitestx", ".wopitestx"),
        ("ValidatorTestFile.wopitest", "ValidatorTestFile.wopitest"),
        ("ValidatorTestFileRenamed", "ValidatorTestFileRenamed"),
        ("madeupname.wopitestx", "madeupname.wopitestx"),
        ("madeup_name.wopitestx", "madeup+AF8-name.wopitestx"),
        ("madeup_renamed", "madeup+AF8-renamed"),
        ("new_file.wopitest", "new+AF8-file.wopitest"),
        ("container_name", "container+AF8-name"),
        ("CreateChildFileTestFile.wopitest", "CreateChildFileTestFile.wopitest"),
        (
            "RenameFile_ClientPresentsNoLockWithHostNoLock",
            "RenameFile+AF8-ClientPresentsNoLockWithHostNoLock"
        ),
        (
            "RenameFile_ClientPresentsCoauthLockWithHostNoLock",
            "RenameFile+AF8-ClientPresentsCoauthLockWithHostNoLock"
        ),
        (
            "RenameFile_ClientPresentsCoauthLockWithHostCoauthLock",
            "RenameFile+AF8-ClientPresentsCoauthLockWithHostCoauthLock"
        ),
        (
            "PutRelativeFileUnsupported_SuggestedName.wopitest",
            "PutRelativeFileUnsupported+AF8-SuggestedName.wopitest"
        ),
        (
            "PutRelativeFileUnsupported_RelativeName.wopitest",
            "PutRelativeFileUnsupported+AF8-RelativeName.wopitest"
        ),
        (
            "PutRelativeFileUnsupported_ConflictingHeaders.wopitest",
            "PutRelativeFileUnsupported+AF8-ConflictingHeaders.wopitest"
        ),
        // Edge cases of the .NET encoder.
        ("", ""),
        ("a+b", "a+-b"),
        ("+", "+-"),
        ("++", "+-+-"),
        ("a-b", "a-b"),
        ("é-", "+AOk--"),
        ("é.", "+AOk-."),
        ("é ", "+AOk- "),
        ("éa", "+AOk-a"),
        ("é", "+AOk-"),
        ("ééé", "+AOkA6QDp-"),
        ("ü+", "+APwAKw-"),  // '+' inside a shift is just base64
        ("+ü", "+-+APw-"),
        ("Ω-Ω", "+A6k--+A6k-"),
        ("~", "+AH4-"),
        ("a~b", "a+AH4-b"),
        ("!\"#$%&*;<=>@[]^_`{|}", "+ACEAIgAjACQAJQAmACoAOwA8AD0APgBAAFsAXQBeAF8AYAB7AHwAfQ-"),
        ("\\", "+AFw-"),
        ("C:\\x", "C:+AFw-x"),
        ("\u{0}\u{1}\u{7F}", "+AAAAAQB/-"),
        ("\t\r\n '(),-./:?", "\t\r\n '(),-./:?"),
        ("😀", "+2D3eAA-"),
        ("x😀y", "x+2D3eAA-y"),
        ("👨‍👩‍👧", "+2D3caCAN2D3caSAN2D3cZw-"),
        ("e\u{301}", "e+AwE-"),
        ("abc def", "abc def"),
        ("Résumé (final).docx", "R+AOk-sum+AOk- (final).docx"),
        ("文件名.xlsx", "+ZYdO9lQN-.xlsx"),
    ]

    @Test func encodesLikeDotNet() {
        for (text, encoded) in Self.twoWay {
            #expect(UTF7.encode(text) == encoded, "encode \(text.debugDescription)")
        }
    }

    @Test func decodesDotNetOutput() {
        for (text, encoded) in Self.twoWay {
            #expect(same(UTF7.decode(encoded), text), "decode \(encoded.debugDescription)")
        }
    }

    /// Forms other encoders produce (RFC 2152 itself, Python, allowOptionals = true).
    @Test(arguments: [
        ("Hi Mom -+Jjo--!", "Hi Mom -\u{263A}-!"),
        ("A+ImIDkQ.", "A\u{2262}\u{0391}."),
        ("+ZeVnLIqe", "日本語"),  // shift open at the end
        ("+AGE", "a"),
        ("+AGE.", "a."),
        ("+AGE x", "a x"),
        ("+AGE--", "a-"),
        ("+AGEAYg-", "ab"),
        ("+AGEAYg", "ab"),
        ("+-+-", "++"),
        ("-", "-"),
        ("madeup_name!@#.wopitestx", "madeup_name!@#.wopitestx"),  // optional-direct raw
        ("madeup+AF8-name", "madeup_name"),
        ("+AF8AIQ-", "_!"),  // optional-direct shifted
        ("hole\u{0161}ovsk\u{FD}", "hole\u{0161}ovsk\u{FD}"),  // raw non-ASCII passes through
        ("+2D0-+3gA-", "😀"),  // pair split over two shifts
        ("+2D3eAA", "😀"),
    ])
    func decodesOtherEncoders(encoded: String, text: String) {
        #expect(same(UTF7.decode(encoded), text))
    }

    @Test(arguments: [
        "+",  // '+' must be followed by base64 or '-'
        "abc+",
        "+!",
        "a+ b",
        "+.",
        "+A-",  // 6 leftover bits: a partial character
        "+AA-",
        "+AGEA-",
        "+AGEA",
        "+AGF-",  // non-zero padding bits
        "+AGF",
        "+AGF.",
        "+2D0-",  // lone high surrogate
        "+2D0",
        "+3gA-",  // lone low surrogate
        "+2D0-x+3gA-",  // pair interrupted by a character
        "+3gDYPQ-",  // low then high
        "ok+2D0-ok",
    ])
    func rejectsMalformed(encoded: String) {
        #expect(UTF7.decode(encoded) == nil)
    }

    @Test func everySingleASCIICharacter() {
        // Bytes, not Characters: "\r\n" would be one Character.
        let direct = Set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'(),-./:? \t\r\n".utf8)
        for value in UInt8(0)...0x7F {
            let text = String(Character(Unicode.Scalar(value)))
            let encoded = UTF7.encode(text)
            if direct.contains(value) {
                #expect(encoded == text)
            } else if text == "+" {
                #expect(encoded == "+-")
            } else {
                // 16 bits → 3 sextets: "A", then the top two bits of the byte, then the rest.
                #expect(encoded.count == 5 && encoded.hasPrefix("+A") && encoded.hasSuffix("-"))
            }
            #expect(same(UTF7.decode(encoded), text))
        }
    }

    /// Every scalar, 97 at a time. Failures are gathered and expected once: two expectations per
    /// batch (23 000 in all) cost seconds of a cooperative thread in a debug build.
    @Test func roundTripsEveryScalar() {
        var scalars: [Unicode.Scalar] = []
        var notASCII: [UInt32] = []
        var notRoundTripped: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            scalars.append(scalar)
            if scalars.count == 97 || value == 0x10FFFF {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars)
                let string = String(text)
                let encoded = UTF7.encode(string)
                if !encoded.utf8.allSatisfy({ $0 < 0x80 }) { notASCII.append(scalars[0].value) }
                if !same(UTF7.decode(encoded), string) { notRoundTripped.append(scalars[0].value) }
                scalars.removeAll()
            }
        }
        #expect(notASCII.isEmpty, "batches from these scalars encoded to more than ASCII")
        #expect(notRoundTripped.isEmpty, "batches from these scalars did not come back")
    }

    @Test func roundTripsRandomMixes() {
        var rng = SplitMix64(state: 2152)
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x20...0x7E, 0x00...0x7F,  // ASCII, including '+', '-' and controls
            0xA0...0x17F,  // Latin-1, Latin Extended-A
            0x300...0x36F,  // combining marks
            0x4E00...0x9FFF,  // CJK
            0x1F300...0x1FAFF,  // emoji
            0x10000...0x10FFFF,  // anything astral
        ]
        for _ in 0..<2000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &rng) {
                let pool = pools.randomElement(using: &rng)!
                if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) {
                    text.append(scalar)
                }
            }
            let string = String(text)
            let encoded = UTF7.encode(string)
            #expect(same(UTF7.decode(encoded), string), "\(string.debugDescription) → \(encoded)")
            // .NET always closes a shift, so appending anything never changes the decoded prefix.
            #expect(same(UTF7.decode(encoded + "A"), string + "A"))
        }
    }
}
