import Foundation

/// What the bucket says of a backup. Only a manifest known to be absent makes a backup
/// incomplete: a manifest that is there but cannot be read (403, a 5xx storm past the
/// retry budget, a body cut short, a format this dr does not know) makes it *unknown*,
/// and nothing is ever deleted or chosen on the strength of an unknown.
public enum BackupState: Sendable, Equatable {
  /// Its manifest was read: restorable.
  case complete
  /// Its manifest is known to be absent: failed, interrupted or still running.
  case incomplete
  /// Its manifest could not be read or is not understood; it may well be complete.
  case unknown(String)

  /// `complete`, `incomplete` or `unknown`.
  public var name: String {
    switch self {
    case .complete: "complete"
    case .incomplete: "incomplete"
    case .unknown: "unknown"
    }
  }

  /// Why it is unknown; nil when it is known.
  public var unknownReason: String? {
    guard case .unknown(let reason) = self else { return nil }
    return reason
  }
}

/// One backup as the bucket shows it.
public struct BackupEntry: Sendable, Encodable {
  public let id: BackupID
  public let state: BackupState
  /// `passed`, `failed`, `none`, or `unknown` (a verification record is there but could
  /// not be read: the backup may have failed it).
  public var verification: String
  /// Why the verification state is unknown; nil when it is known.
  public var verificationUnknownReason: String?
  /// The backup's data (dump and globals, as `dr backup` reports it); for a backup without
  /// a readable manifest, whatever it left in the bucket.
  public let sizeBytes: Int64
  public let manifest: BackupManifest?
  /// The newest conclusive verification (passed or failed), if any.
  public var lastVerification: VerificationRecord?
  /// The newest verification of any outcome (an inconclusive one after it, say).
  public var lastAttempt: VerificationRecord?

  public init(
    id: BackupID, state: BackupState, verification: String, verificationUnknownReason: String? = nil,
    sizeBytes: Int64, manifest: BackupManifest?, lastVerification: VerificationRecord?
  ) {
    self.id = id
    self.state = state
    self.verification = verification
    self.verificationUnknownReason = verificationUnknownReason
    self.sizeBytes = sizeBytes
    self.manifest = manifest
    self.lastVerification = lastVerification
  }

  /// Has a manifest that was read: complete and restorable.
  public var complete: Bool { state == .complete }
  /// Its manifest, or its verification state, could not be read.
  public var isUnknown: Bool { state.unknownReason != nil || verification == "unknown" }
  /// What could not be read, for people; nil when everything was.
  public var unknownReason: String? {
    state.unknownReason ?? verificationUnknownReason.map { "its verification record: \($0)" }
  }

  public var startedAt: Date { manifest?.startedAt ?? id.startedAt }
  public var finishedAt: Date? { manifest?.finishedAt }

  enum CodingKeys: String, CodingKey {
    case id, complete, state, unknownReason = "unknown_reason", verification, sizeBytes = "size_bytes"
    case startedAt = "started_at", finishedAt = "finished_at"
    case durationSeconds = "duration_seconds", serverVersion = "server_version"
    case uncompressedBytes = "uncompressed_bytes", restoreSeconds = "restore_seconds", verifiedAt = "verified_at"
    case lastAttempt = "last_attempt", databases
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(complete, forKey: .complete)
    try container.encode(state.name, forKey: .state)
    try container.encodeIfPresent(unknownReason, forKey: .unknownReason)
    try container.encode(verification, forKey: .verification)
    try container.encode(sizeBytes, forKey: .sizeBytes)
    try container.encode(Self.timestamp(startedAt), forKey: .startedAt)
    try container.encodeIfPresent(finishedAt.map(Self.timestamp), forKey: .finishedAt)
    try container.encodeIfPresent(manifest?.durationSeconds, forKey: .durationSeconds)
    try container.encodeIfPresent(manifest?.database.serverVersion, forKey: .serverVersion)
    try container.encodeIfPresent(
      manifest?.objects.reduce(0) { $0 + $1.compression.uncompressedSize }, forKey: .uncompressedBytes)
    try container.encodeIfPresent(lastVerification?.restoreSeconds, forKey: .restoreSeconds)
    try container.encodeIfPresent(lastVerification.map { Self.timestamp($0.finishedAt) }, forKey: .verifiedAt)
    try container.encodeIfPresent(lastAttempt?.outcome.rawValue, forKey: .lastAttempt)
    try container.encodeIfPresent(manifest?.databaseNames, forKey: .databases)
  }

  static func timestamp(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
