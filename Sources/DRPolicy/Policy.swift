import DRCore

/// A policy: what to back up, where to, how often, how to prove it, and what a failover
/// rebuilds. Loaded from `policies/NAME.yaml` by `PolicyLoader`.
public struct Policy: Sendable, Equatable, CustomStringConvertible {
  public var name: String
  /// The file it was loaded from, for messages.
  public var file: String
  public var database: DatabaseSettings
  public var storage: StorageSettings
  public var backup: BackupSettings
  public var retention: RetentionSettings?
  public var verify: VerifySettings
  public var notify: NotifySettings?
  public var stack: StackSettings
  public var environments: [EnvironmentSettings]
  /// Secret values met while loading (expanded `${VAR}`s of secret keys, URL passwords),
  /// for the redactor. Never printed.
  public var secrets: [String]

  public var description: String { "policy \(name) (\(file))" }

  public func environment(named name: String) -> EnvironmentSettings? {
    environments.first { $0.name == name }
  }
}

public struct DatabaseSettings: Sendable, Equatable {
  public var url: PostgresURL
  /// Which databases of the server a backup takes (`database.databases`).
  public var databases: DatabaseSelection = .urlDatabase

  public init(url: PostgresURL, databases: DatabaseSelection = .urlDatabase) {
    self.url = url
    self.databases = databases
  }
}

/// `database.databases`: the URL's database alone (the default, as before the key
/// existed), every database of the server that allows connections except the templates
/// (`all`), or the databases named, in that order.
public enum DatabaseSelection: Sendable, Equatable {
  case urlDatabase
  case all
  case named([String])
}

public struct BackupSettings: Sendable, Equatable {
  public var schedule: CronExpression?
  public var compression: CompressionSettings
  public var globals: Bool
  public var encryption: EncryptionSettings?
}

public struct CompressionSettings: Sendable, Equatable {
  /// The codecs dr writes. gzip is not one: a policy asking for it is refused when it is
  /// loaded (`CompressionSettings.unbuilt`).
  public enum Codec: String, Sendable, CaseIterable {
    case bzip2, zstd, none
  }

  public enum Threads: Sendable, Equatable {
    case auto
    case count(Int)
  }

  /// What encodes bzip2 (`encoder`, bzip2 only): the `lbzip2` program when one is on PATH
  /// (`auto`), libbz2 inside dr, or lbzip2 required.
  public enum Encoder: String, Sendable, CaseIterable {
    case auto, libbz2, lbzip2
  }

  public var codec: Codec
  public var level: Int
  public var threads: Threads
  public var encoder: Encoder

  public init(codec: Codec, level: Int, threads: Threads, encoder: Encoder = .auto) {
    self.codec = codec
    self.level = level
    self.threads = threads
    self.encoder = encoder
  }

  public static func defaultLevel(_ codec: Codec) -> Int {
    switch codec {
    case .bzip2: 9
    case .zstd: 3
    case .none: 0
    }
  }

  static func levels(_ codec: Codec) -> ClosedRange<Int> {
    switch codec {
    case .bzip2: 1...9
    case .zstd: 1...19
    case .none: 0...0
    }
  }
}

/// `backup.encryption` (and `environments.X.encryption`): where the key of new backups
/// comes from, and older keys that may still be needed to read older backups.
public struct EncryptionSettings: Sendable, Equatable {
  /// One of `key_file`, `passphrase_file`, `key` or `passphrase`.
  public enum KeySource: Sendable, Equatable, CustomStringConvertible {
    /// 32 random bytes: raw, 64 hex digits or base64 (`dr key generate` writes one).
    case keyFile(String)
    /// A passphrase, stretched with scrypt and a salt of each backup's own.
    case passphraseFile(String)
    /// The key itself, as hex or base64, usually `${VAR}`.
    case key(Secret)
    /// The passphrase itself, usually `${VAR}`.
    case passphrase(Secret)

    /// The policy key it came from, for messages; never the secret.
    public var description: String {
      switch self {
      case .keyFile(let path): "key_file \(path)"
      case .passphraseFile(let path): "passphrase_file \(path)"
      case .key: "key (from the policy)"
      case .passphrase: "passphrase (from the policy)"
      }
    }
  }

  public var source: KeySource
  /// Key or passphrase files of earlier keys, tried when a backup's key ID is not the current one.
  public var decryptionKeys: [String]

  public init(source: KeySource, decryptionKeys: [String] = []) {
    self.source = source
    self.decryptionKeys = decryptionKeys
  }

  /// The path of `key_file`, when the key comes from one.
  public var keyFile: String? {
    if case .keyFile(let path) = source { return path }
    return nil
  }
}

public struct RetentionSettings: Sendable, Equatable {
  public var keepLast: Int
  public var daily: Int
  public var weekly: Int
  public var monthly: Int
  public var lock: ObjectLockSettings?
}

public struct ObjectLockSettings: Sendable, Equatable {
  public enum Mode: String, Sendable, CaseIterable {
    case governance, compliance
  }

  public var mode: Mode
  public var days: Int
}

public struct NotifySettings: Sendable, Equatable {
  public enum Event: String, Sendable, CaseIterable {
    case failure, success
  }

  public var webhook: String
  public var on: [Event]
  public var secret: Secret?
}
