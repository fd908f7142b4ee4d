import DRBackup
import DRCore
import Foundation
import Synchronization

extension Restorer {
  /// SQL run around pg_restore's script, in the same transaction: before it (`BEGIN`, the
  /// schema set aside for `--into-schema`) and after it (renames, the row counts, `COMMIT`).
  struct SelectedScript: Sendable {
    var prologue: String
    var epilogue: String
  }

  /// Restores the entries of `list` into `databaseURL` in one transaction: the dump streams
  /// into `pg_restore -L list`, whose SQL script streams into psql after `prologue`; the
  /// `epilogue` (and its `COMMIT`) is sent only once pg_restore succeeded and the whole
  /// object matched its SHA-256. Any failure, a row count that differs, or a signal ends
  /// psql before `COMMIT`, and the server rolls everything back: nothing is half-written.
  func restoreSelected(
    into databaseURL: String, password: String?, list: String, noOwner: Bool, script: SelectedScript
  ) async throws -> Timings {
    guard let object = manifest.object(.dump) else { throw RestoreError(.corrupt, "the manifest lists no dump") }
    let started = ContinuousClock.now
    progress.enter(.restoring)
    defer { progress.enter(.counting) }
    return try await ChildProcess.run(
      "\(bindir)/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseURL],
      environment: childEnvironment(password), input: true
    ) { psql in
      let drain = Task { while try await psql.output.next() != nil {} }
      do {
        guard let sql = psql.input else { throw SystemError("psql was started without an input") }
        try await sql.write(Array(script.prologue.utf8))
        let fetched = try await scriptOfSelected(object, list: list, noOwner: noOwner, into: sql)
        try await sql.write(Array(script.epilogue.utf8))
        psql.closeInput()
        try await drain.value
        let end = await psql.wait()
        guard end.succeeded else { throw selectedFailure(psql.standardError, end: end) }
        return Timings(
          started: started, downloaded: fetched.downloaded, decompressed: fetched.decompressed, restored: .now,
          bytesDownloaded: fetched.bytesDownloaded, bytesRestored: fetched.bytesDecompressed)
      } catch {
        drain.cancel()
        // psql ends before COMMIT: its transaction is rolled back.
        _ = await psql.terminate(grace: .seconds(5))
        let stderr = psql.standardError
        if error is RestoreError, !stderr.contains("ERROR:") { throw error }
        throw stderr.contains("ERROR:") ? selectedFailure(stderr, end: psql.termination) : error
      }
    }
  }

  /// `pg_restore -L list` writing its script into psql's input as the dump streams in.
  /// pg_restore may stop reading once it has what the list wants: the rest of the object is
  /// still downloaded and checked (discarded), so that nothing commits unchecked.
  private func scriptOfSelected(
    _ object: BackupManifest.Object, list: String, noOwner: Bool, into sql: FileDescriptorWriter
  ) async throws -> ObjectFetcher.Timings {
    var arguments = ["-L", list, "--file=-", "--verbose"]
    if noOwner { arguments += ["--no-owner", "--no-acl"] }
    return try await ChildProcess.run(
      "\(bindir)/pg_restore", arguments, environment: environment, input: true,
      standardErrorLines: progress.pgRestoreSaid
    ) { restore in
      // psql stopping (an error in the script) ends pg_restore too: else, its output no
      // longer read, it would stop reading the dump and the download would wait forever.
      let pump = Task {
        do {
          while let chunk = try await restore.output.next() { try await sql.write(chunk) }
        } catch {
          _ = await restore.terminate(grace: .seconds(2))
          throw error
        }
      }
      let closed = InputClosed()
      do {
        let fetched = try await fetch(object) { bytes in
          guard let input = restore.input, !closed.flag.load(ordering: .relaxed) else { return }
          do {
            try await input.write(bytes)
            progress.restored(bytes.count)
          } catch {
            if let end = restore.termination, !end.succeeded { throw StoppedReading() }
            closed.flag.store(true, ordering: .relaxed)
          }
        }
        restore.closeInput()
        try await pump.value
        try check(await restore.wait(), restore.standardError)
        return fetched
      } catch {
        pump.cancel()
        throw await explain(error, of: restore)
      }
    }
  }

  /// psql stopped: a row count that differs (the epilogue's check) fails the restore as the
  /// backup's; anything else is said in the server's words.
  func selectedFailure(_ stderr: String, end: ChildProcess.Termination?) -> RestoreError {
    let counts = stderr.split(separator: "\n").compactMap { line -> String? in
      guard let range = line.range(of: SelectedCounts.marker) else { return nil }
      return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    if !counts.isEmpty {
      return RestoreError(
        .corrupt,
        "the restored objects do not match the backup's row counts (\(counts.joined(separator: "; "))); "
          + "nothing was changed in the target")
    }
    return failure(
      "restoring the selected objects failed (\(end.map { "\($0)" } ?? "psql stopped")); nothing was changed "
        + "in the target", Self.lastLines(stderr), stderr: stderr)
  }
}

/// pg_restore closed its input having read what it wanted: the rest is only checked.
final class InputClosed: Sendable {
  let flag = Atomic<Bool>(false)
}
