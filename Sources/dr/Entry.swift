import ArgumentParser
import DRBackup
import DRCore
import Foundation

/// Parses the command line, runs the command, and maps every outcome to the exit codes
/// of the contract: 2 for bad usage (ArgumentParser's own is 64), the error's own status
/// for dr's errors, 1 for anything else. Messages are redacted.
@main enum Entry {
  static func main() async {
    tuneMemoryAllocator()
    let environment = ProcessInfo.processInfo.environment
    SecretRegistry.shared.registerEnvironment(environment)
    ParentWatch.start(environment: environment)
    let status: Int32
    let started = ContinuousClock.now
    var json = false
    do {
      var command = try DR.parseAsRoot()
      if let configured = command as? any GlobalOptionsProviding {
        configured.global.bootstrapLogging(service: type(of: configured).isService)
        json = configured.global.json
      }
      if let asyncCommand = command as? any AsyncParsableCommand {
        // The command is parsed here and used by this task alone.
        nonisolated(unsafe) var running = asyncCommand
        try await running.run()
      } else {
        try command.run()
      }
      status = 0
    } catch {
      if json { printFailure(error, since: started) }
      status = report(error)
    }
    exit(status)
  }

  /// With `--json`, a command that failed prints the contract's failure object on standard
  /// output (the worker reads its `category`), unless it was used wrongly (exit 2: the
  /// message on standard error is all there is to say).
  static func printFailure(_ error: any Error, since started: ContinuousClock.Instant) {
    guard let failure = error as? any DRError, failure.exitStatus != .usage else { return }
    let locked = (error as? BackupError)?.code == .locked ? true : nil
    try? Output.json(
      CommandFailure(error: failure, durationSeconds: (ContinuousClock.now - started).seconds, locked: locked))
  }

  static func report(_ error: any Error) -> Int32 {
    if let failure = error as? any DRError {
      FileHandle.standardError.write(Data("dr: \(failure.description.escapingControlCharacters)\n".utf8))
      return failure.exitStatus.rawValue
    }
    if let exit = error as? ExitCode { return exit.rawValue }
    let code = DR.exitCode(for: error)
    let message = DR.fullMessage(for: error)
    if code == .success {
      print(message)
      return 0
    }
    FileHandle.standardError.write(Data("\(message.redacted.escapingControlCharacters)\n".utf8))
    return code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue
  }
}
