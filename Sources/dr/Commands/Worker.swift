import ArgumentParser
import DRCore
import DRPolicy
import DRWorker
import Foundation
import Logging

struct Worker: AsyncParsableCommand, GlobalOptionsProviding {
  static let configuration = CommandConfiguration(
    abstract: "Run every policy's schedules unattended, serve /metrics, /healthz, /livez and /readyz.",
    discussion: """
      Backup and verify run on the policy's cron schedules (UTC), prune after each backup,
      and check --env daily for every environment but production. Runs overdue at start
      run at once. Several workers on the same policies share the runs through leases in
      the bucket. SIGTERM: no new runs, running ones get --grace, then stop cleanly; exit 0.
      SIGHUP: reload the policies (an invalid one is reported, the old ones kept). Logs are
      JSON lines on standard output when it is not a terminal.
      """)

  /// The worker, but not `--probe` (a one-shot check whose error goes to standard error).
  var isService: Bool { probe == nil }

  @OptionGroup var global: GlobalOptions

  @Option(
    help:
      "A directory of policies (*.yaml). Default: --policy's one, else $DR_POLICY_DIR, ./policies, /etc/dr/policies.")
  var policies: String?

  @Option(help: "Where /metrics, /healthz, /livez and /readyz listen (ADDR:PORT).")
  var listen = "127.0.0.1:\(WorkerHTTPServer.defaultPort)"

  @Option(help: "Seconds between reads of each policy's bucket for /readyz (probes read the last result).")
  var bucketCheckInterval = 60

  @Option(help: "Up to this many seconds of random delay added to each scheduled run (0: none).")
  var jitter = 30

  @Option(help: "Seconds running jobs may go on after SIGTERM before they are stopped.")
  var grace = 300

  @Option(help: "Seconds a run's lease lives without renewal (another worker then takes the run over).")
  var leaseTtl = 60

  @Option(help: "Seconds between looks at a run another worker holds.")
  var poll = 5

  @Option(
    help: ArgumentHelp(
      "Instead of running: GET this URL of a running worker and exit 0 on a 2xx answer, 1 otherwise.",
      discussion: "For health checks where no HTTP client is at hand (the container image's HEALTHCHECK).",
      valueName: "url"))
  var probe: String?

  func validate() throws {
    guard jitter >= 0, grace >= 0, leaseTtl >= 3, poll >= 1, bucketCheckInterval >= 1 else {
      throw ValidationError("--jitter and --grace must be ≥ 0, --lease-ttl ≥ 3, --poll and --bucket-check-interval ≥ 1")
    }
  }

  func run() async throws {
    if let probe { return try await Self.probeWorker(at: probe) }
    let variables = ProcessInfo.processInfo.environment
    let (host, port) = try WorkerHTTPServer.listenAddress(listen)
    let files = try policyFiles(variables)
    _ = try files()
    let configuration = WorkerConfiguration(
      policyFiles: files, listenHost: host, listenPort: port, jitterSeconds: jitter, grace: .seconds(grace),
      leaseTTL: TimeInterval(leaseTtl), poll: .seconds(poll), executable: Self.executable, variables: variables,
      bucketCheckInterval: .seconds(bucketCheckInterval), buildRevision: BuildRevision.commit)
    try await WorkerService.run(configuration: configuration, logger: Logger(label: "dr.worker"))
  }

  /// `--policy` alone, else every policy of `--policies` or of the first policy directory.
  private func policyFiles(_ variables: [String: String]) throws -> @Sendable () throws -> [String] {
    if let policy = global.policy, policies == nil {
      let file = try PolicyLocator(environment: variables).resolve(policy)
      return { [file] }
    }
    if let policies { return { try PolicySet.files(in: policies) } }
    let directories = PolicyLocator(environment: variables).directories
    guard let directory = directories.first(where: { (try? PolicySet.files(in: $0)) != nil }) else {
      throw PolicyError(
        file: directories.joined(separator: ", "), problem: "no policy found: pass --policies DIR or --policy PATH")
    }
    return { try PolicySet.files(in: directory) }
  }

  /// This executable, which the jobs run.
  static var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  }
}
