import DRCore
import Foundation
import Synchronization

/// Bytes through each stage of a running backup, for the status line and the summary.
public final class BackupProgress: Sendable {
  private struct Counters {
    var dumped: Int64 = 0
    var compressed: Int64 = 0
    var uploaded: Int64 = 0
    /// What earlier dumps of the backup uploaded (one per database).
    var uploadedBefore: Int64 = 0
  }

  private let counters = Mutex(Counters())
  public let started = ContinuousClock.now

  public init() {}

  func dumped(_ bytes: Int) { counters.withLock { $0.dumped += Int64(bytes) } }
  func compressed(_ bytes: Int) { counters.withLock { $0.compressed += Int64(bytes) } }
  func uploaded(total: Int64) { counters.withLock { $0.uploaded = max($0.uploaded, total) } }
  /// A dump's upload is done: the next one's totals count on from it.
  func dumpUploaded() {
    counters.withLock {
      $0.uploadedBefore += $0.uploaded
      $0.uploaded = 0
    }
  }

  /// `dumped 1.2 GiB (48 MiB/s), compressed 310 MiB (3.96×), uploaded 296 MiB`.
  public var line: String {
    let snapshot = counters.withLock { $0 }
    let elapsed = ContinuousClock.now - started
    let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    let ratio = snapshot.compressed > 0 ? Double(snapshot.dumped) / Double(snapshot.compressed) : 0
    return
      "dumped \(ByteCount.format(snapshot.dumped)) (\(ByteCount.format(Int64(Double(snapshot.dumped) / seconds)))/s), "
      + "compressed \(ByteCount.format(snapshot.compressed)) (\(String(format: "%.2f", ratio))×), "
      + "uploaded \(ByteCount.format(snapshot.uploadedBefore + snapshot.uploaded))"
  }
}

/// What `dr backup` reports.
public struct BackupResult: Sendable, Codable {
  public let id: BackupID
  public let outcome: String
  public let durationSeconds: Double
  public let sizeBytes: Int64
  public let uncompressedBytes: Int64
  public let tables: Int
  public let manifestKey: String
  public let location: String
  /// Each copy written in the same pass (`complete`, or `failed` with a reason).
  public var copies: [BackupCopyOutcome] = []
  /// The ID of the key the backup was encrypted with; nil when it was not.
  public var keyID: String? = nil
  /// The databases backed up, in the order they were dumped.
  public var databases: [String] = []

  public var ratio: Double { sizeBytes > 0 ? Double(uncompressedBytes) / Double(sizeBytes) : 0 }

  public init(
    id: BackupID, outcome: String, durationSeconds: Double, sizeBytes: Int64, uncompressedBytes: Int64, tables: Int,
    manifestKey: String, location: String, copies: [BackupCopyOutcome] = [], keyID: String? = nil,
    databases: [String] = []
  ) {
    self.id = id
    self.outcome = outcome
    self.durationSeconds = durationSeconds
    self.sizeBytes = sizeBytes
    self.uncompressedBytes = uncompressedBytes
    self.tables = tables
    self.manifestKey = manifestKey
    self.location = location
    self.copies = copies
    self.keyID = keyID
    self.databases = databases
  }

  enum CodingKeys: String, CodingKey {
    case id, outcome, durationSeconds = "duration_seconds", sizeBytes = "size_bytes"
    case uncompressedBytes = "uncompressed_bytes", tables, manifestKey = "manifest_key", location, ratio, copies
    case keyID = "encryption_key_id", databases
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(outcome, forKey: .outcome)
    try container.encode(durationSeconds, forKey: .durationSeconds)
    try container.encode(sizeBytes, forKey: .sizeBytes)
    try container.encode(uncompressedBytes, forKey: .uncompressedBytes)
    try container.encode(tables, forKey: .tables)
    try container.encode(manifestKey, forKey: .manifestKey)
    try container.encode(location, forKey: .location)
    try container.encode((ratio * 100).rounded() / 100, forKey: .ratio)
    if !copies.isEmpty { try container.encode(copies, forKey: .copies) }
    try container.encodeIfPresent(keyID, forKey: .keyID)
    try container.encode(databases, forKey: .databases)
  }
}

extension BackupResult {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(BackupID.self, forKey: .id)
    outcome = try container.decode(String.self, forKey: .outcome)
    durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
    sizeBytes = try container.decode(Int64.self, forKey: .sizeBytes)
    uncompressedBytes = try container.decode(Int64.self, forKey: .uncompressedBytes)
    tables = try container.decode(Int.self, forKey: .tables)
    manifestKey = try container.decode(String.self, forKey: .manifestKey)
    location = try container.decode(String.self, forKey: .location)
    copies = try container.decodeIfPresent([BackupCopyOutcome].self, forKey: .copies) ?? []
    keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
    databases = try container.decodeIfPresent([String].self, forKey: .databases) ?? []
  }
}
