import DRBackup
import DRRestore
import Testing

/// Which backup `latest` means for a restore or a failover, when some backups could not be
/// read: never one whose state is a guess.
struct BackupSelectionTests {
  static func entry(_ id: String, _ state: BackupState, verification: String = "none") -> BackupEntry {
    BackupEntry(
      id: BackupID(id)!, state: state, verification: verification,
      verificationUnknownReason: verification == "unknown" ? "503" : nil, sizeBytes: 1, manifest: nil,
      lastVerification: nil)
  }

  @Test func aNewerUnreadableBackupIsNamedAndTheNewestVerifiedOneChosen() throws {
    let entries = [
      Self.entry("20261124T120000Z-0003", .unknown("could not be read: 403 AccessDenied")),
      Self.entry("20261124T110000Z-0002", .complete),
      Self.entry("20261124T100000Z-0001", .complete, verification: "passed"),
    ]
    let (id, warnings) = try BackupSelection.latest.forRestore(entries)
    #expect(id.rawValue == "20261124T100000Z-0001")
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("20261124T120000Z-0003 is newer but could not be read") == true)
    #expect(warnings.first?.contains("403 AccessDenied") == true)
  }

  @Test func aBackupWhoseVerificationCannotBeReadIsNeverTheDefault() throws {
    let entries = [
      Self.entry("20261124T120000Z-0003", .complete, verification: "unknown"),
      Self.entry("20261124T110000Z-0002", .complete),
    ]
    let (id, warnings) = try BackupSelection.latest.forRestore(entries)
    #expect(id.rawValue == "20261124T110000Z-0002")
    #expect(warnings.contains { $0.contains("no backup has passed a verification") })
    #expect(warnings.contains { $0.contains("20261124T120000Z-0003 is newer but could not be read") })
  }

  @Test func nothingReadableIsAnErrorThatSaysWhy() {
    let entries = [
      Self.entry("20261124T120000Z-0003", .unknown("was written by a newer dr (manifest format 99)")),
      Self.entry("20261124T110000Z-0002", .complete, verification: "failed"),
    ]
    #expect {
      _ = try BackupSelection.latest.forRestore(entries)
    } throws: { error in
      let text = "\(error)"
      return text.contains("failed their verification") && text.contains("1 backup(s) could not be read")
        && text.contains("newer dr") && text.contains("--backup ID")
    }
  }

  @Test func anExplicitIDIsTakenAsGivenWhenTheBucketHasIt() throws {
    let entries = [Self.entry("20261124T120000Z-0003", .incomplete)]
    let (id, warnings) = try BackupSelection.id(BackupID("20261124T120000Z-0003")!).forRestore(entries)
    #expect(id.rawValue == "20261124T120000Z-0003")
    #expect(warnings.isEmpty)
  }

  /// A mistyped ID: said plainly (nothing is recorded against a backup that is not there).
  @Test func anIDTheBucketDoesNotHaveIsNoSuchBackup() {
    let entries = [Self.entry("20261124T110000Z-0002", .complete)]
    for selection in [BackupSelection.id(BackupID("20261124T120000Z-0003")!)] {
      #expect {
        _ = try selection.forVerification(entries)
      } throws: {
        "\($0)".contains("no such backup: 20261124T120000Z-0003") && "\($0)".contains("20261124T110000Z-0002")
      }
      #expect {
        _ = try selection.forRestore(entries)
      } throws: { "\($0)".contains("no such backup") }
    }
  }
}
