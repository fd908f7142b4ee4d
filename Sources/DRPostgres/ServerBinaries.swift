import DRCore
import Foundation
import Logging

/// The PostgreSQL server programs of one installation (initdb, pg_ctl, postgres) and its
/// client programs (pg_restore, psql), for a cluster of dr's own (a verification's scratch
/// cluster, a failover's).
public struct ServerBinaries: Sendable, Equatable {
  public let directory: String
  public let majorVersion: Int
  /// initdb's version (`17.10`).
  public let version: String

  public init(directory: String, majorVersion: Int, version: String = "") {
    self.directory = directory
    self.majorVersion = majorVersion
    self.version = version.isEmpty ? "\(majorVersion)" : version
  }

  public func path(_ program: String) -> String { "\(directory)/\(program)" }

  /// What a cluster runs and restores with; an installation lacking one is passed over.
  public static let programs = ["pg_ctl", "postgres", "pg_restore", "psql"]

  /// The installation closest to `major` among those at least as new (a newer server
  /// restores an older dump; an older one may not), found as `PGToolLocator` finds every
  /// program: by its `initdb`, with the other programs beside it.
  public static func locate(forMajor major: Int, environment: [String: String], logger: Logger? = nil) async throws
    -> ServerBinaries
  {
    try await choose(forMajor: major, environment: environment, logger: logger).binaries
  }

  /// As `locate`, with what else was found; logged (at debug: `--verbose`) when `logger`.
  public static func choose(forMajor major: Int, environment: [String: String], logger: Logger? = nil) async throws
    -> (binaries: ServerBinaries, choice: PGToolChoice)
  {
    let choice = try await PGToolLocator(environment: environment).choose(
      "initdb", forMajor: major, siblings: programs)
    logger?.debug("server programs: \(choice)")
    let binaries = ServerBinaries(
      directory: choice.tool.directory, majorVersion: choice.tool.majorVersion, version: choice.tool.version)
    return (binaries, choice)
  }
}
