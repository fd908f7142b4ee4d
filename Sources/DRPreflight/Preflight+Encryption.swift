import DRBackup
import DRCrypto
import DRFailover
import DRPolicy

extension Preflight {
  /// `dr check`: the key of new backups can be read and is a key (or a long enough
  /// passphrase); nil when the policy does not encrypt. Never shows the key.
  func checkEncryption() -> PreflightReport.Check? {
    do {
      guard let (label, current) = try KeyRing(policy: policy).loadCurrent() else { return nil }
      switch current {
      case .key(let key): return .init("encryption", .ok, "\(label): key ID \(key.id)")
      case .passphrase: return .init("encryption", .ok, "\(label): a passphrase, stretched with scrypt per backup")
      }
    } catch {
      return .init("encryption", .failed, "\(error)")
    }
  }
}

extension EnvironmentPreflight {
  /// `dr check --env`: a key this environment has opens the latest good backup, so the
  /// failover will not stop at the restore for want of it.
  func checkKeys(_ context: FailoverContext, _ manifest: BackupManifest) async -> PreflightReport.Check {
    do {
      let key = try await context.keys.unlock(manifest)
      return .init(
        "encryption", .ok,
        "a key of this environment opens \(manifest.id) (\(key.map(\.description) ?? "not encrypted"))")
    } catch {
      return .init("encryption", .failed, "\(error)")
    }
  }
}
