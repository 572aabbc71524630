import Foundation

/// What previews and conversions made of some content, by the content's SHA-256 and what was
/// made ("pdf", "thumbnail-256", "page-3-1200", "docx"): made once per content and shared by
/// every version with those bytes. A failure is remembered too, so a document that cannot be
/// converted is not tried again on every page view.
public struct DerivedContent: Sendable, Equatable {
    public var sha256: [UInt8]
    public var kind: String
    /// The blob holding the result; nil when making it failed.
    public var blobKey: String?
    public var size: Int64
    /// Pages of a PDF.
    public var pages: Int?
    public var failure: String?
    public var createdAt: Int64

    public init(
        sha256: [UInt8], kind: String, blobKey: String?, size: Int64, pages: Int? = nil, failure: String? = nil,
        createdAt: Int64
    ) {
        self.sha256 = sha256
        self.kind = kind
        self.blobKey = blobKey
        self.size = size
        self.pages = pages
        self.failure = failure
        self.createdAt = createdAt
    }
}

public protocol DerivedStore: Sendable {
    func derived(sha256: [UInt8], kind: String) async throws -> DerivedContent?
    /// Records a result or a failure; a result already recorded (another instance made it at
    /// the same time) is kept, and the one kept is returned.
    func recordDerived(_ content: DerivedContent) async throws -> DerivedContent
    /// Forgets what was made of content no version holds any more; returns how many.
    func forgetUnreferencedDerived() async throws -> Int
}
