import Foundation

/// The JSON every `dr … --json` prints, and the worker reads: one encoding for both sides
/// of the contract (sorted keys, ISO 8601 times).
public enum CommandJSON {
  public static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }

  public static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }
}

/// What `dr … --json` prints when the command fails before it has a result of its own:
/// the contract's `outcome` and `duration_seconds`, the error in words and its category.
public struct CommandFailure: Sendable, Codable, Equatable {
  public var outcome = "failed"
  public var error: String
  public var category: FailureCategory
  public var durationSeconds: Double?
  /// True when another backup of the policy held the lease (the worker tries again).
  public var locked: Bool?

  public init(error: any Error, durationSeconds: Double?, locked: Bool? = nil) {
    self.error = "\(error)".redacted
    category = FailureCategory(of: error)
    self.durationSeconds = durationSeconds
    self.locked = locked
  }

  enum CodingKeys: String, CodingKey {
    case outcome, error, category, locked, durationSeconds = "duration_seconds"
  }
}
