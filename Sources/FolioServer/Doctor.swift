import AsyncHTTPClient
import FolioCore
import FolioPreview
import Foundation
import NIOCore
import NIOHTTP1
import WOPI

/// One finding of `folio doctor`: what was checked, how it went, and what to do about it.
public struct DoctorFinding: Sendable, Codable {
    public enum Level: String, Sendable, Codable { case ok, warning, failure }
    public var level: Level
    public var subject: String
    public var message: String
    public var fix: String?
}

/// Checks a configuration end to end, the way an editor will meet it: the data folder, the
/// public URL, and each editor's discovery, proof key, clock and (Collabora) capabilities.
public struct Doctor: Sendable {
    let data: DataFolder
    /// What the database is, for the report ("SQLite", a redacted URL).
    let databaseName: String
    /// Opens the installation's database and proves it answers.
    let checkDatabase: @Sendable () async throws -> Void
    /// Where content lives, for the report, and a write, read and delete there.
    let blobsName: String
    let checkBlobs: @Sendable () async throws -> Void
    let configuration: ServerConfiguration
    /// Each is listed, and a probe document written, read and deleted.
    let spaces: [Space]
    let client: HTTPClient
    /// Clock skew above which proof timestamps start failing (they may be 20 minutes old).
    static let tolerableSkew: TimeInterval = 120

    public init(
        data: DataFolder, databaseName: String = "SQLite", checkDatabase: @escaping @Sendable () async throws -> Void,
        blobsName: String, checkBlobs: @escaping @Sendable () async throws -> Void,
        configuration: ServerConfiguration, spaces: [Space] = [], client: HTTPClient = .shared
    ) {
        self.spaces = spaces
        self.databaseName = databaseName
        self.checkDatabase = checkDatabase
        self.blobsName = blobsName
        self.checkBlobs = checkBlobs
        self.data = data
        self.configuration = configuration
        self.client = client
    }

    public func run() async -> [DoctorFinding] {
        var findings = await checkDataFolder()
        findings.append(await checkPreviews())
        findings.append(
            await checkBase(
                configuration.publicURL, subject: "public URL", option: "--public-url",
                role: "the URL people use to reach this Folio (behind a proxy, the proxy's)"))
        if let wopi = configuration.wopiURL, wopi != configuration.publicURL {
            findings.append(
                await checkBase(
                    wopi, subject: "WOPI URL", option: "--wopi-url",
                    role: "the URL the editors use to call this Folio (an internal name is fine)"))
        }
        for space in spaces.sorted(by: { $0.name < $1.name }) { findings.append(await checkSpace(space)) }
        for kind in EditorKind.allCases {
            let urls = configuration.editors[kind] ?? []
            for (index, url) in urls.enumerated() {
                let node = EditorNode(kind: kind, index: index, url: url, clustered: urls.count > 1)
                findings += await checkEditor(node)
            }
        }
        if configuration.editors.isEmpty {
            findings.append(
                .init(
                    level: .warning, subject: "editors", message: "no editor is configured",
                    fix: "start Folio with --editor collabora=https://…/hosting/discovery (or microsoft=, onlyoffice=)")
            )
        }
        return findings
    }

    /// Previews and conversions: the engine `preview_engine` chooses (LibreOffice in a
    /// bubblewrap sandbox, or a Collabora's convert-to), said by name and tried on a small document.
    func checkPreviews() async -> DoctorFinding { await Self.previewsFinding(configuration) }

