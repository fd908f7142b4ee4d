import DRCore
import Foundation

/// A libpq connection URI (`postgresql://user@host:port/dbname?params`).
///
/// Kept whole for libpq (which also reads PGPASSWORD and ~/.pgpass); the parts are
/// parsed for messages and checks. `description` never shows the password.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
  public let connectionString: Secret
  public let user: String?
  public let hosts: String
  public let database: String?
  /// The password written in the URL, if any (libpq also reads PGPASSWORD and ~/.pgpass).
  public let password: Secret?

  public var hasPassword: Bool { password != nil }

  public init?(_ text: String) {
    guard let schemeEnd = text.range(of: "://"),
      ["postgresql", "postgres"].contains(text[..<schemeEnd.lowerBound])
    else { return nil }
    var rest = text[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    rest = rest[authorityEnd...]
    var user: String?
    var password: String?
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      if let colon = userInfo.firstIndex(of: ":") {
        password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncodingOrSelf
      }
      user = String(userInfo.prefix { $0 != ":" }).removingPercentEncodingOrSelf
      authority = authority[authority.index(after: at)...]
    }
    guard !authority.contains(where: { $0 == " " }) else { return nil }
    self.connectionString = Secret(text)
    self.user = user.flatMap { $0.isEmpty ? nil : $0 }
    self.hosts = String(authority)
    self.password = password.map(Secret.init)
    let path = rest.hasPrefix("/") ? rest.dropFirst().prefix { $0 != "?" } : ""
    self.database = path.isEmpty ? nil : String(path).removingPercentEncodingOrSelf
  }

  /// The connection string for child processes: the password is taken out (it goes to
  /// them in PGPASSWORD, where `ps` does not show it), from the user info or from a
  /// `password=` parameter.
  public var withoutPassword: (connection: String, password: String?) {
    let text = connectionString.value
    guard let schemeEnd = text.range(of: "://") else { return (text, password?.value) }
    let rest = text[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
    var authority = String(rest[..<authorityEnd])
    if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
      authority.removeSubrange(colon..<at)
    }
    var tail = String(rest[authorityEnd...])
    var queryPassword: String?
    if let question = tail.firstIndex(of: "?") {
      var kept: [Substring] = []
      for item in tail[tail.index(after: question)...].split(separator: "&") {
        if item.hasPrefix("password=") {
          queryPassword = String(item.dropFirst(9)).removingPercentEncodingOrSelf
        } else {
          kept.append(item)
        }
      }
      tail = String(tail[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
    return (text[..<schemeEnd.upperBound] + authority + tail, password?.value ?? queryPassword)
  }

  /// The URL with the password masked, for messages.
  public var description: String {
    var text = "postgresql://"
    if let user { text += user + (hasPassword ? ":\(Redactor.mask)" : "") + "@" }
    text += hosts
    if let database { text += "/\(database)" }
    return text
  }

  /// `url` (a libpq URI) naming `database` instead of its own, the rest (user, password,
  /// hosts, parameters) kept. The name is percent-encoded: a database called `a/b?c` or
  /// `my db` stays one path segment.
  public static func replacingDatabase(of url: String, with database: String) -> String {
    guard let scheme = url.range(of: "://") else { return url }
    let rest = url[scheme.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
    let afterPath = rest[authorityEnd...].drop { $0 != "?" }
    let encoded = database.utf8.map { byte in
      unreservedBytes.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }.joined()
    return url[..<authorityEnd] + "/" + encoded + afterPath
  }

  /// RFC 3986's unreserved characters, which a path segment carries as they are.
  static let unreservedBytes = Set(
    Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
}

extension String {
  var removingPercentEncodingOrSelf: String {
    var bytes: [UInt8] = []
    var iterator = utf8.makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      else { return self }
      bytes.append(value)
    }
    return String(validating: bytes, as: UTF8.self) ?? self
  }
}
