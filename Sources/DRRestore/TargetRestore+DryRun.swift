import DRBackup
import DRCore
import DRPolicy
import DRPostgres
import Logging

extension TargetRestore {
  /// How the restore a dry run looks ahead to would run.
  public struct DryRunOptions: Sendable {
    public var allowOlderServer: Bool
    public var noOwner: Bool
    /// `--clean`: a non-empty target may be replaced.
    public var replace: Bool
    /// `--database`: the database of a backup of several (required there, as for the restore).
    public var database: String?
    /// `--schema`, `--table`: what a partial restore would restore, and what exists already.
    public var partial: PartialRequest?

    public init(
      allowOlderServer: Bool = false, noOwner: Bool = false, replace: Bool = false, database: String? = nil,
      partial: PartialRequest? = nil
    ) {
      self.allowOlderServer = allowOlderServer
      self.noOwner = noOwner
      self.replace = replace
      self.database = database
      self.partial = partial
    }
  }

  /// `dr restore --target URL --dry-run`: chooses the backup as the restore would, and
  /// looks at the target the way the restore will use it, with queries alone: the server's
  /// major against the dump's, every extension the dump needs (from the manifest), whether
  /// the connecting role may create the database and the backup's roles (or needs
  /// `--no-owner`), and free space. Nothing is created, dropped or changed (not even the
  /// leftovers of a killed dr, which a restore would remove). A target that cannot be
  /// reached is a failed finding, not an error.
  public func dryRun(_ selection: BackupSelection, target: PostgresURL, options: DryRunOptions) async throws
    -> TargetCheckReport
  {
    guard let name = target.database else {
      throw RestoreError(.target, "the target URL names no database: postgresql://user@host:port/DATABASE")
    }
    let (id, warnings) = try selection.forRestore(try await catalogue.entries())
    warnings.forEach { logger.warning("\($0)") }
    let manifest = try Self.choose(options.database, of: try await catalogue.manifest(of: id))
    var findings: [TargetFinding] = []
    if manifest.encryption != nil { findings.append(await keyFinding(manifest)) }
    let database = TargetDatabase(url: target, name: name)
    let facts: TargetServerFacts
    do {
      facts = try await TargetServerFacts.read(
        maintenance: database.maintenance, database: name, sourceOwner: manifest.database.owner)
    } catch {
      findings.append(
        TargetFinding(
          "connection", .fail, "cannot inspect \(target.hosts): \(error)",
          fix: "check the URL, the password (PGPASSWORD, ~/.pgpass) and that the server accepts this connection"))
      return TargetCheckReport(id: id.rawValue, target: target.description, findings: findings)
    }
    findings.append(
      TargetFindings.server(
        manifest, serverMajor: facts.serverMajor, serverVersion: facts.serverVersion, hosts: target.hosts,
        allowOlderServer: options.allowOlderServer))
    findings += TargetFindings.extensions(
      manifest.database.extensions, available: facts.available, serverMajor: facts.serverMajor,
      superuser: facts.access.superuser, place: "the target")
    if let request = options.partial {
      findings += try await partialFindings(
        manifest, target: target, database: database, request: request, noOwner: options.noOwner)
    } else {
      findings.append(TargetFindings.database(facts.access, replace: options.replace))
      findings.append(TargetFindings.roles(facts.access, manifest, noOwner: options.noOwner))
    }
    let space = facts.freeSpace()
    findings.append(TargetFindings.freeSpace(manifest, free: space.free, place: space.place, unknown: space.unknown))
    return TargetCheckReport(id: id.rawValue, target: target.description, findings: findings)
  }

  /// An encrypted backup: a key this host has opens it (the restore would stop there).
  private func keyFinding(_ manifest: BackupManifest) async -> TargetFinding {
    do {
      let key = try await keys.unlock(manifest, logger: logger)
      return TargetFinding("key", .ok, "\(key.map(\.description) ?? "no key needed") opens \(manifest.id)")
    } catch {
      return TargetFinding(
        "key", .fail, "\(error)", fix: "give this host the key the backup was made with (decryption_keys)")
    }
  }
}
