import DRCore
import Foundation

/// A PostgreSQL program (pg_dump, pg_restore, psql, initdb…) and its version.
public struct PGTool: Sendable, Equatable, CustomStringConvertible {
  public let path: String
  public let version: String
  public let majorVersion: Int

  /// Another program of the same installation (`pg_restore` next to `pg_dump`).
  public func sibling(_ name: String) -> String {
    directory + "/" + name
  }

  /// Another program of the same installation, of the same version (`pg_dumpall` next to
  /// `pg_dump`).
  public func siblingTool(_ name: String) -> PGTool {
    PGTool(path: sibling(name), version: version, majorVersion: majorVersion)
  }

  /// The directory it is in.
  public var directory: String { (path as NSString).deletingLastPathComponent }

  /// The program's name (`pg_dump`).
  public var name: String { (path as NSString).lastPathComponent }

  public var description: String { "\(path) (\(version))" }

  /// Parses `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → 15.18, major 15
  /// (as libpq's `PQserverVersion() / 10000`, so 9.6 is major 9).
  public static func parseVersion(_ output: String) -> (version: String, major: Int)? {
    guard let marker = output.range(of: "(PostgreSQL) ") else { return nil }
    let version = output[marker.upperBound...].prefix { $0.isNumber || $0 == "." }
    let parts = version.split(separator: ".").compactMap { Int($0) }
    guard let first = parts.first else { return nil }
    return (String(version), first)
  }

  /// The major version in a version text as dr records it (`17.10` → 17, `18` → 18).
  public static func major(of version: String) -> Int? {
    version.split(separator: ".").first.flatMap { Int($0) }
  }

  /// What `PATH --version` says: the tool, or why it cannot be used (it could not be
  /// started, it failed, or it did not say a PostgreSQL version).
  static func probe(_ path: String) async -> Result<PGTool, Unusable> {
    let result: ProcessRunner.Output
    do {
      result = try await ProcessRunner.run(path, ["--version"])
    } catch {
      return .failure(Unusable(path: path, why: "could not be started: \(error)"))
    }
    guard result.status == 0 else {
      let said = Self.lastLine(result.standardError) ?? Self.lastLine(result.standardOutput)
      return .failure(
        Unusable(path: path, why: "--version exited with status \(result.status)" + (said.map { ": \($0)" } ?? "")))
    }
    guard let parsed = parseVersion(result.standardOutput) else {
      let said = Self.lastLine(result.standardOutput) ?? "nothing"
      return .failure(Unusable(path: path, why: "--version said \"\(said)\", not a PostgreSQL version"))
    }
    return .success(PGTool(path: path, version: parsed.version, majorVersion: parsed.major))
  }

  /// A program found where a PostgreSQL program should be that cannot be used, and why.
  public struct Unusable: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let why: String

    public var description: String { "\(path) \(why)" }
  }

  /// The last non-empty line of `text`, at most 200 characters.
  static func lastLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).last.map { String($0.prefix(200)) }
  }
}

/// Which program a `PGToolLocator` chose and among what, for `--verbose` and `dr check`.
public struct PGToolChoice: Sendable, CustomStringConvertible {
  public let tool: PGTool
  /// The major version it had to serve (the server's, or the dump's).
  public let forMajor: Int
  /// Every installation found, in search order.
  public let found: [PGTool]
  /// Programs of that name found but passed over as unusable, with why.
  public let unusable: [PGTool.Unusable]

  public init(tool: PGTool, forMajor: Int, found: [PGTool], unusable: [PGTool.Unusable] = []) {
    self.tool = tool
    self.forMajor = forMajor
    self.found = found
    self.unusable = unusable
  }

  /// `pg_dump 17.10 at /usr/lib/postgresql/17/bin/pg_dump for PostgreSQL 15 (the closest not
  /// older of: 13.2 at /opt/pg13/bin, 17.10 at /usr/lib/postgresql/17/bin)`.
  public var description: String {
    "\(tool.name) \(tool.version) at \(tool.path) for PostgreSQL \(forMajor) (\(among))"
  }

  /// `initdb 15.18 in /usr/lib/postgresql/15/bin (the only one found)`: the program, where,
  /// and among what, when the line already names the major it serves.
  public var programs: String { "\(tool.name) \(tool.version) in \(tool.directory) (\(among))" }

  private var among: String {
    let others = found.filter { $0.path != tool.path }
    let chosen =
      others.isEmpty
      ? "the only one found"
      : "the closest not older; also found: "
        + others.map { "\($0.version) at \($0.directory)" }.joined(separator: ", ")
    return unusable.isEmpty ? chosen : chosen + "; passed over: " + unusable.map(\.description).joined(separator: "; ")
  }
}
