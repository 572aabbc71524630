import Mustache

/// HTML text and attribute values: & < > " and ' become entities. Most values hold none of
/// them and come back as they are, without a copy.
struct HTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        let plain =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                for byte in bytes where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
                    return false
                }
                return true
            } ?? false
        if plain { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// The inside of a single-quoted JavaScript string in a script element: no quote, backslash or
/// line end can end the string, no angle bracket can end the element.
struct JSStringEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
