import DRCompression
import DRCore
import DRCrypto
import DRPolicy
import DRPostgres
import DRS3
import Foundation
import Logging

extension BackupRunner {
  /// `pg_dump -Fc -Z0 --snapshot=S` → chunker → N compressors → ordered writer → (segment
  /// encryption) → multipart uploads (production's and each copy's), all streaming.
  /// pg_dump's failure (exit status or an error line on stderr), a compressor's, the
  /// encryption's or the primary upload's stops everything and aborts the uploads. `name`:
  /// the database, in a backup of several (its object is named after it). With
  /// `countRows`, the rows of every table are counted in the archive as it passes.
  func dumpDatabase(
    id: BackupID, tool: PGTool, database: DatabaseConnection, name: String?, snapshot: String, size: Int64,
    copies: BackupCopies, key: BackupKey?, compression: BackupCompression, threads: Int?, countRows: Bool
  ) async throws -> (BackupManifest.Object, ArchiveRowCounter.Outcome?) {
    let command = PGDumpCommand.dump(
      tool: tool, connection: database.connection, password: database.password, snapshot: snapshot,
      baseEnvironment: database.environment)
    let codec = compression.codec
    let fileExtension = Self.fileExtension(codec, encrypted: key != nil)
    let objectKey =
      name.map { layout.dumpKey(id, database: $0, fileExtension: fileExtension) }
      ?? layout.dumpKey(id, fileExtension: fileExtension)
    // Compressed data arrives at compression speed: two parts in flight keep the upload
    // ahead of it, and memory stays (2 + 1) × part size.
    let uploader = await fanOut(
      id: id, key: objectKey, plan: UploadPlan.forExpectedSize(size, partsInFlight: 2), copies: copies,
      progress: { [progress] in progress.uploaded(total: $0) })
    let sealing = key?.newObject(named: BackupKey.name(of: objectKey))
    let encryptor = sealing.map { CipherStream(cipher: $0.cipher, direction: .seal) { try await uploader.write($0) } }
    let compressor = try compression.compressor(threads: threads) {
      [progress] chunk in
      progress.compressed(chunk.bytes.count)
      if let encryptor { try await encryptor.write(chunk.bytes) } else { try await uploader.write(chunk.bytes) }
    }
    // pg_dump's output is read into recycled megabyte buffers: fresh ones are fresh
    // mappings, whose page faults were a fifth of a backup's CPU time.
    let reads = BufferRecycler(size: 1 << 20, limit: 3)
    return try await ChildProcess.run(
      command.executable, command.arguments, environment: command.environment, recycler: reads,
      outputCapacity: 2 << 20
    ) { child in
      var counter = countRows ? ArchiveRowCounter() : nil
      do {
        while let bytes = try await child.output.next() {
          progress.dumped(bytes.count)
          counter?.feed(bytes)
          try await compressor.write(bytes)
          reads.give(bytes)
        }
        try Self.check(pgDump: await child.wait(), stderr: child.standardError, tool: tool)
        let summary = try await compressor.finish()
        _ = try await encryptor?.finish()
        let object = try await settle(try await uploader.finish(), copies: copies) {
          var object = Self.object(
            .dump, upload: $0, summary: summary, codec: codec,
            encryption: sealing.map { .init(salt: $0.salt, plaintextSize: summary.bytesOut) })
          object.database = name
          return object
        }
        return (object, counter?.outcome)
      } catch {
        await child.terminate(grace: .seconds(5))
        await compressor.abort()
        await encryptor?.abort()
        await uploader.abort()
        if !child.standardError.isEmpty { logger.error("pg_dump said: \(child.standardError)") }
        throw error
      }
    }
  }

  /// `pg_dumpall --globals-only` (roles, tablespaces), compressed (and encrypted) as one
  /// small object, to production and each copy. A role that cannot read `pg_authid` (not a
  /// superuser, nor a member of `pg_read_all_data`) dumps them with `--no-role-passwords`.
  func dumpGlobals(
    id: BackupID, tool: PGTool, database: DatabaseConnection, rolePasswords: Bool, copies: BackupCopies,
    key: BackupKey?, compression: BackupCompression
  ) async throws -> BackupManifest.Object {
    if !rolePasswords {
      logger.notice(
        """
        the backup role cannot read pg_authid (not a superuser, nor a member of pg_read_all_data): roles are dumped \
        without their passwords (pg_dumpall --no-role-passwords); a restore gives them none
        """)
    }
    let script = try await consistentGlobals(tool: tool, database: database, rolePasswords: rolePasswords)
    let codec = compression.codec
    let collected = CompressedCollector()
    let compressor = try compression.compressor(threads: 1) { chunk in await collected.append(chunk.bytes) }
    try await compressor.write(Array(script.utf8))
    let summary = try await compressor.finish()
    let objectKey = layout.globalsKey(id, fileExtension: Self.fileExtension(codec, encrypted: key != nil))
    let sealing = key?.newObject(named: BackupKey.name(of: objectKey))
    var body = await collected.bytes
    if let cipher = sealing?.cipher { body = try await runBlocking("dr-cipher") { [body] in cipher.sealObject(body) } }
    let uploader = await fanOut(
      id: id, key: objectKey, plan: UploadPlan.forExpectedSize(Int64(body.count)), copies: copies)
    do {
      try await uploader.write(body)
      return try await settle(try await uploader.finish(), copies: copies) {
        Self.object(
          .globals, upload: $0, summary: summary, codec: codec,
          encryption: sealing.map { .init(salt: $0.salt, plaintextSize: summary.bytesOut) })
      }
    } catch {
      await uploader.abort()
      throw error
    }
  }

