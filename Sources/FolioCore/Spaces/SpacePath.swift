/// A path inside a space: "/" and names between slashes, checked once when it comes in so no
/// connector ever sees a way out. Refused (never "cleaned"): `.` and `..`, empty names (`//`),
/// backslashes, NUL and other control characters, and anything percent-encoded (a path arrives
/// decoded; `%2e%2e` or `%2f` left in it is an attempt to smuggle a dot or a slash past a
/// server that decodes twice). A `%` not followed by two hex digits ("50% done.txt") is a
/// character like any other.
public struct SpacePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The names from the space's root down; empty for the root itself.
    public let components: [String]

    public static let root = SpacePath(checked: [])

    public init(_ text: String) throws {
        guard text.hasPrefix("/") else { throw Self.refused(text, "a path starts with /") }
        let body = text.dropFirst()
        guard !body.isEmpty else {
            self = .root
            return
        }
        // A folder may be written with a final slash; nothing else may be empty.
        let trimmed = body.hasSuffix("/") ? body.dropLast() : body
        var names: [String] = []
        for part in trimmed.split(separator: "/", omittingEmptySubsequences: false) {
            try Self.check(String(part), in: text)
            names.append(String(part))
        }
        self.components = names
    }

    init(checked components: [String]) { self.components = components }

    /// One name checked alone (a new document's name, a rename target).
    public static func checkName(_ name: String) throws {
        try check(name, in: name)
    }

    static func check(_ name: String, in text: String) throws {
        guard !name.isEmpty else { throw refused(text, "it has an empty name (//)") }
        guard name != ".", name != ".." else { throw refused(text, "a name in it is . or ..") }
        guard name.utf8.count <= 255 else { throw refused(text, "a name is longer than 255 bytes") }
        let scalars = Array(name.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0..<0x20, 0x7f..<0xa0: throw refused(text, "it has a control character")
            case 0x5c: throw refused(text, "it has a backslash")
            case 0x25 where index + 2 < scalars.count && isHex(scalars[index + 1]) && isHex(scalars[index + 2]):
                throw refused(text, "it has a percent-encoded character (%\(scalars[index + 1])\(scalars[index + 2]))")
            case 0x2f: throw refused(text, "it has a / inside a name")
            default: continue
            }
        }
    }

    /// `name` made acceptable as one name of a path, for names Folio picks itself (a Save As
    /// in suggested mode, an upload): what a path refuses becomes "_"; empty becomes "Untitled".
    public static func legalName(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0..<0x20, 0x7f..<0xa0: continue
            case 0x5c, 0x2f: out.append("_")
            case 0x25 where index + 2 < scalars.count && isHex(scalars[index + 1]) && isHex(scalars[index + 2]):
                out.append("_")
            default: out.append(scalar)
            }
        }
        var legal = String(out)
        if legal == "." || legal == ".." { legal = "_" }
        while legal.utf8.count > 255 { legal.removeLast() }
        return legal.isEmpty ? "Untitled" : legal
    }

    static func isHex(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
        default: false
        }
    }

    static func refused(_ text: String, _ why: String) -> FolioError {
        .badRequest("\(text.debugDescription) is not a path in a space: \(why)")
    }

    public var isRoot: Bool { components.isEmpty }
    /// The last name; empty for the root.
    public var name: String { components.last ?? "" }
    public var parent: SpacePath { SpacePath(checked: Array(components.dropLast())) }

    public func appending(_ name: String) throws -> SpacePath {
        try Self.checkName(name)
        return SpacePath(checked: components + [name])
    }

    /// "/Reports/q3.docx"; "/" for the root.
    public var description: String { "/" + components.joined(separator: "/") }

    public static func < (a: SpacePath, b: SpacePath) -> Bool { a.components.lexicographicallyPrecedes(b.components) }
}
