import FolioCore
import Foundation
import Hummingbird
import WOPI

/// The JSON the API speaks. Times are ISO 8601 strings; sizes are bytes.
enum APITime {
    static func format(_ microseconds: Int64) -> String { WOPITime.format(microseconds: microseconds) }
}

struct UserBody: Codable {
    var displayName: String
}

struct UserJSON: Codable, ResponseEncodable {
    var id: String
    var externalId: String?
    var displayName: String
    var rootFolderId: String

    init(_ user: User) {
        id = user.id
        externalId = user.externalID
        displayName = user.displayName
        rootFolderId = user.rootFolderID
    }
}

/// A lock in force: who took it, until when (ISO 8601), and its WOPI lock id.
struct LockJSON: Codable, ResponseEncodable {
    var fileId: String
    var lockId: String
    var expiresAt: String
    var holder: String?
    /// When the lock was taken (a refresh keeps it), and through which editor.
    var takenAt: String?
    var editor: String?

    init(_ lock: LockEntry) {
        fileId = lock.fileID
        lockId = lock.lockID
        expiresAt = WOPITime.format(microseconds: lock.expiresAt)
        holder = lock.holder
        takenAt = lock.takenAt.map { WOPITime.format(microseconds: $0) }
        editor = lock.editor
    }
}

struct FileJSON: Codable, ResponseEncodable {
    var id: String
    var name: String
    var folderId: String
    var ownerId: String
    var size: Int64
    var version: Int64
    var sha256: String
    var modifiedAt: String
    var etag: String

    init(_ file: StoredFile) {
        id = file.id
        name = file.name
        folderId = file.folderID
        ownerId = file.ownerID
        size = file.size
        version = file.version
        sha256 = Data(file.sha256).base64EncodedString()
        modifiedAt = APITime.format(file.modifiedAt)
        etag = Self.etag(file)
    }

    /// Strong: the version number, which changes with every content write and never repeats.
    static func etag(_ file: StoredFile) -> String { "\"v\(file.version)\"" }
}

struct FolderJSON: Codable, ResponseEncodable {
    var id: String
    var name: String
    var parentId: String?
    var ownerId: String
    var modifiedAt: String

    init(_ folder: Folder) {
        id = folder.id
        name = folder.name
        parentId = folder.parentID
        ownerId = folder.ownerID
        modifiedAt = APITime.format(folder.modifiedAt)
    }
}

struct ItemJSON: Codable {
    var kind: String
    var id: String
    var name: String
    var size: Int64
    var version: Int64?
    var modifiedAt: String
}

struct ChildrenJSON: Codable, ResponseEncodable {
    var items: [ItemJSON]
    var total: Int
}

struct VersionJSON: Codable {
    var number: Int64
    var size: Int64
    var sha256: String
    var authorId: String
    var createdAt: String
    var source: String
    var editors: [String]

    init(_ version: Version) {
        number = version.number
        size = version.size
        sha256 = Data(version.sha256).base64EncodedString()
        authorId = version.authorID
        createdAt = APITime.format(version.createdAt)
        source = version.source.rawValue
        editors = version.editors
    }
}

struct FolderBody: Codable {
    var name: String
    var parentId: String
}

struct UpdateBody: Codable {
    var name: String?
    var folderId: String?
    var parentId: String?
}

struct GrantBody: Codable {
    var role: String
}

struct SessionBody: Codable {
    /// The user's external id.
    var user: String
    var role: String?
    /// collabora, microsoft, onlyoffice; absent: the first that can open the file.
    var editor: String?
    /// e.g. en-US, ru-RU.
    var language: String?
    var action: String?
}

struct SessionJSON: Codable, ResponseEncodable {
    var editor: String
    var action: String
    var actionUrl: String?
    var accessToken: String?
    var accessTokenTtl: Int64?
    var wopiSrc: String?
    var hostPageUrl: String?
    var favIconUrl: String?
    /// ONLYOFFICE's own API: the signed configuration for `new DocsAPI.DocEditor(…)`.
    var onlyOffice: DocsConfig?
    /// A space's document: the file id it keeps for as long as it exists.
    var fileId: String?

    init(
        editor: String, action: String, actionUrl: String, accessToken: String, accessTokenTtl: Int64, wopiSrc: String,
        hostPageUrl: String, favIconUrl: String?, onlyOffice: DocsConfig?
    ) {
        self.editor = editor
        self.action = action
        self.actionUrl = actionUrl
        self.accessToken = accessToken
        self.accessTokenTtl = accessTokenTtl
        self.wopiSrc = wopiSrc
        self.hostPageUrl = hostPageUrl
        self.favIconUrl = favIconUrl
        self.onlyOffice = onlyOffice
    }

    /// A session only ONLYOFFICE's own API can open.
    init(onlyOffice: DocsConfig) {
        editor = "onlyoffice-native"
        action = onlyOffice.editorConfig.mode
        self.onlyOffice = onlyOffice
    }
}

/// `POST /api/v1/spaces/{name}/sessions`: a session's body and the document's path.
struct SpaceSessionBody: Codable {
    var path: String
    var user: String
    var role: String?
    var editor: String?
    var language: String?
    var action: String?

    var session: SessionBody { SessionBody(user: user, role: role, editor: editor, language: language, action: action) }
}

struct WebhookBody: Codable {
    var url: String
    var events: [String]
}

struct WebhookJSON: Codable, ResponseEncodable {
    var id: String
    var url: String
    var events: [String]
    var createdAt: String
    /// Only when it is created.
    var secret: String?

    init(_ hook: Webhook, showSecret: Bool) {
        id = hook.id
        url = hook.url
        events = hook.events.map(\.rawValue).sorted()
        createdAt = APITime.format(hook.createdAt)
        secret = showSecret ? hook.secret : nil
    }
}

struct DeliveryJSON: Codable {
    var id: String
    var webhookId: String
    var event: String
    var createdAt: String
    var attempts: Int
    var status: String
    var lastStatus: Int?
    var lastError: String?

    init(_ delivery: WebhookDelivery) {
        id = delivery.id
        webhookId = delivery.webhookID
        event = delivery.event.rawValue
        createdAt = APITime.format(delivery.createdAt)
        attempts = delivery.attempts
        status = delivery.deliveredAt != nil ? "delivered" : delivery.gaveUpAt != nil ? "failed" : "pending"
        lastStatus = delivery.lastStatus
        lastError = delivery.lastError
    }
}

struct ListJSON<Item: Codable & Sendable>: Codable, ResponseEncodable, Sendable {
    var items: [Item]
}

extension Request {
    /// A JSON body of at most 64 KiB, with a clear error when it does not decode.
    func json<T: Decodable>(_ type: T.Type) async throws -> T {
        let buffer = try await body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw APIProblem.badBody("the body is not the expected JSON: \(error)")
        }
    }
}
