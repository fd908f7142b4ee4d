import ArgumentParser
import DRCore
import Foundation

/// Parses the command line, runs the command, and maps every outcome to the exit codes
/// of the contract: 2 for bad usage (ArgumentParser's own is 64), the error's own status
/// for dr's errors, 1 for anything else. Messages are redacted. A failure is also told as
/// `--json` and `--log-format json` ask (`Failure`).
@main enum Entry {
  static func main() async {
    tuneMemoryAllocator()
    let environment = ProcessInfo.processInfo.environment
    SecretRegistry.shared.registerEnvironment(environment)
    ParentWatch.start(environment: environment)
    let status: Int32
    let started = ContinuousClock.now
    // What the raw arguments ask for, for a command line that cannot be parsed.
    var asked = RawArguments(Array(CommandLine.arguments.dropFirst()))
    do {
      var command = try DR.parseAsRoot()
      if let configured = command as? any GlobalOptionsProviding {
        configured.global.bootstrapLogging(service: configured.isService)
        asked.json = configured.global.json
      }
      if let asyncCommand = command as? any AsyncParsableCommand {
        // The command is parsed here and used by this task alone.
        nonisolated(unsafe) var running = asyncCommand
        try await running.run()
      } else {
        try command.run()
      }
      Output.flush()
      status = 0
    } catch {
      status = Failure(error).finish(json: asked.json, logFormat: asked.logFormat, since: started)
    }
    exit(status)
  }
}

/// `--json` and `--log-format` as written on the command line, read before ArgumentParser
/// (which says nothing of the options of a command line it refuses): arguments before a
/// `--` only.
struct RawArguments {
  var json: Bool
  var logFormat: LogFormat?

  init(_ arguments: [String]) {
    let options = arguments.prefix { $0 != "--" }
    json = options.contains("--json")
    logFormat = nil
    for (index, argument) in options.enumerated() {
      if argument.hasPrefix("--log-format=") {
        logFormat = LogFormat(rawValue: String(argument.dropFirst("--log-format=".count)))
      } else if argument == "--log-format", index + 1 < options.count {
        logFormat = LogFormat(rawValue: options[options.startIndex + index + 1])
      }
    }
  }
}
