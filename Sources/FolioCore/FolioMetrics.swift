import Metrics

/// Folio's own figures, through swift-metrics (Prometheus when `serve` sets it up; nothing
/// otherwise). Requests, latencies and errors per route come from the HTTP layer.
public enum FolioMetrics {
    static let bytesIn = Counter(label: "folio_content_bytes_in_total")
    static let bytesOut = Counter(label: "folio_content_bytes_out_total")

    static func saved(_ source: VersionSource, bytes: Int64) {
        Counter(label: "folio_saves_total", dimensions: [("source", source.rawValue)]).increment()
        bytesIn.increment(by: bytes)
    }

    static func read(bytes: Int) { bytesOut.increment(by: bytes) }
}
