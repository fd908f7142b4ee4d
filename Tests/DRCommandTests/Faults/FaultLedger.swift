import DRCore
import Foundation

/// What one fault scenario measured, for the figures in docs/faults.md. Every number the
/// scenario also asserts; the ledger only adds them up across a run.
struct FaultTally: Codable, Sendable {
  var scenario: String
  /// Faults injected: kills, signals, outages, proxy faults, corruptions, restarts.
  var faults = 0
  /// Malformed inputs tried: policies, IDs, keys, server answers.
  var badInputs = 0
  /// Backups `dr list` showed that were not complete and intact.
  var listedBroken = 0
  /// Multipart uploads left in the bucket once prune ran.
  var orphanUploads = 0
  /// Places (an output, an object, a file) where a secret was found.
  var leakedSecrets = 0
  /// Scratch clusters, their directories and processes, scratch databases, stray pg_dumps.
  var scratchLeftovers = 0
  /// What a scenario of uncertainty destroyed: objects gone from the bucket, rows gone from
  /// a restore target, a lease re-asserted over its new holder.
  var destroyed = 0

  init(_ scenario: String) {
    self.scenario = scenario
  }

  enum CodingKeys: String, CodingKey {
    case scenario, faults, badInputs = "bad_inputs", listedBroken = "listed_broken"
    case orphanUploads = "orphan_uploads", leakedSecrets = "leaked_secrets", scratchLeftovers = "scratch_leftovers"
    case destroyed
  }
}

/// Appends each scenario's tally as a JSON line to `$DR_FAULT_LEDGER`, when it is set,
/// so one run of the suite gives the figures of docs/faults.md (`scripts/fault-figures`).
enum FaultLedger {
  static func record(_ tally: FaultTally) async {
    guard let path = ProcessInfo.processInfo.environment["DR_FAULT_LEDGER"], !path.isEmpty,
      let line = try? JSONEncoder().encode(tally)
    else { return }
    let bytes = Array(line) + [UInt8(ascii: "\n")]
    // O_APPEND: tests running in parallel each add whole lines. Off the cooperative pool.
    _ = try? await runBlocking("dr-test-ledger") {
      let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      guard fd >= 0 else { return }
      _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      close(fd)
    }
  }
}
