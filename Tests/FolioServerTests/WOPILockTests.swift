import HummingbirdTesting
import Testing

/// The lock table over HTTP, including the headers each answer must carry.
@Suite struct WOPILockTests {
    func lockRequest(_ override: String, _ lock: String?, old: String? = nil) -> [String: String] {
        var pairs = ["X-WOPI-Override": override]
        if let lock { pairs["X-WOPI-Lock"] = lock }
        if let old { pairs["X-WOPI-OldLock"] = old }
        return pairs
    }

    @Test func microsoftLockSequenceWithJSONIdsAndProbing() async throws {
        let f = try await ServerFixture.make()
        let first = #"{"S":"g1","F":4}"#
        let second = #"{"S":"g1","F":6,"E":2,"M":"m","P":"p"}"#
        try await f.app.test(.router) { client in
            func send(_ pairs: [String: String]) async throws -> TestResponse {
                try await client.execute(uri: f.uri(), method: .post, headers: headers(pairs))
            }
            var r = try await send(lockRequest("LOCK", first))
            #expect(r.status == .ok && r.header("X-WOPI-ItemVersion") == "1" && r.header("X-WOPI-Lock") == nil)
            r = try await send(lockRequest("LOCK", second, old: first))
            #expect(r.status == .ok)
            r = try await send(lockRequest("GET_LOCK", nil))
            #expect(r.status == .ok && r.header("X-WOPI-Lock") == second)
            // Office probes with a made-up id to learn the current lock from the 409.
            for probe in ["REFRESH_LOCK", "UNLOCK"] {
                r = try await send(lockRequest(probe, "GetCurrentLockString-5f3c"))
                #expect(r.status == .conflict && r.header("X-WOPI-Lock") == second, "\(probe)")
                #expect(r.header("X-WOPI-LockFailureReason") != nil)
            }
            r = try await send(lockRequest("LOCK", first))
            #expect(r.status == .conflict && r.header("X-WOPI-Lock") == second)
            r = try await send(lockRequest("LOCK", "x", old: first))
            #expect(r.status == .conflict && r.header("X-WOPI-Lock") == second)
            r = try await send(lockRequest("REFRESH_LOCK", second))
            #expect(r.status == .ok)
            r = try await send(lockRequest("UNLOCK", second))
            #expect(r.status == .ok && r.header("X-WOPI-ItemVersion") == "1")
            r = try await send(lockRequest("GET_LOCK", nil))
            #expect(r.status == .ok && r.header("X-WOPI-Lock") == "")
            // Unlocked: Unlock, RefreshLock and UnlockAndRelock are 409 with an empty lock.
            for pairs in [
                lockRequest("UNLOCK", second), lockRequest("REFRESH_LOCK", second),
                lockRequest("LOCK", "n", old: second),
            ] {
                r = try await send(pairs)
                #expect(r.status == .conflict && r.header("X-WOPI-Lock") == "")
            }
        }
    }

    @Test func lockIdsAreValidated() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            for pairs in [
                lockRequest("LOCK", nil), lockRequest("LOCK", ""), lockRequest("UNLOCK", nil),
                lockRequest("REFRESH_LOCK", ""),
                lockRequest("LOCK", String(repeating: "x", count: 1025)), lockRequest("LOCK", "new", old: ""),
            ] {
                try await client.execute(uri: f.uri(), method: .post, headers: headers(pairs)) {
                    #expect($0.status == .badRequest)
                }
            }
            let long = String(repeating: "7", count: 1024)
            try await client.execute(uri: f.uri(), method: .post, headers: headers(lockRequest("LOCK", long))) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: f.uri(), method: .post, headers: headers(lockRequest("GET_LOCK", nil))) {
                #expect($0.header("X-WOPI-Lock") == long)
            }
        }
    }

    @Test func locksAreNotOwnedByUsers() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: headers(lockRequest("LOCK", "shared")))
            // Another editor's token may refresh and release the same lock (co-authoring).
            let bob = f.uri(token: f.token(user: f.bob))
            try await client.execute(uri: bob, method: .post, headers: headers(lockRequest("REFRESH_LOCK", "shared"))) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: bob, method: .post, headers: headers(lockRequest("UNLOCK", "shared"))) {
                #expect($0.status == .ok)
            }
            // A viewer may read the lock but not take one.
            let viewer = f.uri(token: f.token(user: f.bob, role: .view))
            try await client.execute(uri: viewer, method: .post, headers: headers(lockRequest("LOCK", "v"))) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: viewer, method: .post, headers: headers(lockRequest("GET_LOCK", nil))) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func deleteAndRenameHonourTheLock() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: headers(lockRequest("LOCK", "L")))
            try await client.execute(uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "DELETE"])) {
                #expect($0.status == .conflict && $0.header("X-WOPI-Lock") == "L")
            }
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: headers(["X-WOPI-Override": "RENAME_FILE", "X-WOPI-RequestedName": "new", "X-WOPI-Lock": "M"])
            ) { #expect($0.status == .conflict && $0.header("X-WOPI-Lock") == "L") }
            try await client.execute(uri: f.uri(), method: .post, headers: headers(lockRequest("UNLOCK", "L")))
            try await client.execute(uri: f.uri(), method: .post, headers: headers(["X-WOPI-Override": "DELETE"])) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: f.uri(), method: .get) { #expect($0.status == .notFound) }
        }
    }
}
