import Crypto
import FolioCore
import Foundation

/// SHA-256 and HMAC-SHA256 in the lower-case hex SigV4 writes them in.
enum Hashing {
    static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hmac(key: some ContiguousBytes, _ message: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.lowercase(bytes) }
}
