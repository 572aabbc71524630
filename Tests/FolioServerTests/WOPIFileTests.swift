import FolioCore
import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WOPI

@Suite struct WOPIFileTests {
    @Test func checkFileInfoAdvertisesWhatIsImplemented() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
                let info = response.json()
                #expect(info["BaseFileName"] as? String == "doc.docx")
                #expect(info["OwnerId"] as? String == f.alice.id && info["UserId"] as? String == f.alice.id)
                #expect(info["Size"] as? Int == 5 && info["Version"] as? String == "1")
                #expect(info["FileExtension"] as? String == ".docx")
                #expect(info["UserFriendlyName"] as? String == "Alice Liddell")
                #expect(info["SHA256"] as? String == "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
                #expect(WOPITime.parse(info["LastModifiedTime"] as? String ?? "") == f.file.modifiedAt)
                for flag in [
                    "SupportsLocks", "SupportsGetLock", "SupportsExtendedLockLength", "SupportsUpdate",
                    "SupportsRename",
                    "SupportsDeleteFile", "SupportsUserInfo", "SupportsContainers", "SupportsEcosystem", "UserCanWrite",
                    "UserCanRename",
                ] {
                    #expect(info[flag] as? Bool == true, "\(flag)")
                }
                #expect(info["UserCanNotWriteRelative"] as? Bool == false && info["ReadOnly"] as? Bool == false)
                #expect(info["SupportedShareUrlTypes"] as? [String] == ["ReadOnly", "ReadWrite"])
                #expect(info["FileSharingUrl"] as? String == "http://folio.test/share/file/\(f.file.id)")
                // Not offered, so not advertised: the validator's schemas reject even `false` for some.
                for absent in ["SupportsCoauth", "FileUrl", "HostEditUrl", "SupportsCobalt", "TemplateSource"] {
                    #expect(info[absent] == nil, "\(absent)")
                }
            }
        }
    }

    @Test func permissionFlagsFollowTheRole() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(token: f.token(user: f.bob, role: .view)), method: .get) { response in
                let info = response.json()
                #expect(info["UserId"] as? String == f.bob.id && info["OwnerId"] as? String == f.alice.id)
                #expect(info["UserCanWrite"] as? Bool == false && info["ReadOnly"] as? Bool == true)
                #expect(info["UserCanRename"] as? Bool == false && info["UserCanNotWriteRelative"] as? Bool == true)
            }
        }
    }

    @Test func badTokensAreRefused() async throws {
        let f = try await ServerFixture.make()
        let other = try await f.folio.createFile(
            BufferSequence([]), expectedSize: 0, name: "other.docx", folderID: f.file.folderID, owner: f.alice,
            source: .upload, uniqueName: false)
        let good = f.token()
        var characters = Array(good)
        characters[50] = characters[50] == "A" ? "B" : "A"
        let tampered = String(characters)
        try await f.app.test(.router) { client in
            for token in ["", "INVALID", tampered, f.token(other)] {
                try await client.execute(uri: f.uri(token: token), method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: f.uri(nil, "/contents", token: token), method: .get) {
                    #expect($0.status == .unauthorized)
                }
                try await client.execute(
                    uri: f.uri(token: token), method: .post,
                    headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L"])
                ) { #expect($0.status == .unauthorized) }
            }
            // The token may come in Authorization: Bearer instead of the query.
            try await client.execute(
                uri: "/wopi/files/\(f.file.id)", method: .get, headers: headers(["Authorization": "Bearer \(good)"])
            ) { #expect($0.status == .ok) }
            // A valid token for a file that is gone: 404.
            try await f.folio.delete(session: try await f.folio.authorizeFile(token: good, fileID: f.file.id))
            try await client.execute(uri: f.uri(token: good), method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func getFileStreamsTheCurrentVersion() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(nil, "/contents"), method: .get) { response in
                #expect(response.status == .ok && response.text == "hello")
                #expect(response.header("X-WOPI-ItemVersion") == "1")
                #expect(response.header("Content-Length") == "5")
            }
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .get, headers: headers(["X-WOPI-MaxExpectedSize": "4"])
            ) { #expect($0.status == .preconditionFailed) }
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .get, headers: headers(["X-WOPI-MaxExpectedSize": "5"])
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .get, headers: headers(["X-WOPI-MaxExpectedSize": "lots"])
            ) { #expect($0.status == .badRequest) }
        }
    }

    @Test func putFileWritesANewVersionUnderTheLock() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            // Not locked and not empty: 409 with an empty lock, nothing stored.
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post, headers: headers(["X-WOPI-Override": "PUT"]),
                body: ByteBuffer(string: "v2")
            ) { response in
                #expect(response.status == .conflict && response.header("X-WOPI-Lock") == "")
            }
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L1"]))
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers([
                    "X-WOPI-Override": "PUT", "X-WOPI-Lock": "L1", "X-WOPI-Editors": "\(f.alice.id), \(f.bob.id)",
                    "X-LOOL-WOPI-IsModifiedByUser": "true", "X-LOOL-WOPI-IsAutosave": "true",
                    "X-LOOL-WOPI-IsExitSave": "false",
                ]),
                body: ByteBuffer(string: "version two")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.header("X-WOPI-ItemVersion") == "2")
                let time = response.json()["LastModifiedTime"] as? String
                #expect(time.flatMap(WOPITime.parse) != nil)
            }
            #expect(try await f.read(f.file.id) == "version two")
            let versions = try await f.folio.files.versions(fileID: f.file.id)
            #expect(
                versions.count == 2 && versions[1].editors == [f.alice.id, f.bob.id] && versions[1].source == .wopi)
            #expect(versions[1].flags == SaveFlags(isAutosave: true, isExitSave: false, isModifiedByUser: true))
            // Wrong lock: 409 with the lock in force.
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers(["X-WOPI-Override": "PUT", "X-WOPI-Lock": "L2"]),
                body: ByteBuffer(string: "no")
            ) { #expect($0.status == .conflict && $0.header("X-WOPI-Lock") == "L1") }
            // PutFile needs its override, and no other.
            try await client.execute(uri: f.uri(nil, "/contents"), method: .post, body: ByteBuffer(string: "no")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L1"])
            ) { #expect($0.status == .notImplemented) }
            #expect(try await f.folio.files.versions(fileID: f.file.id).count == 2)
        }
    }

    @Test func collaboraTimestampConflict() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "cool-lock1a2b3c4d"]))
            let loaded = WOPITime.format(microseconds: f.file.modifiedAt)
            // Someone else saves after Collabora loaded the document.
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers(["X-WOPI-Override": "PUT", "X-WOPI-Lock": "cool-lock1a2b3c4d"]),
                body: ByteBuffer(string: "other"))
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers([
                    "X-WOPI-Override": "PUT", "X-WOPI-Lock": "cool-lock1a2b3c4d", "X-COOL-WOPI-Timestamp": loaded,
                    "X-COOL-WOPI-IsAutosave": "true",
                ]), body: ByteBuffer(string: "mine")
            ) { response in
                #expect(response.status == .conflict)
                #expect(response.json()["COOLStatusCode"] as? Int == 1010)
                // Every 409 to PutFile names the current lock.
                #expect(response.headers[.wopi("X-WOPI-Lock")] == "cool-lock1a2b3c4d")
            }
            #expect(try await f.read(f.file.id) == "other")
            // The user chooses to overwrite: Collabora retries without the timestamp.
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers(["X-WOPI-Override": "PUT", "X-WOPI-Lock": "cool-lock1a2b3c4d"]),
                body: ByteBuffer(string: "mine")
            ) { #expect($0.status == .ok) }
            #expect(try await f.read(f.file.id) == "mine")
            // A current timestamp is accepted.
            let current = try await f.folio.files.file(id: f.file.id)!
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers([
                    "X-WOPI-Override": "PUT", "X-WOPI-Lock": "cool-lock1a2b3c4d",
                    "X-COOL-WOPI-Timestamp": WOPITime.format(microseconds: current.modifiedAt),
                ]), body: ByteBuffer(string: "next")
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers([
                    "X-WOPI-Override": "PUT", "X-WOPI-Lock": "cool-lock1a2b3c4d", "X-COOL-WOPI-Timestamp": "soon",
                ]),
                body: ByteBuffer(string: "x")
            ) { #expect($0.status == .badRequest) }
        }
    }

    @Test func oversizedBodiesAreRefusedWithNothingStored() async throws {
        let f = try await ServerFixture.make(maxUploadBytes: 100)
        try await f.app.test(.router) { client in
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L"]))
            try await client.execute(
                uri: f.uri(nil, "/contents"), method: .post,
                headers: headers(["X-WOPI-Override": "PUT", "X-WOPI-Lock": "L"]),
                body: ByteBuffer(repeating: 1, count: 101)
            ) { #expect($0.status == .contentTooLarge) }
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: headers(["X-WOPI-Override": "PUT_RELATIVE", "X-WOPI-SuggestedTarget": ".pdf"]),
                body: ByteBuffer(repeating: 1, count: 101)
            ) { #expect($0.status == .contentTooLarge) }
        }
        #expect(try await f.folio.files.versions(fileID: f.file.id).count == 1)
        #expect(try await f.folio.files.children(ofFolder: f.file.folderID).files.count == 1)
    }

    @Test func unknownAndMissingOverrides() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "FROBNICATE"])) {
                #expect($0.status == .notImplemented)
            }
            try await client.execute(
                uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "GET_SHARE_URL"])
            ) {
                #expect($0.status == .notImplemented)
            }
            try await client.execute(uri: f.uri(), method: .post) { #expect($0.status == .badRequest) }
        }
    }
}
