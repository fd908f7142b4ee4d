import ArgumentParser
import DRCore
import DRRestore
import Foundation
import Logging

extension Restore {
  /// `--schema`, `--table` and `--into-schema` as a request; nil for a whole database.
  func partialRequest() throws -> PartialRequest? {
    var tables: [PartialRequest.TableName] = []
    for text in table {
      guard let name = PartialRequest.TableName(text) else {
        throw ValidationError("--table \(text.escapingControlCharacters): expected SCHEMA.TABLE (public.orders)")
      }
      tables.append(name)
    }
    let request = PartialRequest(schemas: schema, tables: tables, intoSchema: intoSchema)
    return request.isEmpty ? nil : request
  }

  func validatePartial() throws {
    guard let request = try partialRequest() else {
      guard intoSchema == nil else {
        throw ValidationError("--into-schema goes with --table or --schema: it renames what they restore")
      }
      return
    }
    guard env == nil else { throw ValidationError("--schema and --table go with --target, not --env") }
    guard !clean else {
      throw ValidationError(
        "--clean replaces a whole database; a partial restore replaces nothing (it is refused when a restored "
          + "object exists in the target)")
    }
    if let into = request.intoSchema {
      guard request.sourceSchema != nil else {
        throw ValidationError("--into-schema renames one schema: select tables of one schema, or one --schema")
      }
      guard !into.isEmpty, into != request.sourceSchema else {
        throw ValidationError("--into-schema \(into.escapingControlCharacters): name another schema than the source")
      }
    }
  }

  /// The partial restore, once the backup is chosen and opened.
  func restorePartial(
    _ restore: TargetRestore, _ prepared: TargetRestore.Prepared, _ request: PartialRequest, logger: Logger
  ) async throws {
    let status = StatusLine(logger: logger)
    let ticker = restore.progress.show(on: status)
    defer {
      ticker.cancel()
      status.clear()
    }
    let result = try await SignalTrap.run { [noOwner, temporaryDirectory] in
      let setup = try await restore.planPartial(prepared, request: request)
      return try await restore.runPartial(
        prepared, setup: setup, noOwner: noOwner, temporaryDirectory: temporaryDirectory)
    }
    ticker.cancel()
    status.clear()
    if global.json { return try Output.json(result) }
    for warning in result.warnings { Output.line("warning: \(warning)") }
    let tables = result.tables.map { "\($0.table) (\($0.rows.map { "\($0) rows" } ?? "not counted"))" }
    Output.line(
      "restored \(result.restored.count) objects of \(result.id) into \(result.target)"
        + (result.created ? " (a new database)" : "") + ": " + tables.joined(separator: ", ")
        + String(format: " in %.1f s; row counts match the backup's", result.durationSeconds))
    for entry in result.restored { Output.line("  \(entry.escapingControlCharacters)") }
  }
}
