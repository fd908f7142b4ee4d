import DRCore
import DRTestSupport
import Foundation

/// Runs stock tools (`bzip2`, `bunzip2`, `lbzip2`, `zstd`) as child processes, through dr's
/// one spawn path (`ChildProcess`: no blocked signals in the child, both pipes drained,
/// the child never outlives the call, nothing blocks the cooperative pool).
enum Tool {
  struct Failed: Error, CustomStringConvertible {
    let command: [String]
    let status: Int32
    let standardError: String
    var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
  }

  /// Runs `command` with `input` on standard input; returns standard output. The input is
  /// written while the output is read, so neither pipe can stall the other.
  static func run(_ command: [String], input: [UInt8]) async throws -> [UInt8] {
    try await ChildProcess.run("/usr/bin/env", command, input: true) { child in
      let feeding = Task {
        defer { child.closeInput() }
        try await child.input?.write(input)
      }
      var output: [UInt8] = []
      while let bytes = try await child.output.next() { output += bytes }
      let fed = await feeding.result
      let status: Int32 =
        switch await child.wait() {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
      // A tool that failed may stop reading its input: its status says more than EPIPE.
      guard status == 0 else { throw Failed(command: command, status: status, standardError: child.standardError) }
      try fed.get()
      return output
    }
  }
}
