import DRCore
import DRCrypto
import DRPolicy
import Foundation
import Testing

@testable import DRBackup

/// The manifest's `encryption` blocks: written as documented, read back, and manifests
/// written before encryption existed still read.
struct ManifestEncryptionTests {
  /// A manifest as dr wrote it before encryption (format 1, no encryption keys).
  static let older = """
    {
      "database" : {"hosts" : "127.0.0.1:5432", "name" : "summit", "server_version" : "15.18",
        "server_version_num" : 150018, "size_bytes" : 14548327, "user" : "dr"},
      "finished_at" : "2026-11-25T18:10:53.034Z", "format_version" : 1,
      "globals" : {"included" : false, "role_passwords" : false},
      "id" : "20261125T181052Z-0b5d",
      "objects" : [{
        "compression" : {"chunk_size" : 4500000, "codec" : "bzip2", "level" : 9, "stream_lengths" : [1997216],
          "uncompressed_size" : 4390137},
        "etag" : "\\"892292236eab6ac00ce523d39cb65b72\\"", "key" : "summit/backups/20261125T181052Z-0b5d/dump.pgc.bz2",
        "part_size" : 8388608, "parts" : 1, "role" : "dump", "sha256" : "dc1f", "size" : 1997216}],
      "pg_dump" : {"path" : "/usr/lib/postgresql/15/bin/pg_dump", "version" : "15.18"},
      "policy" : "summit",
      "row_counts" : {"mode" : "exact", "tables" : []},
      "started_at" : "2026-11-25T18:10:52.100Z",
      "tool" : {"name" : "dr", "version" : "0.1.0"}
    }
    """

  @Test func aManifestWrittenBeforeEncryptionStillReads() throws {
    let manifest = try BucketJSON.decoder.decode(BackupManifest.self, from: Data(Self.older.utf8))
    #expect(manifest.encryption == nil)
    #expect(manifest.object(.dump)?.encryption == nil)
    #expect(manifest.object(.dump)?.compression.streamLengths == [1_997_216])
  }

  @Test func theEncryptionBlocksAreWrittenAsDocumentedAndReadBack() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let ring = keys.ring(.passphrase(.init("correct horse battery staple")))
    let manifest = KeyFixture.manifest(try await ring.sealing(backup: KeyFixture.id))
    let data = try BucketJSON.encoder.encode(manifest)
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let block = try #require(json["encryption"] as? [String: Any])
    #expect(block["scheme"] as? String == "aes-256-gcm-segmented-v1")
    #expect(block["key_id"] as? String == manifest.encryption?.keyID)
    #expect(block["segment_size"] as? Int == 1 << 20)
    #expect(block["nonce"] as? String == "hkdf-sha256-object-key+segment-index")
    let kdf = try #require(block["kdf"] as? [String: Any])
    #expect(kdf["name"] as? String == "scrypt" && kdf["n"] as? Int == 131_072 && kdf["r"] as? Int == 8)
    let object = try #require((json["objects"] as? [[String: Any]])?.first?["encryption"] as? [String: Any])
    #expect((object["salt"] as? String)?.count == 64)
    #expect(object["plaintext_size"] as? Int == 10)
    #expect(try BucketJSON.decoder.decode(BackupManifest.self, from: data) == manifest)
  }

  @Test func anObjectWithoutItsSaltIsRefused() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let ring = keys.ring(.keyFile(try keys.generate("k").path))
    var manifest = KeyFixture.manifest(try await ring.sealing(backup: KeyFixture.id))
    manifest.objects[0].encryption = nil
    let error = await #expect(throws: BackupError.self) { try await ring.unlock(manifest) }
    #expect(error?.message.contains("gives p/t/backups/\(KeyFixture.id)/dump.pgc.bz2.enc no key salt") == true)
  }

  @Test func anUnknownSchemeIsRefused() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let ring = keys.ring(.keyFile(try keys.generate("k").path))
    var manifest = KeyFixture.manifest(try await ring.sealing(backup: KeyFixture.id))
    manifest.encryption?.scheme = "chacha20-poly1305-v9"
    let error = await #expect(throws: BackupError.self) { try await ring.unlock(manifest) }
    #expect(error?.message.contains("chacha20-poly1305-v9, unknown to this dr") == true)
  }
}
