import FolioCore
import Foundation
import Testing

@Suite struct TokenSignerTests {
    let signer = TokenSigner(secret: Array(repeating: 42, count: 32))
    let grant = AccessGrant(
        resource: .file(Identifier.random()), userID: Identifier.random(), role: .comment,
        expiresAtMs: 1_795_000_000_123)

    @Test func roundTripsAndIsShortAndURLSafe() {
        let token = signer.issue(grant)
        #expect(token.count == 100)
        #expect(token.utf8.allSatisfy { Base64URL.isAlphabet($0) })
        #expect(signer.verify(token) == grant)
        let container = AccessGrant(
            resource: .container(Identifier.random()), userID: grant.userID, role: .edit, expiresAtMs: 5)
        #expect(signer.verify(signer.issue(container)) == container)
        let ecosystem = AccessGrant(resource: .ecosystem, userID: grant.userID, role: .view, expiresAtMs: 5)
        #expect(signer.verify(signer.issue(ecosystem)) == ecosystem)
    }

    @Test func editorBindingSurvivesTheRoundTrip() {
        for editor in EditorKind.allCases {
            var bound = grant
            bound.editor = editor
            bound.role = .edit
            let token = signer.issue(bound)
            #expect(token.count == 100 && signer.verify(token) == bound)
        }
        #expect(signer.verify(signer.issue(grant))?.editor == nil)
    }

    @Test func everyTamperedCharacterIsRejected() {
        let token = Array(signer.issue(grant))
        for i in token.indices {
            var tampered = token
            tampered[i] = tampered[i] == "A" ? "B" : "A"
            #expect(signer.verify(String(tampered)) == nil, "position \(i)")
        }
        #expect(signer.verify(String(token.dropLast())) == nil)
        #expect(signer.verify(String(token) + "A") == nil)
        #expect(signer.verify("") == nil)
        #expect(signer.verify("INVALID") == nil)
    }

    @Test func anotherSecretRejects() {
        let other = TokenSigner(secret: Array(repeating: 43, count: 32))
        #expect(other.verify(signer.issue(grant)) == nil)
    }

    @Test func logTagsHideTheToken() {
        let token = signer.issue(grant)
        let tag = TokenSigner.logTag(token)
        #expect(tag.count == 12 && !token.contains(tag))
    }
}

@Suite struct Base64URLTests {
    @Test func matchesFoundationForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == bytes)
        }
    }

    @Test func rejectsWhatIsNotCanonicalBase64URL() {
        for bad in ["A", "AB+C", "AB/C", "AB=C", "ABC=", "é", "AB C", "AB"] where bad != "AB" {
            #expect(Base64URL.decode(bad) == nil, "\(bad)")
        }
        // Leftover bits must be zero: "AB" is 0x00 plus four set bits, "AA" is the canonical 0x00.
        #expect(Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AA") == [0])
    }
}
