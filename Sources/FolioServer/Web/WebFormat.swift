import FolioCore
import Foundation
import Mustache

/// Sizes and times as people read them, in their language.
enum WebFormat {
    /// What a role is called on the pages.
    static func roleLabel(_ role: Role) -> Text {
        switch role {
        case .view: .viewer
        case .comment: .commenter
        case .edit: .editor
        }
    }

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

    /// A time element's values: the server writes UTC; the page's script shows it in the
    /// reader's own time zone and language. Formatted by hand: a formatter per row cost more
    /// than the rest of a listing.
    static func time(_ microseconds: Int64, _ language: Language) -> WebTime {
        var seconds = time_t(microseconds / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(parts.tm_year) + 1900
        let iso =
            "\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        let months = language == .ru ? russianMonths : englishMonths
        let month = months[Int(parts.tm_mon)]
        let clock = "\(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
        let text =
            language == .ru
            ? "\(parts.tm_mday) \(month) \(year) г., \(clock)" : "\(month) \(parts.tm_mday), \(year), \(clock)"
        return WebTime(iso: iso, text: text)
    }

    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let russianMonths = [
        "янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек.",
    ]
}

/// A moment as templates show it: `datetime` (ISO 8601, UTC) and the text in the page's language.
struct WebTime: MustacheParent {
    let iso: String
    let text: String

    func child(named name: String) -> Any? {
        switch name {
        case "iso": iso
        case "text": text
        default: nil
        }
    }
}
