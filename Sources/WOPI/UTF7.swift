/// UTF-7 (RFC 2152) as .NET's `UTF7Encoding()` (allowOptionals = false) writes it.
///
/// WOPI clients (Office, the WOPI validator, Collabora) send file names in
/// `X-WOPI-SuggestedTarget`, `X-WOPI-RelativeTarget` and `X-WOPI-RequestedName` this way,
/// and `X-WOPI-ValidRelativeTarget` goes back the same way.
public enum UTF7 {
    /// Decodes UTF-7; returns nil on malformed input.
    ///
    /// Accepted like .NET: optional-direct characters (`!`, `_`, `@`, …) raw or shifted; `+-` is `+`;
    /// a shift ends at any non-base64 character and a `-` ending it is dropped; a shift left open
    /// at the end of the string; raw non-ASCII characters (a client that skipped UTF-7).
    /// Refused, where .NET silently drops bits or keeps lone surrogates: padding of 6 or more
    /// bits or with non-zero bits, invalid UTF-16, and a `+` that is followed neither by base64
    /// nor by `-` (.NET would just swallow the `+`). No encoder produces these, and a file name
    /// is better refused than guessed.
    public static func decode(_ s: String) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(s.utf16.count)
        var inShift = false
        var shiftIsEmpty = false
        var bits: UInt32 = 0  // only the low `bitCount` bits are pending
        var bitCount = 0

        // Leftover bits must be the zero padding an encoder adds to finish its last sextet.
        func shiftEndsCleanly() -> Bool { !shiftIsEmpty && bitCount < 6 && bits == 0 }

        for scalar in s.unicodeScalars {
            if inShift {
                if let value = base64Value(scalar) {
                    shiftIsEmpty = false
                    bits = bits << 6 | value
                    bitCount += 6
                    if bitCount >= 16 {
                        bitCount -= 16
                        units.append(UInt16(truncatingIfNeeded: bits >> bitCount))
                        bits &= (1 << bitCount) - 1
                    }
                    continue
                }
                inShift = false
                if scalar == "-" {
                    if shiftIsEmpty {
                        units.append(UInt16(UInt8(ascii: "+")))
                    } else if !shiftEndsCleanly() {
                        return nil
                    }
                    continue
                }
                guard shiftEndsCleanly() else { return nil }
                // Any other character ends the shift and is itself taken literally below.
            }
            if scalar == "+" {
                inShift = true
                shiftIsEmpty = true
                bits = 0
                bitCount = 0
            } else {
                units.append(contentsOf: scalar.utf16)
            }
        }
        if inShift && !shiftEndsCleanly() { return nil }

        // Strict UTF-16: String(decoding:) would silently turn lone surrogates into U+FFFD.
        var result = String.UnicodeScalarView()
        var decoder = UTF16()
        var iterator = units.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.append(scalar)
            case .emptyInput: return String(result)
            case .error: return nil
            }
        }
    }

    /// Encodes exactly as .NET's `Encoding.UTF7.GetBytes`: RFC 2152 "direct" characters stay
    /// literal, `+` outside a shift becomes `+-`, everything else (optional-direct characters
    /// included) is base64 of UTF-16, and a shift is always closed with `-`, even before a
    /// non-base64 character or at the end of the string.
    public static func encode(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf16.count)
        var bits: UInt32 = 0
        var bitCount = -1  // -1: not in a shift

        func closeShift() {
            if bitCount > 0 { out.append(base64Alphabet[Int(bits << (6 - bitCount) & 0x3F)]) }
            out.append(UInt8(ascii: "-"))
            bitCount = -1
        }

        for unit in s.utf16 {
            if unit < 0x80 && isDirect(UInt8(unit)) {
                if bitCount >= 0 { closeShift() }
                out.append(UInt8(unit))
            } else if bitCount < 0 && unit == UInt16(UInt8(ascii: "+")) {
                out.append(contentsOf: [UInt8(ascii: "+"), UInt8(ascii: "-")])
            } else {
                if bitCount < 0 {
                    out.append(UInt8(ascii: "+"))
                    bits = 0
                    bitCount = 0
                }
                bits = bits << 16 | UInt32(unit)
                bitCount += 16
                while bitCount >= 6 {
                    bitCount -= 6
                    out.append(base64Alphabet[Int(bits >> bitCount & 0x3F)])
                }
                bits &= (1 << bitCount) - 1
            }
        }
        if bitCount >= 0 { closeShift() }
        return String(decoding: out, as: UTF8.self)
    }

    private static let base64Alphabet = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func base64Value(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "A"..."Z": scalar.value - 0x41
        case "a"..."z": scalar.value - 0x61 + 26
        case "0"..."9": scalar.value - 0x30 + 52
        case "+": 62
        case "/": 63
        default: nil
        }
    }

    /// RFC 2152 Set D plus space, tab, CR, LF: the only characters .NET leaves unshifted.
    private static func isDirect(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "'(),-./:? \t\r\n".utf8.contains(byte)
        }
    }
}
