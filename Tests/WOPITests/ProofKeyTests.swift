import CryptoExtras
import Foundation
import Testing
import WOPI

/// Two generated RSA-2048 keys shared by the proof tests (generation is slow), and the discovery
/// forms of their public halves.
enum TestKeys {
    static let current = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let old = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// Big-endian modulus and exponent, as discovery's `modulus`/`exponent` carry them.
    static func numbers(_ key: _RSA.Signing.PrivateKey) -> (modulus: Data, exponent: Data) {
        let primitives = try! key.publicKey.getKeyPrimitives()
        return (primitives.modulus, primitives.publicExponent)
    }

    static func proofKey(_ key: _RSA.Signing.PrivateKey) -> ProofKey {
        let (n, e) = numbers(key)
        return try! ProofKey(modulusBase64: n.base64EncodedString(), exponentBase64: e.base64EncodedString())
    }

    /// The .NET PUBLICKEYBLOB discovery's `value` carries, built the way the validator runner does.
    static func cspBlob(modulus: Data, exponent: Data, algorithm: UInt16 = 0xA400) -> [UInt8] {
        let n = Array(modulus.drop { $0 == 0 })
        let e = exponent.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let bits = UInt32(n.count * 8 - (n.first ?? 0).leadingZeroBitCount)
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return [0x06, 0x02, 0x00, 0x00, UInt8(algorithm & 0xFF), UInt8(algorithm >> 8), 0x00, 0x00]
            + Array("RSA1".utf8) + le32(bits) + le32(e) + n.reversed()
    }

    static func sign(_ message: [UInt8], with key: _RSA.Signing.PrivateKey) -> String {
        try! key.signature(for: Data(message), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }
}

@Suite struct ProofKeyTests {
    @Test func bothDiscoveryFormsGiveTheSameKey() throws {
        let (n, e) = TestKeys.numbers(TestKeys.current)
        let fromNumbers = try ProofKey(modulusBase64: n.base64EncodedString(), exponentBase64: e.base64EncodedString())
        let blob = TestKeys.cspBlob(modulus: n, exponent: e)
        let fromBlob = try ProofKey(cspBlobBase64: Data(blob).base64EncodedString())
        #expect(fromNumbers == fromBlob)
        #expect(fromNumbers.bitCount == 2048)
        #expect(fromNumbers.exponent == [0x01, 0x00, 0x01])
        #expect(fromNumbers != TestKeys.proofKey(TestKeys.old))
        // Office's own discovery uses ALG_ID CALG_RSA_SIGN (0x2400) instead of 0xA400.
        let signBlob = TestKeys.cspBlob(modulus: n, exponent: e, algorithm: 0x2400)
        #expect(try ProofKey(cspBlobBase64: Data(signBlob).base64EncodedString()) == fromNumbers)
    }

    @Test func publishedKeysAgreeInBothForms() throws {
        let microsoft = try ProofKey(modulusBase64: MicrosoftVector.modulus, exponentBase64: MicrosoftVector.exponent)
        #expect(try ProofKey(cspBlobBase64: MicrosoftVector.value) == microsoft)
        let microsoftOld = try ProofKey(
            modulusBase64: MicrosoftVector.oldModulus, exponentBase64: MicrosoftVector.oldExponent)
        #expect(try ProofKey(cspBlobBase64: MicrosoftVector.oldValue) == microsoftOld)
        #expect(microsoft != microsoftOld)
        let runner = try ProofKey(modulusBase64: ValidatorFixture.modulus, exponentBase64: ValidatorFixture.exponent)
        #expect(try ProofKey(cspBlobBase64: ValidatorFixture.value) == runner)
        let runnerOld = try ProofKey(
            modulusBase64: ValidatorFixture.oldModulus, exponentBase64: ValidatorFixture.oldExponent)
        #expect(try ProofKey(cspBlobBase64: ValidatorFixture.oldValue) == runnerOld)
    }

    @Test func attributeWhitespaceIsIgnored() throws {
        let wrapped = MicrosoftVector.modulus.enumerated().map {
            $0.offset % 64 == 63 ? "\($0.element)\n  " : "\($0.element)"
        }
        .joined()
        #expect(
            try ProofKey(modulusBase64: " \(wrapped)\n", exponentBase64: "AQAB ")
                == ProofKey(modulusBase64: MicrosoftVector.modulus, exponentBase64: "AQAB"))
    }

