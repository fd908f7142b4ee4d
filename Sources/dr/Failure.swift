import ArgumentParser
import DRBackup
import DRCore
import Foundation

/// How a command that threw ends: its exit status, and the failure told three ways —
/// with `--json`, one JSON object on standard output (the contract's failure object, or
/// the command's own result with `outcome` and `error` added), one JSON log line (with
/// JSON logs) or else a `dr: …` line on standard error.
struct Failure {
  let error: any Error
  /// The exit status; 0 for help and `--version`, which are not failures.
  let status: Int32
  /// `DRError.errorCode`; `usage` for ArgumentParser's refusals, `failed` for a command
  /// that reported its failure itself, `error` for errors dr does not know.
  let code: String
  /// For people (standard error, the JSON object's message): redacted.
  let message: String

  init(_ error: any Error) {
    self.error = error
    if let failure = error as? any DRError {
      (status, code, message) = (failure.exitStatus.rawValue, failure.errorCode, failure.description)
    } else if let exit = error as? ExitCode {
      (status, code, message) = (exit.rawValue, "failed", "the command failed (exit status \(exit.rawValue))")
    } else {
      let parserCode = DR.exitCode(for: error)
      status =
        parserCode == .success ? 0 : parserCode == .validationFailure ? ExitStatus.usage.rawValue : parserCode.rawValue
      code = parserCode == .validationFailure ? "usage" : "error"
      message = parserCode == .success ? DR.fullMessage(for: error) : DR.fullMessage(for: error).redacted
    }
  }

  /// Tells the failure and returns the exit status.
  func finish(json: Bool, logFormat: LogFormat?, since started: ContinuousClock.Instant) -> Int32 {
    guard status != 0 else {
      print(message)
      return 0
    }
    if json { printJSON(since: started) }
    let oneLine = oneLineMessage.escapingControlCharacters
    if LoggingSetup.writeFinalError(oneLine, code: code, exitStatus: status, format: logFormat) { return status }
    if !reportedByCommand {
      let text = error is any DRError ? "dr: \(message.escapingControlCharacters)" : message.escapingControlCharacters
      FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
    return status
  }

  /// The command printed its own account of the failure (its report, its lines).
  var reportedByCommand: Bool { error is ExitCode || error is CommandFailed }

  /// The message without ArgumentParser's usage text (the JSON object and log line say
  /// what was wrong; `--help` says the rest).
  var oneLineMessage: String {
    error is any DRError || error is ExitCode ? message : DR.message(for: error).redacted
  }

  /// The command's own JSON result with `outcome` (when it has none) and `error` added, or
  /// the contract's failure object when it has no result.
  private func printJSON(since started: ContinuousClock.Instant) {
    let failure = CommandFailure.Failure(code: code, message: oneLineMessage)
    if let held = Output.takeResult() {
      return print(Self.adding(failure, to: held))
    }
    var object = CommandFailure(
      code: code, message: oneLineMessage, category: FailureCategory(of: error),
      durationSeconds: (ContinuousClock.now - started).seconds)
    object.locked = (error as? BackupError)?.code == .locked ? true : nil
    try? Output.json(object)
    Output.flush()
  }

  /// `result` (a JSON object as dr prints it) with `error` and, unless it says one,
  /// `"outcome": "failed"` added as members; an array (a line per item, each with its own
  /// outcome) is left as it is.
  static func adding(_ failure: CommandFailure.Failure, to result: String) -> String {
    let trimmed = result.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"),
      let keys = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any],
      let error = try? CommandJSON.encoder.encode(failure)
    else { return result }
    var members: [String] = []
    if keys["error"] == nil {
      let object = String(decoding: error, as: UTF8.self).replacingOccurrences(of: "\n", with: "\n  ")
      members.append("\"error\" : " + object)
    }
    if keys["outcome"] == nil { members.append("\"outcome\" : \"failed\"") }
    guard !members.isEmpty else { return result }
    let body = trimmed.dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
    let separator = keys.isEmpty ? "" : ","
    return body + separator + "\n  " + members.joined(separator: ",\n  ") + "\n}"
  }
}
