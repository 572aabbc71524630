import FolioTestSupport
import Testing

/// The test content made by copying rows is the content its formula says.
@Suite struct PatternBytesTests {
    @Test(arguments: [(31, 9), (7, 11), (5, 9), (3, 8)]) func rowsAreTheFormula(seed: Int, shift: Int) {
        let count = 3 << shift + 77
        let expected = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* seed &+ $0 >> shift) }
        #expect(patternBytes(count, seed: seed, shift: shift) == expected)
        #expect(patternBytes(0, seed: seed, shift: shift).isEmpty)
    }
}
