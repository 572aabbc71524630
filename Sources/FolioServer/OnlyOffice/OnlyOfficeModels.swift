import FolioCore
import Foundation
import Hummingbird
import JWTKit

/// Where the ONLYOFFICE document server is, and the secret its JWTs are signed with.
public struct OnlyOfficeNative: Sendable {
    /// The URL browsers load the editor from (`…/web-apps/apps/api/documents/api.js`).
    public var publicURL: String
    /// Another origin the document server may give download URLs from (inside a cluster).
    public var internalURL: String?
    public var secret: String

    public init(publicURL: String, internalURL: String? = nil, secret: String) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
        self.internalURL = internalURL
        self.secret = secret
    }

    /// The origins downloads may come from.
    var origins: Set<String> {
        Set([publicURL.prefixOrigin.lowercased()] + (internalURL.map { [$0.prefixOrigin.lowercased()] } ?? []))
    }
}

/// The editor configuration (PROTOCOL.md §D.1), signed whole into its `token`.
struct DocsConfig: JWTPayload, Equatable {
    struct Document: Codable, Equatable {
        var fileType: String
        var key: String
        var title: String
        var url: String
        var permissions: Permissions
    }

    struct Permissions: Codable, Equatable {
        var edit: Bool
        var comment: Bool
        var review: Bool
        var download: Bool
        var print: Bool
        var copy: Bool
    }

    struct Editor: Codable, Equatable {
        struct User: Codable, Equatable {
            var id: String
            var name: String
        }
        struct Customization: Codable, Equatable {
            var forcesave: Bool
        }
        var callbackUrl: String
        var mode: String
        var lang: String
        var user: User
        var customization: Customization
    }

    var documentType: String
    var document: Document
    var editorConfig: Editor
    var token: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A callback from the document server (PROTOCOL.md §D.1).
struct DocsCallback: JWTPayload {
    struct Action: Codable {
        var type: Int
        var userid: String?
    }
    var key: String
    var status: Int
    var url: String?
    var changesurl: String?
    var users: [String]?
    var actions: [Action]?
    var forcesavetype: Int?
    var filetype: String?
    var exp: ExpirationClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
    }

    /// What kind of save this is, for version retention (PROTOCOL.md §D.1): status 2 is the
    /// save after everyone closed; a forced save (6) by the Save button (1) or a form (3) is one
    /// a user asked for, and so is one through the command service (0: Folio sends that only
    /// when a person asks, `POST /office/{id}/forcesave`); by the timer (2) an autosave.
    var saveFlags: SaveFlags {
        if status == 2 { return SaveFlags(isAutosave: false, isExitSave: true) }
        switch forcesavetype {
        case 0, 1, 3: return SaveFlags(isAutosave: false, isExitSave: false)
        case 2: return SaveFlags(isAutosave: true, isExitSave: false)
        default: return SaveFlags()
        }
    }
}

/// The header form of a signed callback: `{"payload": <callback>}`.
struct DocsCallbackEnvelope: JWTPayload {
    var payload: DocsCallback
    var exp: ExpirationClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
    }
}

/// A command to the document server's command service, signed into `token`.
struct DocsCommand: JWTPayload {
    var c: String
    var key: String
    var meta: [String: String]?
    var userdata: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Signs and verifies the document server's JWTs (HS256 with the shared secret).
struct OnlyOfficeJWT: Sendable {
    let secret: String

    /// A key collection with the one HMAC key (cheap to make; jwt-kit's collection is an actor).
    func keys() async -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return keys
    }

    func sign(_ payload: some JWTPayload) async throws -> String { try await keys().sign(payload) }

    /// The callback as the document server signed it: from `Authorization: Bearer` (claims
    /// `{"payload": …}`) or the body's `token` (claims are the fields). Never the raw body.
    func callback(authorization: String?, bodyToken: String?) async throws -> DocsCallback {
        if let bodyToken, !bodyToken.isEmpty {
            return try await keys().verify(bodyToken, as: DocsCallback.self)
        }
        guard let bearer = authorization.flatMap(Request.bearerToken) else {
            throw FolioError.unauthorized("the callback is not signed")
        }
        return try await keys().verify(bearer, as: DocsCallbackEnvelope.self).payload
    }
}

/// ONLYOFFICE's kind of editor for an extension; nil when it edits no such files.
enum DocsDocumentType {
    static func of(_ ext: String) -> String? {
        switch ext {
        case "docx", "doc", "odt", "rtf", "txt", "docm", "dotx": "word"
        case "xlsx", "xls", "ods", "csv", "xlsm", "xltx": "cell"
        case "pptx", "ppt", "odp", "pptm", "potx": "slide"
        case "pdf": "pdf"
        default: nil
        }
    }
}
