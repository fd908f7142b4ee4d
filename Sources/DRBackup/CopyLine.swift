/// `dr copy --json`: one object per backup and destination (`copied`, `failed`, `unknown`).
public struct CopyLine: Sendable, Codable, Equatable {
  public let destination: String
  public let id: String
  public let outcome: String
  public let bytes: Int64
  public let error: String?
}
