import Testing
import WOPI

@Suite struct WOPITimeTests {
    @Test func formatsWithSevenFractionalDigits() {
        // 2009-06-15T13:45:30Z, Microsoft's documented example.
        #expect(WOPITime.format(microseconds: 1_245_073_530_000_000) == "2009-06-15T13:45:30.0000000Z")
        #expect(WOPITime.format(microseconds: 1_245_073_530_123_456) == "2009-06-15T13:45:30.1234560Z")
        #expect(WOPITime.format(microseconds: 0) == "1970-01-01T00:00:00.0000000Z")
        #expect(WOPITime.format(microseconds: 951_782_400_000_000) == "2000-02-29T00:00:00.0000000Z")
    }

    /// Whole seconds (webhook bodies): the fraction dropped, never rounded up.
    @Test func formatsWholeSeconds() {
        #expect(WOPITime.formatSeconds(microseconds: 1_245_073_530_999_999) == "2009-06-15T13:45:30Z")
        #expect(WOPITime.formatSeconds(microseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(WOPITime.formatSeconds(microseconds: -1) == "1969-12-31T23:59:59Z")
    }

    @Test func parsesWhatItFormatsAndCommonForms() {
        for micros: Int64 in [0, 1_245_073_530_123_456, 1_795_387_445_282_001, 4_102_444_800_000_000] {
            #expect(WOPITime.parse(WOPITime.format(microseconds: micros)) == micros)
        }
        #expect(WOPITime.parse("2009-06-15T13:45:30Z") == 1_245_073_530_000_000)
        #expect(WOPITime.parse("2009-06-15T13:45:30.5Z") == 1_245_073_530_500_000)
        #expect(WOPITime.parse("2009-06-15T15:45:30.000+02:00") == 1_245_073_530_000_000)
        // Digits beyond microseconds are dropped, not rounded into a different instant.
        #expect(WOPITime.parse("2009-06-15T13:45:30.12345678Z") == 1_245_073_530_123_456)
    }

    @Test func rejectsMalformedTimes() {
        for bad in [
            "", "yesterday", "2009-06-15", "2009-13-15T13:45:30Z", "2009-06-15T13:45:30", "2009-06-15T13:45:30.Z",
            "2009-06-15T13:45:30Zjunk",
        ] {
            #expect(WOPITime.parse(bad) == nil, "\(bad)")
        }
    }
}
