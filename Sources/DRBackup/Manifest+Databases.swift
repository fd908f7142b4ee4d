import DRCore
import DRPostgres
import Foundation

extension BackupManifest {
  /// One database of a backup of several: what `database` and `rowCounts` say of the first,
  /// for each. Its dump is the object whose `database` is its name.
  public struct DatabaseEntry: Sendable, Codable, Equatable {
    public var name: String
    /// The database's owner.
    public var owner: String?
    /// `pg_database_size` when its dump started.
    public var sizeBytes: Int64
    /// Its own properties, read in its snapshot; `sealedProperties` in an encrypted backup.
    public var properties: DatabaseProperties? = nil
    public var sealedProperties: SealedProperties? = nil
    /// Its extensions, read in its snapshot (nil when they could not be read).
    public var extensions: [InstalledExtension]? = nil
    /// Every table's rows, counted in its dump's own snapshot.
    public var rowCounts: RowCounts
    /// When its snapshot was taken and when its dump was uploaded.
    public var startedAt: Date
    public var finishedAt: Date

    public init(
      name: String, owner: String?, sizeBytes: Int64, rowCounts: RowCounts, startedAt: Date, finishedAt: Date
    ) {
      self.name = name
      self.owner = owner
      self.sizeBytes = sizeBytes
      self.rowCounts = rowCounts
      self.startedAt = startedAt
      self.finishedAt = finishedAt
    }
  }

  /// The oldest format that describes a backup of `count` databases: a dr that reads only
  /// format 1 would take a backup of several for its first database alone (a verification
  /// of one database recorded as the backup's, a copy that drops the others from its
  /// manifest), so such a backup is format 2 and that dr leaves it alone as "newer".
  public static func format(databaseCount count: Int) -> Int { count > 1 ? 2 : 1 }

  /// The databases of the backup, in the order they were dumped (the first is the default).
  public var databaseNames: [String] { databases?.map(\.name) ?? [database.name] }

  /// The tables counted, in every database.
  public var tableCount: Int { databases?.reduce(0) { $0 + $1.rowCounts.tables.count } ?? rowCounts.tables.count }

  /// A backup of more than one database.
  public var hasSeveralDatabases: Bool { (databases?.count ?? 1) > 1 }

  /// The backup as if it held `name` alone: the globals, that database's dump, properties
  /// and row counts, as a single-database manifest has them, for the restore and
  /// verification of one database. nil when the backup does not hold it.
  public func selecting(database name: String) -> BackupManifest? {
    guard let entries = databases else { return name == database.name ? self : nil }
    guard let entry = entries.first(where: { $0.name == name }) else { return nil }
    var one = self
    one.database.name = entry.name
    one.database.owner = entry.owner
    one.database.sizeBytes = entry.sizeBytes
    one.database.properties = entry.properties
    one.database.sealedProperties = entry.sealedProperties
    one.database.extensions = entry.extensions
    one.rowCounts = entry.rowCounts
    one.objects = objects.filter { $0.role != .dump || $0.database == name }
    // Kept (alone) so that its sealed properties open under its own name.
    one.databases = [entry]
    return one
  }

  /// The dump object of database `name`.
  public func dump(of name: String) -> Object? {
    guard databases != nil else { return name == database.name ? object(.dump) : nil }
    return objects.first { $0.role == .dump && $0.database == name }
  }

  /// What makes a manifest's list of databases unusable, if anything: names missing,
  /// repeated or without exactly one dump, dumps of no listed database, or a first
  /// database that is not the one `database` describes.
  var databasesProblem: String? {
    guard let entries = databases else {
      return objects.contains { $0.database != nil } ? "names the database of a dump but lists no databases" : nil
    }
    let names = entries.map(\.name)
    guard let first = names.first else { return "has an empty list of databases" }
    guard !names.contains(where: \.isEmpty) else { return "lists a database without a name" }
    guard Set(names).count == names.count else { return "lists a database twice" }
    guard first == database.name else { return "describes \(database.name) first but lists \(first) first" }
    let dumps = objects.filter { $0.role == .dump }
    for name in names where dumps.filter({ $0.database == name }).count != 1 {
      return "has no single dump of database \(name.escapingControlCharacters)"
    }
    guard dumps.count == names.count else { return "has a dump of no listed database" }
    return nil
  }
}

extension BucketLayout {
  /// The dump of database `name` in a backup of several: `dump-NAME.pgc.bz2`, the name
  /// with every byte but ASCII letters, digits, `_` and `-` written `%XX` (a database may
  /// be called `../x` or hold a newline; a key must stay one plain file name).
  public func dumpKey(_ id: BackupID, database name: String, fileExtension: String) -> String {
    backupPrefix(id) + "dump-" + Self.fileName(name) + ".pgc" + (fileExtension.isEmpty ? "" : "." + fileExtension)
  }

  static func fileName(_ name: String) -> String {
    name.utf8.map { byte in
      let plain =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        || byte == 0x2D
      return plain ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).zeroPadded(to: 2)
    }.joined()
  }
}
