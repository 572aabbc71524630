import FolioCore
import Foundation
import HummingbirdTesting
import Testing

/// Containers and ecosystem: every URL handed out is absolute, carries its own token and works.
@Suite struct WOPIContainerTests {
    /// The path and query of an absolute URL Folio returned.
    func local(_ url: String?) throws -> String {
        let url = try #require(url)
        #expect(url.hasPrefix("http://folio.test/"))
        return String(url.dropFirst("http://folio.test".count))
    }

    @Test func walkTheTreeFromAFile() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            let ancestry = try await client.execute(uri: f.uri(nil, "/ancestry"), method: .get).json()
            let ancestors = try #require(ancestry["AncestorsWithRootFirst"] as? [[String: Any]])
            #expect(ancestors.map { $0["Name"] as? String } == ["alice", "Docs"])
            let parent = try local(ancestors.last?["Url"] as? String)

            let info = try await client.execute(uri: parent, method: .get).json()
            #expect(info["Name"] as? String == "Docs")
            #expect(info["UserCanCreateChildFile"] as? Bool == true && info["UserCanRename"] as? Bool == true)
            let root = try await client.execute(uri: try local(ancestors[0]["Url"] as? String), method: .get).json()
            #expect(root["UserCanRename"] as? Bool == false && root["UserCanDelete"] as? Bool == false)

            let (path, query) = {
                let p = parent.split(separator: "?")
                return (String(p[0]), String(p[1]))
            }()
            let children = try await client.execute(uri: "\(path)/children?\(query)", method: .get).json()
            let files = try #require(children["ChildFiles"] as? [[String: Any]])
            #expect(
                files.count == 1 && files[0]["Name"] as? String == "doc.docx" && files[0]["Version"] as? String == "1")
            #expect(files[0]["Size"] as? Int == 5)
            let child = try local(files[0]["Url"] as? String)
            try await client.execute(uri: child, method: .get) { #expect($0.status == .ok) }
            let filtered = try await client.execute(
                uri: "\(path)/children?\(query)", method: .get,
                headers: headers(["X-WOPI-FileExtensionFilterList": ".xlsx, .pptx"])
            ).json()
            #expect((filtered["ChildFiles"] as? [Any])?.isEmpty == true)

            // Create, rename and delete a child folder; create a child file.
            func post(_ uri: String, _ pairs: [String: String]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: headers(pairs))
            }
            var r = try await post(
                parent, ["X-WOPI-Override": "CREATE_CHILD_CONTAINER", "X-WOPI-SuggestedTarget": "Sub"])
            let sub = try local((r.json()["ContainerPointer"] as? [String: Any])?["Url"] as? String)
            r = try await post(parent, ["X-WOPI-Override": "CREATE_CHILD_CONTAINER", "X-WOPI-SuggestedTarget": "Sub"])
            #expect((r.json()["ContainerPointer"] as? [String: Any])?["Name"] as? String == "Sub (2)")
            r = try await post(parent, ["X-WOPI-Override": "CREATE_CHILD_CONTAINER", "X-WOPI-RelativeTarget": "Sub"])
            #expect(r.status == .conflict)
            r = try await post(
                sub, ["X-WOPI-Override": "RENAME_CONTAINER", "X-WOPI-RequestedName": "container+AF8-name"])
            #expect(r.status == .ok && (r.json()["Name"] as? String) == "container_name")
            r = try await post(
                sub, ["X-WOPI-Override": "CREATE_CHILD_FILE", "X-WOPI-RelativeTarget": "new+AF8-file.wopitest"])
            #expect(r.status == .ok && (r.json()["Name"] as? String) == "new_file.wopitest")
            let newFile = try local(r.json()["Url"] as? String)
            try await client.execute(uri: newFile, method: .get) { #expect($0.json()["Size"] as? Int == 0) }
            r = try await post(
                sub,
                ["X-WOPI-Override": "CREATE_CHILD_FILE", "X-WOPI-RelativeTarget": "x", "X-WOPI-SuggestedTarget": "y"])
            #expect(r.status == .notImplemented)
            r = try await post(sub, ["X-WOPI-Override": "DELETE_CONTAINER"])
            #expect(r.status == .conflict)
            _ = try await post(newFile, ["X-WOPI-Override": "DELETE"])
            r = try await post(sub, ["X-WOPI-Override": "DELETE_CONTAINER"])
            #expect(r.status == .ok)
            try await client.execute(uri: sub, method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func ecosystemPointersAndRootContainer() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            let pointer = try await client.execute(uri: f.uri(nil, "/ecosystem_pointer"), method: .get).json()
            let ecosystem = try local(pointer["Url"] as? String)
            #expect(ecosystem.hasPrefix("/wopi/ecosystem?access_token="))
            let check = try await client.execute(uri: ecosystem, method: .get).json()
            #expect(check["SupportsContainers"] as? Bool == true)
            let query = ecosystem.split(separator: "?")[1]
            let root = try await client.execute(uri: "/wopi/ecosystem/root_container_pointer?\(query)", method: .get)
                .json()
            let container = try #require(root["ContainerPointer"] as? [String: Any])
            #expect(container["Name"] as? String == "alice")
            try await client.execute(uri: try local(container["Url"] as? String), method: .get) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/wopi/ecosystem/root_container_pointer?access_token=INVALID", method: .get) {
                #expect($0.status == .unauthorized)
            }
            // A file token is not an ecosystem token.
            try await client.execute(uri: "/wopi/ecosystem?access_token=\(f.token())", method: .get) {
                #expect($0.status == .unauthorized)
            }
            // GetFileWopiSrc by path below the root folder and by id.
            for native in ["Docs/doc.docx", f.file.id] {
                let r = try await client.execute(
                    uri: ecosystem, method: .post,
                    headers: headers([
                        "X-WOPI-Override": "GET_WOPI_SRC_WITH_ACCESS_TOKEN", "X-WOPI-HostNativeFileName": native,
                    ]))
                #expect(try local(r.json()["Url"] as? String).hasPrefix("/wopi/files/\(f.file.id)?access_token="))
            }
            try await client.execute(
                uri: ecosystem, method: .post,
                headers: headers([
                    "X-WOPI-Override": "GET_WOPI_SRC_WITH_ACCESS_TOKEN", "X-WOPI-HostNativeFileName": "nope.docx",
                ])
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test func sharedFileShowsOnlyReachableFolders() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        try await f.app.test(.router) { client in
            let ancestry = try await client.execute(
                uri: f.uri(nil, "/ancestry", token: f.token(user: f.bob)), method: .get
            ).json()
            #expect((ancestry["AncestorsWithRootFirst"] as? [Any])?.isEmpty == true)
        }
    }
}
