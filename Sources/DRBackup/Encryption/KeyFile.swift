import DRCore
import DRCrypto
import DRPolicy
import Foundation

/// Key and passphrase files. A key file holds 32 bytes: raw, as 64 hex digits, or as
/// base64 (`dr key generate` writes hex and a newline). A passphrase file holds the
/// passphrase; one trailing newline is not part of it. Contents are never printed: errors
/// name the file and what was expected, and what is read is registered as a secret.
public enum KeyFile {
  /// The file's bytes. `label` says where the path came from (`key_file /etc/dr/key`).
  static func read(_ path: String, label: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "does not exist"
      throw BackupError(.key, "\(label) \(reason)")
    }
    let bytes = Array(data)
    if let text = String(bytes: bytes, encoding: .utf8) {
      SecretRegistry.shared.register(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return bytes
  }

  /// Whether group or others may read `path`: a key file should be 0600.
  static func isLoose(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & 0o077 != 0
  }

  /// The key in `bytes`: 32 raw bytes, or `KeyText`.
  static func key(from bytes: [UInt8], label: String) throws -> SymmetricKey {
    let raw = bytes.count == SymmetricKey.size ? bytes : String(bytes: bytes, encoding: .utf8).flatMap(KeyText.decode)
    guard let raw else {
      throw BackupError(
        .key,
        "\(label) holds \(bytes.count) bytes that are not a key: expected 32 raw bytes, 64 hex digits or the base64 "
          + "of 32 bytes (dr key generate writes one; a passphrase goes in passphrase_file)")
    }
    let key = try SymmetricKey(raw)
    SecretRegistry.shared.register(key.hexText)
    return key
  }

  /// The passphrase in `bytes`, without one trailing newline (`\n` or `\r\n`).
  static func passphrase(from bytes: [UInt8], label: String) throws -> [UInt8] {
    var text = bytes[...]
    if text.last == UInt8(ascii: "\n") { text = text.dropLast() }
    if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
    guard !text.isEmpty else { throw BackupError(.key, "\(label) is empty: expected a passphrase") }
    SecretRegistry.shared.register(String(decoding: text, as: UTF8.self))
    return Array(text)
  }

  /// Writes a new random key to `path` as 64 hex digits and a newline, in a file created
  /// with mode 0600 that must not exist yet: overwriting a key file would lose the only
  /// way to read the backups made with it. Returns the new key's ID; never the key.
  public static func generate(at path: String) throws -> String {
    let key = SymmetricKey.random()
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      let reason =
        errno == EEXIST
        ? "exists already; dr never overwrites a key file (the backups made with it need it): choose another path"
        : String(cString: strerror(errno))
      throw BackupError(.key, "cannot create key file \(path): \(reason)")
    }
    defer { close(fd) }
    let text = Array((key.hexText + "\n").utf8)
    let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == text.count, fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(path)
      throw BackupError(.key, "cannot write key file \(path): \(reason)")
    }
    return key.id
  }
}
