import Foundation
import NIOHTTP1

/// What an object's response headers say about it (HEAD, GET, PUT).
public struct ObjectHead: Sendable, Equatable {
    /// As the store wrote it; compare with `ObjectHead.sameTag`, never byte for byte.
    public var etag: String
    /// The whole object's bytes (a ranged GET names it in `Content-Range`).
    public var size: Int64
    public var lastModified: Date

    public init(etag: String, size: Int64, lastModified: Date) {
        self.etag = etag
        self.size = size
        self.lastModified = lastModified
    }

    /// Nil when the headers have no ETag (then they are not an object's).
    init?(headers: HTTPHeaders) {
        guard let etag = headers.first(name: "etag"), !etag.isEmpty else { return nil }
        var size = Int64(headers.first(name: "content-length") ?? "") ?? 0
        // "bytes 0-99/1234": the total follows the slash.
        if let range = headers.first(name: "content-range"), let slash = range.lastIndex(of: "/"),
            let total = Int64(range[range.index(after: slash)...])
        {
            size = total
        }
        self.init(
            etag: etag, size: size,
            lastModified: Self.httpDate(headers.first(name: "last-modified") ?? headers.first(name: "date")) ?? Date())
    }

    /// The ETag without quotes (and without a weak marker): RGW hands out `"…"` on HEAD and GET
    /// but a bare value in a CopyObject answer.
    public static func bare(_ etag: String) -> String {
        var text = Substring(etag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return String(text)
    }

    /// One spelling for every ETag Folio hands out as a tag: quoted, as S3 defines it.
    public static func canonical(_ etag: String) -> String { "\"" + bare(etag) + "\"" }

    public static func sameTag(_ a: String, _ b: String) -> Bool { bare(a) == bare(b) }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form S3 gateways send.
    static func httpDate(_ text: String?) -> Date? {
        guard let parts = text?.split(separator: " "), parts.count == 6, parts[5] == "GMT",
            let day = Int(parts[1]), let year = Int(parts[3]),
            let month = months.firstIndex(of: String(parts[2])).map({ $0 + 1 })
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        )
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
