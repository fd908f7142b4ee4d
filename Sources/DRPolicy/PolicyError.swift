import DRCore

/// A policy that cannot be used: where it is wrong and what was expected.
///
/// `keyPath` is the dotted path of the key (`storage.url`, `verify.checks[1].sql`); the
/// description never repeats a secret value.
public struct PolicyError: DRError, Equatable {
  public let file: String
  public let keyPath: String
  public let line: Int?
  public let problem: String

  public init(file: String, keyPath: String = "", line: Int? = nil, problem: String) {
    self.file = file
    self.keyPath = keyPath
    self.line = line
    self.problem = problem
  }

  public var exitStatus: ExitStatus { .usage }
  public var errorCode: String { "policy.invalid" }

  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    text += ": "
    if !keyPath.isEmpty { text += "\(keyPath): " }
    return (text + problem).redacted
  }
}
