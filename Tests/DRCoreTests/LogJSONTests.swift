import DRCore
import Foundation
import Logging
import Testing

/// `--log-format json`: values keep their types, and every line says its policy (null when
/// it is about none) and, once known, the backup.
struct LogJSONTests {
  func capture(_ body: (Logger) -> Void) throws -> [String] {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let sink = LogSink(fileDescriptor: fds[1])
    let logger = Logger(label: "dr.test") { label in DRLogHandler(label: label, level: .info, format: .json, sink: sink)
    }
    body(logger)
    close(fds[1])
    let data = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test func valuesKeepTheirTypes() throws {
    let lines = try capture { logger in
      logger.info(
        "typed",
        metadata: [
          "policy": "summit", "size_bytes": .stringConvertible(Int64(1_234_567)), "ratio": .stringConvertible(2.5),
          "encrypted": .stringConvertible(true), "attempt": .stringConvertible(3), "label": "42",
          "nan": .stringConvertible(Double.nan), "ids": .array([.string("a"), .stringConvertible(7)]),
          "phase": .dictionary(["seconds": .stringConvertible(0.25)]),
        ])
    }
    let line = try #require(lines.first)
    #expect(lines.count == 1)
    for fragment in [
      #""size_bytes":1234567"#, #""ratio":2.5"#, #""encrypted":true"#, #""attempt":3"#, #""label":"42""#,
      #""nan":"nan""#, #""ids":["a",7]"#, #""phase":{"seconds":0.25}"#, #""policy":"summit""#,
    ] {
      #expect(line.contains(fragment), "\(fragment) in \(line)")
    }
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["message"] as? String == "typed")
    #expect(object["level"] as? String == "info")
  }

  @Test func stringsAreEscapedAndRedacted() throws {
    SecretRegistry.shared.register("log-json-secret-3")
    let lines = try capture { logger in
      logger.warning("quote \" backslash \\ newline \n bell \u{07} log-json-secret-3", metadata: ["policy": "p"])
    }
    let line = try #require(lines.first)
    #expect(lines.count == 1)
    #expect(!line.contains("log-json-secret-3"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["message"] as? String == "quote \" backslash \\ newline \n bell \u{07} ***")
  }

  /// One test sets the process-wide context (and clears it), so no other test sees it.
  @Test func everyLineCarriesThePolicyAndTheBackupOnceKnown() throws {
    let before = try capture { $0.info("before the policy is loaded") }
    #expect(before.first?.contains(#""policy":null"#) == true, "\(before)")
    #expect(before.first?.contains("backup_id") == false)
    LogContext.policy = "summit"
    LogContext.backupID = "20261124T221900Z-7f3a"
    defer {
      LogContext.policy = nil
      LogContext.backupID = nil
    }
    let during = try capture { logger in
      logger.info("a library's line, told nothing")
      logger.info("a worker's line about another policy", metadata: ["policy": "other"])
    }
    #expect(during.count == 2)
    #expect(during[0].contains(#""policy":"summit""#) && during[0].contains(#""backup_id":"20261124T221900Z-7f3a""#))
    #expect(during[1].contains(#""policy":"other""#), "the line's own policy wins")
  }
}

/// `DRError.errorCode`: the module and the case, never a sentence.
struct ErrorCodeNameTests {
  enum SampleErrorCode: Equatable {
    case plain
    case withValue(Int)
  }

  enum Described: CustomStringConvertible {
    case noKeys(tried: [String])
    var description: String { "no keys found. Tried: a, b" }
  }

  @Test func codesNameTheModuleAndTheCase() {
    #expect(ErrorCodeName.of(SampleErrorCode.self, .plain) == "sample.plain")
    #expect(ErrorCodeName.of(SampleErrorCode.self, .withValue(3)) == "sample.withValue")
    #expect(ErrorCodeName.caseName(Described.noKeys(tried: ["x"])) == "noKeys", "not its description")
    #expect(ErrorCodeName.caseName("a sentence, not a case") == "error")
  }
}
