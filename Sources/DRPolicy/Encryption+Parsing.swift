import DRCore

extension EncryptionSettings {
  static let sourceKeys = ["key_file", "passphrase_file", "key", "passphrase"]

  /// `{key_file | passphrase_file | key | passphrase, decryption_keys: [...]}`: exactly one
  /// source. Inline keys and passphrases are secrets (masked wherever dr prints).
  init(_ field: Field) throws(PolicyError) {
    let map = try field.mapping(Self.sourceKeys + ["decryption_keys"])
    let given = Self.sourceKeys.filter { map.has($0) }
    guard given.count <= 1 else {
      throw field.error(
        "give one of key_file, passphrase_file, key or passphrase, not \(given.joined(separator: " and "))")
    }
    guard let name = given.first else {
      throw map.missing(
        "key_file", "the path of the key file (dr key generate writes one), or passphrase_file, key or passphrase")
    }
    source = try Self.source(name, try map.required(name, "a value"))
    decryptionKeys = try map.optional("decryption_keys")?.stringList("a key file path") ?? []
  }

  private static func source(_ name: String, _ field: Field) throws(PolicyError) -> KeySource {
    switch name {
    case "key_file": return .keyFile(try field.nonEmptyString("a file path"))
    case "passphrase_file": return .passphraseFile(try field.nonEmptyString("a file path"))
    case "key":
      let key = try field.secret("a key: 64 hex digits or the base64 of 32 bytes, e.g. ${DR_BACKUP_KEY}")
      guard KeyText.decode(key.value) != nil else {
        throw field.error(
          "expected a key: 64 hex digits or the base64 of 32 bytes (got a value of \(key.value.count) characters)")
      }
      return .key(key)
    default:
      let passphrase = try field.secret("a passphrase, e.g. ${DR_BACKUP_PASSPHRASE}")
      guard passphrase.value.count >= KeyText.minimumPassphraseLength else {
        throw field.error("expected a passphrase of at least \(KeyText.minimumPassphraseLength) characters")
      }
      return .passphrase(passphrase)
    }
  }
}
