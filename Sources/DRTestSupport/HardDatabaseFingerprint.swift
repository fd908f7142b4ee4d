import DRPostgres
import Foundation

/// What a restore of a database must keep, read from the database itself: every table's
/// rows (count and md5 in a deterministic order), sequence values, large objects,
/// materialized view contents, and the catalog facts (columns, constraints, indexes,
/// triggers, views, functions, types, comments, owners, privileges, the roles involved,
/// the database's own settings). Things are named, never identified by OID (large objects
/// excepted: their OIDs are what tables hold, and pg_dump keeps them).
///
/// Take it as a superuser (row-level security and privileges would hide rows otherwise).
/// Two fingerprints are equal when every fact is; `differences(from:)` says which are not.
public struct DatabaseFingerprint: Equatable, Sendable {
  /// The kinds of facts, so that a comparison can leave some out.
  public enum Aspect: String, Sendable, CaseIterable, Comparable {
    /// Rows, sequence values, large objects and the schema: what any restore must keep.
    case contents
    /// Owners, ACLs, default privileges, and the roles involved (attributes, settings,
    /// memberships, comments): lost on purpose by `pg_restore --no-owner --no-privileges`
    /// into another server.
    case ownership
    /// The database's own owner, encoding, locale, ACL, comment and settings, including
    /// roles' settings in it: pg_dump restores these only with `pg_restore --create`.
    case databaseProperties

    public static func < (lhs: Aspect, rhs: Aspect) -> Bool {
      allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
  }

  /// One fact: its value and its aspect.
  public struct Fact: Equatable, Sendable {
    public let value: String
    public let aspect: Aspect
  }

  /// Every fact by its name, such as `rows "Sales Q1"."Customers"`.
  public let facts: [String: Fact]

  public init(facts: [String: Fact]) {
    self.facts = facts
  }

  /// The value of the fact named `name`.
  public subscript(name: String) -> String? { facts[name]?.value }

  /// Reads the fingerprint of the database at `url` (a superuser's connection), in one
  /// read-only snapshot, leaving out the facts of `ignoring`.
  public static func take(_ url: String, ignoring: Set<Aspect> = []) async throws -> DatabaseFingerprint {
    let connection = try await PGConnection.connect(url, applicationName: "dr-fingerprint")
    _ = try await connection.query(FingerprintSQL.sessionSettings)
    _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    var facts: [String: Fact] = [:]
    for query in FingerprintQuery.all where !ignoring.contains(query.aspect) {
      for (name, value) in try await query.run(on: connection) {
        facts[name] = Fact(value: value, aspect: query.aspect)
      }
    }
    if !ignoring.contains(.contents) {
      for (name, value) in try await FingerprintData.facts(on: connection) {
        facts[name] = Fact(value: value, aspect: .contents)
      }
    }
    _ = try await connection.query("COMMIT")
    return DatabaseFingerprint(facts: facts)
  }

  /// This fingerprint without the facts of `aspects`.
  public func ignoring(_ aspects: Set<Aspect>) -> DatabaseFingerprint {
    DatabaseFingerprint(facts: facts.filter { !aspects.contains($0.value.aspect) })
  }

  /// One line per fact that differs, sorted by name: `changed <name>: <before> → <now>`,
  /// `missing <name> (was <before>)` or `extra <name>: <now>`, where `before` is
  /// `original`'s value. Empty when the fingerprints are equal.
  public func differences(from original: DatabaseFingerprint, ignoring aspects: Set<Aspect> = []) -> [String] {
    let names = Set(facts.keys).union(original.facts.keys).sorted()
    return names.compactMap { name in
      let now = facts[name]
      let before = original.facts[name]
      guard let aspect = (now ?? before)?.aspect, !aspects.contains(aspect), now != before else { return nil }
      switch (before, now) {
      case (let before?, let now?): return "changed \(name): \(Self.shown(before.value)) → \(Self.shown(now.value))"
      case (let before?, nil): return "missing \(name) (was \(Self.shown(before.value)))"
      case (nil, let now?): return "extra \(name): \(Self.shown(now.value))"
      case (nil, nil): return nil
      }
    }
  }

  /// Values on one line, cut to a readable length.
  private static func shown(_ value: String) -> String {
    let line = value.replacingOccurrences(of: "\n", with: "⏎")
    return line.count <= 300 ? line : line.prefix(300) + "… (\(line.count) characters)"
  }
}
