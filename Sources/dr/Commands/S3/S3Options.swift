import ArgumentParser
import DRCore
import DRPolicy
import DRS3
import DRStorage
import Foundation

/// What every `dr s3` command shares: the global options and which storage to use.
struct S3Options: ParsableArguments {
  @OptionGroup var global: GlobalOptions

  @Option(name: .long, help: "With --policy: use this environment's storage and credentials.")
  var env: String?

  /// The client: the policy's (or its environment's) storage when --policy is given, the
  /// AWS chain otherwise.
  func client() async throws -> S3Client {
    let environment = ProcessInfo.processInfo.environment
    let connector = StorageConnector(environment: environment)
    guard global.policy != nil || env != nil else { return try await connector.connectDefault().0 }
    let policy = try global.loadPolicy(environment: environment)
    var settings = policy.storage
    if let env {
      guard let environmentSettings = policy.environment(named: env) else {
        throw UsageError(
          "\(policy.file): environments: no environment named '\(env)' (have: \(policy.environments.map(\.name).joined(separator: ", ")))"
        )
      }
      settings = environmentSettings.storage(over: policy.storage)
    }
    return try await connector.connect(settings).client
  }

  /// Parses an `s3://bucket/key` argument.
  static func url(_ text: String, needsKey: Bool) throws -> S3ObjectURL {
    guard let url = S3ObjectURL(text) else { throw UsageError("expected s3://bucket/key, got '\(text)'") }
    if needsKey, url.key.isEmpty { throw UsageError("'\(text)' names a bucket; give s3://\(url.bucket)/KEY") }
    return url
  }
}

/// The object a `dr s3` command acts on (or, where the command allows, a bucket or prefix).
struct S3ObjectArgument: ParsableArguments {
  @Argument(help: "s3://bucket/key")
  var location: String

  func url(needsKey: Bool) throws -> S3ObjectURL { try S3Options.url(location, needsKey: needsKey) }
}

/// Bad usage found by dr itself (exit 2).
struct UsageError: DRError {
  let message: String
  init(_ message: String) { self.message = message }
  var exitStatus: ExitStatus { .usage }
  var errorCode: String { "usage" }
  var description: String { message.redacted }
}

extension S3List: GlobalOptionsProviding { var global: GlobalOptions { options.global } }
extension S3Copy: GlobalOptionsProviding { var global: GlobalOptions { options.global } }
extension S3Remove: GlobalOptionsProviding { var global: GlobalOptions { options.global } }
extension S3Presign: GlobalOptionsProviding { var global: GlobalOptions { options.global } }
extension S3MakeBucket: GlobalOptionsProviding { var global: GlobalOptions { options.global } }
