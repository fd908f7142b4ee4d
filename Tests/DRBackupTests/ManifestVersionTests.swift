import DRCore
import Foundation
import Testing

@testable import DRBackup

/// The dump's major version, which decides what may restore it: pg_dump's, recorded as
/// `pg_dump.major_version`, read from `pg_dump.version` in older manifests, never below the
/// server's.
struct ManifestVersionTests {
  static func manifest(server: Int, pgDump: String, major: Int?) throws -> BackupManifest {
    var json = ManifestEncryptionTests.older
      .replacingOccurrences(of: "\"server_version_num\" : 150018", with: "\"server_version_num\" : \(server)")
      .replacingOccurrences(of: "\"version\" : \"15.18\"}", with: "\"version\" : \"\(pgDump)\"}")
    if let major {
      json = json.replacingOccurrences(
        of: "\"version\" : \"\(pgDump)\"}", with: "\"version\" : \"\(pgDump)\", \"major_version\" : \(major)}")
    }
    return try BucketJSON.decoder.decode(BackupManifest.self, from: Data(json.utf8))
  }

  @Test(arguments: [
    (150_018, "15.18", Optional<Int>.none, 15),  // an older manifest: from the version text
    (150_018, "17.10", Optional(17), 17),  // a 15 server dumped by pg_dump 17: a dump of 17
    (170_010, "18.6", Optional<Int>.none, 18),
    (180_001, "18", Optional(18), 18),  // a version without a minor
    (170_002, "", Optional<Int>.none, 17),  // no version text: the server's
  ])
  func theDumpsMajorIsPgDumpsNeverBelowTheServers(server: Int, pgDump: String, major: Int?, expected: Int) throws {
    let manifest = try Self.manifest(server: server, pgDump: pgDump, major: major)
    #expect(manifest.dumpMajor == expected)
    #expect(manifest.serverMajor == server / 10_000)
    #expect(manifest.pgDump.majorVersion == major)
  }

  @Test func theMajorIsWrittenAsMajorVersion() throws {
    var manifest = try Self.manifest(server: 150_018, pgDump: "17.10", major: nil)
    manifest.pgDump.majorVersion = 17
    let json = try JSONSerialization.jsonObject(with: try BucketJSON.encoder.encode(manifest)) as? [String: Any]
    #expect((json?["pg_dump"] as? [String: Any])?["major_version"] as? Int == 17)
  }
}
