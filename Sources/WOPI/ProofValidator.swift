import Foundation

/// The verdict on a request's `X-WOPI-Proof` headers.
public enum ProofOutcome: Sendable, Equatable {
    /// X-WOPI-Proof or X-WOPI-ProofOld verifies with the current key.
    case valid
    /// Only X-WOPI-Proof with the old key verified: the client has rotated keys; refetch discovery.
    case validWithOldKey
    /// No accepted combination verified.
    case invalid(reason: String)
    /// X-WOPI-TimeStamp is outside the window (more than 20 minutes old or 5 minutes ahead).
    case expired
    /// A header is missing or unreadable.
    case malformed(reason: String)

    /// The request may proceed.
    public var isAccepted: Bool { self == .valid || self == .validWithOldKey }

    /// Discovery should be fetched again (and an invalid request retried once with the new keys).
    /// A timestamp or header problem is not fixed by new keys.
    public var shouldRefreshDiscovery: Bool {
        switch self {
        case .validWithOldKey, .invalid: true
        case .valid, .expired, .malformed: false
        }
    }
}

/// Proof-key validation (PROTOCOL §A.11): builds the signed bytes and applies the acceptance rules.
/// Pure: the caller supplies the keys from discovery, the headers and the clock.
public enum ProofValidator {
    /// Requests older than this are refused (the WOPI rule).
    public static let maximumAgeMicroseconds: Int64 = 20 * 60 * 1_000_000
    /// Tolerated clock skew for timestamps ahead of `now`; beyond it the request is `.expired` too.
    public static let maximumSkewMicroseconds: Int64 = 5 * 60 * 1_000_000

    /// .NET ticks (100 ns since 0001-01-01 UTC) of the Unix epoch.
    public static let unixEpochTicks: Int64 = 621_355_968_000_000_000
    /// `DateTime.MaxValue.Ticks`; larger timestamps cannot come from a real client.
    public static let maximumTicks: Int64 = 3_155_378_975_999_999_999

    /// The bytes a WOPI client signs, all integers big-endian:
    /// `int32 len(token) ‖ token ‖ int32 len(URL) ‖ URL ‖ int32 8 ‖ int64 ticks`.
    ///
    /// `token` is the access token as the host decoded it from the query; `url` is the full request
    /// URL as the client sent it, query included. The URL is upper-cased ASCII-only (`a`–`z`), other
    /// bytes untouched: a request target on the wire is ASCII, so this equals .NET's invariant and
    /// Python's Unicode upper-casing for every URL that can arrive, and needs no locale.
    public static func message(token: String, url: String, timestampTicks: Int64) -> [UInt8] {
        let tokenBytes = Array(token.utf8)
        let urlBytes = url.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        var out: [UInt8] = []
        out.reserveCapacity(tokenBytes.count + urlBytes.count + 20)
        append(UInt32(truncatingIfNeeded: tokenBytes.count), to: &out)
        out += tokenBytes
        append(UInt32(truncatingIfNeeded: urlBytes.count), to: &out)
        out += urlBytes
        append(UInt32(8), to: &out)
        append(UInt64(bitPattern: timestampTicks), to: &out)
        return out
    }

    /// .NET ticks of a Unix time in milliseconds (saturating instead of overflowing).
    public static func ticks(fromUnixMilliseconds ms: Int64) -> Int64 {
        let (scaled, overflow) = ms.multipliedReportingOverflow(by: 10_000)
        guard !overflow else { return ms < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(unixEpochTicks)
        return overflow2 ? .max : sum
    }

    /// .NET ticks of a Unix time in microseconds (saturating instead of overflowing).
    public static func ticks(fromUnixMicroseconds us: Int64) -> Int64 {
        let (scaled, overflow) = us.multipliedReportingOverflow(by: 10)
        guard !overflow else { return us < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(unixEpochTicks)
        return overflow2 ? .max : sum
    }

    /// Unix microseconds of .NET ticks; sub-microsecond ticks are dropped. Never overflows.
    public static func unixMicroseconds(fromTicks ticks: Int64) -> Int64 {
        ticks / 10 - unixEpochTicks / 10
    }

    /// Applies §A.11. Rules, in order: headers readable (timestamp a non-negative integer, Proof
    /// present, both proofs base64; a missing or empty ProofOld is allowed, older Collabora sends
    /// only Proof); timestamp no more than 20 minutes old and no more than 5 minutes ahead; then
    /// Proof with current key, ProofOld with current key → `.valid`; Proof with old key →
    /// `.validWithOldKey`; anything else (including ProofOld with the old key alone) → `.invalid`.
    /// Without an old key only the current-key rules apply.
    public static func verify(
        token: String, url: String, timestampHeader: String?, proof: String?, proofOld: String?,
        current: ProofKey, old: ProofKey?, nowMicroseconds: Int64
    ) -> ProofOutcome {
        guard let timestampHeader, !timestampHeader.isEmpty else {
            return .malformed(reason: "missing X-WOPI-TimeStamp")
        }
        guard let ticks = parseTicks(timestampHeader) else {
            return .malformed(reason: "X-WOPI-TimeStamp is not a tick count: \(timestampHeader.prefix(40))")
        }
        guard let proof, !proof.isEmpty else { return .malformed(reason: "missing X-WOPI-Proof") }
        guard let proofBytes = ProofKey.decodeBase64(proof) else {
            return .malformed(reason: "X-WOPI-Proof is not base64")
        }
        var proofOldBytes: [UInt8]?
        if let proofOld, !proofOld.isEmpty {
            guard let bytes = ProofKey.decodeBase64(proofOld) else {
                return .malformed(reason: "X-WOPI-ProofOld is not base64")
            }
            proofOldBytes = bytes
        }

        let (age, overflow) = nowMicroseconds.subtractingReportingOverflow(unixMicroseconds(fromTicks: ticks))
        guard !overflow, age <= maximumAgeMicroseconds, age >= -maximumSkewMicroseconds else { return .expired }

        let signed = message(token: token, url: url, timestampTicks: ticks)
        if current.isValid(signature: proofBytes, for: signed) { return .valid }
        if let proofOldBytes, current.isValid(signature: proofOldBytes, for: signed) { return .valid }
        if let old, old.isValid(signature: proofBytes, for: signed) { return .validWithOldKey }
        return .invalid(reason: "no proof verifies with the discovery keys")
    }

    /// Decimal digits only (surrounding whitespace tolerated), within `0...maximumTicks`.
    static func parseTicks(_ header: String) -> Int64? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int64(text),
            value <= maximumTicks
        else { return nil }
        return value
    }

    private static func append(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