  /// The globals script, taken again (up to three times in all) when roles changed while
  /// pg_dumpall ran and the script grants roles it does not create: replayed, it would fail.
  func consistentGlobals(tool: PGTool, database: DatabaseConnection, rolePasswords: Bool) async throws -> String {
    let dumpall = tool.siblingTool("pg_dumpall")
    let command = PGDumpCommand.globals(
      tool: dumpall, connection: database.connection, password: database.password, withRolePasswords: rolePasswords,
      baseEnvironment: database.environment)
    return try await GlobalsScript.consistent(logger: logger) {
      let output = try await ProcessRunner.run(command.executable, command.arguments, environment: command.environment)
      guard output.status == 0 else {
        throw BackupError(
          .dumpFailed, "pg_dumpall --globals-only failed (exit \(output.status)): \(output.standardError)")
      }
      return output.standardOutput
    }
  }

  static func check(pgDump termination: ChildProcess.Termination, stderr: String, tool: PGTool) throws {
    let errorLines = stderr.split(separator: "\n").filter { $0.contains("error:") || $0.contains("FATAL") }
    guard termination.succeeded, errorLines.isEmpty else {
      let detail = errorLines.first.map(String.init) ?? stderr.split(separator: "\n").last.map(String.init) ?? ""
      throw BackupError(
        .dumpFailed,
        "pg_dump \(tool.version) failed (\(termination))\(detail.isEmpty ? "" : ": \(detail)")"
          + privilegeHint(stderr))
    }
  }

  /// What a backup role without superuser rights lacks, from pg_dump's words.
  static func privilegeHint(_ stderr: String) -> String {
    if stderr.contains("row-level security") {
      return ". The backup role is subject to row-level security, so its dump would miss rows: give it BYPASSRLS "
        + "(ALTER ROLE … BYPASSRLS, as a superuser) or back up as the tables' owner"
    }
    if stderr.contains("permission denied for large object") {
      return ". pg_read_all_data does not cover large objects: GRANT SELECT ON LARGE OBJECT … to the backup role, "
        + "or make it a member of their owner"
    }
    if stderr.contains("permission denied") {
      return ". The backup role must read everything: GRANT pg_read_all_data TO it (PostgreSQL 14 or newer), or "
        + "back up as a superuser"
    }
    return ""
  }

  /// The policy's codec (its level checked when the policy was loaded).
  static func codec(_ settings: CompressionSettings) -> Codec {
    switch settings.codec {
    case .bzip2: .bzip2(level: settings.level)
    case .zstd: .zstd(level: settings.level)
    case .none: .none
    }
  }

  static func threads(_ settings: CompressionSettings) -> Int? {
    if case .count(let count) = settings.threads { return count }
    return nil
  }

  static func object(
    _ role: BackupManifest.Object.Role, upload: UploadResult, summary: CompressionSummary, codec: Codec,
    encryption: BackupManifest.ObjectEncryption?
  ) -> BackupManifest.Object {
    BackupManifest.Object(
      role: role, key: upload.key, size: upload.size, sha256: upload.sha256 ?? "", etag: upload.etag,
      parts: upload.parts, partSize: upload.partSize,
      compression: BackupManifest.Compression(
        codec: codec.name, level: codec.level, chunkSize: summary.chunkSize, uncompressedSize: summary.bytesIn,
        streamLengths: summary.streams.map(\.compressedLength)),
      encryption: encryption)
  }

  /// `bz2` or `zst`, and `.enc` after it for an encrypted object: stock tools cannot read it.
  static func fileExtension(_ codec: Codec, encrypted: Bool) -> String {
    [codec.fileExtension, encrypted ? "enc" : ""].filter { !$0.isEmpty }.joined(separator: ".")
  }
}

/// Gathers the compressed streams of a small object in order.
actor CompressedCollector {
  private(set) var bytes: [UInt8] = []
  func append(_ chunk: [UInt8]) { bytes += chunk }
}
