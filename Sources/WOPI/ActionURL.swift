/// Builds an action URL from a discovery `urlsrc` template (PROTOCOL §A.10).
public enum ActionURL {
    /// Fills the `<key=PLACEHOLDER[&]>` parts of `urlsrc` (already XML-unescaped).
    ///
    /// - `WOPI_SOURCE` always becomes the percent-encoded `wopiSrc`.
    /// - A placeholder named in `values` with a non-empty value becomes `key=<encoded value>`,
    ///   keeping its `&`; any other placeholder is deleted with its brackets.
    /// - Without a `WOPI_SOURCE` placeholder (Collabora's `…/cool.html?`, Office's templates),
    ///   `WOPISrc=<encoded wopiSrc>` is appended as a query parameter.
    /// - Empty query segments (`?&`, `&&`, a trailing `&`, as ONLYOFFICE's `…&>&` leaves) are dropped,
    ///   so the URL never ends with a dangling separator.
    ///
    /// Values and `wopiSrc` are encoded with everything outside RFC 3986 unreserved characters
    /// percent-encoded (UTF-8, upper-case hex).
    public static func fill(urlsrc: String, wopiSrc: String, values: [String: String]) -> String {
        var out = ""
        var sawWopiSource = false
        var rest = Substring(urlsrc)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                // An unterminated `<` is not a placeholder: keep the rest verbatim.
                rest = rest[open...]
                break
            }
            let body = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            guard let equals = body.firstIndex(of: "=") else { continue }
            let key = body[..<equals]
            var name = body[body.index(after: equals)...]
            let keepsAmpersand = name.hasSuffix("&")
            if keepsAmpersand { name = name.dropLast() }
            let value: String
            if name == "WOPI_SOURCE" {
                value = wopiSrc
                sawWopiSource = true
            } else if let given = values[String(name)], !given.isEmpty {
                value = given
            } else {
                continue
            }
            out += String(key) + "=" + percentEncode(value) + (keepsAmpersand ? "&" : "")
        }
        out += rest
        if !sawWopiSource {
            if !out.contains("?") {
                out += "?"
            } else if !out.hasSuffix("?") && !out.hasSuffix("&") {
                out += "&"
            }
            out += "WOPISrc=" + percentEncode(wopiSrc)
        }
        return dropEmptyQuerySegments(out)
    }

    /// Percent-encodes every byte outside `A–Z a–z 0–9 - . _ ~`.
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func dropEmptyQuerySegments(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let segments = url[url.index(after: question)...].split(separator: "&", omittingEmptySubsequences: true)
        let base = String(url[..<question])
        return segments.isEmpty ? base : base + "?" + segments.joined(separator: "&")
    }
}
