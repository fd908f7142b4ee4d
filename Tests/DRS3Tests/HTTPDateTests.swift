import Foundation
import Testing

@testable import DRS3

#if canImport(Glibc)
  import Glibc
#endif

struct HTTPDateTests {
  @Test func readsRFC9110sExample() {
    #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")?.timeIntervalSince1970 == 784_111_777)
  }

  /// Every answer glibc's strftime writes in the C locale, over 400 years in steps that
  /// land on every month, leap days and times of day, reads back as the same second.
  @Test func readsBackWhatStrftimeWrites() {
    var checked = 0
    var seconds = -2_208_988_800  // 1900-01-01
    while seconds < 10_413_792_000 {  // 2300-01-01
      let text = Self.imfFixdate(seconds)
      #expect(HTTPDate.parse(text)?.timeIntervalSince1970 == TimeInterval(seconds), "\(text)")
      seconds += 86_400 * 13 + 3_601 * 7 + 11
      checked += 1
    }
    #expect(checked > 10_000)
  }

  @Test(arguments: [
    "Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
    "Fri, 29 Feb 2030 00:00:00 GMT", "Thu, 31 Apr 2031 00:00:00 GMT", "Mon, 00 Jan 2024 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun,  06 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
    "Sun, +6 Nov 1994 08:49:37 GMT", "", "GMT",
  ])
  func refusesWhatIsNotAnIMFFixdate(_ text: String) {
    #expect(HTTPDate.parse(text) == nil)
  }

  @Test func acceptsLeapDaysOnlyInLeapYears() {
    #expect(HTTPDate.parse("Tue, 29 Feb 2028 00:00:00 GMT") != nil)
    #expect(HTTPDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") != nil)
    #expect(HTTPDate.parse("Thu, 29 Feb 2100 00:00:00 GMT") == nil)
  }

  static func imfFixdate(_ seconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
