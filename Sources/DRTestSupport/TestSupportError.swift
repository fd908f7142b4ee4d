/// What a fixture found that keeps a test from going on, said plainly: fixtures throw it
/// where a test would `#require` (DRTestSupport is a plain library, without Testing).
public struct TestSupportError: Error, CustomStringConvertible {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }
}
