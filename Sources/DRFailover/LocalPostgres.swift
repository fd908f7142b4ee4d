import DRCore
import DRPostgres
import DRRestore
import Foundation

/// The failover's PostgreSQL: a cluster in the environment's state directory, listening on
/// 127.0.0.1 at the stack's port (and a socket in the state directory when its path fits).
/// Every connection, local or TCP, needs a password (scram-sha-256): dr connects as
/// `postgres` with the password it generated, the app as the backup's role with its own.
/// Idempotent: `ensureRunning` initialises only a missing cluster and starts only a
/// stopped one, so a failover that stopped midway can run again; a cluster an older dr
/// made (trust for everyone) is tightened first.
struct LocalPostgres: Sendable {
  static let superuser = "postgres"

  let binaries: ServerBinaries
  let directory: String
  let port: Int
  let runAs: String?

  var cluster: LocalCluster {
    LocalCluster(
      binDirectory: binaries.directory, directory: directory, dataName: "pgdata", logName: "postgresql.log",
      runAs: runAs)
  }

  var dataDirectory: String { cluster.dataDirectory }
  var isInitialised: Bool { cluster.isInitialised }

  /// A libpq URL of `database`. dr's own carry no password (dr passes it in memory); the
  /// app's (`DATABASE_URL`) carries the app's, percent-encoded.
  func url(database: String, user: String = superuser) -> String {
    Self.url(port: port, database: database, user: user)
  }

  static func url(port: Int, database: String, user: String, password: String? = nil) -> String {
    let credentials = URLText.encoded(user) + (password.map { ":" + URLText.encoded($0) } ?? "")
    return "postgresql://\(credentials)@127.0.0.1:\(port)/\(URLText.encoded(database))"
  }

  /// `database` as `postgres`, with the generated password.
  func connect(_ database: String, _ passwords: StackPasswords) async throws -> PGConnection {
    try await PGConnection.connect(url(database: database), password: passwords.superuser)
  }

  /// The state directory for the Unix socket when its path fits a socket address (107
  /// bytes); none otherwise (everything here connects over TCP; the socket is for people).
  var socketDirectory: String {
    "\(directory)/.s.PGSQL.\(port)".utf8.count <= 107 ? directory : ""
  }

  var settings: [(String, String)] {
    [
      ("listen_addresses", "127.0.0.1"), ("port", "\(port)"),
      ("unix_socket_directories", LocalCluster.directoryList(socketDirectory.isEmpty ? [] : [socketDirectory])),
      ("password_encryption", "scram-sha-256"), ("max_wal_size", "4GB"), ("maintenance_work_mem", "256MB"),
    ]
  }

  /// pg_hba.conf: a password for everyone, everywhere.
  static let hba = """
    # Written by dr: every connection needs a password (scram-sha-256). Rewritten by dr.
    local   all          all                 scram-sha-256
    host    all          all   127.0.0.1/32  scram-sha-256
    host    all          all   ::1/128       scram-sha-256
    local   replication  all                 scram-sha-256
    host    replication  all   127.0.0.1/32  scram-sha-256
    host    replication  all   ::1/128       scram-sha-256

    """

  /// Initialises the cluster if needed, tightens one that trusts, and starts it if it is
  /// stopped. Returns what it did to a trusting cluster, if it found one.
  func ensureRunning(_ passwords: StackPasswords) async throws -> String? {
    if !isInitialised { try await initialize(passwords) }
    if try trusts() { return try await tighten(passwords) }
    let running = await cluster.isRunning()
    if cluster.readHBA() != Self.hba {
      try await step { try cluster.writeHBA(Self.hba) }
      if running { try await step { try await cluster.reload() } }
    }
    if !running { try await start() }
    return nil
  }

  /// Whether pg_hba.conf lets anyone in without a password (a cluster of an older dr).
  func trusts() throws -> Bool {
    guard let text = cluster.readHBA() else {
      throw FailoverError(.step("postgresql"), "cannot read \(dataDirectory)/pg_hba.conf")
    }
    return text.split(whereSeparator: \.isNewline).contains { line in
      let fields = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        .split(whereSeparator: \.isWhitespace)
      return fields.contains("trust")
    }
  }

  func isUp() async -> Bool { await cluster.isRunning() }

  func stop() async {
    guard isInitialised else { return }
    await cluster.stop(mode: .fast)
  }

  /// initdb with scram-sha-256 and the superuser's password, read from a temporary file
  /// (0600, the server's OS user's, removed afterwards).
  private func initialize(_ passwords: StackPasswords) async throws {
    try? FileManager.default.removeItem(atPath: dataDirectory)
    let file = "\(directory)/.initdb-password-\(UInt32.random(in: 0...UInt32.max))"
    try SecretFile.write(passwords.superuser + "\n", to: file, owner: runAs)
    defer { unlink(file) }
    try await step { try await cluster.initialize(.init(authentication: .scram(passwordFile: file))) }
    try await step { try cluster.writeHBA(Self.hba) }
  }

  /// A cluster made by an older dr trusts every local user. While that trust still lets
  /// dr in: the superuser's password is set, then pg_hba.conf asks everyone for one.
  private func tighten(_ passwords: StackPasswords) async throws -> String {
    if !(await cluster.isRunning()) { try await start() }
    let admin = try await PGConnection.connect(url(database: "postgres"))
    try await admin.setPassword(role: Self.superuser, passwords.superuser)
    try await step { try cluster.writeHBA(Self.hba) }
    try await step { try await cluster.reload() }
    return "the cluster trusted every local user (made by an older dr): passwords are now required"
  }

  private func start() async throws {
    LoopbackPort.release(port)
    try await step { try await cluster.start(settings: settings, timeoutSeconds: 120) }
  }

  /// Runs `body`, its PostgresError as the postgresql step's failure.
  private func step<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as PostgresError {
      throw FailoverError(.step("postgresql"), error.message)
    }
  }
}

/// Percent-encoding for the parts of a URL dr builds (user, password, database).
enum URLText {
  static func encoded(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
      let scalar = Unicode.Scalar(byte)
      if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        || "-._~".unicodeScalars.contains(scalar)
      {
        result.unicodeScalars.append(scalar)
      } else {
        result += "%" + String(byte, radix: 16, uppercase: true).leftPadded
      }
    }
    return result
  }
}

extension String {
  fileprivate var leftPadded: String { count < 2 ? "0" + self : self }
}
