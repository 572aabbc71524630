import FolioCore
import Foundation

/// A bucket of an S3-compatible object store and the prefix Folio's objects live under:
/// `s3://BUCKET[/PREFIX]?endpoint=URL[&region=R][&path_style=false]`.
public struct BucketLocation: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// Empty, or ends with "/".
    public var prefix: String
    /// `http(s)://host[:port]` of the gateway, without a path.
    public var endpoint: URL
    public var region: String
    /// `https://endpoint/bucket/key` (the default: every gateway supports it) rather than
    /// `https://bucket.endpoint/key`.
    public var pathStyle: Bool

    public init(url text: String) throws {
        guard text.hasPrefix("s3://"), let components = URLComponents(string: text), let bucket = components.host,
            !bucket.isEmpty
        else {
            throw FolioError.badRequest("a bucket is s3://BUCKET[/PREFIX]?endpoint=URL[&region=R], not \(text)")
        }
        guard Self.isValidBucketName(bucket) else {
            throw FolioError.badRequest("\(bucket) is not a bucket name (3 to 63 of a-z, 0-9, '.' and '-')")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["endpoint", "region", "path_style"].contains(item.name) else {
                throw FolioError.badRequest(
                    "unknown bucket parameter \(item.name) (known: endpoint, region, path_style)")
            }
            query[item.name] = item.value ?? ""
        }
        guard let endpointText = query["endpoint"], let endpoint = URL(string: endpointText),
            ["http", "https"].contains(endpoint.scheme ?? ""), endpoint.host != nil,
            endpoint.path.isEmpty || endpoint.path == "/"
        else {
            throw FolioError.badRequest(
                "the bucket needs endpoint=http(s)://HOST[:PORT] (no path), e.g. \(text)&endpoint=https://s3.example.com"
            )
        }
        let pathStyle = query["path_style"] ?? "true"
        guard ["true", "false"].contains(pathStyle) else {
            throw FolioError.badRequest("path_style is true or false, not \(pathStyle)")
        }
        let prefix = components.path.split(separator: "/").joined(separator: "/")
        self.bucket = bucket
        self.prefix = prefix.isEmpty ? "" : prefix + "/"
        self.endpoint = URL(string: endpointText.hasSuffix("/") ? String(endpointText.dropLast()) : endpointText)!
        self.region = query["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        self.pathStyle = pathStyle == "true"
    }

    static func isValidBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-" }
    }

    public var description: String {
        "s3://\(bucket)/\(prefix)?endpoint=\(endpoint.absoluteString)&region=\(region)"
            + (pathStyle ? "" : "&path_style=false")
    }
}
