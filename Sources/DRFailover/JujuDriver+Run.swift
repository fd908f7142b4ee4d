import DRCore
import Foundation
import Logging

extension JujuDriver {
  /// Runs `invocations` in order and returns their outputs; throws at the first that
  /// fails (a `.create` that finds its object there already has not failed).
  func run(_ invocations: [JujuInvocation], step: PlanStep?) async throws -> [ProcessRunner.Output] {
    let juju = try locateJuju()
    var outputs: [ProcessRunner.Output] = []
    for invocation in invocations {
      logger.info("$ \(invocation.display)")
      let output = try await ProcessRunner.run(juju, invocation.arguments, environment: environment)
      if output.status != 0 {
        guard invocation.role == .create, output.standardError.contains("already exists") else {
          throw Self.failure(invocation, output, step: step)
        }
        logger.info("already there: \(Self.lastLines(output.standardError))")
      }
      outputs.append(output)
    }
    return outputs
  }

  /// The absolute path of `juju` on the environment's PATH, looked up once.
  func locateJuju() throws -> String {
    if let juju { return juju }
    guard let found = ProgramSearch.find("juju", path: environment["PATH"], systemDirectories: false) else {
      throw FailoverError(
        .driver, "juju is not installed or not on PATH (sudo snap install juju --classic, then juju add-credential)")
    }
    juju = found
    return found
  }

  static func failure(_ invocation: JujuInvocation, _ output: ProcessRunner.Output, step: PlanStep?) -> FailoverError {
    let stderr = lastLines(output.standardError)
    return FailoverError(
      step.map { .step($0.name) } ?? .driver,
      "\(invocation.display) failed (exit status \(output.status))"
        + (stderr.isEmpty ? "" : ": \(stderr)"))
  }

  /// The last few lines of a command's standard error, on one line.
  static func lastLines(_ text: String) -> String {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(3)
      .joined(separator: " | ")
  }
}
