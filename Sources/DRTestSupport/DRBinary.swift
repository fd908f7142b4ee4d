import DRCore
import Foundation

/// Runs the built `dr` executable as a user would, for end-to-end tests.
public enum DRBinary {
  public struct Result: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
    public var combined: String { standardOutput + standardError }
  }

  /// The `dr` next to the test bundle (`.build/debug/dr`).
  public static var path: String {
    var directory = Bundle.main.bundleURL
    for _ in 0..<3 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dr").path) {
      directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("dr").path
  }

  /// Runs `dr` with `arguments` in `directory`, with the test process's environment plus
  /// `environment` (a nil value removes a variable). Standard input is empty.
  /// Waits on a thread of its own, never on the cooperative pool.
  public static func run(
    _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil
  ) async throws -> Result {
    try await runBlocking("dr-test-binary") { try runSync(arguments, environment: environment, directory: directory) }
  }

  static func runSync(_ arguments: [String], environment: [String: String?], directory: String?) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    for (name, value) in environment { merged[name] = value }
    process.environment = merged
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = TemporaryDirectory.unique("dr-out")
    let stdoutPath = output + "/stdout"
    let stderrPath = output + "/stderr"
    _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
    process.standardError = FileHandle(forWritingAtPath: stderrPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    defer { try? FileManager.default.removeItem(atPath: output) }
    return Result(
      status: process.terminationStatus,
      standardOutput: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
      standardError: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
  }
}

public enum TemporaryDirectory {
  /// A new empty directory under the system's temporary directory.
  public static func unique(_ prefix: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
