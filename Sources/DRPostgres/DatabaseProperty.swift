/// One property of a database, as applying and comparing name it.
public enum DatabaseProperty: Hashable, Sendable, CustomStringConvertible {
  case owner
  case encoding
  /// Collate, ctype, locale provider and ICU locale.
  case locale
  case connectionLimit
  /// `ALTER DATABASE … SET`.
  case settings
  /// `ALTER ROLE role IN DATABASE … SET`.
  case roleSettings(String)
  case privileges
  case comment

  public var description: String {
    switch self {
    case .owner: "owner"
    case .encoding: "encoding"
    case .locale: "locale"
    case .connectionLimit: "connection limit"
    case .settings: "settings"
    case .roleSettings(let role): "settings of role \(role)"
    case .privileges: "privileges"
    case .comment: "comment"
    }
  }

  /// Whether it names roles: what a restore without the backup's roles cannot keep.
  public var involvesRoles: Bool {
    switch self {
    case .owner, .roleSettings, .privileges: true
    default: false
    }
  }
}

extension DatabaseProperties {
  /// Which properties `apply` sets.
  public struct ApplyScope: Sendable, Equatable {
    /// `ALTER DATABASE … OWNER TO`.
    public var owner: Bool
    /// Roles' settings in the database and its privileges.
    public var roles: Bool
    /// `COMMENT ON DATABASE` (not where dr's own comment marks the database).
    public var comment: Bool

    public init(owner: Bool = true, roles: Bool = true, comment: Bool = true) {
      self.owner = owner
      self.roles = roles
      self.comment = comment
    }

    /// Whether `property` is set in this scope (the encoding and locale never are: they
    /// are given when the database is created).
    public func covers(_ property: DatabaseProperty) -> Bool {
      switch property {
      case .owner: owner
      case .roleSettings, .privileges: roles
      case .comment: comment
      case .encoding, .locale: false
      case .connectionLimit, .settings: true
      }
    }
  }

  /// What `apply` could not set, and why.
  public struct ApplyReport: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
      /// The role is not on this server.
      case missingRole(String)
      /// The server refused the statement (its words, without the setting's value).
      case refused(String)
    }

    public struct Item: Sendable, Equatable {
      public var property: DatabaseProperty
      /// What part of it: `work_mem`, `reader: CONNECT (granted by owner)`…
      public var part: String
      public var reason: Reason
    }

    public var notApplied: [Item] = []

    /// Properties left as they were because a role is missing.
    public var missingRoles: Set<DatabaseProperty> {
      Set(notApplied.compactMap { if case .missingRole = $0.reason { $0.property } else { nil } })
    }

    /// Properties the server refused (this server's doing, not the backup's); settings
    /// are not listed here but by name (`refusedSettings`).
    public var refused: Set<DatabaseProperty> {
      Set(
        notApplied.compactMap { item in
          switch (item.reason, item.property) {
          case (.refused, .settings), (.refused, .roleSettings), (.missingRole, _): nil
          case (.refused, let property): property
          }
        })
    }

    /// The names of the settings the server refused, by property (`settings` or a role's).
    public var refusedSettings: [DatabaseProperty: Set<String>] {
      var names: [DatabaseProperty: Set<String>] = [:]
      for item in notApplied {
        guard case .refused = item.reason else { continue }
        switch item.property {
        case .settings, .roleSettings: names[item.property, default: []].insert(item.part.lowercased())
        default: break
        }
      }
      return names
    }

    /// One line per item, for notes and warnings.
    public var notes: [String] {
      notApplied.map { item in
        let what = item.part.isEmpty ? "database \(item.property)" : "database \(item.property) (\(item.part))"
        return switch item.reason {
        case .missingRole(let role): "\(what) not applied: no role \(role) on this server"
        case .refused(let words): "\(what) not applied: the server refused it (\(words))"
        }
      }
    }
  }
}
