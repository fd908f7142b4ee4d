import DRCore
import DRTestSupport
import Foundation
import Testing

/// A fresh `dr worker` as Prometheus and Kubernetes first see it, and `dr --version`.
struct WorkerProbeTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// The commit the checkout is at, by git itself (dr reads .git without it).
  static func headCommit() async throws -> String {
    let git = try await ProcessRunner.run("/usr/bin/git", ["-C", repository, "rev-parse", "HEAD"])
    let commit = git.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(commit.count == 40, "git rev-parse HEAD: \(git.standardOutput)\(git.standardError)")
    return commit
  }

  /// A policy that never ran (no schedule: nothing runs) has, at the worker's first answer,
  /// every series an alert needs, at 0 (timestamps) or -1 (outcomes); the bucket was read.
  @Test func theFirstScrapeOfAFreshWorkerHasEverySeries() async throws {
    let fixture = try await BackupFixture.make("workerfresh")
    try fixture.writePolicy(endpoint: try TestServices.s3Endpoint(), extra: "verify: {scratch: local, max_age: 26h}\n")
    let worker = try WorkerFixture.start(fixture)
    var first = ""
    try await worker.waitUntil("the worker's first answer") {
      let answer = try await worker.get("/metrics")
      first = answer.standardOutput
      return answer.standardOutput.hasSuffix("\n200")
    }
    let zero = [
      "dr_backup_last_success_timestamp_seconds", "dr_backup_last_attempt_timestamp_seconds",
      "dr_verify_last_success_timestamp_seconds", "dr_verify_last_timestamp_seconds",
      "dr_newest_verified_backup_timestamp_seconds",
    ]
    for name in zero {
      #expect(Self.value(first, "\(name){policy=\"backup-test\"}") == 0, "\(name) in\n\(first)")
    }
    #expect(Self.value(first, "dr_backup_last_outcome{policy=\"backup-test\"}") == -1, "\(first)")
    #expect(Self.value(first, "dr_verify_last_outcome{policy=\"backup-test\"}") == -1, "\(first)")
    let read = try #require(Self.value(first, "dr_bucket_last_read_success_timestamp_seconds{policy=\"backup-test\"}"))
    #expect(read > Date().timeIntervalSince1970 - 600, "the bucket was read at start: \(first)")
    #expect(!first.contains("dr_newest_verified_backup_age_seconds{"), "no age of nothing: \(first)")
    let commit = try await Self.headCommit()
    let info = "dr_build_info{version=\"\(DRVersion.current)\",revision=\"\(commit)\"}"
    #expect(Self.value(first, info) == 1, "\(info) in\n\(first)")

    let live = try await worker.get("/livez")
    #expect(live.standardOutput == "ok\n\n200")
    let ready = try await worker.get("/readyz")
    #expect(ready.standardOutput.hasPrefix("ready\nbackup-test: ok: bucket read "), "\(ready.standardOutput)")
    #expect(ready.standardOutput.hasSuffix("\n200"))
    #expect(await worker.stop() == .exited(0))
    await fixture.remove()
  }

  @Test func versionNamesTheVersionAndTheCommit() async throws {
    let result = try await DRBinary.run(["--version"])
    #expect(result.status == 0)
    #expect(result.standardOutput == "\(DRVersion.current) (commit \(try await Self.headCommit()))\n")
  }

  /// The value of the sample line `series VALUE` in an exposition, if there is one.
  static func value(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1))
    }
    return nil
  }
}
