import DRBackup
import DRPolicy
import DRPostgres
import Logging

extension TargetRestore {
  /// `--dry-run` of a partial restore: what would be restored, what exists already (which
  /// stops it), what would be left out. Reads the dump's TOC and the target's catalogue.
  func partialFindings(
    _ manifest: BackupManifest, target: PostgresURL, database: TargetDatabase, request: PartialRequest, noOwner: Bool
  ) async throws -> [TargetFinding] {
    let key: BackupKey?
    do {
      key = try await keys.unlock(manifest, logger: logger)
    } catch {
      return [TargetFinding("objects", .fail, "the dump's table of contents cannot be read without its key")]
    }
    let setup = try await planPartial(manifest, key: key, target: target, database: database, request: request)
    let restored = setup.plan.entries.filter { !PartialPlan.settingKinds.contains($0.desc) }.map(\.described)
    var findings = [
      TargetFinding(
        "objects", .ok,
        "would restore \(restored.count) objects"
          + (setup.targetExists ? " into the existing database" : " into a new database") + ": "
          + restored.joined(separator: ", "))
    ]
    let conflicts = setup.conflicts
    findings.append(
      conflicts.isEmpty
        ? TargetFinding("exists", .ok, "none of them exists in the target")
        : TargetFinding(
          "exists", .fail, "exist already in the target: \(conflicts.joined(separator: ", "))",
          fix: "restore into another database, or beside them with --into-schema NAME"))
    if !setup.plan.reused.isEmpty {
      findings.append(
        TargetFinding(
          "reused", .ok,
          "the target has, and the restore would use: "
            + setup.plan.reused.map(\.described).joined(separator: ", ")))
    }
    findings.append(
      noOwner || setup.missingOwners.isEmpty
        ? TargetFinding(
          "owners", .ok,
          noOwner
            ? "--no-owner: the connecting role owns what is restored"
            : "the restored objects' owners exist on the target")
        : TargetFinding(
          "owners", .fail,
          "the restored objects are owned by \(setup.missingOwners.joined(separator: ", ")), which the target lacks (a partial restore creates no roles)",
          fix: "create those roles on the target, or add --no-owner"))
    for leftOut in setup.plan.leftOut { findings.append(TargetFinding("left_out", .warn, leftOut.message)) }
    return findings
  }
}
