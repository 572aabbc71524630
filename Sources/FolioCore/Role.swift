/// What a user may do with a file or folder. Ordered: a higher role includes the lower ones.
public enum Role: Int, Sendable, Comparable, CaseIterable, Codable {
    case view = 1
    case comment = 2
    case edit = 3

    public init?(name: String) {
        switch name.lowercased() {
        case "view", "viewer": self = .view
        case "comment", "commenter": self = .comment
        case "edit", "editor": self = .edit
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .view: "view"
        case .comment: "comment"
        case .edit: "edit"
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}
