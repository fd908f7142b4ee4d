import DRCore
import FoundationEssentials

/// The `aes-256-gcm-segmented-v1` format: an object's bytes cut into segments of
/// `segmentSize` bytes (the last one shorter, or empty for an empty object), each sealed
/// with AES-256-GCM and stored as ciphertext followed by its 16-byte tag.
///
/// - Key: each object has its own key, HKDF-SHA256 of the backup's key with a random
///   32-byte salt of that object (recorded in the manifest).
/// - Nonce: the segment's index, big-endian in 12 bytes. Indices never repeat within an
///   object, and no two objects share a key unless their 256-bit salts collide, so no
///   (key, nonce) pair is ever used twice.
/// - Additional data: the backup ID, the object's name, the segment's index and whether it
///   is the final segment, so a segment opens only at its own place in its own object of
///   its own backup, and an object cut at a segment boundary does not open either.
public struct SegmentCipher: Sendable {
  public static let scheme = "aes-256-gcm-segmented-v1"
  public static let nonceScheme = "hkdf-sha256-object-key+segment-index"
  public static let defaultSegmentSize = 1 << 20
  /// What a manifest may ask for: small enough to bound memory, large enough to matter.
  public static let segmentSizes = 4096...(64 << 20)
  public static let tagSize = AESGCM.tagSize
  public static let saltSize = 32

  public let segmentSize: Int
  public let backupID: String
  public let objectName: String
  let key: SymmetricKey

  /// The cipher of one object: its key is derived from `masterKey` and `salt`.
  public init(masterKey: SymmetricKey, salt: [UInt8], backupID: String, objectName: String, segmentSize: Int)
    throws(CryptoError)
  {
    guard Self.segmentSizes.contains(segmentSize) else {
      throw CryptoError(.invalidArgument, "segment size \(segmentSize) is outside 4 KiB...64 MiB")
    }
    guard salt.count == Self.saltSize else {
      throw CryptoError(.invalidArgument, "an object's key salt must be \(Self.saltSize) bytes, got \(salt.count)")
    }
    self.segmentSize = segmentSize
    self.backupID = backupID
    self.objectName = objectName
    key = Self.objectKey(masterKey, salt: salt)
  }

  /// Stored bytes per full segment: the ciphertext and its tag.
  public var storedSegmentSize: Int { segmentSize + Self.tagSize }

  /// The stored size of an object of `plaintextSize` bytes (an empty one is one tag).
  public func storedSize(plaintextSize: Int64) -> Int64 {
    let segments = max(1, (plaintextSize + Int64(segmentSize) - 1) / Int64(segmentSize))
    return plaintextSize + segments * Int64(Self.tagSize)
  }

  static func objectKey(_ master: SymmetricKey, salt: [UInt8]) -> SymmetricKey {
    let info = Array("dr/\(scheme)/object-key".utf8)
    var bytes = master.withUnsafeBytes { HKDF.sha256(key: $0, salt: salt, info: info, length: SymmetricKey.size) }
    defer { bytes.wipe() }
    return try! SymmetricKey(bytes)
  }

  /// Four zero bytes, then the index as a big-endian 64-bit number.
  static func nonce(_ index: UInt64) -> [UInt8] {
    [0, 0, 0, 0] + withUnsafeBytes(of: index.bigEndian) { Array($0) }
  }

  /// Length-prefixed fields, so no two different contexts give the same bytes.
  func additionalData(index: UInt64, final: Bool) -> [UInt8] {
    var data = Array("dr/\(Self.scheme)".utf8) + [0]
    for field in [backupID, objectName] {
      let bytes = Array(field.utf8)
      data += withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Array($0) } + bytes
    }
    data += withUnsafeBytes(of: index.bigEndian) { Array($0) }
    data.append(final ? 1 : 0)
    return data
  }
}
