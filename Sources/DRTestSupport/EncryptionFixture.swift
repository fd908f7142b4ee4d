import DRCrypto
import DRS3
import Foundation

/// A backup fixture whose policy encrypts with a key that `dr key generate` wrote, and
/// what the tests need around it: the key's text (which must appear nowhere dr writes),
/// the stored objects, and a way to tamper with them.
public struct EncryptionFixture: Sendable {
  public let fixture: BackupFixture
  public let keyFile: String
  /// The key file's contents.
  public let keyText: String
  /// The key ID `dr key generate` printed.
  public let keyID: String

  /// Four KiB segments: a dump of tens of kilobytes spans many of them.
  public static let smallSegments = ["DR_ENCRYPTION_SEGMENT_SIZE": "4096"]
  public static let storedSegment = 4096 + 16

  public static func make(_ label: String, codec: String = "bzip2") async throws -> EncryptionFixture {
    let fixture = try await BackupFixture.make(label)
    let keyFile = "\(fixture.directory)/backup.key"
    let (keyText, keyID) = try await generate(keyFile)
    try fixture.writePolicy(
      endpoint: try TestServices.s3Endpoint(), extra: BackupFixture.ordersCheck,
      backup: "{compression: {codec: \(codec)}, globals: true, encryption: {key_file: \(keyFile)}}")
    return EncryptionFixture(fixture: fixture, keyFile: keyFile, keyText: keyText, keyID: keyID)
  }

  /// Runs `dr key generate --output path`, which must succeed without printing the key;
  /// returns the file's text and the printed key ID.
  public static func generate(_ path: String) async throws -> (String, String) {
    let generated = try await DRBinary.run(["key", "generate", "--output", path, "--json"])
    guard generated.status == 0 else { throw TestSupportError("dr key generate failed: \(generated.combined)") }
    let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !generated.combined.contains(text) else { throw TestSupportError("dr key generate printed the key") }
    guard let keyID = try generated.jsonObject()["key_id"] as? String else {
      throw TestSupportError("dr key generate printed no key_id: \(generated.standardOutput)")
    }
    return (text, keyID)
  }

  /// `dr backup --json --verbose`, which must succeed without printing the key; returns
  /// the backup's ID and the parsed output.
  public func backup(_ environment: [String: String] = [:]) async throws -> (String, [String: Any]) {
    let result = try await fixture.run(["backup", "--json", "--verbose"], environment)
    let id = try BackupFixture.backupID(of: result)
    guard !result.combined.contains(keyText) else { throw TestSupportError("dr backup printed the key") }
    return (id, try result.jsonObject())
  }

  /// Every object dr wrote to the bucket (manifests, data, verification records, leases).
  public func bucketObjects() async throws -> [(key: String, bytes: [UInt8])] {
    var objects: [(key: String, bytes: [UInt8])] = []
    for key in try await fixture.client.listAllObjects(bucket: fixture.bucket).map(\.key) {
      objects.append((key, try await fixture.client.getObjectBytes(bucket: fixture.bucket, key: key)))
    }
    return objects
  }

  public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in
      haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle)
    }
  }

  /// Replaces the stored object `name` with `transform` of it (which must change it), and
  /// rewrites the manifest's size and SHA-256 of it to match, as someone who can write the
  /// bucket could: what is left to catch the change is the encryption.
  public func tamper(_ id: String, _ name: String, _ transform: ([UInt8]) -> [UInt8]) async throws {
    let key = try fixture.key(id, name)
    let stored = try await fixture.object(key)
    let changed = transform(stored)
    guard changed != stored else { throw TestSupportError("tampering left \(key) as it was") }
    try await fixture.replace(key, with: changed)
    let manifestKey = try fixture.manifestKey(id)
    let data = Data(try await fixture.object(manifestKey))
    guard var manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      var objects = manifest["objects"] as? [[String: Any]],
      let index = objects.firstIndex(where: { $0["key"] as? String == key })
    else { throw TestSupportError("the manifest of \(id) does not list \(key)") }
    objects[index]["size"] = changed.count
    objects[index]["sha256"] = Digest.sha256(changed).hex
    manifest["objects"] = objects
    try await fixture.replace(manifestKey, with: Array(try JSONSerialization.data(withJSONObject: manifest)))
  }
}
