import Testing
import WOPI

/// The validator runner's ProofKeys group replayed with signatures the runner itself produced
/// (`wopivalidate.py`, `Executor._proof_headers`): the host must answer 500 exactly where the
/// outcome is not accepted.
@Suite struct ValidatorRunnerProofTests {
    /// One minute after the fixture's timestamp.
    static let now = ProofValidator.unixMicroseconds(fromTicks: ValidatorFixture.ticks) + 60_000_000

    static func verify(
        proof: String?, proofOld: String?, ticks: Int64 = ValidatorFixture.ticks, url: String = ValidatorFixture.url
    ) throws -> ProofOutcome {
        let discovery = try Discovery(
            xml: """
                <wopi-discovery><net-zone name="external-http"><app name="Word">
                <action name="edit" ext="docx" urlsrc="http://client/edit?"/></app></net-zone>
                <proof-key modulus="\(ValidatorFixture.modulus)" exponent="\(ValidatorFixture.exponent)"
                  value="\(ValidatorFixture.value)" oldmodulus="\(ValidatorFixture.oldModulus)"
                  oldexponent="\(ValidatorFixture.oldExponent)" oldvalue="\(ValidatorFixture.oldValue)"/>
                </wopi-discovery>
                """)
        let keys = try #require(discovery.proofKey)
        // The runner signs the raw token; the URL carries it UrlKeyValueEncode-d.
        return ProofValidator.verify(
            token: ValidatorFixture.token, url: url, timestampHeader: String(ticks), proof: proof, proofOld: proofOld,
            current: keys.current, old: keys.old, nowMicroseconds: now)
    }

    @Test func currentValidOldValid() throws {
        #expect(try Self.verify(proof: ValidatorFixture.proof, proofOld: ValidatorFixture.proofOld) == .valid)
    }

    @Test func currentValidOldInvalid() throws {
        #expect(try Self.verify(proof: ValidatorFixture.proof, proofOld: ValidatorFixture.invalid) == .valid)
    }

    @Test func currentInvalidOldValidSignedWithCurrentKey() throws {
        // KeyRelation="Ahead": ProofOld carries the current-key signature.
        #expect(try Self.verify(proof: ValidatorFixture.invalid, proofOld: ValidatorFixture.proof) == .valid)
    }

    @Test func currentValidSignedWithOldKeyOldInvalid() throws {
        // KeyRelation="Behind": Proof carries the old-key signature.
        #expect(
            try Self.verify(proof: ValidatorFixture.proofOld, proofOld: ValidatorFixture.invalid) == .validWithOldKey)
    }

    @Test func currentInvalidOldValidSignedWithOldKey() throws {
        #expect(try !Self.verify(proof: ValidatorFixture.invalid, proofOld: ValidatorFixture.proofOld).isAccepted)
    }

    @Test func currentInvalidOldInvalid() throws {
        #expect(try !Self.verify(proof: ValidatorFixture.invalid, proofOld: ValidatorFixture.invalid).isAccepted)
    }

    @Test func timestampOlderThan20Min() throws {
        let outcome = try Self.verify(
            proof: ValidatorFixture.staleProof, proofOld: ValidatorFixture.staleProofOld,
            ticks: ValidatorFixture.staleTicks)
        #expect(outcome == .expired)
    }

    @Test func urlMustBeTheOneSigned() throws {
        // Python `requests` un-escapes %2D and %5F before sending, so a host that verifies the URL it
        // received sees `tok-en_1` where the runner signed `tok%2Den%5F1`: tokens must avoid - . _ ~
        // for the runner's proof tests to pass.
        let resent = ValidatorFixture.url.replacingOccurrences(of: "%2D", with: "-")
            .replacingOccurrences(of: "%5F", with: "_")
        #expect(
            try !Self.verify(proof: ValidatorFixture.proof, proofOld: ValidatorFixture.proofOld, url: resent).isAccepted
        )
    }
}
