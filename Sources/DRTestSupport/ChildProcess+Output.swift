import DRCore

extension ChildProcess {
  /// What the child wrote on standard output, read to its end (once it ended, or closed it).
  public func remainingOutput() async -> String {
    var bytes: [UInt8] = []
    while let chunk = try? await output.next() { bytes += chunk }
    return String(decoding: bytes, as: UTF8.self)
  }
}
