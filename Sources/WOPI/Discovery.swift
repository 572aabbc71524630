import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Why a discovery document was refused.
public enum DiscoveryError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedXML(String)
    case notDiscovery(root: String)
    case noActions
    case invalidProofKey(String)

    public var description: String {
        switch self {
        case .malformedXML(let why): "discovery: malformed XML (\(why))"
        case .notDiscovery(let root): "discovery: root element is <\(root)>, expected <wopi-discovery>"
        case .noActions: "discovery: no usable <action> (each needs a name and a urlsrc)"
        case .invalidProofKey(let why): "discovery: unusable <proof-key> (\(why))"
        }
    }
}

/// A parsed WOPI discovery document (PROTOCOL §A.10).
public struct Discovery: Sendable {
    public struct Action: Sendable, Equatable {
        public let name: String
        /// Lower-cased, without a dot; empty for actions keyed by `progid` or by nothing
        /// (Collabora's `getinfo`, ONLYOFFICE's MIME-type apps).
        public let ext: String
        /// XML-unescaped template; fill it with `ActionURL.fill`.
        public let urlsrc: String
        /// Lower-cased groups, e.g. `locks`, `update`.
        public let requires: Set<String>
        public let isDefault: Bool
    }

    public struct App: Sendable, Equatable {
        /// As published: `Word`, a MIME type (Collabora), or `Capabilities`.
        public let name: String
        public let favIconURL: String?
        public let actions: [Action]
    }

    public struct ProofKeys: Sendable, Equatable {
        public let current: ProofKey
        /// Nil when discovery publishes no old key; may equal `current` (recent Collabora).
        public let old: ProofKey?
    }

    /// Net zones in order of preference; any other zone ranks after these.
    public static let zonePreference = ["external-https", "external-http", "internal-https", "internal-http"]

    /// Apps with their actions from every net zone; an app listed twice is one app. An action (same
    /// app, name, ext and progid) found in several zones is taken from the most preferred zone only.
    /// Actions without a name or urlsrc are skipped, and so are apps left without actions.
    public let apps: [App]
    public let proofKey: ProofKeys?

    public init(xml: String) throws {
        try self.init(xml: Data(xml.utf8))
    }

