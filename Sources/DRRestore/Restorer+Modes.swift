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
    try await ChildProcess.run(
      "\(bindir)/pg_restore", pgRestoreArguments(databaseURL, options: options) + ["--single-transaction"],
      environment: childEnvironment(password), input: true, standardErrorLines: progress.pgRestoreSaid
    ) { child in
      let drain = Task { while try await child.output.next() != nil {} }
      do {
        let fetched = try await fetch(object) { bytes in
          guard let input = child.input else { return }
          do {
            try await input.write(bytes)
            progress.restored(bytes.count)
          } catch {
            throw StoppedReading()
          }
        }
        child.closeInput()
        try await drain.value
        try check(await child.wait(), child.standardError)
        return Timings(
          started: started, downloaded: fetched.downloaded, decompressed: fetched.decompressed, restored: .now,
          bytesDownloaded: fetched.bytesDownloaded, bytesRestored: fetched.bytesDecompressed)
      } catch {
        drain.cancel()
        throw await explain(error, of: child)
      }
    }
  }

  /// Why the streamed restore stopped, in pg_restore's words when it said something.
  func explain(_ error: any Error, of child: ChildProcess) async -> any Error {
    await child.terminate(grace: .seconds(5))
    _ = await child.wait()  // Its standard error read to the end, to say why it stopped.
    let stderr = child.standardError
    if error is StoppedReading {
      return failure("pg_restore stopped reading", Self.lastLines(stderr), stderr: stderr)
    }
    if let failure = error as? RestoreError, failure.code == .restore, let sign = Self.resourceSign(in: stderr) {
      return RestoreError(.resources, "\(failure.message) (the restore target ran out of resources: \(sign))")
    }
    if case .exited(let code) = child.termination, code != 0, !(error is RestoreError) {
      return failure("pg_restore failed", Self.lastLines(stderr), stderr: stderr)
    }
    return error
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
          progress.restored(bytes.count)
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
      environment: childEnvironment(password), standardErrorLines: progress.pgRestoreSaid)
    try check(output.status == 0 ? .exited(0) : .exited(output.status), output.standardError)
    return Timings(
      started: started, downloaded: fetched.downloaded, decompressed: fetched.decompressed, restored: .now,
      bytesDownloaded: fetched.bytesDownloaded, bytesRestored: fetched.bytesDecompressed)
  }

  func check(_ termination: ChildProcess.Termination, _ stderr: String) throws {
    guard termination.succeeded else {
      throw failure("pg_restore failed (\(termination))", Self.lastLines(stderr), stderr: stderr)
    }
  }

  /// What a failed pg_restore or psql means, by its own words (`RestoreDiagnosis`): the
  /// backup's content refused fails it; the host's shortcomings and anything not recognised
  /// do not.
  func failure(_ what: String, _ detail: String, stderr: String) -> RestoreError {
    switch RestoreDiagnosis(stderr) {
    case .resources(let sign):
      RestoreError(.resources, "\(what): the restore target ran out of resources (\(sign)): \(detail)")
    case .missingExtension(let name):
      RestoreError(.hostLacks, "\(what): \(Self.missing(name, major: manifest.database.serverVersionNum / 10_000))")
    case .serverGone(let sign):
      RestoreError(.hostLacks, "\(what): the server being restored into failed (\(sign)): \(detail)")
    case .archive:
      RestoreError(.restore, "\(what): \(detail)")
    case .unknown:
      RestoreError(.undetermined, "\(what): \(detail)")
    }
  }

  /// `the dump needs the extension postgis, which this host's PostgreSQL lacks: install
  /// postgresql-15-postgis-3 (Debian)`.
  static func missing(_ name: String, major: Int) -> String {
    let package = RestoreDiagnosis.package(of: name, major: major).map { "install \($0) (Debian)" }
    return "the dump needs the extension \(name), which this host's PostgreSQL lacks: "
      + (package ?? "install the package that provides it for PostgreSQL \(major)")
  }

  /// The server's words for running out of disk or memory, if `stderr` has them.
  static func resourceSign(in stderr: String) -> String? {
    RestoreDiagnosis.first(RestoreDiagnosis.resourceSigns, in: stderr)
  }

  static func lastLines(_ text: String) -> String {
    let lines = text.split(separator: "\n").filter { !$0.isEmpty }
    let errors = lines.filter { $0.contains("error") || $0.contains("ERROR") }
    return (errors.isEmpty ? lines.suffix(3) : errors.prefix(3)).joined(separator: " | ")
  }
}

/// pg_restore closed its standard input: why is in its standard error, read once it ended.
struct StoppedReading: Error {}
