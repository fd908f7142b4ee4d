import DRCore
import Foundation

/// Finds PostgreSQL programs whose major version fits a server or a dump: the one locator
/// of dr (pg_dump, pg_dumpall, pg_restore, psql, and the server programs of scratch and
/// failover clusters, through `ServerBinaries`).
///
/// The search path (`searchPath`): every directory of `$DR_PG_BINDIR` (colon-separated),
/// then the standard layouts (Debian's `/usr/lib/postgresql/N/bin`, RHEL's
/// `/usr/pgsql-N/bin`, newest first), then `PATH`. Among every installation found, the one
/// of the closest major not older than the one needed is chosen (an older pg_dump refuses a
/// newer server or, worse, dumps it incompletely; an older pg_restore cannot read a newer
/// archive); between two of the same major, the earlier in the search path.
public struct PGToolLocator: Sendable {
  public var searchDirectories: [String]

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.searchDirectories = Self.searchPath(environment)
  }

  public init(searchDirectories: [String]) {
    self.searchDirectories = searchDirectories
  }

  /// `DR_PG_BINDIR`'s directories, the standard layouts, then `PATH` (relative entries skipped).
  public static func searchPath(
    _ environment: [String: String], debianRoot: String = "/usr/lib/postgresql", rhelRoot: String = "/usr"
  ) -> [String] {
    func absolute(_ list: String?) -> [String] {
      (list ?? "").split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
    }
    return absolute(environment["DR_PG_BINDIR"]) + standardDirectories(debianRoot: debianRoot, rhelRoot: rhelRoot)
      + absolute(environment["PATH"] ?? "/usr/bin:/bin")
  }

  /// Debian's `ROOT/N/bin` and RHEL's (PGDG) `ROOT/pgsql-N/bin`, newest major first.
  static func standardDirectories(debianRoot: String, rhelRoot: String) -> [String] {
    func majors(_ root: String, prefix: String) -> [Int] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
      return names.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
    }
    let debian = majors(debianRoot, prefix: "").map { ($0, "\(debianRoot)/\($0)/bin") }
    let rhel = majors(rhelRoot, prefix: "pgsql-").map { ($0, "\(rhelRoot)/pgsql-\($0)/bin") }
    return (debian + rhel).sorted { $0.0 > $1.0 }.map(\.1)
  }

  /// Every distinct installation of `name`, with its version, in search order. `siblings`:
  /// programs that must be beside it (a server installation without pg_restore is no use).
  public func candidates(_ name: String, siblings: [String] = []) async -> [PGTool] {
    await survey(name, siblings: siblings).tools
  }

  /// As `candidates`, with the programs found that cannot be used, and why: a pg_dump that
  /// cannot start (a missing library, another architecture) must be named in the error,
  /// not reported as not found.
  public func survey(_ name: String, siblings: [String] = []) async -> (tools: [PGTool], unusable: [PGTool.Unusable]) {
    var seen = Set<String>()
    var tools: [PGTool] = []
    var unusable: [PGTool.Unusable] = []
    for directory in searchDirectories {
      let path = "\(directory)/\(name)"
      guard FileManager.default.isExecutableFile(atPath: path),
        siblings.allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") })
      else { continue }
      // One entry per real file; Debian's pg_wrapper (/usr/bin/pg_dump) only picks one of
      // the versioned binaries, which are listed from /usr/lib/postgresql already.
      guard let real = Self.realPath(path), !real.hasSuffix("/pg_wrapper"), seen.insert(real).inserted else {
        continue
      }
      switch await PGTool.probe(path) {
      case .success(let tool): tools.append(tool)
      case .failure(let problem): unusable.append(problem)
      }
    }
    return (tools, unusable)
  }

  /// The tool closest to `major` among those at least as new, or an error that says what
  /// was found and how to fix it.
  public func locate(_ name: String, forServerMajor major: Int, siblings: [String] = []) async throws -> PGTool {
    try await choose(name, forMajor: major, siblings: siblings).tool
  }

  /// As `locate`, with what else was found (for `--verbose` and `dr check`).
  public func choose(_ name: String, forMajor major: Int, siblings: [String] = []) async throws -> PGToolChoice {
    let (found, unusable) = await survey(name, siblings: siblings)
    if let best = found.filter({ $0.majorVersion >= major }).min(by: { $0.majorVersion < $1.majorVersion }) {
      return PGToolChoice(tool: best, forMajor: major, found: found, unusable: unusable)
    }
    let fix = Self.fix(name, major: major)
    let broken =
      unusable.isEmpty ? "" : "; found but unusable: " + unusable.map(\.description).joined(separator: "; ")
    guard !found.isEmpty else {
      let what = unusable.isEmpty ? "not found" : "not usable"
      throw PostgresError(
        .toolMissing, "\(name) \(what) (looked in \(searchDirectories.joined(separator: ":")))\(broken); \(fix)")
    }
    let list = found.map { "\($0.version) at \($0.path)" }.joined(separator: ", ")
    // pg_dump serves a server; pg_restore, psql and the server programs serve a dump.
    let served = name.hasPrefix("pg_dump") ? "the server" : "the dump"
    let why =
      name.hasPrefix("pg_dump")
      ? "An older \(name) cannot dump a newer server safely"
      : Self.serverPrograms.contains(name)
        ? "An older server cannot take a newer dump" : "An older \(name) cannot read a newer dump"
    throw PostgresError(
      .toolTooOld, "\(name) is older than \(served) (PostgreSQL \(major)): found \(list)\(broken). \(why); \(fix)")
  }

  /// What to install: Debian's package (and RHEL's), or a directory for `DR_PG_BINDIR`.
  public static func fix(_ name: String, major: Int) -> String {
    let server = serverPrograms.contains(name)
    let debian = server ? "postgresql-\(major)" : "postgresql-client-\(major)"
    let rhel = server ? "postgresql\(major)-server" : "postgresql\(major)"
    return "install \(debian) (apt-get install \(debian); from apt.postgresql.org where the release lacks it; "
      + "RHEL: \(rhel)) or add a directory with \(name) \(major) or newer to DR_PG_BINDIR"
  }

  /// Programs of the server package rather than the client's.
  static let serverPrograms: Set<String> = ["initdb", "pg_ctl", "postgres"]

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
