import DRBackup
import DRCore
import DRPostgres

/// The database's own properties (owner, encoding, locale, settings, roles' settings,
/// privileges, comment) on a restored database: pg_restore without `--create` leaves
/// them out, so every restore path applies the manifest's to the database under its new
/// name, and a verification compares them.
public enum RestoredProperties {
  /// The manifest's properties, opened with the backup's key when sealed; nil for a
  /// manifest of an older dr. Sealed properties that do not open fail the backup.
  public static func of(_ manifest: BackupManifest, key: BackupKey?) throws -> DatabaseProperties? {
    do {
      return try manifest.databaseProperties(key: key)
    } catch let error as BackupError {
      throw RestoreError(.encryption, error.message)
    }
  }

  /// What a verification says about them: differences that are the backup's (failures of
  /// kind `database_property`) and what was not restored or compared, and why (notes).
  public struct Outcome: Sendable {
    public var failures: [VerificationRecord.Failure] = []
    public var notes: [String] = []
  }

  /// Applies `properties` to `database` through `admin` (a connection to another database
  /// of its server) within `scope`, reads them back and compares. Left out of the
  /// comparison: what `scope` does not cover, an encoding or locale the server could not
  /// give the database (`creation`), what the server refused, a role's settings when the
  /// role is missing, and the owner or privileges naming a role the server lacks unless
  /// `rolesFromBackup` (then the backup's roles lack a role its database needs: a failure).
  public static func verify(
    _ properties: DatabaseProperties?, database: String, admin: PGConnection, scope: DatabaseProperties.ApplyScope,
    creation: DatabaseProperties.Creation, rolesFromBackup: Bool
  ) async throws -> Outcome {
    guard let properties else {
      return Outcome(notes: ["the manifest records no database properties (an older dr's backup): not compared"])
    }
    let report = try await properties.apply(to: database, on: admin, scope: scope)
    guard let restored = try await DatabaseProperties.read(database: database, on: admin) else {
      throw RestoreError(.undetermined, "the restored database \(database) is gone")
    }
    let refused = report.refusedSettings
    let expected = properties.withoutSettings(refused)
    let differences = expected.differences(in: restored.withoutSettings(refused)) { property in
      switch property {
      case .encoding: !creation.encoding
      case .locale: !creation.locale
      // DROP ROLE drops a role's settings without complaint: a role dropped between the
      // snapshot and the globals leaves settings no restore can have, and no fault.
      case .roleSettings: !scope.covers(property) || report.missingRoles.contains(property)
      default:
        !scope.covers(property) || report.refused.contains(property)
          || (report.missingRoles.contains(property) && !rolesFromBackup)
      }
    }
    var outcome = Outcome(notes: [creation.note].compactMap { $0 } + report.notes)
    outcome.failures = differences.map {
      VerificationRecord.Failure(kind: "database_property", subject: $0.property.description, detail: $0.detail)
    }
    return outcome
  }

  /// Applies `properties` to a restored database outside a verification; returns what
  /// could not be applied, for warnings.
  public static func apply(
    _ properties: DatabaseProperties?, to database: String, admin: PGConnection, scope: DatabaseProperties.ApplyScope
  ) async throws -> [String] {
    guard let properties else { return [] }
    return try await properties.apply(to: database, on: admin, scope: scope).notes
  }
}
