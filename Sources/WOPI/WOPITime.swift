import Foundation

/// Times on the wire: `LastModifiedTime` as ISO 8601 UTC with seven fractional digits (the .NET
/// round-trip form clients expect), kept internally as microseconds since the Unix epoch.
public enum WOPITime {
    /// Formats microseconds since the epoch as `2009-06-15T13:45:30.1234560Z`.
    public static func format(microseconds: Int64) -> String {
        format(microseconds: microseconds, fraction: true)
    }

    /// Formats microseconds since the epoch as `2009-06-15T13:45:30Z`, whole seconds (what
    /// Foundation's default ISO 8601 style writes).
    public static func formatSeconds(microseconds: Int64) -> String {
        format(microseconds: microseconds, fraction: false)
    }

    static func format(microseconds: Int64, fraction: Bool) -> String {
        let seconds = microseconds.floorDiv(1_000_000)
        let micros = microseconds - seconds * 1_000_000
        let days = seconds.floorDiv(86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        // Digits written by hand: this runs on every CheckFileInfo and PutFile, and
        // String(format:) costs more than the rest of the formatting together.
        var out = [UInt8]()
        out.reserveCapacity(28)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(48 + v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(y, 4)
        out.append(45)
        digits(m, 2)
        out.append(45)
        digits(d, 2)
        out.append(84)
        digits(Int(secondOfDay / 3600), 2)
        out.append(58)
        digits(Int(secondOfDay / 60 % 60), 2)
        out.append(58)
        digits(Int(secondOfDay % 60), 2)
        if fraction {
            out.append(46)
            digits(Int(micros), 6)
            out.append(48)
        }
        out.append(90)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses an ISO 8601 timestamp (any number of fractional digits, `Z` or an offset) to
    /// microseconds since the epoch; digits beyond microseconds are dropped.
    public static func parse(_ text: String) -> Int64? {
        let s = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= s.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + width) {
                guard s[k] >= 48, s[k] <= 57 else { return nil }
                v = v * 10 + Int64(s[k] - 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2),
            i < s.count, s[i] == 84 || s[i] == 116 || s[i] == 32
        else { return nil }
        i += 1
        guard let h = number(2), expect(58), let mi = number(2), expect(58), let sec = number(2) else { return nil }
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var micros: Int64 = 0
        if i < s.count, s[i] == 46 || s[i] == 44 {
            i += 1
            var digits = 0
            while i < s.count, s[i] >= 48, s[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(s[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds: Int64 = 0
        if i < s.count, s[i] == 90 || s[i] == 122 {
            i += 1
        } else if i < s.count, s[i] == 43 || s[i] == 45 {
            let sign: Int64 = s[i] == 45 ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = expect(58)
            guard let om = number(2) else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        let total = days * 86_400 + h * 3600 + mi * 60 + sec - offsetSeconds
        return total * 1_000_000 + micros
    }

    /// Microseconds since the epoch, now.
    public static func nowMicroseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    // Howard Hinnant's civil-date algorithms: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
