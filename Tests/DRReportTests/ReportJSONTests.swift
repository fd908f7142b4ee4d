import DRBackup
import DRReport
import Foundation
import Testing

extension ReportTests {
  /// `ReportRenderer.json`.
  @Suite struct JSON {
    static func parse(_ data: ReportData) throws -> [String: Any] {
      let object = try JSONSerialization.jsonObject(with: Data(ReportRenderer.json(data).utf8))
      return try #require(object as? [String: Any])
    }

    /// Every key in the tree.
    static func keys(_ value: Any) -> [String] {
      if let object = value as? [String: Any] { return object.keys + object.values.flatMap(keys) }
      if let array = value as? [Any] { return array.flatMap(keys) }
      return []
    }

    @Test func topLevelKeys() throws {
      let root = try Self.parse(report())
      #expect(
        Set(root.keys) == [
          "backups", "counts", "drills", "failures", "format_version", "generated_at", "latest_verified",
          "max_age_seconds", "policy", "since", "trends",
        ])
      #expect(root["generated_at"] as? String == "2026-11-25T12:00:00.000Z")
      #expect(root["policy"] as? String == "orders")
      #expect(root["max_age_seconds"] as? Double == 93_600)
      #expect(root["since"] is NSNull)
    }

    @Test func latestVerified() throws {
      let latest = try #require(try Self.parse(report())["latest_verified"] as? [String: Any])
      #expect(latest["id"] as? String == "20261122T020000Z-00a1")
      #expect(latest["age_seconds"] as? Double == 295_200.0)
      #expect(latest["stale"] as? Bool == true)
      #expect(latest["state"] as? String == "stale")
      let fresh = try #require(try Self.parse(report(maxAge: nil))["latest_verified"] as? [String: Any])
      #expect(fresh["stale"] as? Bool == false)
    }

    @Test func backupsWithTheirVerifications() throws {
      let backups = try #require(try Self.parse(report())["backups"] as? [[String: Any]])
      #expect(backups.count == 6)
      #expect(
        backups.map { $0["status"] as? String } == ["incomplete", "unverified", "failed", "passed", "failed", "passed"])
      let twice = backups[3]
      #expect(twice["id"] as? String == "20261122T020000Z-00a1")
      #expect(twice["size_bytes"] as? Int == Int(gib + gib / 10))
      let verifications = try #require(twice["verifications"] as? [[String: Any]])
      #expect(verifications.map { $0["outcome"] as? String } == ["passed", "failed"])
      #expect(verifications[0]["restore_seconds"] as? Double == 660)
      let phases = try #require(verifications[0]["phases"] as? [String: Any])
      #expect(phases["download"] as? Double == 60)
      #expect(backups[0]["finished_at"] is NSNull)
    }

    @Test func failuresAndTrends() throws {
      let root = try Self.parse(report())
      let failures = try #require(root["failures"] as? [[String: Any]])
      #expect(failures.map { $0["kind"] as? String } == ["unknown", "restore", "row_count", "check"])
      #expect(failures[3]["detail"] as? String == hostileDetail)
      #expect(failures[3]["backup"] as? String == "20261121T020000Z-00a1")
      let trends = try #require(root["trends"] as? [String: Any])
      #expect((trends["backup_size_bytes"] as? [Any])?.count == 5)
      #expect((trends["restore_seconds"] as? [[String: Any]])?.map { $0["value"] as? Double } == [600, 660, 720])
      let counts = try #require(root["counts"] as? [String: Int])
      #expect(
        counts == ["backups": 6, "verified": 2, "failed": 2, "unverified": 1, "incomplete": 1, "verifications": 6])
    }

    @Test func stableSortedSnakeCase() throws {
      let text = ReportRenderer.json(report())
      #expect(text == ReportRenderer.json(report()))
      let keys = Self.keys(try Self.parse(report()))
      #expect(keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } })
      let order = ["backups", "counts", "drills", "failures", "generated_at", "latest_verified", "trends"]
        .map { "\n  \"\($0)\" :" }
      let positions = try order.map { try #require(text.range(of: $0)).lowerBound }
      #expect(positions == positions.sorted())
    }

    @Test func emptyHasEveryKey() throws {
      let root = try Self.parse(empty)
      #expect((root["backups"] as? [Any])?.isEmpty == true)
      let latest = try #require(root["latest_verified"] as? [String: Any])
      #expect(latest["id"] is NSNull)
      #expect(latest["age_seconds"] is NSNull)
      #expect(latest["stale"] as? Bool == true)
      #expect(latest["state"] as? String == "none")
    }

    @Test func drills() throws {
      let data = report(drills: [ReportDrill(date: date("2026-11-24 10:00"), rtoSeconds: 1_500.25)])
      let drills = try #require(try Self.parse(data)["drills"] as? [[String: Any]])
      #expect(drills.count == 1)
      #expect(drills[0]["rto_seconds"] as? Double == 1_500.25)
      #expect(drills[0]["at"] as? String == "2026-11-24T10:00:00.000Z")
    }
  }
}
