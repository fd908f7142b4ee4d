/// What every module's error code says of itself: the exit status and the category of a
/// failure with that code (both defaulted), and how messages of that code are tidied.
public protocol ErrorCode: Sendable, Equatable {
  var exitStatus: ExitStatus { get }
  var category: FailureCategory { get }
  /// The message as it is kept (libpq's span lines, for instance); unchanged by default.
  static func tidy(_ message: String) -> String
  /// How an error of this code reads: the message, or the message after a phrase the code
  /// stands for ("corrupt compressed data: …"); the message alone by default.
  func describe(_ message: String) -> String
}

extension ErrorCode {
  public var exitStatus: ExitStatus { .failure }
  public var category: FailureCategory { .other }
  public static func tidy(_ message: String) -> String { message }
  public func describe(_ message: String) -> String { message }
}

/// The one shape of a module's error: a code saying what went wrong, a message for people
/// (redacted when shown). Each module has its own (`BackupError`, `RestoreError`…), an
/// instance of this with the module's codes, so `catch let error as RestoreError` means
/// that module's errors alone.
public struct ModuleError<Code: ErrorCode>: DRError, Equatable {
  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = Code.tidy(message)
  }

  public var exitStatus: ExitStatus { code.exitStatus }
  public var category: FailureCategory { code.category }
  public var description: String { code.describe(message).redacted }
  /// The module's name and the code's case: `backup.locked`, `restore.corrupt`.
  public var errorCode: String { ErrorCodeName.of(Code.self, code) }
}
