import FolioS3
import Foundation

/// A test-suite `.req` file taken apart: request line, header lines, body.
///
/// The request target is split at the last " HTTP/1.1" rather than at spaces because the suite
/// puts a raw space in one path (get-space).
struct RawRequest {
    let method: String
    let target: RequestTarget
    let headers: [SignatureV4.Header]
    let body: String

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines[0]
        let methodEnd = requestLine.firstIndex(of: " ")!
        method = String(requestLine[..<methodEnd])
        let uri = String(
            requestLine[
                requestLine.index(
                    after: methodEnd)..<requestLine.range(of: " HTTP/", options: .backwards)!
                    .lowerBound])
        var headers: [SignatureV4.Header] = []
        var index = 1
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            index += 1
        }
        self.headers = headers
        body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
        let host = headers.first { $0.name.lowercased() == "host" }!.value
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        target = RequestTarget(host: host, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "")
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
}
