import DRBackup
import DRCore
import DRLease
import Foundation
import Testing

/// `lock.json` stays readable both ways between versions (an older dr may run beside a
/// newer one during an upgrade), and the lease's lifetime override is bounded.
struct BackupLeaseRecordTests {
  static let older = """
    {
      "acquired_at" : "2026-11-24T22:19:00.123Z",
      "backup" : "20261124T221900Z-7f3a",
      "expires_at" : "2026-11-24T22:29:00.123Z",
      "host" : "db-1",
      "pid" : 4242
    }
    """

  @Test func aLockOfAnOlderVersionReadsAndTheNewOneHasTheSameKeys() throws {
    let holder = try LeaseJSON.decode(BackupLease.Holder.self, from: Array(Self.older.utf8))
    #expect(holder.backup.rawValue == "20261124T221900Z-7f3a")
    #expect(holder.host == "db-1" && holder.pid == 4242)
    #expect(holder.expiresAt.timeIntervalSince(holder.acquiredAt) == 600)
    // What a newer dr writes is what an older one wrote, byte for byte, so it reads it.
    #expect(String(decoding: try LeaseJSON.encode(holder), as: UTF8.self) == Self.older)
    #expect(try BucketJSON.decoder.decode(BackupLease.Holder.self, from: Data(try LeaseJSON.encode(holder))) == holder)
  }

  @Test func theLeaseLifetimeDefaultsToTenMinutesAndIsBounded() throws {
    #expect(try BackupLease.ttl(environment: [:]) == 600)
    #expect(try BackupLease.ttl(environment: ["DR_BACKUP_LEASE_TTL_SECONDS": "6"]) == 6)
    for text in ["2", "3601", "ten", "", "-5", "nan"] {
      let error = #expect(throws: BackupError.self) {
        _ = try BackupLease.ttl(environment: ["DR_BACKUP_LEASE_TTL_SECONDS": text])
      }
      #expect(error?.code == .invalid)
      #expect(error?.message.contains("from 3 to 3600") == true, "\(String(describing: error))")
    }
  }
}
