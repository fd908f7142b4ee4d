import DRTestSupport
import Foundation
import Testing

/// Against the real PostgreSQL that scripts/services starts.
struct FingerprintTests {
  @Test func fingerprintIsStable() async throws {
    try await withHardDatabase { hard in
      let first = try await DatabaseFingerprint.take(hard.url)
      let second = try await DatabaseFingerprint.take(hard.url)
      #expect(first.differences(from: second) == [])
      #expect(first == second)
    }
  }

  @Test func changedRowIsNamed() async throws {
    try await withHardDatabase { hard in
      let before = try await DatabaseFingerprint.take(hard.url)
      try await execute(
        hard.url, #"UPDATE "Sales Q1"."Ördér Lines" SET blob = '\x00' WHERE "Order ID" = 100 AND "Line #" = 1"#)
      let after = try await DatabaseFingerprint.take(hard.url)
      let differences = after.differences(from: before)
      #expect(differences.count == 1, "\(differences)")
      #expect(differences.first?.hasPrefix(#"changed rows "Sales Q1"."Ördér Lines": 20000 rows, md5 "#) == true)
    }
  }

  @Test func changedGrantIsNamedAndCanBeIgnored() async throws {
    try await withHardDatabase { hard in
      let before = try await DatabaseFingerprint.take(hard.url)
      try await execute(hard.url, #"GRANT INSERT ON "日本"."空のテーブル" TO "\#(hard.readerRole)""#)
      let after = try await DatabaseFingerprint.take(hard.url)
      let differences = after.differences(from: before)
      #expect(differences.count == 1, "\(differences)")
      #expect(differences.first?.hasPrefix(#"changed privileges on relation "日本"."空のテーブル": "#) == true)
      #expect(differences.first?.contains("\(hard.readerRole): INSERT (granted by postgres)") == true)
      #expect(after.differences(from: before, ignoring: [.ownership]) == [])
      let withoutOwnership = try await DatabaseFingerprint.take(hard.url, ignoring: [.ownership])
      #expect(withoutOwnership == before.ignoring([.ownership]))
    }
  }

  @Test func changedColumnGrantIsNamed() async throws {
    try await withHardDatabase { hard in
      let before = try await DatabaseFingerprint.take(hard.url)
      try await execute(hard.url, #"REVOKE UPDATE (quantity) ON "Sales Q1"."Ördér Lines" FROM "\#(hard.readerRole)""#)
      let differences = try await DatabaseFingerprint.take(hard.url).differences(from: before)
      #expect(
        differences == [
          #"missing privileges on column "Sales Q1"."Ördér Lines".quantity (was "#
            + "\(hard.readerRole): UPDATE (granted by \(hard.ownerRole)))"
        ])
    }
  }

  @Test func changedSequenceIsNamed() async throws {
    try await withHardDatabase { hard in
      let before = try await DatabaseFingerprint.take(hard.url)
      try await execute(hard.url, #"SELECT nextval('"Sales Q1"."Not Called"')"#)
      let differences = try await DatabaseFingerprint.take(hard.url).differences(from: before)
      #expect(
        differences == [
          #"changed value of sequence "Sales Q1"."Not Called": last value 1, called f → last value 1, called t"#
        ])
    }
  }
}
