import Foundation

/// How long editors' autosaves are kept, as tiers by age: for example `all 24h, hourly 30d,
/// daily` keeps every autosave for a day, then the last of each hour of each editing session
/// for 30 days, then the last of each day. Only autosaves are ever thinned: uploads, restores,
/// changes made outside, exit saves, saves a user asked for and the current version stay.
/// `keep` (no tiers) keeps everything.
public struct RetentionPolicy: Sendable, Equatable, CustomStringConvertible {
    public enum Granularity: String, Sendable, CaseIterable {
        case all, hourly, daily, weekly

        /// The bucket length in microseconds; nil keeps every version.
        var bucket: Int64? {
            switch self {
            case .all: nil
            case .hourly: 3_600_000_000
            case .daily: 86_400_000_000
            case .weekly: 7 * 86_400_000_000
            }
        }
    }

    public struct Tier: Sendable, Equatable {
        public var granularity: Granularity
        /// The age (microseconds) up to which the tier applies; nil: for ever.
        public var upTo: Int64?

        public init(_ granularity: Granularity, upTo: Int64?) {
            self.granularity = granularity
            self.upTo = upTo
        }
    }

    public var tiers: [Tier]

    public init(tiers: [Tier]) { self.tiers = tiers }

    /// The installation's default.
    public static let standard = RetentionPolicy(tiers: [
        Tier(.all, upTo: 86_400_000_000), Tier(.hourly, upTo: 30 * 86_400_000_000), Tier(.daily, upTo: nil),
    ])

    /// Keeps every version.
    public static let keepEverything = RetentionPolicy(tiers: [])

    public var keepsEverything: Bool {
        tiers.isEmpty || tiers.first.map { $0.granularity == .all && $0.upTo == nil } == true
    }

    /// Parses `keep`, or tiers such as `all 24h`, `hourly 30d`, `daily` (one per item, in
    /// order of age; every tier but the last needs an age, each longer than the one before;
    /// a last tier with an age removes thinnable autosaves older than it). Ages: a number with
    /// `s`, `m`, `h`, `d` or `w`.
    public init(parsing items: [String]) throws {
        let items = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if items.map({ $0.lowercased() }) == ["keep"] {
            self = .keepEverything
            return
        }
        guard !items.isEmpty else {
            throw FolioError.badRequest("a retention policy is keep, or tiers like \"all 24h\"")
        }
        var tiers: [Tier] = []
        for (index, item) in items.enumerated() {
            let words = item.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard (1...2).contains(words.count), let granularity = Granularity(rawValue: words[0].lowercased()) else {
                throw FolioError.badRequest(
                    "\"\(item)\": a tier is all, hourly, daily or weekly, then an age such as 24h or 30d")
            }
            var upTo: Int64?
            if words.count == 2 {
                guard let age = Self.age(words[1]) else {
                    throw FolioError.badRequest(
                        "\"\(words[1])\" is not an age: a number with s, m, h, d or w, e.g. 30d")
                }
                upTo = age
            } else if index != items.count - 1 {
                throw FolioError.badRequest("\"\(item)\": only the last tier may go on for ever")
            }
            if let upTo, let previous = tiers.last?.upTo, upTo <= previous {
                throw FolioError.badRequest("\"\(item)\": each tier must reach further back than the one before")
            }
            tiers.append(Tier(granularity, upTo: upTo))
        }
        self.tiers = tiers
    }

    static func age(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86400
        case "w": seconds = 7 * 86400
        default: return nil
        }
        return number * seconds * 1_000_000
    }

    public var description: String {
        guard !keepsEverything else { return "keep" }
        return tiers.map { tier in
            tier.granularity.rawValue + (tier.upTo.map { " " + Self.format(age: $0) } ?? "")
        }.joined(separator: ", ")
    }

    static func format(age: Int64) -> String {
        let seconds = age / 1_000_000
        // The largest whole unit, but hours up to two days ("24h", not "1d").
        for (unit, length) in [("w", Int64(7 * 86400)), ("d", 86400), ("h", 3600), ("m", 60)]
        where seconds % length == 0 && !(unit == "d" && seconds < 2 * 86400) {
            return "\(seconds / length)\(unit)"
        }
        return "\(seconds)s"
    }

    /// The ages at which a version's fate changes: a retention run after a pause needs to look
    /// again only at saves that crossed one of them.
    public var boundaries: [Int64] { tiers.compactMap(\.upTo) }

    /// Whether retention may ever remove `version`: an editor's save that is neither an exit
    /// save nor one a user asked for (editors that do not say, like Office, count as autosaves).
    public static func isThinnable(_ version: Version) -> Bool {
        (version.source == .wopi || version.source == .onlyoffice) && version.flags.isExitSave != true
            && version.flags.isAutosave != false
    }

    /// The editing session a version is thinned within: its session, or for saves recorded
    /// before Folio kept sessions, its author.
    static func sessionKey(_ version: Version) -> String { version.session ?? "author:" + version.authorID }

    /// The versions of one file this policy removes at `now`: thinnable, not the current one,
    /// not in `protectedSessions`, and either older than every tier, or not the last
    /// autosave of its session in its tier's hour, day or week.
    public func removable(from versions: [Version], current: Int64, protectedSessions: Set<String>, now: Int64)
        -> [Int64]
    {
        guard !keepsEverything else { return [] }
        let thinnable = versions.filter(Self.isThinnable)
        // The newest number in each session's bucket, per bucket length.
        var newest: [String: Int64] = [:]
        func key(_ version: Version, _ bucket: Int64) -> String {
            Self.sessionKey(version) + "|\(bucket)|" + String(version.createdAt / bucket)
        }
        for granularity in Granularity.allCases {
            guard let bucket = granularity.bucket else { continue }
            for version in thinnable {
                newest[key(version, bucket), default: 0] = max(newest[key(version, bucket)] ?? 0, version.number)
            }
        }
        return thinnable.compactMap { version in
            guard version.number != current, version.session.map({ !protectedSessions.contains($0) }) ?? true
            else { return nil }
            let age = now - version.createdAt
            guard let tier = tiers.first(where: { $0.upTo.map { age < $0 } ?? true }) else { return version.number }
            guard let bucket = tier.granularity.bucket else { return nil }
            return newest[key(version, bucket)] == version.number ? nil : version.number
        }
    }
}
