import DRBackup
import DRCore
import Foundation

extension Restorer {
  /// Download, decompress and pg_restore at once, in one transaction: a failure anywhere
  /// (or a checksum that does not match: the last stream is held back) leaves nothing.
  func stream(
    _ object: BackupManifest.Object, into databaseURL: String, password: String?, options: Options,
    started: ContinuousClock.Instant
  ) async throws -> Timings {
    let child = try ChildProcess(
      "\(bindir)/pg_restore", pgRestoreArguments(databaseURL, options: options) + ["--single-transaction"],
      environment: childEnvironment(password), input: true)
    let drain = Task { while try await child.output.next() != nil {} }
    do {
      let fetched = try await fetch(object) { bytes in
        guard let input = child.input else { return }
        do {
          try await input.write(bytes)
        } catch {
          throw StoppedReading()
        }
      }
      child.closeInput()
      try await drain.value
      try Self.check(await child.wait(), child.standardError)
      return Timings(
        started: started, downloaded: fetched.downloaded, decompressed: fetched.decompressed, restored: .now,
        bytesDownloaded: fetched.bytesDownloaded, bytesRestored: fetched.bytesDecompressed)
    } catch {
      drain.cancel()
      await child.terminate(grace: .seconds(5))
      _ = await child.wait()  // Its standard error read to the end, to say why it stopped.
      let stderr = child.standardError
      if error is StoppedReading {
        throw Self.failure("pg_restore stopped reading", Self.lastLines(stderr), stderr: stderr)
      }
      if let failure = error as? RestoreError, failure.code == .restore, let sign = Self.resourceSign(in: stderr) {
        throw RestoreError(.resources, "\(failure.message) (the restore target ran out of resources: \(sign))")
      }
      if case .exited(let code) = child.termination, code != 0, !(error is RestoreError) {
        throw Self.failure("pg_restore failed", Self.lastLines(stderr), stderr: stderr)
      }
      throw error
    }
  }

  /// Download and decompress to a temporary file, then `pg_restore -j`. The file is
  /// removed on every path.
  func viaFile(
    _ object: BackupManifest.Object, into databaseURL: String, password: String?, jobs: Int, options: Options,
    started: ContinuousClock.Instant
  ) async throws -> Timings {
    let path = (options.temporaryDirectory as NSString).appendingPathComponent(
      "\(ScratchReaper.dumpPrefix)\(ProcessIdentity.current)-\(manifest.id)-\(UInt32.random(in: 0...UInt32.max)).pgc")
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw SystemError("cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { unlink(path) }
    let writer = FileDescriptorWriter(fd: fd)
    let fetched: ObjectFetcher.Timings
    do {
      fetched = try await fetch(object) { bytes in
        do {
          try await writer.write(bytes)
        } catch {
          throw RestoreError(.resources, "cannot write the temporary dump file \(path): \(error)")
        }
      }
      close(fd)
    } catch {
      close(fd)
      throw error
    }
    let output = try await ProcessRunner.run(
      "\(bindir)/pg_restore", pgRestoreArguments(databaseURL, options: options) + ["--jobs=\(max(1, jobs))", path],
      environment: childEnvironment(password))
    try Self.check(output.status == 0 ? .exited(0) : .exited(output.status), output.standardError)
    return Timings(
      started: started, downloaded: fetched.downloaded, decompressed: fetched.decompressed, restored: .now,
      bytesDownloaded: fetched.bytesDownloaded, bytesRestored: fetched.bytesDecompressed)
  }

  static func check(_ termination: ChildProcess.Termination, _ stderr: String) throws {
    guard termination.succeeded else {
      throw failure("pg_restore failed (\(termination))", lastLines(stderr), stderr: stderr)
    }
  }

  /// What a failed pg_restore or psql means: the target (a scratch cluster on a full disk)
  /// ran out of space or memory, which says nothing about the backup, or the restore
  /// itself failed.
  static func failure(_ what: String, _ detail: String, stderr: String) -> RestoreError {
    if let sign = resourceSign(in: stderr) {
      return RestoreError(.resources, "\(what): the restore target ran out of resources (\(sign)): \(detail)")
    }
    return RestoreError(.restore, "\(what): \(detail)")
  }

  /// The server's words for running out of disk or memory, if `stderr` has them.
  static func resourceSign(in stderr: String) -> String? {
    let signs = [
      "No space left on device", "could not extend file", "out of memory", "Cannot allocate memory",
      "could not resize shared memory",
    ]
    return signs.first { stderr.contains($0) }
  }

  static func lastLines(_ text: String) -> String {
    let lines = text.split(separator: "\n").filter { !$0.isEmpty }
    let errors = lines.filter { $0.contains("error") || $0.contains("ERROR") }
    return (errors.isEmpty ? lines.suffix(3) : errors.prefix(3)).joined(separator: " | ")
  }
}

/// pg_restore closed its standard input: why is in its standard error, read once it ended.
private struct StoppedReading: Error {}
