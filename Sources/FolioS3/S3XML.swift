import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The few things Folio reads from S3's XML answers: top-level fields, and the fields of each
/// repeated record (`Contents` of a listing, `Upload` of the multipart uploads, `Error`).
struct S3XML {
    /// Text of elements directly under the root, by name (e.g. `UploadId`, `IsTruncated`).
    var fields: [String: String] = [:]
    /// One dictionary per `record` element, its children's text by name.
    var records: [[String: String]] = []

    init(_ data: Data, record: String) throws {
        let reader = Reader(record: record)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            throw S3Error.malformed(
                "the object store answered with XML that does not parse: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        fields = reader.fields
        records = reader.records
    }

    private final class Reader: NSObject, XMLParserDelegate {
        let record: String
        var path: [String] = []
        var text = ""
        var fields: [String: String] = [:]
        var records: [[String: String]] = []
        var current: [String: String]?

        init(record: String) { self.record = record }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            path.append(name)
            text = ""
            if name == record && current == nil { current = [:] }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            path.removeLast()
            if name == record, current != nil, path.last != record {
                records.append(current!)
                current = nil
            } else if current != nil {
                current![name] = text
            } else if path.count == 1 || (path.isEmpty && name == record) {
                fields[name] = text
            }
            text = ""
        }
    }
}
