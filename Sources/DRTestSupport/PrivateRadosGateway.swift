import DRCore
import Foundation

/// A radosgw of the test's own, serving the same Ceph cluster (so the same users and
/// buckets) as the shared test RGW, on a port of its own: a test can kill it and start it
/// again without disturbing the other tests, which use the shared one. It runs in the
/// foreground as this process's child, tagged like the services' daemons, so that
/// `scripts/services down` stops it too if the test cannot.
public final class PrivateRadosGateway: @unchecked Sendable {
  public let port: Int
  public let name: String
  let directory: String
  private let lock = NSLock()
  private var process: ChildProcess?

  public var endpoint: String { "http://127.0.0.1:\(port)" }

  /// STS arguments (`--rgw-sts-key`, `--rgw-s3-auth-use-sts`), or none.
  let stsArguments: String

  /// `sts`: serve STS (AssumeRole), as the shared gateway does not (see scripts/services).
  public init(sts: Bool = false) throws {
    directory = try TestServices.require("DR_TEST_RGW_DIR")
    let key = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16))
    stsArguments = sts ? " --rgw-sts-key \(key) --rgw-s3-auth-use-sts true" : ""
    port = try LoopbackPort.free()
    name = "client.rgw.t\(UInt32.random(in: 0...UInt32.max))"
  }

  /// Starts the gateway and waits (60 s at most) until it answers.
  public func start() async throws {
    var environment = ProcessInfo.processInfo.environment
    environment["CEPH_CONF"] = "\(directory)/ceph.conf"
    environment["DR_SERVICES_DAEMON"] = (directory as NSString).deletingLastPathComponent
    let log = "\(directory)/log/\(name).out"
    let child = try ChildProcess(
      "/bin/sh",
      [
        "-c",
        "exec radosgw -f -n \(name) --rgw-frontends 'beast endpoint=127.0.0.1:\(port)' --rgw-exit-timeout-secs 10\(stsArguments) >>\(log) 2>&1",
      ],
      environment: environment)
    lock.withLock { process = child }
    for _ in 0..<600 {
      if child.termination != nil { break }
      if await answers() { return }
      try await Task.sleep(for: .milliseconds(100))
    }
    _ = await stop(signal: SIGKILL)
    throw SystemError("radosgw \(name) did not answer on \(endpoint) (see \(log) and \(directory)/log/\(name).log)")
  }

  /// Stops the gateway (SIGTERM) or kills it (SIGKILL: a crash, nothing finished), and
  /// waits until it is gone.
  ///
  /// Only a test whose point is the crash should kill: a killed gateway leaves its watches
  /// on the cluster's control objects, and every bucket created or deleted through the
  /// shared gateway waits for them until the OSD drops them (`osd client watch timeout`, 10 s
  /// in scripts/services; with Ceph's default 30 a full run stalled half a minute per kill).
  @discardableResult
  public func stop(signal: Int32 = SIGTERM) async -> ChildProcess.Termination? {
    guard let child = lock.withLock({ process }) else { return nil }
    Foundation.kill(child.pid, signal)
    let termination = await child.wait()
    lock.withLock { process = nil }
    return termination
  }

  /// Stops it without waiting, for `defer`, whatever happened: SIGTERM, so that it takes its
  /// watches with it (see `stop`); `scripts/services down` kills what outlives the test.
  public func stopNow() {
    if let child = lock.withLock({ process }) { Foundation.kill(child.pid, SIGTERM) }
  }

  private func answers() async -> Bool {
    let output = try? await ProcessRunner.run(
      "/usr/bin/curl", ["-s", "-o", "/dev/null", "--max-time", "2", "-w", "%{http_code}", endpoint + "/"])
    return output?.standardOutput == "200"
  }
}
