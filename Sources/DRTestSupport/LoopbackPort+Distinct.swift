import DRCore

extension LoopbackPort {
  /// A free port for each name, all distinct (two probes in a row may be handed the same one).
  public static func free(for names: [String]) throws -> [String: Int] {
    var ports: [String: Int] = [:]
    for name in names {
      var port = try free()
      for _ in 0..<20 where ports.values.contains(port) { port = try free() }
      ports[name] = port
    }
    return ports
  }
}