    static func previewsFinding(_ configuration: ServerConfiguration) async -> DoctorFinding {
        let setup = PreviewSetup(configuration)
        guard let converter = setup.converter else {
            if configuration.previewEngine == .off {
                return .init(level: .ok, subject: "previews", message: "off (preview_engine)")
            }
            return .init(
                level: .warning, subject: "previews",
                message: "not available: \(setup.missing.joined(separator: ", ")) missing",
                fix:
                    "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui bubblewrap poppler-utils"
            )
        }
        var engine = "LibreOffice and poppler in a bubblewrap sandbox (no network, uid 65534)"
        if let collabora = converter.engine as? CollaboraEngine {
            for node in collabora.nodes {
                do {
                    guard try await collabora.offersConvertTo(node) else {
                        return .init(
                            level: .failure, subject: "previews",
                            message: "\(node)/hosting/capabilities does not offer convert-to",
                            fix:
                                "install LibreOffice beside Folio (preview_engine libreoffice), or a Collabora that converts"
                        )
                    }
                } catch {
                    return .init(
                        level: .failure, subject: "previews", message: "Collabora's capabilities at \(node): \(error)",
                        fix: "check the Collabora URL given with --editor, or set preview_engine")
                }
            }
            let why = configuration.previewEngine == .auto ? ", chosen because LibreOffice is not installed" : ""
            engine = "\(collabora.name) (its capabilities offer it\(why)) and poppler in a bubblewrap sandbox"
        }
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "folio-doctor-" + Identifier.random())
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
            let input = scratch.appendingPathComponent("doctor.rtf")
            try Data(#"{\rtf1\ansi Folio doctor}"#.utf8).write(to: input)
            let started = ContinuousClock.now
            _ = try await converter.convert(input, to: .thumbnail(size: 64), scratch: scratch)
            let took = started.duration(to: .now)
            let ahead =
                configuration.previewAheadSeconds.map { "made ahead \($0) s after saves settle" }
                ?? "made when asked only"
            return .init(
                level: .ok, subject: "previews",
                message:
                    "\(engine); a test document converted in \(took.components.seconds).\(String(format: "%02d", took.components.attoseconds / 10_000_000_000_000_000)) s; \(configuration.previewWorkers) workers; \(ahead)"
            )
        } catch ConversionError.unavailable(let reason) {
            return .init(
                level: .failure, subject: "previews", message: reason,
                fix: "Collabora converts only for addresses in net.post_allow (coolwsd.xml)")
        } catch {
            return .init(
                level: .failure, subject: "previews", message: "a test document could not be converted: \(error)",
                fix: "bubblewrap needs unprivileged user namespaces (kernel.unprivileged_userns_clone=1 on Debian)")
        }
    }

    func checkDataFolder() async -> [DoctorFinding] {
        do {
            try await checkDatabase()
        } catch {
            return [
                .init(
                    level: .failure, subject: "data folder", message: "\(data.path): \(error)",
                    fix: "make the folder writable by the user that runs Folio, or point --data elsewhere")
            ]
        }
        do {
            try await checkBlobs()
            return [
                .init(
                    level: .ok, subject: "data folder",
                    message:
                        "\(data.path): database (\(databaseName)) answers; blobs (\(blobsName)) written, read and deleted"
                )
            ]
        } catch {
            return [
                .init(
                    level: .failure, subject: "blobs", message: "\(blobsName): \(error)",
                    fix: "make the blob folder writable, or check the bucket's endpoint, name and credentials "
                        + "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
            ]
        }
    }

    func checkSpace(_ space: Space) async -> DoctorFinding {
        do {
            try await SpaceProbe.run(space.connector)
            return .init(
                level: .ok, subject: "space \(space.name)",
                message: "\(space.connector.description): listed; a probe document written, read and deleted")
        } catch {
            return .init(
                level: .failure, subject: "space \(space.name)", message: "\(space.connector.description): \(error)",
                fix: "check the space's location and credentials, and that Folio may write there")
        }
    }

    /// Whether `base` reaches this Folio from here (its `/healthz`), said for the setting
    /// `option`, so a split set-up says which of its two URLs is wrong.
    func checkBase(_ base: String, subject: String, option: String, role: String) async -> DoctorFinding {
        let url = WOPIURLs(publicURL: base).base + "/healthz"
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1024))
            guard response.status == .ok, body.hasPrefix("ok") else {
                return .init(
                    level: .failure, subject: subject, message: "\(url) answered \(response.status.code), not Folio",
                    fix: "\(option) must be \(role)")
            }
            return .init(level: .ok, subject: subject, message: "\(base) reaches Folio")
        } catch {
            return .init(
                level: .failure, subject: subject, message: "\(url) cannot be reached from this machine: \(error)",
                fix: "start `folio serve`, and check \(option) (\(role)), DNS, TLS and any proxy in front of Folio")
        }
    }

    func checkEditor(_ node: EditorNode) async -> [DoctorFinding] {
        let kind = node.kind
        let discoveryURL = node.url
        let subject = "\(node.name) discovery"
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(
                HTTPClientRequest(url: discoveryURL), timeout: HTTPDiscoveryFetcher.timeout)
            body = try await response.body.collect(upTo: HTTPDiscoveryFetcher.maxBytes)
        } catch {
            return [
                .init(
                    level: .failure, subject: subject, message: "\(discoveryURL) cannot be reached: \(error)",
                    fix: "check that \(kind.rawValue) runs and that this machine can reach it at that URL")
            ]
        }
        guard response.status == .ok else {
            return [
                .init(
                    level: .failure, subject: subject, message: "\(discoveryURL) answered \(response.status.code)",
                    fix: "the URL must be the editor's /hosting/discovery")
            ]
        }
        let discovery: Discovery
        do {
            discovery = try Discovery(xml: Data(buffer: body))
        } catch {
            return [
                .init(
                    level: .failure, subject: subject,
                    message: "\(discoveryURL) is not a WOPI discovery document: \(error)",
                    fix: "the URL must be the editor's /hosting/discovery")
            ]
        }
        var findings: [DoctorFinding] = []
        let actions = discovery.apps.flatMap(\.actions)
        let extensions = Set(actions.map(\.ext).filter { !$0.isEmpty }).sorted()
        let sample = extensions.prefix(12).joined(separator: " ") + (extensions.count > 12 ? " …" : "")
        findings.append(
            .init(
                level: .ok, subject: subject,
                message: "\(actions.count) actions for \(extensions.count) extensions: \(sample)"))
        if discovery.proofKey == nil {
            findings.append(
                .init(
                    level: .warning, subject: "\(node.name) proof key",
                    message: "discovery publishes no proof key: requests from \(kind.rawValue) cannot be verified",
                    fix: kind == .collabora
                        ? "generate /etc/coolwsd/proof_key (coolconfig generate-proof-key) and restart coolwsd"
                        : "configure the editor's proof keys"))
        } else {
            let old = discovery.proofKey?.old == nil ? "" : " (with an old key)"
            findings.append(
                .init(
                    level: .ok, subject: "\(node.name) proof key", message: "published\(old); requests are verified"
                ))
        }
        findings.append(clockFinding(node, response: response))
        if kind == .collabora { findings += await collaboraFindings(discovery, node: node) }
        return findings
    }

    /// Proof timestamps are judged against this machine's clock; the editor's `Date` tells the skew.
    func clockFinding(_ node: EditorNode, response: HTTPClientResponse) -> DoctorFinding {
        let subject = "\(node.name) clock"
        guard let header = response.headers.first(name: "Date"), let date = Self.httpDate(header) else {
            return .init(level: .warning, subject: subject, message: "the editor sent no Date header; skew unknown")
        }
        let skew = abs(date.timeIntervalSinceNow)
        guard skew <= Self.tolerableSkew else {
            return .init(
                level: .failure, subject: subject, message: "the editor's clock is \(Int(skew)) s off this machine's",
                fix: "run NTP (chrony, systemd-timesyncd) on both machines: proofs older than 20 minutes are refused")
        }
        return .init(level: .ok, subject: subject, message: "skew \(Int(skew)) s")
    }

    func collaboraFindings(_ discovery: Discovery, node: EditorNode) async -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        if let url = discovery.capabilitiesURL {
            do {
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 20)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
                let product = [object["productName"], object["productVersion"]].compactMap { $0 as? String }
                findings.append(
                    .init(
                        level: .ok, subject: "\(node.name) capabilities",
                        message: product.isEmpty ? "answered" : product.joined(separator: " ")))
            } catch {
                findings.append(
                    .init(
                        level: .warning, subject: "\(node.name) capabilities",
                        message: "\(url) did not answer: \(error)"))
            }
        }
        // Collabora checks the WOPISrc it is given: the WOPI URL's host.
        let origin = WOPIURLs(publicURL: configuration.wopiURL ?? configuration.publicURL).base.prefixOrigin
        findings.append(
            .init(
                level: .ok, subject: "\(node.name) allow-list",
                message: "Collabora accepts only listed WOPI hosts",
                fix: "in coolwsd.xml, storage.wopi must allow \(origin): <host allow=\"true\">\(origin)</host>"))
        return findings
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
