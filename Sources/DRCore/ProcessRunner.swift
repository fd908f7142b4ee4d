import Foundation

/// Runs a short child process to completion and collects its output (version probes,
/// small psql calls). Both pipes are drained while it runs, so a chatty child never
/// stalls on a full pipe; the wait happens on a thread of its own.
public enum ProcessRunner {
  public struct Output: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
  }

  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil
  ) async throws -> Output {
    try await runBlocking("dr-process") {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      if let environment { process.environment = environment }
      let out = Pipe()
      let err = Pipe()
      let stdin = Pipe()
      process.standardOutput = out
      process.standardError = err
      process.standardInput = stdin
      try process.run()
      if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
      try? stdin.fileHandleForWriting.close()
      let stderrData = DrainedPipe(err)
      let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return Output(
        status: process.terminationStatus, standardOutput: String(decoding: stdoutData, as: UTF8.self),
        standardError: String(decoding: stderrData.wait(), as: UTF8.self))
    }
  }
}

/// Reads a pipe to its end on a thread of its own.
private final class DrainedPipe: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ pipe: Pipe) {
    let handle = pipe.fileHandleForReading
    let thread = Thread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
    thread.start()
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
