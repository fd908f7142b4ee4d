import DRCore
import DRPolicy
import Testing

/// `backup.encryption` and `environments.X.encryption`: each key source, `${VAR}`s as
/// secrets, and how key text is read.
struct EncryptionPolicyTests {
  static let base = """
    name: t
    database: {url: "postgresql://u@127.0.0.1:5432/db"}
    storage: {url: "s3://bucket-1/p/"}

    """
  static let hexKey = String(repeating: "0123456789abcdef", count: 4)

  func load(_ yaml: String, _ environment: [String: String] = [:]) throws -> Policy {
    try PolicyLoader(environment: environment).parse(yaml: Self.base + yaml, file: "policies/t.yaml")
  }

  @Test func eachSourceIsReadAsWhatItIs() throws {
    let file = try load("backup: {encryption: {key_file: /k, decryption_keys: [/a, /b]}}\n")
    #expect(file.backup.encryption == EncryptionSettings(source: .keyFile("/k"), decryptionKeys: ["/a", "/b"]))
    let passphraseFile = try load("backup: {encryption: {passphrase_file: /p}}\n")
    #expect(passphraseFile.backup.encryption?.source == .passphraseFile("/p"))
    #expect(passphraseFile.backup.encryption?.keyFile == nil)
  }

  @Test func anInlineKeyFromTheEnvironmentIsASecret() throws {
    let policy = try load("backup: {encryption: {key: \"${DR_KEY}\"}}\n", ["DR_KEY": Self.hexKey])
    #expect(policy.backup.encryption?.source == .key(.init(Self.hexKey)))
    #expect(policy.secrets.contains(Self.hexKey))
    #expect(!"\(policy.backup.encryption!)".contains(Self.hexKey))
    #expect(policy.backup.encryption?.source.description == "key (from the policy)")
  }

  @Test func aPassphraseFromTheEnvironmentIsASecret() throws {
    let policy = try load("backup: {encryption: {passphrase: \"${PASS}\"}}\n", ["PASS": "correct horse battery"])
    #expect(policy.secrets.contains("correct horse battery"))
    #expect(policy.backup.encryption?.source == .passphrase(.init("correct horse battery")))
  }

  @Test func anEnvironmentHasKeysOfItsOwn() throws {
    let policy = try load(
      "environments: {failover: {encryption: {passphrase_file: /etc/dr/f.pass, decryption_keys: [/etc/dr/old]}}}\n")
    let failover = try #require(policy.environment(named: "failover"))
    #expect(
      failover.encryption
        == EncryptionSettings(source: .passphraseFile("/etc/dr/f.pass"), decryptionKeys: ["/etc/dr/old"]))
    #expect(failover.encryptionKeyFile == nil)
  }

  @Test(arguments: [
    (hexKey, true), (hexKey.uppercased(), true), ("  \(hexKey)\n", true), (String(hexKey.dropLast()), false),
    (String(hexKey.dropLast()) + "g", false), ("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true),
    ("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", true), ("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==", false),
    ("", false),
  ])
  func keyTextIsHexOrBase64OfThirtyTwoBytes(_ text: String, _ valid: Bool) {
    let bytes = KeyText.decode(text)
    #expect((bytes != nil) == valid)
    if let bytes { #expect(bytes.count == 32) }
  }

  @Test func base64AndHexOfTheSameKeyAgree() {
    #expect(KeyText.decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=") == Array(0...31))
    #expect(KeyText.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f") == Array(0...31))
  }
}
