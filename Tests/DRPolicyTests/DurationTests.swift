import DRPolicy
import Testing

struct DurationTests {
  @Test(
    arguments: [
      ("26h", 93_600), ("90m", 5_400), ("7d", 604_800), ("2w", 1_209_600), ("45s", 45),
      ("1h30m", 5_400), (" 1d12h ", 129_600),
    ] as [(String, Int64)])
  func parses(_ text: String, _ seconds: Int64) {
    #expect(DurationValue(parsing: text)?.seconds == seconds)
  }

  @Test(arguments: ["", "26", "h", "2y", "1.5h", "-1h", "0h", "1h 30m", "99999999999999999999w"])
  func rejects(_ text: String) {
    #expect(DurationValue(parsing: text) == nil)
  }

  @Test func describesInLargestUnits() {
    #expect(DurationValue(seconds: 93_600).description == "1d2h")
    #expect(DurationValue(seconds: 5_430).description == "1h30m30s")
  }
}
