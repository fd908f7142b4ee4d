import DRCore

/// Why the worker's HTTP server could not serve: it could not listen, or `--listen` was
/// not an address and a port.
public struct WorkerHTTPServerError: DRError {
  enum Code: Sendable, Equatable {
    case cannotListen(host: String, port: Int, reason: String)
    case badListenAddress(String)
  }

  let code: Code

  init(_ code: Code) {
    self.code = code
  }

  public var errorCode: String { "worker." + ErrorCodeName.caseName(code) }

  public var exitStatus: ExitStatus {
    switch code {
    case .cannotListen: .failure
    case .badListenAddress: .usage
    }
  }

  /// Whether the port was taken by another process.
  public var isAddressInUse: Bool {
    if case .cannotListen(_, _, let reason) = code { return reason == Self.addressInUse }
    return false
  }

  static let addressInUse = "address in use"

  public var description: String {
    switch code {
    case .cannotListen(let host, let port, let reason):
      "cannot listen on \(host):\(port): \(reason); pass --listen ADDR:PORT"
    case .badListenAddress(let text):
      "--listen \(text): expected ADDR:PORT, such as 127.0.0.1:17187"
    }
  }
}
