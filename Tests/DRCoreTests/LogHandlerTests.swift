import DRCore
import Foundation
import Logging
import Testing

struct LogHandlerTests {
  /// Captures what a handler writes, through a pipe.
  func capture(format: LogFormat, _ body: (Logger) -> Void) throws -> String {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let sink = LogSink(fileDescriptor: fds[1])
    var logger = Logger(label: "test") { label in DRLogHandler(label: label, level: .info, format: format, sink: sink) }
    logger[metadataKey: "policy"] = "summit"
    body(logger)
    close(fds[1])
    let data = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func humanLinesAreRedacted() throws {
    SecretRegistry.shared.register("log-secret-value-1")
    let text = try capture(format: .human) { logger in
      logger.info("connecting to postgresql://u:pw123456@h/db with log-secret-value-1", metadata: ["backup": "b1"])
      logger.debug("not shown at info level")
    }
    #expect(text.contains("info  connecting to postgresql://u:***@h/db with ***"))
    #expect(text.contains("backup=b1") && text.contains("policy=summit"))
    #expect(!text.contains("pw123456") && !text.contains("log-secret-value-1") && !text.contains("not shown"))
  }

  @Test func jsonLinesParseAndAreRedacted() throws {
    SecretRegistry.shared.register("json-secret-value-2")
    let text = try capture(format: .json) { logger in
      logger.warning("upload retry", metadata: ["error": "token json-secret-value-2 rejected"])
    }
    let lines = text.split(separator: "\n")
    #expect(lines.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
    #expect(object?["level"] == "warning")
    #expect(object?["message"] == "upload retry")
    #expect(object?["error"] == "token *** rejected")
    #expect(object?["policy"] == "summit")
    #expect(object?["time"]?.hasSuffix("Z") == true)
  }

  @Test func autoFormatPicksByTerminal() {
    #expect(LogFormat.auto.resolved(isTerminal: true, jsonWhenPiped: true) == .human)
    #expect(LogFormat.auto.resolved(isTerminal: false, jsonWhenPiped: true) == .json)
    #expect(LogFormat.auto.resolved(isTerminal: false, jsonWhenPiped: false) == .human)
    #expect(LogFormat.json.resolved(isTerminal: true, jsonWhenPiped: false) == .json)
  }
}
