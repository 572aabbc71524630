import Crypto
import Foundation
import Synchronization

/// What an access token grants: one resource, one user, a role, until an expiry.
public struct AccessGrant: Sendable, Equatable {
    public enum Resource: Sendable, Equatable {
        case file(String)
        case container(String)
        /// The user's ecosystem (CheckEcosystem, GetRootContainer, GetFileWopiSrc).
        case ecosystem
        /// A host-page link for a file: opens Folio's pages, never the WOPI API.
        case page(String)
    }

    public var resource: Resource
    public var userID: String
    public var role: Role
    /// Milliseconds since the epoch: the `access_token_ttl` the host page posts.
    public var expiresAtMs: Int64
    /// The editor session the token was issued for; nil for scripts and other WOPI clients.
    public var editor: EditorKind?

    public init(resource: Resource, userID: String, role: Role, expiresAtMs: Int64, editor: EditorKind? = nil) {
        self.resource = resource
        self.userID = userID
        self.role = role
        self.expiresAtMs = expiresAtMs
        self.editor = editor
    }
}

/// Signs and verifies access tokens: base64url of
/// `version(1) kind(1) editor<<4|role(1) expiry-ms(8, big-endian) resource(16) user(16) HMAC-SHA256(32)`,
/// 100 characters from `[A-Za-z0-9_-]`, so the URL-encoded and decoded forms are identical.
public struct TokenSigner: Sendable {
    static let formatVersion: UInt8 = 1
    static let payloadLength = 3 + 8 + 16 + 16
    /// HMAC with the key already absorbed: copying it per token skips the key setup, a third
    /// of the cost of checking a token.
    let keyed: HMAC<SHA256>
    let verified = VerifiedTokens()

    public init(secret: [UInt8]) {
        precondition(secret.count >= 32, "the signing secret must be at least 32 bytes")
        keyed = HMAC<SHA256>(key: SymmetricKey(data: secret))
    }

    func mac(_ bytes: some DataProtocol) -> HMAC<SHA256>.MAC {
        var hmac = keyed
        hmac.update(data: bytes)
        return hmac.finalize()
    }

    /// A value only holders of the secret can make, the same in every process of an
    /// installation (several instances share the secret): for secrets such as the set-up link.
    public func derivedKey(purpose: String) -> String {
        Base64URL.encode(Array(mac(Data(("folio-derived-key:" + purpose).utf8))).prefix(24))
    }

    public static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public func issue(_ grant: AccessGrant) -> String {
        var bytes: [UInt8] = [Self.formatVersion]
        bytes.reserveCapacity(Self.payloadLength + 32)
        let resourceID: String?
        switch grant.resource {
        case .file(let id):
            bytes.append(UInt8(ascii: "f"))
            resourceID = id
        case .container(let id):
            bytes.append(UInt8(ascii: "c"))
            resourceID = id
        case .ecosystem:
            bytes.append(UInt8(ascii: "e"))
            resourceID = nil
        case .page(let id):
            bytes.append(UInt8(ascii: "p"))
            resourceID = id
        }
        bytes.append((grant.editor?.tokenCode ?? 0) << 4 | UInt8(grant.role.rawValue))
        withUnsafeBytes(of: grant.expiresAtMs.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: resourceID.flatMap(Identifier.bytes(of:)) ?? [UInt8](repeating: 0, count: 16))
        guard let user = Identifier.bytes(of: grant.userID) else { preconditionFailure("malformed user id") }
        bytes.append(contentsOf: user)
        bytes.append(contentsOf: mac(bytes))
        return Base64URL.encode(bytes)
    }

    /// The grant inside a token whose signature checks out, or nil. Expiry is the caller's
    /// business (it knows the clock). Tokens already verified are remembered by their exact
    /// text: editors send the same token hundreds of times in a session.
    public func verify(_ token: String) -> AccessGrant? {
        if let grant = verified.withLock({ $0[token] }) { return grant }
        guard let grant = check(token) else { return nil }
        verified.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[token] = grant
        }
        return grant
    }

    func check(_ token: String) -> AccessGrant? {
        guard token.utf8.count == 100, let bytes = Base64URL.decode(token),
            bytes.count == Self.payloadLength + 32, bytes[0] == Self.formatVersion
        else { return nil }
        let payload = bytes[0..<Self.payloadLength]
        let mac = bytes[Self.payloadLength...]
        // MAC comparison is constant-time (swift-crypto's MAC equality).
        guard self.mac(payload) == mac else { return nil }
        guard let role = Role(rawValue: Int(bytes[2] & 0x0F)) else { return nil }
        let editorCode = bytes[2] >> 4
        let editor = EditorKind(tokenCode: editorCode)
        guard editorCode == 0 || editor != nil else { return nil }
        let expiry = bytes[3..<11].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let resourceID = Base64URL.encode(bytes[11..<27])
        let userID = Base64URL.encode(bytes[27..<43])
        let resource: AccessGrant.Resource
        switch bytes[1] {
        case UInt8(ascii: "f"): resource = .file(resourceID)
        case UInt8(ascii: "c"): resource = .container(resourceID)
        case UInt8(ascii: "e"): resource = .ecosystem
        case UInt8(ascii: "p"): resource = .page(resourceID)
        default: return nil
        }
        return AccessGrant(resource: resource, userID: userID, role: role, expiresAtMs: expiry, editor: editor)
    }

    /// A short, non-reversible tag for logs in place of a token.
    public static func logTag(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}

/// Grants of tokens whose signature has been checked, by token text.
final class VerifiedTokens: Sendable {
    private let cache = Mutex<[String: AccessGrant]>([:])

    func withLock<T>(_ body: (inout [String: AccessGrant]) -> T) -> T {
        cache.withLock { body(&$0) }
    }
}
