import DRPolicy
import DRPostgres

extension Preflight {
  /// The programs a verification of this policy's dumps would run: a scratch cluster's
  /// (`verify.scratch: local`: initdb, pg_ctl, postgres, pg_restore, psql) or pg_restore and
  /// psql for `verify.scratch_url`, of the dumps' major (pg_dump's) or the closest newer one.
  func checkVerifyPrograms(dumpMajor: Int?) async -> PreflightReport.Check {
    guard let dumpMajor else { return .init("verify", .skipped, "the dumps' version is unknown (no pg_dump)") }
    do {
      switch policy.verify.scratch {
      case .local:
        let (_, choice) = try await ServerBinaries.choose(forMajor: dumpMajor, environment: environment)
        return .init(
          "verify", .ok, "PostgreSQL \(dumpMajor) dumps are verified in scratch clusters of \(choice.programs)")
      case .server:
        let choice = try await PGToolLocator(environment: environment).choose(
          "pg_restore", forMajor: dumpMajor, siblings: ["psql"])
        return .init(
          "verify", .ok, "PostgreSQL \(dumpMajor) dumps are verified on verify.scratch_url with \(choice.programs)")
      }
    } catch {
      return .init(
        "verify", .failed,
        "dumps of PostgreSQL \(dumpMajor) cannot be verified on this host: \(error)")
    }
  }
}
