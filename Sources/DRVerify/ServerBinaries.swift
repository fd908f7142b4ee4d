import DRCore
import DRPostgres
import Foundation

/// The PostgreSQL server programs of one installation (initdb, pg_ctl, postgres) and its
/// client programs (pg_restore, psql), for restores into a throwaway cluster.
public struct ServerBinaries: Sendable, Equatable {
  public let directory: String
  public let majorVersion: Int

  public func path(_ program: String) -> String { "\(directory)/\(program)" }

  /// The installation closest to `major` among those at least as new (a newer server
  /// restores an older dump; an older one may not): `$DR_PG_BINDIR` alone when set,
  /// otherwise Debian's `/usr/lib/postgresql/N/bin`.
  public static func locate(forMajor major: Int, environment: [String: String]) async throws -> ServerBinaries {
    var candidates: [String] = []
    if let dir = environment["DR_PG_BINDIR"], !dir.isEmpty {
      candidates = [dir]
    } else {
      let root = "/usr/lib/postgresql"
      let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
      candidates = versions.map { "\(root)/\($0)/bin" }
    }
    var found: [ServerBinaries] = []
    for directory in candidates where FileManager.default.isExecutableFile(atPath: "\(directory)/initdb") {
      guard let output = try? await ProcessRunner.run("\(directory)/initdb", ["--version"]),
        let version = PGTool.parseVersion(output.standardOutput)
      else { continue }
      found.append(ServerBinaries(directory: directory, majorVersion: version.major))
    }
    if let best = found.filter({ $0.majorVersion >= major }).min(by: { $0.majorVersion < $1.majorVersion }) {
      return best
    }
    let have = found.map { "\($0.majorVersion) at \($0.directory)" }.joined(separator: ", ")
    throw VerifyError(
      .scratch,
      "no PostgreSQL server \(major) or newer to restore into (found: \(have.isEmpty ? "none" : have)); install "
        + "postgresql-\(major), set DR_PG_BINDIR, or set verify.scratch_url to a server where scratch databases are made"
    )
  }
}
