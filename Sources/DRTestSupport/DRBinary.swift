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
  /// `environment` (a nil value removes a variable). Standard input is empty; the child
  /// starts with no blocked signals, as it would from a shell.
  public static func run(
    _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil
  ) async throws -> Result {
    var merged = ProcessInfo.processInfo.environment
    for (name, value) in environment { merged[name] = value }
    let output = try await ProcessRunner.run(path, arguments, environment: merged, directory: directory)
    return Result(status: output.status, standardOutput: output.standardOutput, standardError: output.standardError)
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
