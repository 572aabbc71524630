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

/// Unpadded base64url (RFC 4648 §5). Hand-rolled over bytes: tokens are decoded on every WOPI
/// request, and going through Foundation's base64 plus string replacement cost more than the
/// HMAC itself.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            output += [
                alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)],
            ]
            i += 3
        }
        if input.count - i == 1 {
            let n = UInt32(input[i]) << 16
            output += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)]]
        } else if input.count - i == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            output += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of unpadded base64url text, or nil when it is not that (including non-zero
    /// leftover bits, so every byte string has exactly one accepted spelling).
    public static func decode(_ text: String) -> [UInt8]? {
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard bits < 6, accumulator == 0 else { return nil }
        return output
    }

    /// Whether `c` is in `[A-Za-z0-9_-]`.
    @inline(__always)
    public static func isAlphabet(_ c: UInt8) -> Bool { values[Int(c)] != 0xFF }
}
