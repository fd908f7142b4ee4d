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
      let fetched = try await fetcher.fetch(object) { bytes in
        guard let input = child.input else { return }
        do {
          try await input.write(bytes)
        } catch {
          throw VerifyError(.restore, "pg_restore stopped reading: \(Self.lastLines(child.standardError))")
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
      if case .exited(let code) = child.termination, code != 0, !(error is VerifyError) {
        throw VerifyError(.restore, "pg_restore failed: \(Self.lastLines(child.standardError))")
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
    let path = "\(options.temporaryDirectory)/dr-restore-\(manifest.id)-\(UInt32.random(in: 0...UInt32.max)).pgc"
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw SystemError("cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { unlink(path) }
    let writer = FileDescriptorWriter(fd: fd)
    let fetched: ObjectFetcher.Timings
    do {
      fetched = try await fetcher.fetch(object) { try await writer.write($0) }
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
      throw VerifyError(.restore, "pg_restore failed (\(termination)): \(lastLines(stderr))")
    }
  }

  static func lastLines(_ text: String) -> String {
    let lines = text.split(separator: "\n").filter { !$0.isEmpty }
    let errors = lines.filter { $0.contains("error") || $0.contains("ERROR") }
    return (errors.isEmpty ? lines.suffix(3) : errors.prefix(3)).joined(separator: " | ")
  }
}
