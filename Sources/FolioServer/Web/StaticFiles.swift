import FolioCore
import Foundation
import HTTPTypes
import Hummingbird

/// The stylesheet and script of the pages (`Resources/static`), and the blank templates that
/// editors fetch as `TemplateSource`. Read once at start; each is a few KiB.
struct StaticFiles<Context: RequestContext>: Sendable {
    let assets: [String: (type: String, bytes: Data)]

    init() {
        var assets: [String: (String, Data)] = [:]
        for (name, type) in [("folio.css", "text/css; charset=utf-8"), ("folio.js", "text/javascript; charset=utf-8")] {
            let base = String(name.split(separator: ".")[0])
            let ext = String(name.split(separator: ".")[1])
            if let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "static"),
                let data = try? Data(contentsOf: url)
            {
                assets[name] = (type, data)
            }
        }
        self.assets = assets
    }

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("static/{name}") { _, context in
            let name = try context.parameters.require("name")
            guard let asset = assets[name] else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = asset.type
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        router.get("templates/{name}") { _, context in
            let name = try context.parameters.require("name")
            guard name.hasPrefix("blank."), let template = DocumentTemplate(fileName: name),
                let content = template.content
            else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: content)))
        }
    }
}
