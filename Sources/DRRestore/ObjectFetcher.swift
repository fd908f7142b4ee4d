import DRBackup
import DRCompression
import DRCore
import DRCrypto
import DRS3
import Foundation
import Synchronization

/// Brings one object of a backup back: ranged downloads in parallel, its SHA-256 and size
/// checked against the manifest while it flows, decrypted segment by segment when the
/// backup is encrypted, its independent streams decompressed in parallel, handed on in
/// order.
///
/// Decryption hands on only segments whose tag matched, and the last decompressed stream
/// is held back until the final segment, the checksum and the size have matched, so
/// whatever consumes the bytes (pg_restore) never sees an unauthenticated byte, nor the
/// whole of an object that does not match its manifest: a corrupt backup cannot be
/// restored to completion.
public struct ObjectFetcher: Sendable {
  public let client: S3Client
  public let bucket: String
  public let partSize: Int
  public let partsInFlight: Int
  /// The backup's key (`KeyRing.unlock`); nil for an unencrypted backup.
  public let key: BackupKey?

  public init(
    client: S3Client, bucket: String, key: BackupKey? = nil, partSize: Int = 8 << 20, partsInFlight: Int = 3
  ) {
    self.client = client
    self.bucket = bucket
    self.key = key
    self.partSize = partSize
    self.partsInFlight = partsInFlight
  }

  /// When each stage ended, for the verification's phases.
  public struct Timings: Sendable {
    public var downloaded: ContinuousClock.Instant
    public var decompressed: ContinuousClock.Instant
    public var bytesDownloaded: Int64
    public var bytesDecompressed: Int64
  }

  public func fetch(
    _ object: BackupManifest.Object, write: @escaping @Sendable ([UInt8]) async throws -> Void
  ) async throws -> Timings {
    let holdBack = HoldBack(write)
    let decompressor = try ParallelDecompressor(
      codec: try Self.codec(object.compression), boundaries: object.compression.boundaries
    ) { chunk in try await holdBack.pass(chunk.bytes) }
    let decryptor = try decryptor(for: object) { try await decompressor.write($0) }
    let hasher = SHA256Hasher()
    let downloaded = Mutex<Int64>(0)
    do {
      try await ParallelDownloader(client: client, partSize: partSize, partsInFlight: partsInFlight).download(
        bucket: bucket, key: object.key
      ) { bytes in
        let copy = copy bytes
        try await runBlocking("dr-hash") { hasher.update(copy) }
        downloaded.withLock { $0 += Int64(copy.count) }
        if let decryptor { try await decryptor.write(copy) } else { try await decompressor.write(copy) }
      }
      let downloadedAt = ContinuousClock.now
      // The final segment first: an object cut at a segment boundary says so, even when
      // its manifest was rewritten to match.
      _ = try await decryptor?.finish()
      try Self.check(object, sha256: hasher.finalize().hex, size: downloaded.withLock { $0 })
      let summary = try await decompressor.finish()
      try await holdBack.release()
      return Timings(
        downloaded: downloadedAt, decompressed: .now, bytesDownloaded: downloaded.withLock { $0 },
        bytesDecompressed: summary.bytesOut)
    } catch {
      await decryptor?.abort()
      await decompressor.abort()
      throw Self.explain(error, object)
    }
  }

  /// The stream that opens `object`'s segments, or nil when the backup is not encrypted.
  func decryptor(for object: BackupManifest.Object, _ consumer: @escaping CipherStream.Consumer) throws
    -> CipherStream?
  {
    guard object.encryption != nil else { return nil }
    guard let key else {
      throw RestoreError(.encryption, "\(object.key) is encrypted, and no key was given to open it")
    }
    do {
      return CipherStream(cipher: try key.cipher(for: object), direction: .open, consumer: consumer)
    } catch let error as BackupError {
      throw RestoreError(.corrupt, error.message)
    }
  }

  /// Library errors as the verification's: which object, and what went wrong with it.
  static func explain(_ error: any Error, _ object: BackupManifest.Object) -> any Error {
    switch error {
    case let error as CompressionError: RestoreError(.corrupt, "\(object.key) does not decompress: \(error)")
    case let error as CryptoError: RestoreError(.encryption, "\(object.key) cannot be decrypted: \(error)")
    default: error
    }
  }

  static func check(_ object: BackupManifest.Object, sha256: String, size: Int64) throws {
    guard size == object.size else {
      throw RestoreError(.corrupt, "\(object.key) has \(size) bytes, the manifest says \(object.size)")
    }
    guard sha256 == object.sha256 else {
      throw RestoreError(.corrupt, "\(object.key) does not match its SHA-256 in the manifest (got \(sha256))")
    }
  }

  /// The manifest's codec. The catalogue reports a manifest naming a codec this dr does
  /// not know as unknown (a newer dr's), so it is not fetched; should one get here, it is
  /// this dr's limit, not the backup's fault.
  static func codec(_ compression: BackupManifest.Compression) throws -> Codec {
    guard let codec = Codec(name: compression.codec, level: compression.level) else {
      throw RestoreError(
        .hostLacks,
        "compression codec '\(compression.codec.escapingControlCharacters)' is not known to this dr: upgrade dr")
    }
    return codec
  }
}

/// Passes every chunk on but the last one seen, until `release()`.
actor HoldBack {
  private let write: @Sendable ([UInt8]) async throws -> Void
  private var held: [UInt8]?

  init(_ write: @escaping @Sendable ([UInt8]) async throws -> Void) {
    self.write = write
  }

  func pass(_ bytes: [UInt8]) async throws {
    if let previous = held { try await write(previous) }
    held = bytes
  }

  func release() async throws {
    if let held { try await write(held) }
    held = nil
  }
}
