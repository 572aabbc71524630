import Foundation

/// AWS's URI encoding: RFC 3986 unreserved characters stay, every other UTF-8 byte becomes `%XX`
/// with uppercase hex. Foundation's percent-encoding APIs keep more characters than AWS does, so
/// they cannot be used here.
enum URIEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// Decodes `%XX` escapes; text that is not valid percent-encoded UTF-8 is kept as it is, so a
    /// stray `%` gets encoded to `%25` rather than dropping the component.
    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
