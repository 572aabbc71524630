import FolioCore
import FolioSpaces
import Foundation

extension SpaceKind {
    /// A WebDAV collection when FOLIO_TEST_WEBDAV_URL names one (`http://USER:PASSWORD@HOST:PORT/PATH/`,
    /// set by tests/spaces/webdav.sh, which starts Apache mod_dav); each space is a fresh
    /// collection made under it.
    package static var webdav: SpaceKind? {
        guard let url = webdavTestURL else { return nil }
        return SpaceKind("webdav") { try await freshWebDAVSpace(url) }
    }
}

/// FOLIO_TEST_WEBDAV_URL, or nil when it is not set.
package var webdavTestURL: String? {
    guard let url = ProcessInfo.processInfo.environment["FOLIO_TEST_WEBDAV_URL"], !url.isEmpty else { return nil }
    return url
}

/// A new, empty collection under `url` (a random name), as a space.
package func freshWebDAVSpace(_ url: String) async throws -> WebDAVConnector {
    let base = try WebDAVLocation(url.hasPrefix("webdav:") ? url : "webdav:" + url)
    let name = "space-" + Identifier.random()
    try await WebDAVConnector.connect(base).makeFolder(try SpacePath("/" + name))
    return try await WebDAVConnector.connect(base.inside(name))
}
