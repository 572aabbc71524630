/// The pieces of a canonical request, each following the SigV4 rules.
enum Canonicalization {
    /// The canonical URI of a wire path.
    ///
    /// - normalize: drop empty, `.` and `..` segments (every service but S3).
    /// - doubleEncode: encode the wire path as it is, so `%20` becomes `%2520` (every service but
    ///   S3); otherwise decode each segment and encode it once, which for S3 yields the wire path
    ///   in canonical spelling.
    static func uri(path: String, normalize: Bool, doubleEncode: Bool) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A path always starts with "/", so the first segment is the empty text before it.
        if segments.first == "" { segments.removeFirst() }
        if normalize { segments = removingDotSegments(segments) }
        if segments.isEmpty { return "/" }
        let encoded = segments.map {
            doubleEncode ? URIEncoding.encode($0) : URIEncoding.encode(URIEncoding.decode($0))
        }
        return "/" + encoded.joined(separator: "/")
    }

    /// RFC 3986 dot-segment removal, plus collapsing `//`; a trailing slash survives.
    private static func removingDotSegments(_ segments: [String]) -> [String] {
        var kept: [String] = []
        for segment in segments {
            switch segment {
            case "", ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        // "/a/" and "/a/b/.." both name a directory; keep the slash that says so.
        if !kept.isEmpty, let last = segments.last, ["", ".", ".."].contains(last) {
            kept.append("")
        }
        return kept
    }

    /// The canonical query string: each name and value decoded then encoded once, sorted by name
    /// and then value, a missing value written as `name=`.
    static func query(_ query: String) -> String {
        let pairs = query.split(separator: "&").map { item -> (name: String, value: String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = URIEncoding.encode(URIEncoding.decode(String(parts[0])))
            let value = parts.count > 1 ? URIEncoding.encode(URIEncoding.decode(String(parts[1]))) : ""
            return (name, value)
        }
        // Encoded text is ASCII, so comparing UTF-8 bytes is the byte order AWS specifies.
        let sorted = pairs.sorted { lhs, rhs in
            lhs.name == rhs.name ? bytesPrecede(lhs.value, rhs.value) : bytesPrecede(lhs.name, rhs.name)
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Canonical header lines and the signed-headers list. Names are lower-cased and sorted;
    /// values are trimmed with inner runs of spaces collapsed; repeated names are joined with
    /// commas in the order given.
    static func headers(_ headers: [(name: String, value: String)]) -> (lines: String, signed: String) {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimmed(header.value))
        }
        let names = values.keys.sorted(by: bytesPrecede)
        let lines = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    private static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private static func bytesPrecede(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
