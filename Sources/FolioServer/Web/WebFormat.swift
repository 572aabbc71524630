import Foundation

/// Sizes and times as people read them, in their language.
enum WebFormat {
    static func size(_ bytes: Int64, _ language: Language) -> String {
        let units = language == .ru ? ["Б", "КБ", "МБ", "ГБ", "ТБ"] : ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        var text = unit == 0 ? String(bytes) : String(format: value < 10 ? "%.1f" : "%.0f", value)
        if language == .ru { text = text.replacingOccurrences(of: ".", with: ",") }
        return text + "\u{00A0}" + units[unit]
    }

    /// A `<time>` element: the server writes UTC; the page's script shows it in the reader's
    /// own time zone and language.
    static func time(_ microseconds: Int64, _ language: Language) -> String {
        let date = Date(timeIntervalSince1970: Double(microseconds) / 1e6)
        let iso = ISO8601DateFormatter().string(from: date)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .ru ? "ru_RU" : "en_US")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return "<time datetime=\"\(iso)\">\(HTMLText.escape(formatter.string(from: date))) UTC</time>"
    }
}

/// Escaping for text and attributes in the pages.
enum HTMLText {
    static func escape(_ text: String) -> String { HostPage.escape(text) }
}
