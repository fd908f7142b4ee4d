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
/// the contract's `outcome` and `duration_seconds`, the error (its stable code and its
/// message, redacted) and its category.
public struct CommandFailure: Sendable, Codable, Equatable {
  /// The failure's `code` (`DRError.errorCode`; `usage` for bad usage, `error` for an
  /// error dr does not know) and its message for people.
  public struct Failure: Sendable, Codable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
      self.code = code
      self.message = message.redacted
    }
  }

  public var outcome = "failed"
  public var error: Failure
  public var category: FailureCategory
  public var durationSeconds: Double?
  /// True when another backup of the policy held the lease (the worker tries again).
  public var locked: Bool?

  public init(error: any Error, durationSeconds: Double?, locked: Bool? = nil) {
    let code = (error as? any DRError)?.errorCode ?? "error"
    self.init(code: code, message: "\(error)", category: FailureCategory(of: error), durationSeconds: durationSeconds)
    self.locked = locked
  }

  public init(code: String, message: String, category: FailureCategory, durationSeconds: Double?) {
    self.error = Failure(code: code, message: message)
    self.category = category
    self.durationSeconds = durationSeconds
  }

  enum CodingKeys: String, CodingKey {
    case outcome, error, category, locked, durationSeconds = "duration_seconds"
  }
}
