import DRBackup
import DRPolicy

extension Preflight {
  /// `dr check`: the compression a backup would use now, with its bzip2 encoder (the lbzip2
  /// on PATH, or libbz2); failed when the policy requires lbzip2 and none is on PATH.
  func checkCompression() -> PreflightReport.Check {
    do {
      return .init("compression", .ok, "\(try BackupCompression(policy.backup.compression, environment: environment))")
    } catch {
      return .init("compression", .failed, "\(error)")
    }
  }
}
