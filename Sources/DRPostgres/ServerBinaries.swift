import DRCore
import Foundation

/// The PostgreSQL server programs of one installation (initdb, pg_ctl, postgres) and its
/// client programs (pg_restore, psql), for a cluster of dr's own (a verification's scratch
/// cluster, a failover's).
public struct ServerBinaries: Sendable, Equatable {
  public let directory: String
  public let majorVersion: Int

  public init(directory: String, majorVersion: Int) {
    self.directory = directory
    self.majorVersion = majorVersion
  }

  public func path(_ program: String) -> String { "\(directory)/\(program)" }

  /// The installation closest to `major` among those at least as new (a newer server
  /// restores an older dump; an older one may not), found as `PGToolLocator` finds every
  /// program: by its `initdb`.
  public static func locate(forMajor major: Int, environment: [String: String]) async throws -> ServerBinaries {
    let initdb = try await PGToolLocator(environment: environment).locate("initdb", forServerMajor: major)
    return ServerBinaries(directory: initdb.directory, majorVersion: initdb.majorVersion)
  }
}
