import DRCrypto
import DRS3
import DRTestSupport
import Foundation
import Testing

/// A backup fixture whose policy encrypts with a key that `dr key generate` wrote, and
/// what the tests need around it: the key's text (which must appear nowhere dr writes),
/// the stored objects, and a way to tamper with them.
struct EncryptionFixture {
  let fixture: BackupFixture
  let keyFile: String
  /// The key file's contents.
  let keyText: String
  /// The key ID `dr key generate` printed.
  let keyID: String

  /// Four KiB segments: a dump of tens of kilobytes spans many of them.
  static let smallSegments = ["DR_ENCRYPTION_SEGMENT_SIZE": "4096"]
  static let storedSegment = 4096 + 16

  static func make(_ label: String, codec: String = "bzip2") async throws -> EncryptionFixture {
    let fixture = try await BackupFixture.make(label)
    let keyFile = "\(fixture.directory)/backup.key"
    let (keyText, keyID) = try await generate(keyFile, in: fixture)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: VerifyCommandTests.checks,
      backup: "{compression: {codec: \(codec)}, globals: true, encryption: {key_file: \(keyFile)}}")
    return EncryptionFixture(fixture: fixture, keyFile: keyFile, keyText: keyText, keyID: keyID)
  }

  /// Runs `dr key generate --output path`; returns the file's text and the printed key ID.
  static func generate(_ path: String, in fixture: BackupFixture) async throws -> (String, String) {
    let generated = try await DRBinary.run(["key", "generate", "--output", path, "--json"])
    #expect(generated.status == 0, "\(generated.combined)")
    let object = try JSONSerialization.jsonObject(with: Data(generated.standardOutput.utf8)) as? [String: Any]
    let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!generated.combined.contains(text), "dr key generate must never print the key")
    return (text, try #require(object?["key_id"] as? String))
  }

  /// `dr backup --json`; returns the backup's ID and the parsed output.
  func backup(_ environment: [String: String] = [:]) async throws -> (String, [String: Any]) {
    let result = try await fixture.run(["backup", "--json", "--verbose"], environment)
    #expect(result.status == 0, "\(result.combined)")
    expectNoSecret(in: result.combined)
    let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
    return (try #require(object["id"] as? String), object)
  }

  func key(_ id: String, _ name: String) -> String { "prefix/backup-test/backups/\(id)/\(name)" }

  func expectNoSecret(in text: String, _ secrets: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in [keyText] + secrets {
      #expect(!text.contains(secret), "a secret was written out", sourceLocation: sourceLocation)
    }
  }

  /// Every object dr wrote to the bucket (manifests, data, verification records, leases).
  func bucketObjects() async throws -> [(key: String, bytes: [UInt8])] {
    var objects: [(key: String, bytes: [UInt8])] = []
    for key in try await fixture.client.listAllObjects(bucket: fixture.bucket).map(\.key) {
      objects.append((key, try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)))
    }
    return objects
  }

  /// Fails when any stored object holds one of `needles` (text, or the key's raw bytes).
  func expectBucketHolds(none needles: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let objects = try await bucketObjects()
    #expect(objects.count >= 3, sourceLocation: sourceLocation)
    for object in objects {
      for needle in needles where Self.contains(object.bytes, needle) {
        Issue.record("\(object.key) holds a secret or plaintext it must not", sourceLocation: sourceLocation)
      }
    }
  }

  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in
      haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle)
    }
  }

  /// Replaces the stored object `name` with `transform` of it, and rewrites the manifest's
  /// size and SHA-256 of it to match, as someone who can write the bucket could: what is
  /// left to catch the change is the encryption.
  func tamper(_ id: String, _ name: String, _ transform: ([UInt8]) -> [UInt8]) async throws {
    let stored = try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key(id, name))
    let changed = transform(stored)
    #expect(changed != stored)
    try await fixture.client.putObject(bucket: fixture.bucket, key: key(id, name), body: changed)
    let manifestKey = key(id, "manifest.json")
    let data = Data(try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: manifestKey))
    var manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var objects = try #require(manifest["objects"] as? [[String: Any]])
    let index = try #require(objects.firstIndex { $0["key"] as? String == key(id, name) })
    objects[index]["size"] = changed.count
    objects[index]["sha256"] = Digest.sha256(changed).hex
    manifest["objects"] = objects
    try await fixture.client.putObject(
      bucket: fixture.bucket, key: manifestKey, body: Array(try JSONSerialization.data(withJSONObject: manifest)))
  }
}
