import Foundation
import Testing
import WOPI

/// PROTOCOL.md §A.11 rule by rule, with generated keys; the validator runner's own signatures in
/// `ValidatorRunnerProofTests`.
@Suite struct ProofValidatorTests {
    static let now = WOPITime.parse("2026-03-01T12:00:00Z")!
    static let token = "AbC123xyz"
    static let url = "https://folio.example/wopi/files/F1le?access_token=AbC123xyz&access_token_ttl=1772402400000"

    enum Signer: Sendable { case current, old, invalid, absent }

    struct Cell: Sendable, CustomTestStringConvertible {
        let proof: Signer
        let proofOld: Signer
        let oldKeyPublished: Bool
        let expected: MicrosoftVector.Expected
        var testDescription: String { "Proof=\(proof) ProofOld=\(proofOld) oldKey=\(oldKeyPublished)" }
    }

    static let cells: [Cell] = [
        // The validator's ProofKeys group.
        Cell(proof: .current, proofOld: .old, oldKeyPublished: true, expected: .valid),
        Cell(proof: .current, proofOld: .invalid, oldKeyPublished: true, expected: .valid),
        Cell(proof: .invalid, proofOld: .current, oldKeyPublished: true, expected: .valid),  // Ahead
        Cell(proof: .old, proofOld: .invalid, oldKeyPublished: true, expected: .validWithOldKey),  // Behind
        Cell(proof: .invalid, proofOld: .old, oldKeyPublished: true, expected: .invalid),
        Cell(proof: .invalid, proofOld: .invalid, oldKeyPublished: true, expected: .invalid),
        // Older Collabora sends no ProofOld; recent Collabora signs both with its one key.
        Cell(proof: .current, proofOld: .absent, oldKeyPublished: true, expected: .valid),
        Cell(proof: .current, proofOld: .absent, oldKeyPublished: false, expected: .valid),
        Cell(proof: .current, proofOld: .current, oldKeyPublished: false, expected: .valid),
        Cell(proof: .invalid, proofOld: .current, oldKeyPublished: false, expected: .valid),
        // Old-key proofs count only while discovery still publishes the old key.
        Cell(proof: .old, proofOld: .absent, oldKeyPublished: true, expected: .validWithOldKey),
        Cell(proof: .old, proofOld: .old, oldKeyPublished: true, expected: .validWithOldKey),
        Cell(proof: .old, proofOld: .current, oldKeyPublished: true, expected: .valid),
        Cell(proof: .old, proofOld: .absent, oldKeyPublished: false, expected: .invalid),
        Cell(proof: .invalid, proofOld: .old, oldKeyPublished: false, expected: .invalid),
        Cell(proof: .invalid, proofOld: .absent, oldKeyPublished: true, expected: .invalid),
    ]

    static func header(_ signer: Signer, _ message: [UInt8]) -> String? {
        switch signer {
        case .current: TestKeys.sign(message, with: TestKeys.current)
        case .old: TestKeys.sign(message, with: TestKeys.old)
        case .invalid: ValidatorFixture.invalid
        case .absent: nil
        }
    }