    public init(xml: Data) throws {
        let reader = DiscoveryReader()
        let parser = XMLParser(data: xml)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            let why = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw DiscoveryError.malformedXML("\(why) at line \(parser.lineNumber)")
        }
        guard reader.root == "wopi-discovery" else { throw DiscoveryError.notDiscovery(root: reader.root ?? "") }
        apps = Self.merge(reader.actions)
        guard !apps.isEmpty else { throw DiscoveryError.noActions }
        proofKey = try reader.proofKeyAttributes.map(Self.proofKeys)
    }

    /// All actions for a file extension (case and a leading dot ignored), in discovery order.
    public func actions(forExtension ext: String) -> [Action] {
        let wanted = Self.normalizedExtension(ext)
        guard !wanted.isEmpty else { return [] }
        return apps.flatMap { $0.actions.filter { $0.ext == wanted } }
    }

    /// The first action called `name` (case-insensitive) for the extension.
    public func action(named name: String, forExtension ext: String) -> Action? {
        actions(forExtension: ext).first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Collabora's (and ONLYOFFICE's) `Capabilities` app `getinfo` action URL.
    public var capabilitiesURL: String? {
        let getinfo = { (app: App) in app.actions.first { $0.name.lowercased() == "getinfo" }?.urlsrc }
        return apps.first { $0.name == "Capabilities" }.flatMap(getinfo) ?? apps.lazy.compactMap(getinfo).first
    }

    static func normalizedExtension(_ ext: String) -> String {
        var e = ext.trimmingCharacters(in: .whitespaces).lowercased()
        if e.hasPrefix(".") { e.removeFirst() }
        return e
    }

    private static func zoneRank(_ zone: String) -> Int {
        zonePreference.firstIndex(of: zone.lowercased()) ?? zonePreference.count
    }

    private static func merge(_ found: [DiscoveryReader.FoundAction]) -> [App] {
        // Stable sort: zone preference first, document order within a rank.
        let ordered = found.enumerated().sorted {
            (zoneRank($0.element.zone), $0.offset) < (zoneRank($1.element.zone), $1.offset)
        }.map(\.element)
        var appOrder: [String] = []
        var icons: [String: String] = [:]
        var actionsByApp: [String: [Action]] = [:]
        var seen: Set<[String]> = []
        for item in ordered where seen.insert([item.app, item.action.name, item.action.ext, item.progid]).inserted {
            if actionsByApp[item.app] == nil { appOrder.append(item.app) }
            if icons[item.app] == nil, let icon = item.favIcon, !icon.isEmpty { icons[item.app] = icon }
            actionsByApp[item.app, default: []].append(item.action)
        }
        return appOrder.map { App(name: $0, favIconURL: icons[$0], actions: actionsByApp[$0] ?? []) }
    }

    private static func proofKeys(_ attributes: [String: String]) throws -> ProofKeys {
        guard let current = try key(attributes, prefix: "") else {
            throw DiscoveryError.invalidProofKey("neither modulus/exponent nor value")
        }
        return ProofKeys(current: current, old: try key(attributes, prefix: "old"))
    }

    /// Reads `modulus`/`exponent` and `value` (or their `old` forms); when both forms are present
    /// they must be the same key.
    private static func key(_ attributes: [String: String], prefix: String) throws -> ProofKey? {
        func attribute(_ name: String) -> String? {
            attributes[prefix + name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        do {
            var fromNumbers: ProofKey?
            if let modulus = attribute("modulus"), let exponent = attribute("exponent") {
                fromNumbers = try ProofKey(modulusBase64: modulus, exponentBase64: exponent)
            }
            var fromBlob: ProofKey?
            if let value = attribute("value") { fromBlob = try ProofKey(cspBlobBase64: value) }
            if let fromNumbers, let fromBlob, fromNumbers != fromBlob {
                throw DiscoveryError.invalidProofKey("\(prefix)value and \(prefix)modulus/\(prefix)exponent differ")
            }
            return fromNumbers ?? fromBlob
        } catch let error as ProofKeyError {
            throw DiscoveryError.invalidProofKey(prefix.isEmpty ? error.description : "old \(error.description)")
        }
    }
}

/// Collects raw discovery content; the XML parser calls it synchronously.
private final class DiscoveryReader: NSObject, XMLParserDelegate {
    struct FoundAction {
        let zone: String
        let app: String
        let favIcon: String?
        let progid: String
        let action: Discovery.Action
    }

    var root: String?
    var actions: [FoundAction] = []
    var proofKeyAttributes: [String: String]?
    private var zone = ""
    private var app: (name: String, favIcon: String?)?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let element = elementName.lowercased()
        if root == nil { root = element }
        // Attribute names differ in case between clients (favIconUrl, urlsrc): compare lower-cased.
        let attrs = Dictionary(attributes.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        switch element {
        case "net-zone":
            zone = attrs["name"] ?? ""
        case "app":
            app = (attrs["name"] ?? "", attrs["faviconurl"])
        case "action":
            guard let app, let name = attrs["name"], !name.isEmpty, let urlsrc = attrs["urlsrc"], !urlsrc.isEmpty
            else { return }
            let requires = (attrs["requires"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            let action = Discovery.Action(
                name: name, ext: Discovery.normalizedExtension(attrs["ext"] ?? ""), urlsrc: urlsrc,
                requires: Set(requires), isDefault: attrs["default"]?.lowercased() == "true")
            actions.append(
                FoundAction(
                    zone: zone, app: app.name, favIcon: app.favIcon, progid: attrs["progid"] ?? "", action: action))
        case "proof-key":
            if proofKeyAttributes == nil { proofKeyAttributes = attrs }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName.lowercased() {
        case "net-zone": zone = ""
        case "app": app = nil
        default: break
        }
    }
}
