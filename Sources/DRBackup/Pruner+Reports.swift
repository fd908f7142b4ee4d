import DRS3
import Foundation
import Logging

extension Pruner {
  /// What prune did, or would do, with the published reports (`dr report --publish`).
  public struct PublishedReports: Sendable, Codable, Equatable {
    public var kept: [String] = []
    /// Deleted (or, in a dry run, to be deleted).
    public var removed: [String] = []
    /// Why nothing was deleted when something could not be read: the listing failed, or a
    /// key is not a report dr writes. The prune then fails.
    public var problems: [String] = []
  }

  /// Applies the retention rule to the published reports. A listing that fails, or any key
  /// that is not a report dr writes, keeps every report and is a problem (exit 1); a report
  /// that cannot be deleted is one too.
  func pruneReports(dryRun: Bool) async -> PublishedReports {
    let prefix = catalogue.layout.reportsPrefix
    let keys: [String]
    do {
      keys = try await catalogue.client.listAllObjects(bucket: catalogue.bucket, prefix: prefix).map(\.key)
    } catch {
      logger.warning("keeping every published report: the reports could not be listed: \(error)")
      return PublishedReports(problems: ["reports: could not be listed, every report kept: \(error)"])
    }
    let plan = ReportRetention.plan(keys: keys, prefix: prefix, rule: rule)
    var outcome = PublishedReports(kept: plan.kept, removed: plan.removed)
    if !plan.unparsed.isEmpty {
      outcome.problems = plan.unparsed.map { "\($0): not a report dr writes; every report kept" }
      for key in plan.unparsed { logger.warning("keeping every published report: \(key) is not a report dr writes") }
    }
    guard !dryRun, !plan.removed.isEmpty else { return outcome }
    do {
      let failed = try await catalogue.client.deleteObjects(bucket: catalogue.bucket, keys: plan.removed)
      let failedKeys = Set(failed.map(\.key))
      outcome.removed = plan.removed.filter { !failedKeys.contains($0) }
      outcome.kept += failed.map(\.key)
      outcome.problems += failed.map { "\($0.key): \($0.reason)" }
    } catch {
      // What a batch delete that failed as a whole did is not known: report nothing deleted.
      outcome.kept += plan.removed
      outcome.removed = []
      outcome.problems.append("reports: \(error)")
    }
    logger.info("deleted \(outcome.removed.count) published report(s)")
    return outcome
  }
}
