import FolioCore
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What Folio reads from a `207 Multi-Status` answer to PROPFIND (RFC 4918 §14.16): per
/// resource its href and the properties of the propstat that came back `200`.
struct WebDAVMultistatus {
    struct Resource: Equatable {
        var href = ""
        var isCollection = false
        /// As the server sent it, `W/` included.
        var etag: String?
        var contentLength: Int64?
        var lastModified: String?
        var locks: [ActiveLock] = []
    }

    struct ActiveLock: Equatable {
        var token = ""
        /// The owner's text (what a client wrote there, often a name or a URL).
        var owner = ""
    }

    var resources: [Resource] = []

    init(_ data: Data) throws {
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else {
            throw FolioError.storage(
                "the WebDAV server answered with XML that does not parse: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        resources = reader.resources
    }

    /// Reads elements by their local name in the `DAV:` namespace; other namespaces are skipped.
    private final class Reader: NSObject, XMLParserDelegate {
        var resources: [Resource] = []
        var path: [String] = []
        var text = ""
        var resource: Resource?
        /// The props of the current propstat, kept only if its status is 200.
        var pending = Resource()
        var propstatOK = false
        var lock: ActiveLock?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let local = namespaceURI == "DAV:" ? name : "{\(namespaceURI ?? "")}\(name)"
            path.append(local)
            text = ""
            switch local {
            case "response": resource = Resource()
            case "propstat":
                pending = Resource()
                propstatOK = false
            case "collection" where path.dropLast().last == "resourcetype": pending.isCollection = true
            case "activelock": lock = ActiveLock()
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
            // An owner's text may sit in child elements (an href, a name): all of it counts.
            if lock != nil, path.contains("owner") { lock?.owner += string }
        }

        func parser(
            _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
        ) {
            let local = path.popLast() ?? ""
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let inside = Set(path)
            switch local {
            case "href" where inside.contains("locktoken"): lock?.token = value
            case "href" where path.last == "response": resource?.href = value
            case "getetag" where inside.contains("prop"): pending.etag = value
            case "getcontentlength" where inside.contains("prop"): pending.contentLength = Int64(value)
            case "getlastmodified" where inside.contains("prop"): pending.lastModified = value
            case "status" where path.last == "propstat":
                propstatOK = value.split(separator: " ").dropFirst().first == "200"
            case "activelock":
                if var lock {
                    lock.owner = lock.owner.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    pending.locks.append(lock)
                }
                lock = nil
            case "propstat" where propstatOK:
                guard var kept = resource else { break }
                kept.isCollection = kept.isCollection || pending.isCollection
                kept.etag = pending.etag ?? kept.etag
                kept.contentLength = pending.contentLength ?? kept.contentLength
                kept.lastModified = pending.lastModified ?? kept.lastModified
                kept.locks += pending.locks
                resource = kept
            case "response":
                if let resource { resources.append(resource) }
                resource = nil
            default: break
            }
            text = ""
        }
    }

    /// The body Folio sends with PROPFIND: the properties it reads, no more.
    static let propfindBody = """
        <?xml version="1.0" encoding="utf-8"?>
        <D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getetag/><D:getcontentlength/>\
        <D:getlastmodified/><D:lockdiscovery/></D:prop></D:propfind>
        """

    /// An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") in microseconds
    /// since the epoch; 0 when it is not one.
    static func microseconds(httpDate text: String?) -> Int64 {
        guard let text else { return 0 }
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return 0 }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return 0 }
        // Days from the civil date (Howard Hinnant's algorithm): no calendar, no locale.
        let month = monthIndex + 1
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Int64(days) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
        return seconds * 1_000_000
    }
}
