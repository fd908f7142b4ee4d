import DRCore
import Foundation

extension DatabaseProperties {
  /// What `createDatabase` kept of the source's encoding and locale.
  public struct Creation: Sendable, Equatable {
    public var encoding: Bool
    public var locale: Bool
    /// What was given up and why, for a note; nil when nothing was.
    public var note: String?

    public static let kept = Creation(encoding: true, locale: true, note: nil)
  }

  /// `TEMPLATE template0 ENCODING … LC_COLLATE … LC_CTYPE …`, and on a server of
  /// PostgreSQL 15 or later the locale provider (a server whose template0 uses ICU would
  /// otherwise give a libc database ICU) and its locale.
  public func creationClauses(serverVersion: Int) -> String {
    var clauses =
      "TEMPLATE template0 ENCODING \(SQL.literal(encoding)) LC_COLLATE \(SQL.literal(collate)) "
      + "LC_CTYPE \(SQL.literal(ctype))"
    let provider = localeProvider ?? "libc"
    if serverVersion >= 150_000 {
      clauses += " LOCALE_PROVIDER \(SQL.literal(provider))"
      switch (provider, icuLocale) {
      case ("icu", let locale?): clauses += " ICU_LOCALE \(SQL.literal(locale))"
      case ("builtin", let locale?): clauses += " BUILTIN_LOCALE \(SQL.literal(locale))"
      default: break
      }
    } else if provider != "libc" {
      clauses += " LOCALE_PROVIDER \(SQL.literal(provider))"  // refused: this server has none
    }
    return clauses
  }

  /// Creates database `name` on the server of `admin` with the encoding and locale of
  /// `source` (`CREATE DATABASE … TEMPLATE template0 ENCODING … LC_COLLATE …`), or with
  /// `plain` clauses when there is no source (a manifest of an older dr). When the server
  /// refuses them (a locale it does not have): with `fallBack`, tries the encoding with
  /// the C locale, then the server's defaults, and says what was given up; without, throws
  /// an error naming the locale, having created nothing.
  public static func createDatabase(
    _ name: String, like source: DatabaseProperties?, on admin: PGConnection, plain: String = "", fallBack: Bool
  ) async throws -> Creation {
    let create = "CREATE DATABASE \(SQL.identifier(name))"
    guard let source else {
      _ = try await admin.query(plain.isEmpty ? create : "\(create) \(plain)")
      return .kept
    }
    let version = admin.serverVersionNumber
    let refusal: String
    do {
      _ = try await admin.query("\(create) \(source.creationClauses(serverVersion: version))")
      return .kept
    } catch {
      refusal = Self.words(of: error)
    }
    let wanted = "the source's encoding and locale (\(source.localeDescription))"
    guard fallBack else {
      throw PostgresError(
        .query,
        "this server cannot create a database with \(wanted): \(refusal). Install that locale on the server's host "
          + "(Debian: add it to /etc/locale.gen and run locale-gen), or restore into a server that has it")
    }
    var c = source
    (c.collate, c.ctype, c.localeProvider, c.icuLocale) = ("C", "C", "libc", nil)
    if (try? await admin.query("\(create) \(c.creationClauses(serverVersion: version))")) != nil {
      return Creation(
        encoding: true, locale: false,
        note: "\(wanted) not available on this server (\(refusal)): created with the C locale")
    }
    _ = try await admin.query(create)
    return Creation(
      encoding: false, locale: false,
      note: "\(wanted) not available on this server (\(refusal)): created with the server's defaults")
  }

  /// The server's words in an error, without dr's and libpq's prefixes.
  static func words(of error: any Error) -> String {
    "\(error)".replacingOccurrences(of: "query failed: ", with: "").replacingOccurrences(of: "ERROR:  ", with: "")
  }
}
