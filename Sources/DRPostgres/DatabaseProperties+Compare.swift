import Foundation

extension DatabaseProperties {
  /// One property of a restored database that is not the backup's.
  public struct Difference: Sendable, Equatable, CustomStringConvertible {
    public var property: DatabaseProperty
    /// What differs; settings by name only (a value may be a secret).
    public var detail: String

    public var description: String { "\(property): \(detail)" }
  }

  /// How `restored` differs from these properties (the backup's), leaving out the
  /// properties `leavingOut` names (not restored here, for a reason already noted).
  public func differences(in restored: DatabaseProperties, leavingOut: (DatabaseProperty) -> Bool = { _ in false })
    -> [Difference]
  {
    var found: [Difference] = []
    func differ(_ property: DatabaseProperty, _ detail: String) {
      if !leavingOut(property) { found.append(Difference(property: property, detail: detail)) }
    }
    if restored.owner != owner { differ(.owner, "\(restored.owner), the backup's is \(owner)") }
    if restored.encoding != encoding { differ(.encoding, "\(restored.encoding), the backup's is \(encoding)") }
    if !sameLocale(as: restored) {
      differ(.locale, "\(restored.localeDescription), the backup's is \(localeDescription)")
    }
    if restored.connectionLimit != connectionLimit {
      differ(.connectionLimit, "\(restored.connectionLimit), the backup's is \(connectionLimit)")
    }
    if let detail = Self.compare(settings, restored.settings) { differ(.settings, detail) }
    let roles = Set(roleSettings.map(\.role)).union(restored.roleSettings.map(\.role)).sorted()
    for role in roles {
      let mine = roleSettings.first { $0.role == role }?.settings ?? []
      let theirs = restored.roleSettings.first { $0.role == role }?.settings ?? []
      if let detail = Self.compare(mine, theirs) { differ(.roleSettings(role), detail) }
    }
    let (expected, actual) = (effectiveGrants, restored.effectiveGrants)
    if expected != actual {
      let missing = expected.subtracting(actual).map(\.description).sorted()
      let extra = actual.subtracting(expected).map(\.description).sorted()
      differ(
        .privileges,
        [
          missing.isEmpty ? "" : "missing " + missing.joined(separator: "; "),
          extra.isEmpty ? "" : "extra " + extra.joined(separator: "; "),
        ].filter { !$0.isEmpty }.joined(separator: "; "))
    }
    if restored.comment != comment {
      differ(.comment, "\(Self.describe(restored.comment)), the backup's is \(Self.describe(comment))")
    }
    return found
  }

  /// These properties without the settings the server refused to apply (by name, so the
  /// other settings are still compared).
  public func withoutSettings(_ refused: [DatabaseProperty: Set<String>]) -> DatabaseProperties {
    func kept(_ settings: [String], _ property: DatabaseProperty) -> [String] {
      guard let names = refused[property] else { return settings }
      return settings.filter { StoredSetting($0).map { !names.contains($0.name.lowercased()) } ?? true }
    }
    var result = self
    result.settings = kept(settings, .settings)
    result.roleSettings = roleSettings.map {
      RoleSettings(role: $0.role, settings: kept($0.settings, .roleSettings($0.role)))
    }
    return result
  }

  /// Collate and ctype; the provider and its locale when both sides know providers (a
  /// server before 15 has none).
  private func sameLocale(as other: DatabaseProperties) -> Bool {
    guard collate == other.collate, ctype == other.ctype else { return false }
    guard let mine = localeProvider, let theirs = other.localeProvider else { return true }
    return mine == theirs && (mine == "libc" || icuLocale == other.icuLocale)
  }

  /// Stored settings compared by name: which are missing, extra or different (names only).
  static func compare(_ expected: [String], _ actual: [String]) -> String? {
    let mine = byName(expected)
    let theirs = byName(actual)
    guard mine != theirs else { return nil }
    let missing = Set(mine.keys).subtracting(theirs.keys).sorted()
    let extra = Set(theirs.keys).subtracting(mine.keys).sorted()
    let changed = Set(mine.keys).intersection(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
    return [
      missing.isEmpty ? "" : "missing " + missing.joined(separator: ", "),
      extra.isEmpty ? "" : "extra " + extra.joined(separator: ", "),
      changed.isEmpty ? "" : "other values for " + changed.joined(separator: ", "),
    ].filter { !$0.isEmpty }.joined(separator: "; ")
  }

  private static func byName(_ settings: [String]) -> [String: String] {
    var result: [String: String] = [:]
    for setting in settings.compactMap(StoredSetting.init) { result[setting.name.lowercased()] = setting.value }
    return result
  }

  /// A comment shown by its length: it may be long, or not for every reader.
  private static func describe(_ comment: String?) -> String {
    comment.map { "a comment of \($0.count) characters" } ?? "no comment"
  }
}
