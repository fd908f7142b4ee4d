import CDRLibPQ
import DRCore
import Foundation

/// One libpq connection. Owns the `PGconn` and frees it in `deinit`.
///
/// Every libpq call blocks, so the async methods run them on a thread of their own
/// (`runBlocking`); a lock keeps one call at a time on the connection.
public final class PGConnection: @unchecked Sendable {
  private let handle: OpaquePointer
  /// For `PQcancel`, which may be called from another thread while a query runs.
  private let cancelHandle: OpaquePointer?
  private let lock = NSLock()

  private init(handle: OpaquePointer) {
    self.handle = handle
    self.cancelHandle = PQgetCancel(handle)
  }

  deinit {
    if let cancelHandle { PQfreeCancel(cancelHandle) }
    PQfinish(handle)
  }

  /// Connects with a libpq URI. The password comes from `password` when given (in memory,
  /// never on a command line), else from the URI, PGPASSWORD or ~/.pgpass, as libpq reads
  /// them. Settings in the URI win over dr's defaults (10 s connect timeout).
  public static func connect(_ url: String, password: String? = nil, applicationName: String = "dr") async throws
    -> PGConnection
  {
    try await runBlocking("dr-libpq-connect") {
      var keywords = ["connect_timeout", "application_name", "dbname"]
      var values = ["10", applicationName, url]
      if let password {
        keywords.append("password")
        values.append(password)
      }
      let handle = withCStrings(keywords) { keys in
        withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
      }
      guard let handle else { throw PostgresError(.connection, "cannot connect: out of memory") }
      let connection = PGConnection(handle: handle)
      // libpq prints NOTICEs on stderr by default; dr reports what matters itself.
      PQsetNoticeProcessor(handle, { _, _ in }, nil)
      guard PQstatus(handle) == CONNECTION_OK else {
        throw PostgresError(
          .connection, "cannot connect to PostgreSQL: \(connection.lastError)\(hint(connection.lastError))")
      }
      return connection
    }
  }

  /// The server's version as libpq reports it (150018 for 15.18).
  public var serverVersionNumber: Int { Int(lock.withLock { PQserverVersion(handle) }) }

  /// The server's major version (15 for 15.18; 9 for 9.6 is reported as 9).
  public var serverMajorVersion: Int { serverVersionNumber / 10_000 }

  /// Runs one or more statements and returns the last result's rows as text. Cancelling
  /// the calling task asks the server to cancel the statement.
  public func query(_ sql: String) async throws -> [[String?]] {
    try await withTaskCancellationHandler {
      try await runBlocking("dr-libpq-query") { try self.querySync(sql) }
    } onCancel: {
      self.cancelRunningQuery()
    }
  }

  /// Sets `role`'s password. The SCRAM-SHA-256 verifier is computed here
  /// (`PQencryptPasswordConn`, as psql's \password does): the password itself never
  /// reaches the server, its logs or its statistics.
  public func setPassword(role: String, _ password: String) async throws {
    let verifier: String = try await runBlocking("dr-libpq-query") {
      try self.lock.withLock {
        guard let encrypted = PQencryptPasswordConn(self.handle, password, role, "scram-sha-256") else {
          throw PostgresError(.query, "cannot compute the password verifier of \(role): \(self.lastError)")
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
      }
    }
    let identifier = "\"" + role.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    _ = try await query("ALTER ROLE \(identifier) PASSWORD '\(verifier.replacingOccurrences(of: "'", with: "''"))'")
  }

  /// Asks the server to cancel the statement running on this connection (thread-safe).
  public func cancelRunningQuery() {
    guard let cancelHandle else { return }
    var buffer = [CChar](repeating: 0, count: 256)
    _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
  }

  private func querySync(_ sql: String) throws -> [[String?]] {
    try lock.withLock {
      guard let result = PQexec(handle, sql) else {
        throw PostgresError(.query, "query failed: \(lastError)")
      }
      defer { PQclear(result) }
      switch PQresultStatus(result) {
      case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
        return Self.rows(of: result)
      default:
        let message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
        throw PostgresError(.query, "query failed: \(message)")
      }
    }
  }

  private static func rows(of result: OpaquePointer) -> [[String?]] {
    let columns = PQnfields(result)
    return (0..<PQntuples(result)).map { row in
      (0..<columns).map { column in
        PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
      }
    }
  }

  private var lastError: String {
    String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
  }
}

/// What to do about the connection failures people meet most.
func hint(_ message: String) -> String {
  if message.contains("no password supplied") {
    return " (give the password in PGPASSWORD, in ~/.pgpass, or in the URL as ${VAR})"
  }
  if message.contains("password authentication failed") {
    return " (check the password in PGPASSWORD, ~/.pgpass or the URL)"
  }
  if message.contains("Connection refused") { return " (is PostgreSQL running and listening on that address?)" }
  if message.contains("certificate verify failed") {
    return " (the server's certificate does not verify against the URL's sslrootcert: is that the CA that signed it?)"
  }
  if message.contains("does not match host name") {
    return " (sslmode=verify-full: the URL's host must be a name or address in the server's certificate)"
  }
  return ""
}

extension String {
  var trimmingTrailingNewlines: String {
    var text = self
    while text.last?.isNewline == true { text.removeLast() }
    return text
  }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
  let copies = strings.map { strdup($0) }
  defer { copies.forEach { free($0) } }
  let pointers = copies.map { UnsafePointer($0) } + [nil]
  return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
