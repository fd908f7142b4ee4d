import DRCore
import DRTestSupport
import Foundation
import Testing

/// Row counts come from the dump's own archive; when it cannot be counted, from `count(*)`
/// in the dump's snapshot, never a guess.
struct RowCountFallbackTests {
  /// A pg_dump that compresses its archive (its own --compress after dr's): the counter
  /// cannot read its data blocks, so every table is counted in the snapshot, and says so.
  @Test func anArchiveThatCannotBeCountedIsCountedInItsSnapshot() async throws {
    let fixture = try await BackupFixture.make("rowfallback")
    let bindir = try TestServices.require("DR_TEST_PG_BINDIR")
    let wrapper = TemporaryDirectory.unique("dr-compressing-pg-dump")
    try "#!/bin/sh\nexec '\(bindir)/pg_dump' \"$@\" --compress=5\n".write(
      toFile: "\(wrapper)/pg_dump", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(wrapper)/pg_dump")
    try FileManager.default.createSymbolicLink(
      atPath: "\(wrapper)/pg_dumpall", withDestinationPath: "\(bindir)/pg_dumpall")
    defer { try? FileManager.default.removeItem(atPath: wrapper) }

    let result = try await fixture.run(["backup", "--json"], ["DR_PG_BINDIR": wrapper])
    #expect(result.status == 0, "\(result.combined)")
    #expect(
      result.standardError.contains(
        "the rows cannot be counted in the dump (the archive's data is compressed): counting every table in its "
          + "snapshot instead"), "\(result.standardError)")
    let id = try #require(try result.jsonObject()["id"] as? String)
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(try await fixture.object(try fixture.manifestKey(id))))
        as? [String: Any])
    let counts = try #require((manifest["row_counts"] as? [String: Any])?["tables"] as? [[String: Any]])
    #expect(counts.count == 6)
    #expect(counts.first { $0["table"] as? String == "orders" }?["rows"] as? Int == 2000)

    // The same database dumped by the stock pg_dump: counted in its archive, same counts.
    let counted = try await fixture.run(["backup", "--json"])
    #expect(counted.status == 0, "\(counted.combined)")
    #expect(!counted.standardError.contains("cannot be counted"), "\(counted.standardError)")
    let second = try #require(try counted.jsonObject()["id"] as? String)
    let again = try #require(
      try JSONSerialization.jsonObject(with: Data(try await fixture.object(try fixture.manifestKey(second))))
        as? [String: Any])
    let recounted = try #require((again["row_counts"] as? [String: Any])?["tables"] as? [[String: Any]])
    #expect(
      recounted.map { "\($0["schema"] ?? "").\($0["table"] ?? ""):\($0["rows"] ?? "")" }
        == counts.map { "\($0["schema"] ?? "").\($0["table"] ?? ""):\($0["rows"] ?? "")" })
    await fixture.remove()
  }
}
