import FolioCore
import FolioSpaces
import Foundation

extension SpaceKind {
    /// The example connector application (examples/connector-app) when tests/spaces/connector.sh
    /// has started it: `FOLIO_TEST_CONNECTOR_URL` (its base URL) and
    /// `FOLIO_TEST_CONNECTOR_SECRET`. Each test gets a fresh folder of its own, made through the
    /// contract, with a connector rooted there.
    package static var http: SpaceKind? {
        guard let location = httpTestLocation else { return nil }
        return SpaceKind("http") {
            let app = try HTTPConnector(location)
            let folder = try SpacePath("/test-" + Identifier.random())
            try await app.makeFolder(folder)
            return app.rooted(at: folder)
        }
    }

    /// `http:URL?secret=S` for the running application, or nil when none was started.
    package static var httpTestLocation: String? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["FOLIO_TEST_CONNECTOR_URL"], !url.isEmpty else { return nil }
        guard let secret = environment["FOLIO_TEST_CONNECTOR_SECRET"], !secret.isEmpty else { return "http:" + url }
        return "http:" + url + "?secret=" + (secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}
