import Foundation

/// Who is at fault when pg_restore or psql fails, read from what they said: the backup (the
/// archive's own content is refused), the host that restores it (an extension or a program
/// it lacks, a disk or memory it ran out of, a server that went away), or nobody can tell.
/// Only a cause that is the backup's own fails a verification; anything else, and anything
/// not recognised, leaves it inconclusive, naming the error.
enum RestoreDiagnosis: Equatable {
  /// The host ran out of disk or memory (the server's words).
  case resources(String)
  /// The dump needs an extension this host's PostgreSQL does not have.
  case missingExtension(String)
  /// The scratch server went away or refused.
  case serverGone(String)
  /// The archive or its data is refused for what it holds.
  case archive(String)
  /// Not recognised.
  case unknown

  init(_ stderr: String) {
    if let sign = Self.first(Self.resourceSigns, in: stderr) {
      self = .resources(sign)
    } else if let name = Self.missingExtension(in: stderr) {
      self = .missingExtension(name)
    } else if let sign = Self.first(Self.serverSigns, in: stderr) {
      self = .serverGone(sign)
    } else if let sign = Self.first(Self.archiveSigns, in: stderr) {
      self = .archive(sign)
    } else {
      self = .unknown
    }
  }

  static let resourceSigns = [
    "No space left on device", "could not extend file", "out of memory", "Cannot allocate memory",
    "could not resize shared memory", "Disk quota exceeded",
  ]

  static let serverSigns = [
    "server closed the connection unexpectedly", "terminating connection", "connection to server",
    "could not connect to server", "the database system is shutting down", "could not create directory",
  ]

  /// pg_restore refusing the archive, and the server refusing the rows it holds.
  static let archiveSigns = [
    "did not find magic string", "unsupported version", "could not read from input file", "input file is too short",
    "input file appears to be a text format dump", "unexpected end of file", "invalid input syntax",
    "violates unique constraint", "violates foreign key constraint", "violates check constraint",
    "violates not-null constraint", "extra data after last expected column", "missing data for column",
    "invalid byte sequence", "syntax error at or near", "corrupt", "found unexpected block ID",
  ]

  static func first(_ signs: [String], in text: String) -> String? {
    signs.first { text.contains($0) }
  }

  /// `extension "postgis" is not available` (PostgreSQL 15+), `could not open extension
  /// control file ".../postgis.control"` (older).
  static func missingExtension(in text: String) -> String? {
    for marker in ["extension \"", "could not open extension control file \""] {
      var rest = Substring(text)
      while let range = rest.range(of: marker) {
        let after = rest[range.upperBound...]
        let name = after.prefix { $0 != "\"" }
        let tail = after.dropFirst(name.count)
        if marker.hasPrefix("could not") {
          let file = name.split(separator: "/").last.map(String.init) ?? String(name)
          return file.hasSuffix(".control") ? String(file.dropLast(8)) : file
        }
        if tail.hasPrefix("\" is not available") || tail.hasPrefix("\" does not exist") { return String(name) }
        rest = tail
      }
    }
    return nil
  }

  /// The Debian package that provides an extension, where it is known (for a server of
  /// major version `major`); contrib extensions come with the server itself.
  static func package(of extensionName: String, major: Int) -> String? {
    let known = [
      "postgis": "postgresql-\(major)-postgis-3", "postgis_topology": "postgresql-\(major)-postgis-3",
      "postgis_raster": "postgresql-\(major)-postgis-3", "vector": "postgresql-\(major)-pgvector",
      "timescaledb": "timescaledb-2-postgresql-\(major)", "pg_cron": "postgresql-\(major)-cron",
      "pg_partman": "postgresql-\(major)-partman", "hypopg": "postgresql-\(major)-hypopg",
      "pgrouting": "postgresql-\(major)-pgrouting", "pg_repack": "postgresql-\(major)-repack",
      "orafce": "postgresql-\(major)-orafce", "plv8": "postgresql-\(major)-plv8",
      "pgaudit": "postgresql-\(major)-pgaudit", "pg_hint_plan": "postgresql-\(major)-pg-hint-plan",
    ]
    return known[extensionName]
  }
}
