import DRCore
import Foundation

/// A PostgreSQL client program (pg_dump, pg_restore, psql, pg_dumpall) and its version.
public struct PGTool: Sendable, Equatable, CustomStringConvertible {
  public let path: String
  public let version: String
  public let majorVersion: Int

  public init(path: String, version: String, majorVersion: Int) {
    self.path = path
    self.version = version
    self.majorVersion = majorVersion
  }

  /// Another program of the same installation (`pg_restore` next to `pg_dump`).
  public func sibling(_ name: String) -> String {
    directory + "/" + name
  }

  /// The directory it is in.
  public var directory: String { (path as NSString).deletingLastPathComponent }

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
}

/// Finds PostgreSQL client programs whose major version fits a server.
///
/// Candidates: `$DR_PG_BINDIR` alone when it is set (the operator's choice is final);
/// otherwise Debian's `/usr/lib/postgresql/N/bin` (newest first), then `PATH`. pg_dump
/// must be at least the server's major version (an older one refuses or, worse, dumps
/// incompletely); the closest fitting version is chosen.
public struct PGToolLocator: Sendable {
  public var searchDirectories: [String]

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    if let dir = environment["DR_PG_BINDIR"], !dir.isEmpty {
      self.searchDirectories = [dir]
      return
    }
    var directories = Self.debianDirectories()
    directories += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    self.searchDirectories = directories
  }

  public init(searchDirectories: [String]) {
    self.searchDirectories = searchDirectories
  }

  static func debianDirectories(root: String = "/usr/lib/postgresql") -> [String] {
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
  }

  /// Every distinct installation of `name`, with its version.
  public func candidates(_ name: String) async -> [PGTool] {
    var seen = Set<String>()
    var tools: [PGTool] = []
    for directory in searchDirectories {
      let path = "\(directory)/\(name)"
      guard FileManager.default.isExecutableFile(atPath: path) else { continue }
      // One entry per real file; Debian's pg_wrapper (/usr/bin/pg_dump) only picks one of
      // the versioned binaries, which are listed from /usr/lib/postgresql already.
      guard let real = Self.realPath(path), !real.hasSuffix("/pg_wrapper"), seen.insert(real).inserted,
        let tool = await Self.probe(path)
      else { continue }
      tools.append(tool)
    }
    return tools
  }

  /// The tool closest to `serverMajor` among those at least as new, or an error that says
  /// what was found and how to fix it.
  public func locate(_ name: String, forServerMajor serverMajor: Int) async throws -> PGTool {
    let found = await candidates(name)
    if let best = found.filter({ $0.majorVersion >= serverMajor }).min(by: { $0.majorVersion < $1.majorVersion }) {
      return best
    }
    let package = Self.serverPrograms.contains(name) ? "postgresql-\(serverMajor)" : "postgresql-client-\(serverMajor)"
    let fix =
      "install \(package) (apt-get install \(package)) or set DR_PG_BINDIR to a directory with \(name) \(serverMajor) or newer"
    guard !found.isEmpty else {
      throw PostgresError(
        .toolMissing, "\(name) not found (looked in \(searchDirectories.joined(separator: ":"))); \(fix)")
    }
    let list = found.map { "\($0.version) at \($0.path)" }.joined(separator: ", ")
    throw PostgresError(
      .toolTooOld,
      "\(name) is older than the server (PostgreSQL \(serverMajor)): found \(list). An older \(name) cannot dump a newer server safely; \(fix)"
    )
  }

  /// Programs of the server package rather than the client's.
  static let serverPrograms: Set<String> = ["initdb", "pg_ctl", "postgres"]

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func probe(_ path: String) async -> PGTool? {
    guard let result = try? await ProcessRunner.run(path, ["--version"]), result.status == 0,
      let parsed = PGTool.parseVersion(result.standardOutput)
    else { return nil }
    return PGTool(path: path, version: parsed.version, majorVersion: parsed.major)
  }
}
