import DRCrypto
import DRPolicy
import Foundation

@testable import DRBackup

/// Key files in a directory of their own, and manifests to open with them.
struct KeyFixture {
  let directory = TemporaryDirectoryPath.make("dr-keys")

  func path(_ name: String) -> String { "\(directory)/\(name)" }

  /// Writes `contents` to `name`, mode 0600, and returns its path.
  @discardableResult
  func write(_ name: String, _ contents: [UInt8]) throws -> String {
    try Data(contents).write(to: URL(fileURLWithPath: path(name)))
    chmod(path(name), 0o600)
    return path(name)
  }

  func write(_ name: String, text: String) throws -> String { try write(name, Array(text.utf8)) }

  /// A new key file made by `dr key generate`'s code; returns its path and key ID.
  func generate(_ name: String) throws -> (path: String, id: String) {
    (path(name), try KeyFile.generate(at: path(name)))
  }

  func ring(_ source: EncryptionSettings.KeySource, decryptionKeys: [String] = []) -> KeyRing {
    KeyRing(
      current: source,
      candidates: KeyRing.candidates(
        EncryptionSettings(source: source, decryptionKeys: decryptionKeys), prefix: "backup.encryption."))
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }

  static let id = BackupID("20261124T221900Z-7f3a")!

  /// A manifest of one dump object encrypted with `key` (its salt from `newObject`).
  static func manifest(_ key: BackupKey?) -> BackupManifest {
    let sealing = key?.newObject(named: "dump.pgc.bz2.enc")
    return BackupManifest(
      formatVersion: 1, id: id, policy: "t", tool: .init(name: "dr", version: "test"),
      database: .init(name: "d", user: "u", hosts: "h", serverVersion: "15.1", serverVersionNum: 150_001, sizeBytes: 1),
      pgDump: .init(path: "/pg_dump", version: "15.1"), startedAt: Date(timeIntervalSince1970: 1_800_000_000),
      finishedAt: Date(timeIntervalSince1970: 1_800_000_060),
      objects: [
        .init(
          role: .dump, key: "p/t/backups/\(id)/dump.pgc.bz2.enc", size: 10, sha256: "", etag: "", parts: 1,
          partSize: 10,
          compression: .init(codec: "bzip2", level: 9, chunkSize: 100, uncompressedSize: 10, streamLengths: [10]),
          encryption: sealing.map { .init(salt: $0.salt, plaintextSize: 10) })
      ],
      encryption: key?.encryption, globals: .init(included: false, rolePasswords: false),
      rowCounts: .init(mode: "off", tables: []))
  }
}

enum TemporaryDirectoryPath {
  static func make(_ prefix: String) -> String {
    let path = NSTemporaryDirectory() + "/\(prefix)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
