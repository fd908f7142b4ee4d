import DRTestSupport
import Foundation

/// Runs stock tools (`bzip2`, `bunzip2`, `lbzip2`) as child processes on files.
enum Tool {
  struct Failed: Error, CustomStringConvertible {
    let command: [String]
    let status: Int32
    let standardError: String
    var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
  }

  /// Runs `command` with `input` on standard input; returns standard output.
  static func run(_ command: [String], input: [UInt8]) async throws -> [UInt8] {
    let directory = TemporaryDirectory.unique("dr-tool")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let paths = (input: directory + "/in", output: directory + "/out", error: directory + "/err")
    _ = FileManager.default.createFile(atPath: paths.input, contents: Data(input))
    _ = FileManager.default.createFile(atPath: paths.output, contents: nil)
    _ = FileManager.default.createFile(atPath: paths.error, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    process.standardInput = FileHandle(forReadingAtPath: paths.input)
    process.standardOutput = FileHandle(forWritingAtPath: paths.output)
    process.standardError = FileHandle(forWritingAtPath: paths.error)
    // Waits on a thread of its own, so the cooperative pool never blocks. That thread
    // inherits the signal mask of the pool's threads, which block nearly every signal,
    // and children inherit it through exec: lbzip2 then never finishes. Unblock first.
    let status = try await withCheckedThrowingContinuation { continuation in
      Thread {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        do {
          try process.run()
          process.waitUntilExit()
          continuation.resume(returning: process.terminationStatus)
        } catch {
          continuation.resume(throwing: error)
        }
      }.start()
    }
    guard status == 0 else {
      let message = (try? String(contentsOfFile: paths.error, encoding: .utf8)) ?? ""
      throw Failed(command: command, status: status, standardError: message)
    }
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: paths.output)))
  }
}
