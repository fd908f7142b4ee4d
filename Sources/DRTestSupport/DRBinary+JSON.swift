import Foundation

extension DRBinary.Result {
  /// Standard output as the JSON object a `dr … --json` command prints.
  public func jsonObject() throws -> [String: Any] {
    guard let object = try json() as? [String: Any] else {
      throw TestSupportError("dr printed JSON that is not an object: \(combined)")
    }
    return object
  }

  /// Standard output as the JSON array `dr list --json` (and others) print.
  public func jsonArray() throws -> [[String: Any]] {
    guard let array = try json() as? [[String: Any]] else {
      throw TestSupportError("dr printed JSON that is not an array of objects: \(combined)")
    }
    return array
  }

  private func json() throws -> Any {
    do {
      return try JSONSerialization.jsonObject(with: Data(standardOutput.utf8))
    } catch {
      throw TestSupportError("dr's standard output is not JSON (\(error)); status \(status): \(combined)")
    }
  }
}
