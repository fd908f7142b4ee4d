/// What a failover rebuilds: components in dependency order.
public struct StackSettings: Sendable, Equatable {
  public var components: [StackComponent]

  public static let empty = StackSettings(components: [])

  public func component(named name: String) -> StackComponent? {
    components.first { $0.name == name }
  }
}

public struct StackComponent: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case postgresql, memcached, haproxy, app
  }

  public var name: String
  public var kind: Kind
  public var port: Int
  /// The app's command, run without a shell, with PORT, DATABASE_URL, MEMCACHED_SERVERS,
  /// PATH and `environment` as its whole environment.
  public var command: AppCommand?
  /// The app's own variables (`environment:`), given to it beside the stack's.
  public var environment: [String: String] = [:]
  /// The app's health path (`/health`).
  public var health: String?
  public var needs: [String]
  /// haproxy: the app components it balances.
  public var backends: [String]
  /// memcached: its memory in MiB.
  public var memoryMB: Int?

  /// Everything this component waits for: its `needs` and, for haproxy, its backends.
  public var dependencies: [String] {
    needs + backends.filter { !needs.contains($0) }
  }

  /// The kind a component name stands for: the three known services by name, an app otherwise.
  public static func kind(forName name: String) -> Kind {
    switch name {
    case "postgresql": .postgresql
    case "memcached": .memcached
    case "haproxy": .haproxy
    default: .app
    }
  }
}
