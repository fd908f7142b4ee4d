import Foundation

/// The files in a local failover's state directory that hold the passwords dr generated
/// for its PostgreSQL (DRFailover's own names for them are internal).
public enum StackPasswordFiles {
  public static let superuser = "postgres.password"
  public static let app = "app.password"

  /// The password in `directory/name`.
  public static func read(_ name: String, in directory: String) throws -> String {
    try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
