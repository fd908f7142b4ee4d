/// What `dr restore --schema S… --table S.T… [--into-schema N]` asks for.
public struct PartialRequest: Sendable, Equatable {
  public struct TableName: Sendable, Hashable, CustomStringConvertible {
    public let schema: String
    public let table: String

    /// `schema.table`, split at the first dot (a schema name with a dot cannot be named).
    public init?(_ text: String) {
      guard let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex
      else { return nil }
      schema = String(text[..<dot])
      table = String(text[text.index(after: dot)...])
    }

    public init(schema: String, table: String) {
      self.schema = schema
      self.table = table
    }

    public var description: String { "\(schema).\(table)" }
  }

  public var schemas: [String]
  public var tables: [TableName]
  /// Restore under this schema name instead of the tables' own (one source schema).
  public var intoSchema: String?

  public init(schemas: [String] = [], tables: [TableName] = [], intoSchema: String? = nil) {
    self.schemas = schemas
    self.tables = tables
    self.intoSchema = intoSchema
  }

  /// Nothing selected: the whole database.
  public var isEmpty: Bool { schemas.isEmpty && tables.isEmpty }

  /// The one schema the selection comes from (what `--into-schema` renames), nil when several.
  public var sourceSchema: String? {
    let all = Set(schemas + tables.map(\.schema))
    return all.count == 1 ? all.first : nil
  }
}