    /// Signs `token`/`url` at `now - age` with the current key and verifies at `now`.
    static func verifyCurrentSigned(ageMicroseconds age: Int64) -> ProofOutcome {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: now - age)
        let signed = ProofValidator.message(token: token, url: url, timestampTicks: ticks)
        return ProofValidator.verify(
            token: token, url: url, timestampHeader: String(ticks),
            proof: TestKeys.sign(signed, with: TestKeys.current),
            proofOld: nil, current: TestKeys.proofKey(TestKeys.current), old: nil, nowMicroseconds: now)
    }

    @Test func messageLayout() {
        let bytes = ProofValidator.message(token: "tok", url: "http://h/a?b=c", timestampTicks: 0x0102_0304_0506_0708)
        let expected: [UInt8] =
            [0, 0, 0, 3] + Array("tok".utf8) + [0, 0, 0, 14] + Array("HTTP://H/A?B=C".utf8) + [0, 0, 0, 8]
            + [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(bytes == expected)
    }

    @Test func upperCasesTheURLButNotTheToken() {
        let bytes = ProofValidator.message(token: "aB%2f", url: "https://h/d\u{E9}j\u{E0}?t=aB%2f", timestampTicks: 1)
        let url =
            Array("HTTPS://H/D".utf8) + Array("\u{E9}".utf8) + Array("J".utf8) + Array("\u{E0}".utf8)
            + Array("?T=AB%2F".utf8)
        #expect(
            bytes == [0, 0, 0, 5] + Array("aB%2f".utf8) + [0, 0, 0, UInt8(url.count)] + url + [
                0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1,
            ])
    }

    @Test func tickConversions() {
        #expect(ProofValidator.ticks(fromUnixMilliseconds: 0) == 621_355_968_000_000_000)
        // The runner's dotnet_ticks(2026-01-01T09:00:00Z).
        #expect(ProofValidator.ticks(fromUnixMilliseconds: 1_767_258_000_000) == ValidatorFixture.ticks)
        #expect(
            ProofValidator.unixMicroseconds(fromTicks: ValidatorFixture.staleTicks)
                == WOPITime.parse("2015-08-17T00:00:00Z"))
        #expect(
            ProofValidator.unixMicroseconds(fromTicks: ProofValidator.ticks(fromUnixMicroseconds: Self.now)) == Self.now
        )
        #expect(ProofValidator.ticks(fromUnixMilliseconds: .max) == .max)
        #expect(ProofValidator.ticks(fromUnixMicroseconds: .min) == .min)
        #expect(ProofValidator.unixMicroseconds(fromTicks: .min) < 0)
    }

    @Test(arguments: cells)
    func acceptanceRules(_ cell: Cell) {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: Self.now - 60_000_000)
        let signed = ProofValidator.message(token: Self.token, url: Self.url, timestampTicks: ticks)
        let outcome = ProofValidator.verify(
            token: Self.token, url: Self.url, timestampHeader: String(ticks), proof: Self.header(cell.proof, signed),
            proofOld: Self.header(cell.proofOld, signed), current: TestKeys.proofKey(TestKeys.current),
            old: cell.oldKeyPublished ? TestKeys.proofKey(TestKeys.old) : nil, nowMicroseconds: Self.now)
        switch cell.expected {
        case .valid: #expect(outcome == .valid)
        case .validWithOldKey: #expect(outcome == .validWithOldKey)
        case .invalid:
            guard case .invalid = outcome else {
                Issue.record("expected .invalid, got \(outcome)")
                return
            }
        }
    }

    @Test func signatureCoversTokenURLAndTimestamp() {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: Self.now)
        let proof = TestKeys.sign(
            ProofValidator.message(token: Self.token, url: Self.url, timestampTicks: ticks), with: TestKeys.current)
        let current = TestKeys.proofKey(TestKeys.current)
        func verify(token: String = Self.token, url: String = Self.url, ticks: Int64 = ticks) -> ProofOutcome {
            ProofValidator.verify(
                token: token, url: url, timestampHeader: String(ticks), proof: proof, proofOld: nil, current: current,
                old: nil, nowMicroseconds: Self.now)
        }
        #expect(verify() == .valid)
        // The URL is compared upper-cased, so its case does not matter; everything else does.
        #expect(verify(url: Self.url.uppercased()) == .valid)
        #expect(verify(url: Self.url.lowercased()) == .valid)
        #expect(!verify(token: "AbC123xyZ").isAccepted)
        #expect(!verify(url: Self.url.replacingOccurrences(of: "&access_token_ttl=1772402400000", with: "")).isAccepted)
        #expect(!verify(url: Self.url.replacingOccurrences(of: "https:", with: "http:")).isAccepted)
        #expect(!verify(ticks: ticks + 1).isAccepted)
    }

    @Test func timestampWindow() {
        let minute: Int64 = 60_000_000
        #expect(Self.verifyCurrentSigned(ageMicroseconds: 0) == .valid)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: 20 * minute) == .valid)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: 20 * minute + 1) == .expired)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: 24 * 60 * minute) == .expired)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: -5 * minute) == .valid)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: -5 * minute - 1) == .expired)
        #expect(Self.verifyCurrentSigned(ageMicroseconds: -60 * minute) == .expired)
    }

    @Test(
        arguments: [
            nil, "", " ", "abc", "-1", "+639028548000000000", "1.5", "0x10", "1e9", "639 028", "99999999999999999999",
            "3155378976000000000",
        ] as [String?])
    func unreadableTimestampIsMalformed(_ header: String?) {
        let outcome = ProofValidator.verify(
            token: Self.token, url: Self.url, timestampHeader: header, proof: ValidatorFixture.invalid, proofOld: nil,
            current: TestKeys.proofKey(TestKeys.current), old: nil, nowMicroseconds: Self.now)
        guard case .malformed = outcome else {
            Issue.record("\(String(describing: header)) gave \(outcome)")
            return
        }
    }

    @Test func missingOrGarbledProofIsMalformed() {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: Self.now)
        let good = TestKeys.sign(
            ProofValidator.message(token: Self.token, url: Self.url, timestampTicks: ticks), with: TestKeys.current)
        func verify(_ proof: String?, _ proofOld: String?, timestamp: String = String(ticks)) -> ProofOutcome {
            ProofValidator.verify(
                token: Self.token, url: Self.url, timestampHeader: timestamp, proof: proof, proofOld: proofOld,
                current: TestKeys.proofKey(TestKeys.current), old: TestKeys.proofKey(TestKeys.old),
                nowMicroseconds: Self.now)
        }
        let cases: [(String?, String?)] = [(nil, good), ("", good), ("%%not base64%%", good), (good, "%%not base64%%")]
        for (proof, proofOld) in cases {
            guard case .malformed = verify(proof, proofOld) else {
                Issue.record("Proof=\(String(describing: proof)) ProofOld=\(String(describing: proofOld)) accepted")
                continue
            }
        }
        // An empty ProofOld is an absent one; surrounding blanks around the timestamp are tolerated.
        #expect(verify(good, "") == .valid)
        #expect(verify(good, nil, timestamp: " \(ticks) ") == .valid)
    }

    @Test func outcomeAdvice() {
        #expect(ProofOutcome.valid.isAccepted && !ProofOutcome.valid.shouldRefreshDiscovery)
        #expect(ProofOutcome.validWithOldKey.isAccepted && ProofOutcome.validWithOldKey.shouldRefreshDiscovery)
        #expect(
            !ProofOutcome.invalid(reason: "x").isAccepted && ProofOutcome.invalid(reason: "x").shouldRefreshDiscovery)
        #expect(!ProofOutcome.expired.isAccepted && !ProofOutcome.expired.shouldRefreshDiscovery)
        #expect(
            !ProofOutcome.malformed(reason: "x").isAccepted
                && !ProofOutcome.malformed(reason: "x").shouldRefreshDiscovery)
    }
}
