import DRCrypto

extension BackupManifest {
  /// How a backup's objects are encrypted: the scheme and its parameters, which key (its
  /// ID, never the key), and how a passphrase was stretched. Manifests without it are of
  /// unencrypted backups, as every manifest written before encryption existed.
  public struct Encryption: Sendable, Codable, Equatable {
    /// `aes-256-gcm-segmented-v1` (`SegmentCipher.scheme`).
    public var scheme: String
    /// `SymmetricKey.id` of the backup's key (for a passphrase: of the key derived from it).
    public var keyID: String
    /// Plaintext bytes per segment; every stored segment but the last is 16 bytes larger.
    public var segmentSize: Int
    /// How nonces are made, for a reader of the manifest (`SegmentCipher.nonceScheme`).
    public var nonce: String
    /// How the key was derived from a passphrase; nil for a key used as it is.
    public var kdf: KeyDerivation?

    /// `keyId`: the bucket's snake_case conversion turns `key_id` into `keyId`, not `keyID`.
    enum CodingKeys: String, CodingKey {
      case scheme, keyID = "keyId", segmentSize, nonce, kdf
    }
  }

  /// scrypt and its parameters; the salt (hex) is the backup's own.
  public struct KeyDerivation: Sendable, Codable, Equatable {
    public var name: String
    public var salt: String
    public var n: UInt64
    public var r: UInt64
    public var p: UInt64

    public init(salt: [UInt8], parameters: ScryptParameters) {
      name = "scrypt"
      self.salt = salt.hex
      n = parameters.n
      r = parameters.r
      p = parameters.p
    }

    public var parameters: ScryptParameters { ScryptParameters(n: n, r: r, p: p) }
  }

  /// One object's part: the salt (hex) its key is derived with, and its plaintext (the
  /// compressed bytes) size, so the stored size can be checked before anything is read.
  public struct ObjectEncryption: Sendable, Codable, Equatable {
    public var salt: String
    public var plaintextSize: Int64

    public init(salt: [UInt8], plaintextSize: Int64) {
      self.salt = salt.hex
      self.plaintextSize = plaintextSize
    }
  }
}
