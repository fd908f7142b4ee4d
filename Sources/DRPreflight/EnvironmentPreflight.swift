import DRBackup
import DRCore
import DRFailover
import DRPolicy
import DRRestore
import DRS3
import DRStorage
import Foundation

/// `dr check --env NAME`: can this environment fail over right now? With its own
/// credentials the bucket lists and the latest good manifest reads (and, encrypted, opens
/// with this environment's keys); the programs the
/// stack needs are installed in fitting versions; its ports are free; the disk can hold
/// the restore. Every failure says what to do. The outcome is recorded in the bucket
/// (the plan warns when the spare credentials have not passed for days).
public struct EnvironmentPreflight: Sendable {
  public let policy: Policy
  public let environmentName: String
  public let variables: [String: String]
  public let stateRoot: String

  public init(policy: Policy, environmentName: String, variables: [String: String], stateRoot: String) {
    self.policy = policy
    self.environmentName = environmentName
    self.variables = variables
    self.stateRoot = stateRoot
  }

  public func run() async -> PreflightReport {
    var report = PreflightReport(policy: policy.name, file: policy.file, checks: [])
    let context: FailoverContext
    do {
      context = try await FailoverContext.connect(policy: policy, environment: environmentName, variables: variables)
      _ = try await context.catalogue.client.listObjects(
        bucket: context.storage.bucket, prefix: context.storage.prefix, maxKeys: 1)
      report.checks.append(
        .init(
          "storage", .ok,
          "\(context.storage.location) lists with credentials from \(context.storage.access.credentialsSource)"))
    } catch {
      report.checks.append(.init("storage", .failed, "\(error)"))
      return report
    }
    let manifest = await latestManifest(context, into: &report)
    await checkCopy(context, into: &report)
    if let manifest, manifest.encryption != nil { report.checks.append(await checkKeys(context, manifest)) }
    if context.stack.components.contains(where: { $0.kind == .postgresql }) {
      report.checks.append(await checkServer(context, manifest: manifest))
    }
    checkPrograms(context.stack, into: &report)
    checkPorts(context.stack, into: &report)
    if let manifest { report.target = await targetFindings(context, manifest: manifest) }
    // The target's own free_space finding, where there is one, says it for the place the
    // restore writes to; the host's disk line would repeat it.
    if !(report.target ?? []).contains(where: { $0.check == "free_space" }) { checkDisk(manifest, into: &report) }
    try? await context.recordCheck(passed: report.ok)
    return report
  }

  private func latestManifest(_ context: FailoverContext, into report: inout PreflightReport) async -> BackupManifest? {
    do {
      let (id, warnings) = try BackupSelection.latest.forRestore(try await context.catalogue.entries())
      let warning = warnings.isEmpty ? nil : warnings.joined(separator: "; ")
      let manifest = try await context.catalogue.manifest(of: id)
      let age = Date().timeIntervalSince(manifest.startedAt)
      report.checks.append(
        .init(
          "backup", warning == nil ? .ok : .failed,
          "latest good \(id), \(Int(age / 3600)) h old\(warning.map { "; \($0)" } ?? "")"))
      return manifest
    } catch {
      report.checks.append(.init("backup", .failed, "\(error)"))
      return nil
    }
  }
}
