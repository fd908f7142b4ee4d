import DRCore
import Foundation

/// The server's settings as a configuration file instead of pg_ctl's `-o '…'`, which goes
/// through a shell: `dr.conf` in the data directory, rewritten on each start, included at
/// the end of postgresql.conf (so its values win over initdb's).
extension LocalCluster {
  /// The file dr writes its settings to, in the data directory.
  public static let settingsFile = "dr.conf"
  static let includeLine = "include '\(settingsFile)'"

  static let settingEscapes = TextEscaping.backslash.merging(["'": "''"]) { $1 }

  /// A value as postgresql.conf reads it: in single quotes, a quote doubled, a backslash
  /// doubled (the configuration lexer reads backslash escapes in quoted values), and line
  /// breaks and other control characters as escapes.
  public static func quoted(_ value: String) -> String {
    "'"
      + value.escaped(settingEscapes) { scalar in
        scalar.value < 0x20 || scalar.value == 0x7f ? "\\" + String(scalar.value, radix: 8).zeroPadded(to: 3) : nil
      } + "'"
  }

  /// `unix_socket_directories`' value for `paths`: each in double quotes (a comma or a space
  /// in a path is then part of it), a double quote doubled. Empty: no socket.
  public static func directoryList(_ paths: [String]) -> String {
    paths.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
  }

  /// The text of `dr.conf`.
  static func settingsText(_ settings: [(String, String)]) throws -> String {
    var lines = ["# Written by dr on each start of this cluster: changes here are lost."]
    for (name, value) in settings {
      guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
      else { throw PostgresError(.toolFailed, "'\(name)' is not a PostgreSQL setting name") }
      lines.append("\(name) = \(quoted(value))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes `dr.conf` (a new file renamed over the old one, owned by the server's user) and
  /// makes sure postgresql.conf includes it.
  func writeSettings(_ settings: [(String, String)]) throws {
    let owner = try runAs.map(Self.account)
    try ConfigurationFile.replace(
      "\(dataDirectory)/\(Self.settingsFile)", with: try Self.settingsText(settings), owner: owner)
    let main = "\(dataDirectory)/postgresql.conf"
    let current = try ConfigurationFile.read(main)
    let included = current.split(whereSeparator: \.isNewline).contains {
      $0.trimmingCharacters(in: .whitespaces) == Self.includeLine
    }
    if !included {
      try ConfigurationFile.append(main, "\n# dr's settings, rewritten by dr on each start\n\(Self.includeLine)\n")
    }
  }

  /// Replaces pg_hba.conf with `text` (owned by the server's user).
  public func writeHBA(_ text: String) throws {
    try ConfigurationFile.replace("\(dataDirectory)/pg_hba.conf", with: text, owner: try runAs.map(Self.account))
  }

  /// pg_hba.conf as it is now; nil when it cannot be read.
  public func readHBA() -> String? {
    try? ConfigurationFile.read("\(dataDirectory)/pg_hba.conf")
  }
}

/// Files written into a data directory that may belong to another OS user (the server's,
/// when dr is root): never through a symbolic link, replaced by rename.
enum ConfigurationFile {
  static func read(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw failure("cannot read", path) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = Glibc.read(fd, &buffer, buffer.count)
      guard count >= 0 else { throw failure("cannot read", path) }
      if count == 0 { break }
      bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func append(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw failure("cannot write", path) }
    defer { close(fd) }
    try write(fd, text, path)
  }

  /// A new file (mode 0600, owned by `owner` when given) renamed over `path`.
  static func replace(_ path: String, with text: String, owner: (uid: uid_t, gid: gid_t)?) throws {
    let temporary = "\(path).dr-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw failure("cannot create", temporary) }
    do {
      defer { close(fd) }
      if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
        throw failure("cannot give to the server's user", temporary)
      }
      try write(fd, text, temporary)
    } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let error = failure("cannot replace", path)
      unlink(temporary)
      throw error
    }
  }

  private static func write(_ fd: Int32, _ text: String, _ path: String) throws {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      guard written > 0 else { throw failure("cannot write", path) }
      offset += written
    }
  }

  private static func failure(_ what: String, _ path: String) -> PostgresError {
    PostgresError(.toolFailed, "\(what) \(path): \(String(cString: strerror(errno)))")
  }
}
