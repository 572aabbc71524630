import Foundation

/// The two UTC spellings of the request time that SigV4 uses.
struct SigningDate: Sendable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `x-amz-date` value.
    let timestamp: String
    /// `yyyyMMdd`, the credential scope's date.
    let day: String

    init(_ date: Date) {
        // Calendar arithmetic rather than a DateFormatter: no locale to get wrong, and nothing
        // non-Sendable to cache.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        day = pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
        timestamp = day + "T" + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }
}
