import Foundation

/// Random, URL-safe identifiers (`[A-Za-z0-9_-]`, 128 bits) for users, folders, files and
/// blobs. The same alphabet as tokens, so encoded and decoded URLs are identical.
public enum Identifier {
    public static let byteCount = 16
    /// Length of the base64url text of `byteCount` bytes.
    public static let length = 22

    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: byteCount)
        while true {
            for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &generator) }
            let id = Base64URL.encode(bytes)
            // An id starting with "-" reads as an option on command lines; drawing again costs
            // under 0.03 bits of the 128.
            if id.utf8.first != UInt8(ascii: "-") { return id }
        }
    }

    /// The 16 raw bytes of a well-formed identifier, or nil.
    public static func bytes(of id: String) -> [UInt8]? {
        guard id.utf8.count == length, let bytes = Base64URL.decode(id), bytes.count == byteCount else {
            return nil
        }
        return bytes
    }

    public static func isValid(_ id: String) -> Bool { bytes(of: id) != nil }
}

/// Unpadded base64url (RFC 4648 §5).
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ isAlphabet($0) }) else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = s.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { s += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: s).map { [UInt8]($0) }
    }

    /// Whether `c` is in `[A-Za-z0-9_-]`.
    @inline(__always)
    public static func isAlphabet(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 95
    }
}