    @Test func verifiesPKCS1v15SHA256Only() throws {
        let key = TestKeys.proofKey(TestKeys.current)
        let message = Array("signed bytes".utf8)
        #expect(key.isValid(signatureBase64: TestKeys.sign(message, with: TestKeys.current), for: message))
        #expect(!key.isValid(signatureBase64: TestKeys.sign(message + [0], with: TestKeys.current), for: message))
        #expect(!key.isValid(signatureBase64: TestKeys.sign(message, with: TestKeys.old), for: message))
        // swift-crypto's default padding is PSS; a PSS signature is not what WOPI clients send.
        let pss = try TestKeys.current.signature(for: Data(message), padding: .PSS).rawRepresentation
        #expect(!key.isValid(signatureBase64: pss.base64EncodedString(), for: message))
    }

    @Test(arguments: [
        "", " ", "!!!!", "SU5WQUxJRA==", "AAAA", "SU5WQUxJRA", String(repeating: "A", count: 343) + "=",
        Data(repeating: 0, count: 256).base64EncodedString(), Data(repeating: 0xFF, count: 256).base64EncodedString(),
        Data(repeating: 0x5A, count: 300).base64EncodedString(),
    ])
    func garbageSignaturesAreInvalid(signature: String) {
        #expect(!TestKeys.proofKey(TestKeys.current).isValid(signatureBase64: signature, for: [1, 2, 3]))
    }

    @Test func refusesKeysUnder2048Bits() {
        let n1024 = Data([0xC3] + [UInt8](repeating: 0x5B, count: 127))
        #expect(throws: ProofKeyError.keyTooSmall(bits: 1024)) {
            try ProofKey(modulusBase64: n1024.base64EncodedString(), exponentBase64: "AQAB")
        }
        let blob1024 = TestKeys.cspBlob(modulus: n1024, exponent: Data([1, 0, 1]))
        #expect(throws: ProofKeyError.keyTooSmall(bits: 1024)) {
            try ProofKey(cspBlobBase64: Data(blob1024).base64EncodedString())
        }
        // 256 bytes are not enough when the top bit is clear; leading zero bytes do not count.
        let n2047 = Data([0x00, 0x7F] + [UInt8](repeating: 0x5B, count: 255))
        #expect(throws: ProofKeyError.keyTooSmall(bits: 2047)) {
            try ProofKey(modulusBase64: n2047.base64EncodedString(), exponentBase64: "AQAB")
        }
        #expect("\(ProofKeyError.keyTooSmall(bits: 1024))".contains("2048"))
    }

    @Test func refusesMalformedAttributes() {
        #expect(throws: ProofKeyError.invalidBase64(field: "modulus")) {
            try ProofKey(modulusBase64: "not base64!", exponentBase64: "AQAB")
        }
        #expect(throws: ProofKeyError.invalidBase64(field: "exponent")) {
            try ProofKey(modulusBase64: MicrosoftVector.modulus, exponentBase64: "")
        }
        #expect(throws: ProofKeyError.invalidBase64(field: "value")) { try ProofKey(cspBlobBase64: "") }
        let (n, e) = TestKeys.numbers(TestKeys.current)
        let blob = TestKeys.cspBlob(modulus: n, exponent: e)
        var wrongMagic = blob
        wrongMagic[8] = UInt8(ascii: "D")
        var wrongType = blob
        wrongType[0] = 0x07  // PRIVATEKEYBLOB
        for bad in [Array(blob.prefix(19)), Array(blob.dropLast()), blob + [0], wrongMagic, wrongType] {
            #expect(throws: ProofKeyError.self) { try ProofKey(cspBlobBase64: Data(bad).base64EncodedString()) }
        }
        #expect(throws: ProofKeyError.self) {
            try ProofKey(modulusBase64: n.base64EncodedString(), exponentBase64: "AA==")
        }
    }

    @Test(arguments: MicrosoftVector.cases)
    func microsoftTestVector(_ vector: MicrosoftVector.Case) throws {
        let current = try ProofKey(cspBlobBase64: MicrosoftVector.value)
        let old = try ProofKey(cspBlobBase64: MicrosoftVector.oldValue)
        let outcome = ProofValidator.verify(
            token: vector.token, url: vector.url, timestampHeader: String(vector.ticks), proof: vector.proof,
            proofOld: vector.proofOld, current: current, old: old,
            nowMicroseconds: ProofValidator.unixMicroseconds(fromTicks: vector.ticks) + 60_000_000)
        switch vector.expected {
        case .valid: #expect(outcome == .valid)
        case .validWithOldKey: #expect(outcome == .validWithOldKey)
        case .invalid: #expect(!outcome.isAccepted && outcome != .expired)
        }
    }
}
