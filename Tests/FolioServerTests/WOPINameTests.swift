import FolioCore
import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WOPI

/// PutRelativeFile, RenameFile and PutUserInfo over HTTP.
@Suite struct WOPINameTests {
    @Test func putRelativeSuggestedWithUTF7AndAPath() async throws {
        let f = try await ServerFixture.make()
        let caller = f.token()
        try await f.app.test(.router) { client in
            try await client.execute(
                uri: f.uri(token: caller), method: .post,
                headers: headers([
                    "X-WOPI-Override": "PUT_RELATIVE",
                    "X-WOPI-SuggestedTarget": "/jan/hole+AWE-ovsk+AP0-/hello world+ACU-1.pdf",
                    "X-WOPI-Size": "4",
                ]), body: ByteBuffer(string: "%PDF")
            ) { response in
                #expect(response.status == .ok)
                let answer = response.json()
                #expect(answer["Name"] as? String == "hello world%1.pdf")
                let url = try #require(answer["Url"] as? String)
                #expect(url.hasPrefix("http://folio.test/wopi/files/") && url.contains("?access_token="))
                // Host pages for the new file (Office's convert flow navigates to HostEditUrl).
                #expect((answer["HostEditUrl"] as? String)?.contains("/edit?ticket=") == true)
                #expect((answer["HostViewUrl"] as? String)?.contains("/view?ticket=") == true)
                // The new token expires with the caller's.
                let token = String(url.split(separator: "=").last!)
                let grant = try #require(f.folio.signer.verify(token))
                #expect(grant.expiresAtMs == f.folio.signer.verify(caller)!.expiresAtMs)
                let id = String(url.dropFirst("http://folio.test/wopi/files/".count).prefix(while: { $0 != "?" }))
                #expect(try await f.read(id) == "%PDF")
                let path = String(url.dropFirst("http://folio.test".count))
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func putRelativeSpecificConflictsAndHeaders() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            func put(_ pairs: [String: String]) async throws -> TestResponse {
                var all = pairs
                all["X-WOPI-Override"] = "PUT_RELATIVE"
                return try await client.execute(
                    uri: f.uri(), method: .post, headers: headers(all), body: ByteBuffer(string: "x"))
            }
            var r = try await put(["X-WOPI-RelativeTarget": "doc.docx"])
            #expect(r.status == .conflict)
            #expect(r.header("X-WOPI-ValidRelativeTarget").flatMap(UTF7.decode) == "doc (2).docx")
            r = try await put(["X-WOPI-RelativeTarget": "doc.docx", "X-WOPI-OverwriteRelativeTarget": "False"])
            #expect(r.status == .conflict)
            r = try await put(["X-WOPI-RelativeTarget": "bad:name.docx"])
            #expect(r.status == .badRequest && r.header("X-WOPI-ValidRelativeTarget") != nil)
            r = try await put(["X-WOPI-RelativeTarget": "a.docx", "X-WOPI-SuggestedTarget": "b.docx"])
            #expect(r.status == .notImplemented)
            r = try await put([:])
            #expect(r.status == .badRequest)
            r = try await put(["X-WOPI-SuggestedTarget": "+ZeVnLIqe-.docx"])
            #expect(r.status == .ok && (r.json()["Name"] as? String) == "日本語.docx")
            r = try await put(["X-WOPI-SuggestedTarget": "+AGE"])
            #expect(r.status == .ok || r.status == .badRequest)
            r = try await put(["X-WOPI-RelativeTarget": "doc.docx", "X-WOPI-OverwriteRelativeTarget": "true"])
            #expect(r.status == .ok && (r.json()["Name"] as? String) == "doc.docx")
            #expect(try await f.read(f.file.id) == "x")
            // A read-only user may not create files from the document.
            let viewerURI = f.uri(token: f.token(role: .view))
            r = try await client.execute(
                uri: viewerURI, method: .post,
                headers: headers(["X-WOPI-Override": "PUT_RELATIVE", "X-WOPI-SuggestedTarget": ".pdf"]),
                body: ByteBuffer(string: "x"))
            #expect(r.status == .notImplemented)
        }
    }

    @Test func renameFileAnswersWithNameUrlAndTime() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            // Collabora sends the document as the body; Office sends an empty X-WOPI-Lock.
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: headers([
                    "X-WOPI-Override": "RENAME_FILE", "X-WOPI-RequestedName": "madeup+AF8-renamed", "X-WOPI-Lock": "",
                ]),
                body: ByteBuffer(string: "document bytes")
            ) { response in
                #expect(response.status == .ok)
                let answer = response.json()
                #expect(answer["Name"] as? String == "madeup_renamed")
                #expect(
                    (answer["Url"] as? String)?.hasPrefix("http://folio.test/wopi/files/\(f.file.id)?access_token=")
                        == true)
                #expect((answer["LastModifiedTime"] as? String).flatMap(WOPITime.parse) == f.file.modifiedAt)
            }
            #expect(try await f.folio.files.file(id: f.file.id)?.name == "madeup_renamed.docx")
            #expect(try await f.read(f.file.id) == "hello")
            for bad in ["", "  ", "..", "/"] {
                try await client.execute(
                    uri: f.uri(), method: .post,
                    headers: headers(["X-WOPI-Override": "RENAME_FILE", "X-WOPI-RequestedName": bad])
                ) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.header("X-WOPI-InvalidFileNameError") != nil)
                }
            }
            try await client.execute(uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "RENAME_FILE"]))
            {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func putUserInfoIsShownInCheckFileInfo() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "PUT_USER_INFO"]),
                body: ByteBuffer(string: "PutUserInfoTest")
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: f.uri(), method: .get) {
                #expect($0.json()["UserInfo"] as? String == "PutUserInfoTest")
            }
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "PUT_USER_INFO"]),
                body: ByteBuffer(repeating: 65, count: 1025)
            ) { #expect($0.status == .badRequest) }
        }
    }
}
