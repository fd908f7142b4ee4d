import DRCore
import DRCrypto
import DRPolicy
import Foundation
import Testing

@testable import DRBackup

/// Key files: the forms they may take, `dr key generate`, and contents never shown.
struct KeyFileTests {
  static let bytes: [UInt8] = Array(100..<132)

  @Test(arguments: [
    ("raw", bytes), ("hex", Array((bytes.hex + "\n").utf8)), ("upper hex", Array(bytes.hex.uppercased().utf8)),
    ("base64", Array((Data(bytes).base64EncodedString() + "\n").utf8)),
  ])
  func everyDocumentedFormGivesTheSameKey(_ form: String, _ contents: [UInt8]) async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let path = try keys.write(form, contents)
    let key = try await keys.ring(.keyFile(path)).sealing(backup: KeyFixture.id)
    #expect(key?.encryption.keyID == (try SymmetricKey(Self.bytes)).id, "\(form)")
    #expect(key?.encryption.kdf == nil)
  }

  @Test func aFileThatIsNotAKeyIsRefusedWithoutShowingIt() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let path = try keys.write("key", text: "hunter2-but-longer\n")
    let error = await #expect(throws: BackupError.self) {
      try await keys.ring(.keyFile(path)).sealing(backup: KeyFixture.id)
    }
    #expect(error?.code == .key)
    #expect(error?.message.contains("backup.encryption.key_file \(path) holds 19 bytes that are not a key") == true)
    #expect(error?.description.contains("hunter2") == false)
  }

  @Test func aMissingKeyFileIsNamed() async throws {
    let error = await #expect(throws: BackupError.self) {
      try await KeyFixture().ring(.keyFile("/nonexistent/dr.key")).sealing(backup: KeyFixture.id)
    }
    #expect(error?.message == "backup.encryption.key_file /nonexistent/dr.key does not exist")
  }

  @Test func generateWritesAPrivateHexKeyAndNeverOverwrites() throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let (path, id) = try keys.generate("new.key")
    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o600)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.count == 65 && text.hasSuffix("\n"))
    #expect(try SymmetricKey(KeyText.decode(text)!).id == id)
    #expect(!text.contains(id))
    let error = #expect(throws: BackupError.self) { try KeyFile.generate(at: path) }
    #expect(error?.message.contains("exists already") == true)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    #expect(try keys.generate("other.key").id != id)
  }

  @Test func generateRefusesToFollowASymlink() throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    symlink(keys.path("target"), keys.path("link"))
    #expect(throws: BackupError.self) { try KeyFile.generate(at: keys.path("link")) }
    #expect(!FileManager.default.fileExists(atPath: keys.path("target")))
  }

  @Test func aSegmentSizeOverrideIsBoundedAndRecorded() async throws {
    let keys = KeyFixture()
    defer { keys.remove() }
    let ring = keys.ring(.keyFile(try keys.generate("k").path))
    let small = try await ring.sealing(backup: KeyFixture.id, environment: ["DR_ENCRYPTION_SEGMENT_SIZE": "4096"])
    #expect(small?.encryption.segmentSize == 4096)
    let standard = try await ring.sealing(backup: KeyFixture.id)
    #expect(standard?.encryption.segmentSize == 1 << 20)
    await #expect(throws: BackupError.self) {
      try await ring.sealing(backup: KeyFixture.id, environment: ["DR_ENCRYPTION_SEGMENT_SIZE": "100"])
    }
  }
}
