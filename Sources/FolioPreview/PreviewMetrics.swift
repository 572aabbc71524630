import Metrics

/// `/metrics`: conversions by kind and result, how long they take, and the queue.
enum PreviewMetrics {
    static func converted(kind: String, result: String, duration: Duration) {
        // Thumbnails of every size are one kind here: labels stay few.
        let family = kind.hasPrefix("thumbnail") ? "thumbnail" : kind
        Counter(label: "folio_conversions_total", dimensions: [("kind", family), ("result", result)]).increment()
        if result == "ok" {
            Timer(label: "folio_conversion_seconds", dimensions: [("kind", family)]).recordNanoseconds(
                duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        }
    }

    static func queue(running: Int, queued: Int) {
        Gauge(label: "folio_conversions_running").record(running)
        Gauge(label: "folio_conversions_queued").record(queued)
    }
}
