import DRBackup
import DRFailover
import DRPolicy
import DRStorage
import Foundation

extension EnvironmentPreflight {
  /// When the environment reads a copy (its own storage), the copy must hold production's
  /// newest complete backup. Production may be unreachable (as in a real failover, or
  /// from a host without its credentials): then the copy is not compared, and it says so.
  func checkCopy(_ context: FailoverContext, into report: inout PreflightReport) async {
    let production = policy.productionStorage
    guard production.location != context.storage.location else { return }
    let copied = try? await context.catalogue.entries().first { $0.complete }
    let newest: BackupEntry?
    do {
      let storage = try await StorageConnector(environment: variables).connect(production)
      let catalogue = Catalogue(storage: storage, policyName: policy.name)
      newest = try await catalogue.entries().first { $0.complete }
    } catch {
      report.checks.append(.init("copy", .skipped, "production's storage is not readable from here: \(error)"))
      return
    }
    guard let newest else {
      return report.checks.append(.init("copy", .ok, "production has no complete backup to compare with"))
    }
    guard let copied, copied.id >= newest.id else {
      let have = copied.map { "its newest is \($0.id)" } ?? "it has none"
      return report.checks.append(
        .init(
          "copy", .failed,
          "the copy in \(context.storage.location) lacks production's newest backup \(newest.id) (\(have)): "
            + "run dr copy --to \(environmentName) --policy \(policy.name)"))
    }
    report.checks.append(
      .init("copy", .ok, "\(context.storage.location) holds production's newest backup \(newest.id)"))
  }
}
