import DRCore
import DRCrypto
import DRPolicy
import Foundation
import Logging

/// The keys a policy gives, as seen from one environment: the source that encrypts new
/// backups, and every key that may open an existing one (the environment's own first,
/// then the policy's key, then `decryption_keys`), so old backups stay readable after a
/// key rotation and a failover host can hold its own copy of the keys.
public struct KeyRing: Sendable {
  /// Where one key comes from, and what to call it in messages.
  public struct Candidate: Sendable, CustomStringConvertible {
    public enum Origin: Sendable {
      case file(String)
      case inline(Secret)
    }

    public let label: String
    public let origin: Origin

    public var description: String { label }

    /// The key's bytes: the file's, or the inline value's text.
    func load() throws -> [UInt8] {
      switch origin {
      case .file(let path): try KeyFile.read(path, label: label)
      case .inline(let secret): Array(secret.value.utf8)
      }
    }
  }

  /// What encrypts new backups (the policy's `backup.encryption`); nil: they are not.
  public let current: EncryptionSettings.KeySource?
  /// Tried in order to open a backup.
  public let candidates: [Candidate]

  public init(current: EncryptionSettings.KeySource?, candidates: [Candidate]) {
    self.current = current
    self.candidates = candidates
  }

  /// No keys: unencrypted backups only.
  public static let none = KeyRing(current: nil, candidates: [])

  /// The policy's keys, with `environment`'s own (`environments.X.encryption`) tried first.
  public init(policy: Policy, environment: EnvironmentSettings? = nil) {
    var candidates: [Candidate] = []
    if let own = environment?.encryption {
      candidates += Self.candidates(own, prefix: "environments.\(environment!.name).encryption.")
    }
    if let settings = policy.backup.encryption {
      candidates += Self.candidates(settings, prefix: "backup.encryption.")
    }
    self.init(current: policy.backup.encryption?.source, candidates: candidates)
  }

  static func candidates(_ settings: EncryptionSettings, prefix: String) -> [Candidate] {
    var result = [candidate(settings.source, prefix: prefix)]
    for (index, path) in settings.decryptionKeys.enumerated() {
      result.append(Candidate(label: "\(prefix)decryption_keys[\(index)] \(path)", origin: .file(path)))
    }
    return result
  }

  static func candidate(_ source: EncryptionSettings.KeySource, prefix: String) -> Candidate {
    switch source {
    case .keyFile(let path), .passphraseFile(let path): Candidate(label: prefix + "\(source)", origin: .file(path))
    case .key(let secret), .passphrase(let secret): Candidate(label: prefix + "\(source)", origin: .inline(secret))
    }
  }
}
