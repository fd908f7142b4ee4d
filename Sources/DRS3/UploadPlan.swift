/// How an object of a given (expected) size is cut into parts: every part the same size
/// but the last (Cloudflare R2 refuses uneven parts), at most 10,000 parts, at least
/// S3's 5 MiB minimum, in whole MiB.
public struct UploadPlan: Sendable, Equatable {
  public static let maxParts = 10_000
  public static let minPartSize = 5 * 1_048_576
  public static let maxPartSize = 5 * 1_073_741_824
  public static let maxObjectSize: Int64 = 5 * 1_099_511_627_776

  public let partSize: Int
  public let partsInFlight: Int
  /// S3's limit; lower only in tests.
  public let partLimit: Int

  public init(partSize: Int, partsInFlight: Int, partLimit: Int = UploadPlan.maxParts) {
    self.partSize = partSize
    self.partsInFlight = partsInFlight
    self.partLimit = partLimit
  }

  /// The smallest part size (at least `preferred`) with which `expectedSize` bytes fit in
  /// 10,000 parts, with a quarter to spare for a size that grows while it is written.
  public static func forExpectedSize(
    _ expectedSize: Int64?, preferred: Int = 8 * 1_048_576, partsInFlight: Int = 4
  ) -> UploadPlan {
    let mebibyte = Int64(1_048_576)
    let needed = (expectedSize ?? 0) * 5 / 4 / Int64(maxParts) + 1
    let rounded = (needed + mebibyte - 1) / mebibyte * mebibyte
    let size = min(Int64(maxPartSize), max(Int64(max(preferred, minPartSize)), rounded))
    return UploadPlan(partSize: Int(size), partsInFlight: max(1, partsInFlight))
  }

  /// How far this plan reaches.
  public var capacity: Int64 { Int64(partSize) * Int64(partLimit) }
}

/// What an upload wrote.
public struct UploadResult: Sendable, Equatable {
  public let bucket: String
  public let key: String
  public let size: Int64
  /// SHA-256 of the whole object, lowercase hex; nil when it was not asked for.
  public let sha256: String?
  public let etag: String
  /// 0 for a single PUT.
  public let parts: Int
  public let partSize: Int
}
