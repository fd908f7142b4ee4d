public struct VerifySettings: Sendable, Equatable {
  public enum Scratch: Sendable, Equatable {
    /// A throwaway cluster (initdb) per verification.
    case local
    /// A server where uniquely named scratch databases are created and dropped.
    case server(PostgresURL)
  }

  public enum RowCounts: String, Sendable, CaseIterable {
    case exact, off
  }

  public struct Check: Sendable, Equatable {
    public var name: String
    public var sql: String
    /// The database of the backup it runs in; nil: the backup's first database.
    public var database: String? = nil

    public init(name: String, sql: String, database: String? = nil) {
      self.name = name
      self.sql = sql
      self.database = database
    }
  }

  public var schedule: CronExpression?
  public var scratch: Scratch
  public var rowCounts: RowCounts
  public var checks: [Check]
  /// Alert when the newest verified backup is older than this.
  public var maxAge: DurationValue?

  public static let defaults = VerifySettings(
    schedule: nil, scratch: .local, rowCounts: .exact, checks: [], maxAge: nil)
}
