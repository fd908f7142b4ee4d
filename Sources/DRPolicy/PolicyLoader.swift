import Foundation
import Yams

/// Reads a policy file: YAML, `${VAR}` expansion, defaults, and validation that names
/// the file, the key and what was expected.
public struct PolicyLoader: Sendable {
  public var environment: [String: String]

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  public func load(path: String) throws(PolicyError) -> Policy {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw PolicyError(file: path, problem: "cannot read the policy file (\(Self.reason(error)))")
    }
    return try parse(yaml: text, file: path)
  }

  public func parse(yaml: String, file: String) throws(PolicyError) -> Policy {
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml)
    } catch {
      throw Self.yamlError(error, file: file)
    }
    guard let node else { throw PolicyError(file: file, problem: "the file is empty; see examples/policy.yaml") }
    let context = ReadContext(file: file, environment: environment)
    var policy = try Policy(Field(node: node, path: "", context: context))
    policy.file = file
    policy.secrets = context.secrets
    return policy
  }

  static func yamlError(_ error: Error, file: String) -> PolicyError {
    guard let yaml = error as? YamlError else { return PolicyError(file: file, problem: "not valid YAML") }
    switch yaml {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return PolicyError(file: file, line: mark.line, problem: "not valid YAML: \(problem) (column \(mark.column))")
    case .duplicatedKeysInMapping(let duplicates, _):
      return PolicyError(file: file, problem: "key \(duplicates.joined(separator: ", ")) appears twice")
    default:
      return PolicyError(file: file, problem: "not valid YAML")
    }
  }

  private static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return nsError.localizedDescription
  }
}
