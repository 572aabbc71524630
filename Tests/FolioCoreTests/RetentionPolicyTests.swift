import FolioCore
import Testing

/// The retention policy on its own: parsing, and which versions it removes at a given time.
@Suite struct RetentionPolicyTests {
    static let hour: Int64 = 3_600_000_000
    static let day = 24 * hour
    /// 2027-01-15 00:00 UTC, a day boundary.
    static let t0: Int64 = 1_800_000_000_000_000 - 8 * hour

    @Test func policiesParseAndPrintBack() throws {
        #expect(try RetentionPolicy(parsing: ["all 24h", "hourly 30d", "daily"]) == .standard)
        #expect(RetentionPolicy.standard.description == "all 24h, hourly 30d, daily")
        #expect(try RetentionPolicy(parsing: ["keep"]).keepsEverything)
        #expect(try RetentionPolicy(parsing: ["all"]).keepsEverything)
        #expect(try RetentionPolicy(parsing: ["all 90s", "hourly"]).description == "all 90s, hourly")
        let weekly = try RetentionPolicy(parsing: ["all 2h", "daily 2w", "weekly 52w"])
        #expect(weekly.boundaries == [2 * Self.hour, 14 * Self.day, 364 * Self.day])
        #expect(weekly.description == "all 2h, daily 2w, weekly 52w")
        #expect(try RetentionPolicy(parsing: weekly.description.split(separator: ",").map(String.init)) == weekly)
        for bad in [
            ["hourly", "daily"], ["all 30d", "hourly 24h"], ["yearly 1d"], ["all 1x"], ["all 0d"], [], ["all 1d 2d"],
        ] {
            #expect(throws: FolioError.self, "\(bad)") { try RetentionPolicy(parsing: bad) }
        }
    }

    func save(
        _ number: Int64, at time: Int64, session: String?, autosave: Bool? = true, exit: Bool? = nil,
        source: VersionSource = .wopi, author: String = "alice"
    ) -> Version {
        Version(
            fileID: "f", number: number, size: 10, sha256: [], blobKey: "b\(number)", authorID: author, createdAt: time,
            source: source, flags: SaveFlags(isAutosave: autosave, isExitSave: exit), editors: [], session: session)
    }

    /// One session's autosaves every ten minutes from 09:00 to 16:50 of `day`, then an exit save.
    func workday(_ day: Int64, from first: Int64, session: String, autosave: Bool? = true) -> [Version] {
        var versions: [Version] = []
        for i in 0..<48 {
            versions.append(
                save(
                    first + Int64(i), at: Self.t0 + day * Self.day + 9 * Self.hour + Int64(i) * Self.hour / 6,
                    session: session, autosave: autosave))
        }
        versions.append(
            save(
                first + 48, at: Self.t0 + day * Self.day + 17 * Self.hour, session: session, autosave: false, exit: true
            ))
        return versions
    }

    @Test func aWeekOfAutosavesKeepsTheLastOfEachHourPastADayAndEverythingElse() {
        var versions = [save(1, at: Self.t0, session: nil, autosave: nil, source: .upload)]
        for day in Int64(0)..<7 {
            // Office says nothing about autosaves (nil): its saves count as autosaves.
            versions += workday(
                day, from: Int64(versions.count) + 1, session: "w:\(day)", autosave: day == 4 ? nil : true)
        }
        // A save the user asked for, in the middle of day 2's session.
        versions.append(
            save(
                Int64(versions.count) + 1, at: Self.t0 + 2 * Self.day + 12 * Self.hour + 5, session: "w:2",
                autosave: false))
        let now = Self.t0 + 7 * Self.day + 8 * Self.hour
        let current = Int64(versions.count)
        let removed = Set(
            RetentionPolicy.standard.removable(from: versions, current: current, protectedSessions: [], now: now))
        // Days 0-5 are older than 24 h: 48 autosaves in 8 hours, the last of each hour stays.
        // Day 6 began 23 hours ago: all of it stays.
        #expect(removed.count == 6 * 40)
        let kept = versions.filter { !removed.contains($0.number) }
        for day in Int64(0)..<6 {
            let autosaves = kept.filter { $0.session == "w:\(day)" && $0.flags.isAutosave != false }
            #expect(autosaves.count == 8, "day \(day)")
            // Each kept one is the save at :50 of its hour.
            #expect(autosaves.allSatisfy { ($0.createdAt - Self.t0) % Self.hour == 5 * Self.hour / 6 })
        }
        #expect(kept.contains { $0.source == .upload } && kept.filter { $0.flags.isExitSave == true }.count == 7)
        #expect(kept.contains { $0.flags.isAutosave == false && $0.flags.isExitSave == nil })
        // Applying it again removes nothing more.
        #expect(
            RetentionPolicy.standard.removable(from: kept, current: current, protectedSessions: [], now: now).isEmpty)
        // An open session is left alone; so is the current version, even an autosave.
        let protected = RetentionPolicy.standard.removable(
            from: versions, current: current, protectedSessions: ["w:0"], now: now)
        #expect(protected.count == 5 * 40)
        let last = versions.filter { $0.session == "w:1" && $0.flags.isAutosave == true }.first!
        #expect(
            !RetentionPolicy.standard.removable(from: versions, current: last.number, protectedSessions: [], now: now)
                .contains(last.number))
        // Thirty days on, one autosave a day and session stays (the last of 16:00).
        let later = RetentionPolicy.standard.removable(
            from: kept, current: current, protectedSessions: [], now: now + 40 * Self.day)
        let after = kept.filter { !later.contains($0.number) && RetentionPolicy.isThinnable($0) }
        #expect(after.count == 7, "one autosave for each of the seven sessions")
    }

    @Test func aLastTierWithAnAgeRemovesOlderAutosavesButNothingElse() throws {
        let policy = try RetentionPolicy(parsing: ["all 24h", "hourly 3d"])
        var versions = [save(1, at: Self.t0, session: nil, autosave: nil, source: .upload)]
        for day in Int64(0)..<5 { versions += workday(day, from: Int64(versions.count) + 1, session: "o:\(day)") }
        // Older saves from before Folio recorded sessions count by author.
        versions.append(save(Int64(versions.count) + 1, at: Self.t0 + 5 * Self.hour, session: nil, author: "bob"))
        let now = Self.t0 + 5 * Self.day
        let removed = Set(
            policy.removable(from: versions, current: Int64(versions.count) + 100, protectedSessions: [], now: now))
        let kept = versions.filter { !removed.contains($0.number) }
        // Days 0 and 1 are past three days: no autosave left; days 2 and 3 hourly; day 4 all.
        #expect(kept.filter { $0.session == "o:0" || $0.session == "o:1" }.allSatisfy { $0.flags.isExitSave == true })
        #expect(kept.filter { $0.session == "o:2" }.count == 9 && kept.filter { $0.session == "o:4" }.count == 49)
        #expect(kept.contains { $0.source == .upload } && !kept.contains { $0.authorID == "bob" })
        #expect(
            RetentionPolicy.keepEverything.removable(from: versions, current: 1, protectedSessions: [], now: now)
                .isEmpty)
    }
}
