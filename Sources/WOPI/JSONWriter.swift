/// Writes a flat JSON object straight to bytes. CheckFileInfo is the hottest answer a WOPI
/// host gives, and JSONEncoder's generic machinery cost more than building the bytes here.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = [123]
    private var first = true

    public init() {
        bytes.reserveCapacity(1024)
    }

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        writeKey(key)
        string(value)
    }

    public mutating func add(_ key: String, _ value: Bool?) {
        guard let value else { return }
        writeKey(key)
        bytes += value ? Array("true".utf8) : Array("false".utf8)
    }

    public mutating func add(_ key: String, _ value: Int64?) {
        guard let value else { return }
        writeKey(key)
        bytes += Array(String(value).utf8)
    }

    /// A nested object of string values (keys sorted, so the output is stable).
    public mutating func add(_ key: String, _ value: [String: String]?) {
        guard let value else { return }
        writeKey(key)
        var nested = JSONWriter()
        for (k, v) in value.sorted(by: { $0.key < $1.key }) { nested.add(k, v) }
        bytes += nested.finished()
    }

    /// An array of strings.
    public mutating func add(_ key: String, _ value: [String]?) {
        guard let value else { return }
        writeKey(key)
        bytes.append(91)
        for (index, item) in value.enumerated() {
            if index > 0 { bytes.append(44) }
            string(item)
        }
        bytes.append(93)
    }

    public func finished() -> [UInt8] { bytes + [125] }

    /// Keys are the protocol's property names, which never need escaping.
    private mutating func writeKey(_ key: String) {
        if !first { bytes.append(44) }
        first = false
        bytes.append(34)
        bytes.append(contentsOf: key.utf8)
        bytes += [34, 58]
    }

    /// A JSON string: quotes, backslashes and control characters escaped; the rest as UTF-8.
    private mutating func string(_ value: String) {
        bytes.append(34)
        // Most values need no escaping: copy them whole.
        let plain =
            value.utf8.withContiguousStorageIfAvailable { utf8 in
                for c in utf8 where c < 32 || c == 34 || c == 92 { return false }
                return true
            } ?? false
        if plain {
            bytes.append(contentsOf: value.utf8)
            bytes.append(34)
            return
        }
        for c in value.utf8 {
            switch c {
            case 34: bytes += [92, 34]
            case 92: bytes += [92, 92]
            case 10: bytes += [92, 110]
            case 13: bytes += [92, 114]
            case 9: bytes += [92, 116]
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: bytes.append(c)
            }
        }
        bytes.append(34)
    }
}
