import DRCore
import DRPolicy
import DRPostgres
import Foundation
import Logging

extension BackupRunner {
  /// The most databases dumped at once, whatever the cores.
  public static let maximumDumpsAtOnce = 4

  /// How many databases of a backup are dumped at once. bzip2: one, with every core
  /// compressing it (its compressor fills the cores by itself: three databases took 28.1 s
  /// one after another against 27.0 s two at once; split one thread per dump, the last
  /// database ran alone on one thread and the backup took 37.8 s). zstd and none: one per
  /// core, at most `maximumDumpsAtOnce`, since one pg_dump stream (pg_dump, its server
  /// backend, the row counts) does not fill a core then: 13.1 s one after another against
  /// 9.1 s (`scripts/bench multidb`, 2 cores).
  public static func dumpsAtOnce(databases: Int, cores: Int, codec: CompressionSettings.Codec) -> Int {
    if codec == .bzip2 { return 1 }
    return max(1, min(databases, cores, maximumDumpsAtOnce))
  }

  /// Compressor threads per dump: the policy's count, or with `threads: auto` the cores
  /// shared among the dumps running at once, so memory and threads stay those of one dump.
  public static func threadsPerDump(policyThreads: Int?, cores: Int, atOnce: Int) -> Int? {
    if let policyThreads { return policyThreads }
    return atOnce > 1 ? max(1, cores / atOnce) : nil
  }

  /// Dumps every target, `dumpsAtOnce` at a time, and returns them in the targets' order.
  /// The first is dumped in `first` (the session the globals were taken in); each other
  /// opens its own session when its dump starts. The first failure cancels the dumps still
  /// running (each stops its pg_dump and aborts its uploads) and is thrown; nothing is
  /// listed, as with one database.
  func dumpAll(
    _ targets: [DumpTarget], first: SnapshotSession, setup: DumpSetup, id: BackupID, copies: BackupCopies
  ) async throws -> [DumpedDatabase] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let atOnce = Self.dumpsAtOnce(databases: targets.count, cores: cores, codec: policy.backup.compression.codec)
    var setup = setup
    setup.threads = Self.threadsPerDump(
      policyThreads: Self.threads(policy.backup.compression), cores: cores, atOnce: atOnce)
    if atOnce > 1 { logger.info("dumping \(targets.count) databases, \(atOnce) at once") }
    let several = targets.count > 1
    return try await withThrowingTaskGroup(of: (Int, DumpedDatabase).self) { group in
      var dumped: [Int: DumpedDatabase] = [:]
      var next = 0
      func start(_ index: Int) {
        group.addTask { [self, setup] in
          let session = index == 0 ? first : try await SnapshotSession.open(targets[index].url.connectionString.value)
          return (
            index, try await dump(targets[index], in: session, setup: setup, several: several, id: id, copies: copies)
          )
        }
      }
      while next < min(atOnce, targets.count) {
        start(next)
        next += 1
      }
      while let (index, database) = try await group.next() {
        dumped[index] = database
        if next < targets.count {
          start(next)
          next += 1
        }
      }
      return targets.indices.map { dumped[$0]! }
    }
  }
}
