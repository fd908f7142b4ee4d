/// State shared while one policy file is read: where it is, the environment that
/// `${VAR}` expands from, and the secret values met on the way.
final class ReadContext {
  let file: String
  let environment: [String: String]
  private(set) var secrets: [String] = []

  init(file: String, environment: [String: String]) {
    self.file = file
    self.environment = environment
  }

  func noteSecret(_ value: String) {
    if !value.isEmpty { secrets.append(value) }
  }

  func error(_ path: String, line: Int?, _ problem: String) -> PolicyError {
    PolicyError(file: file, keyPath: path, line: line, problem: problem)
  }
}
