import DRCore
import DRPolicy

extension StackSettings {
  /// The stack on free ports, so a drill never touches a running one.
  public func onFreePorts() throws -> StackSettings {
    var result = self
    var taken = Set(components.compactMap(\.port))
    for index in result.components.indices {
      // Distinct, and none of the stack's own: two probes in a row may get the same port.
      var port = try LoopbackPort.free()
      for _ in 0..<50 where taken.contains(port) { port = try LoopbackPort.free() }
      taken.insert(port)
      result.components[index].port = port
    }
    return result
  }
}
