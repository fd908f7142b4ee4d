/// `--listen ADDR:PORT`, read into the host and port the server binds.
extension WorkerHTTPServer {
  /// `127.0.0.1:17187`, `0.0.0.0:17187`, `[::1]:17187`, or `:17187` for the default host.
  /// An IPv6 address needs its brackets: without them, which colon starts the port is a guess.
  public static func listenAddress(_ text: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65_535).contains(port)
    else { throw WorkerHTTPServerError(.badListenAddress(text)) }
    let host = text[..<colon]
    if host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2 {
      return (String(host.dropFirst().dropLast()), port)
    }
    guard !host.contains(":") else { throw WorkerHTTPServerError(.badListenAddress(text)) }
    return (host.isEmpty ? defaultHost : String(host), port)
  }
}
