import Testing

@testable import FolioServer

/// The URL forms a proof is checked against (PROTOCOL.md §A.11 pitfalls).
@Suite struct ProofURLTests {
    @Test func tokenEncodedForEveryNonAlphanumericCharacter() {
        let url = "http://h/wopi/files/F?access_token=a-b_c&access_token_ttl=0"
        #expect(
            ProofChecker.aggressivelyEncoded(url, token: "a-b_c")
                == "http://h/wopi/files/F?access_token=a%2Db%5Fc&access_token_ttl=0")
        // Nothing to encode: no second form.
        #expect(ProofChecker.aggressivelyEncoded("http://h/x?access_token=abc", token: "abc") == nil)
        // A token that is not in the URL as sent (already encoded): no second form.
        #expect(ProofChecker.aggressivelyEncoded("http://h/x?access_token=a%2Db", token: "a-b") == nil)
    }

    @Test func originOfThePublicURL() {
        #expect("https://folio.example.com/prefix".prefixOrigin == "https://folio.example.com")
        #expect("http://127.0.0.1:8080".prefixOrigin == "http://127.0.0.1:8080")
    }
}
