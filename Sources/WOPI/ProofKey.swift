import Crypto
import CryptoExtras
import Foundation

/// Why a discovery proof key was refused.
public enum ProofKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An attribute is not base64 (or is empty).
    case invalidBase64(field: String)
    /// The `value` blob is not a .NET CAPI RSA PUBLICKEYBLOB.
    case malformedBlob(String)
    /// RSA keys under 2048 bits are refused: they no longer protect anything.
    case keyTooSmall(bits: Int)
    /// The RSA library refused the modulus/exponent pair.
    case rejected(String)

    public var description: String {
        switch self {
        case .invalidBase64(let field): "proof key: \(field) is not valid base64"
        case .malformedBlob(let why): "proof key: value is not an RSA PUBLICKEYBLOB (\(why))"
        case .keyTooSmall(let bits): "proof key: \(bits)-bit RSA key refused, at least 2048 bits are required"
        case .rejected(let why): "proof key: RSA key refused (\(why))"
        }
    }
}

/// A WOPI client's RSA public proof key, as published in discovery.
public struct ProofKey: Sendable, Equatable {
    /// Big-endian modulus without leading zero bytes.
    public let modulus: [UInt8]
    /// Big-endian public exponent without leading zero bytes.
    public let exponent: [UInt8]
    private let key: _RSA.Signing.PublicKey

    public var bitCount: Int { Self.bitLength(modulus) }

    /// From the `modulus` and `exponent` attributes (base64 big-endian unsigned integers).
    public init(modulusBase64: String, exponentBase64: String) throws {
        guard let n = Self.decodeBase64(modulusBase64) else { throw ProofKeyError.invalidBase64(field: "modulus") }
        guard let e = Self.decodeBase64(exponentBase64) else { throw ProofKeyError.invalidBase64(field: "exponent") }
        try self.init(modulus: n, exponent: e)
    }

    /// From the `value` attribute: a .NET CAPI PUBLICKEYBLOB — BLOBHEADER (type 0x06, version 0x02,
    /// reserved, ALG_ID), `RSA1`, bit length LE32, exponent LE32, modulus little-endian.
    public init(cspBlobBase64: String) throws {
        guard let blob = Self.decodeBase64(cspBlobBase64) else { throw ProofKeyError.invalidBase64(field: "value") }
        guard blob.count >= 20 else { throw ProofKeyError.malformedBlob("\(blob.count) bytes") }
        guard blob[0] == 0x06, blob[1] == 0x02 else {
            throw ProofKeyError.malformedBlob("not a version 2 PUBLICKEYBLOB")
        }
        // The ALG_ID varies (CALG_RSA_KEYX 0xA400, CALG_RSA_SIGN 0x2400 in Office's own discovery): not checked.
        guard blob[8..<12].elementsEqual("RSA1".utf8) else { throw ProofKeyError.malformedBlob("no RSA1 magic") }
        let bits = Self.littleEndian32(blob[12..<16])
        guard bits > 0, bits % 8 == 0, blob.count == 20 + bits / 8 else {
            throw ProofKeyError.malformedBlob("bit length \(bits) does not match \(blob.count - 20) modulus bytes")
        }
        let e = Self.littleEndian32(blob[16..<20])
        let exponent: [UInt8] = [UInt8(e >> 24 & 0xFF), UInt8(e >> 16 & 0xFF), UInt8(e >> 8 & 0xFF), UInt8(e & 0xFF)]
        try self.init(modulus: Array(blob[20...].reversed()), exponent: exponent)
    }

    private init(modulus: [UInt8], exponent: [UInt8]) throws {
        let n = Array(modulus.drop { $0 == 0 })
        let e = Array(exponent.drop { $0 == 0 })
        // Checked here first so the error names the size instead of swift-crypto's generic parameter error.
        let bits = Self.bitLength(n)
        guard bits >= 2048 else { throw ProofKeyError.keyTooSmall(bits: bits) }
        guard !e.isEmpty else { throw ProofKeyError.rejected("exponent is zero") }
        do {
            key = try _RSA.Signing.PublicKey(n: n, e: e)
        } catch {
            throw ProofKeyError.rejected("\(error)")
        }
        self.modulus = n
        self.exponent = e
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`. A signature that is not base64 is invalid.
    public func isValid(signatureBase64: String, for message: [UInt8]) -> Bool {
        guard let bytes = Self.decodeBase64(signatureBase64) else { return false }
        return isValid(signature: bytes, for: message)
    }

    /// The same check on an already decoded signature.
    public func isValid(signature: [UInt8], for message: [UInt8]) -> Bool {
        // The default padding is PSS; WOPI clients sign with PKCS#1 v1.5.
        guard signature.count == (bitCount + 7) / 8 else { return false }
        return key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: message),
            padding: .insecurePKCS1v1_5)
    }

    public static func == (a: ProofKey, b: ProofKey) -> Bool {
        a.modulus == b.modulus && a.exponent == b.exponent
    }

    /// Strict base64 (padding required); surrounding and embedded whitespace, as XML attributes may
    /// carry, is ignored. Empty input is refused.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty, let data = Data(base64Encoded: compact) else { return nil }
        return [UInt8](data)
    }

    private static func littleEndian32(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private static func bitLength(_ bigEndian: [UInt8]) -> Int {
        guard let first = bigEndian.first(where: { $0 != 0 }) else { return 0 }
        let leadingZeroBytes = bigEndian.prefix { $0 == 0 }.count
        return (bigEndian.count - leadingZeroBytes - 1) * 8 + (8 - first.leadingZeroBitCount)
    }
}
