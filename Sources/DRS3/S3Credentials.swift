import DRSigV4
import Foundation

/// Keys to sign with, where they came from, and until when they are good.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
  public let accessKeyID: String
  public let secretAccessKey: String
  public let sessionToken: String?
  /// When temporary credentials (container, EC2 instance role) stop working.
  public let expiration: Date?
  /// Where they came from, for messages: "environment (AWS_ACCESS_KEY_ID)", "profile spare
  /// (~/.aws/credentials)", "EC2 instance metadata". Never the secret.
  public let source: String

  public init(
    accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
    source: String
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
    self.source = source
  }

  public var signing: SigV4Credentials {
    SigV4Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
  }

  public var description: String { "access key \(accessKeyID) from \(source)" }
}

/// Supplies credentials, refreshing temporary ones before they expire.
public protocol S3CredentialsProvider: Sendable {
  /// Credentials valid for at least the next few minutes.
  func credentials() async throws -> S3Credentials
}

/// Credentials that never change (keys from the policy or the environment).
public struct StaticCredentialsProvider: S3CredentialsProvider {
  public let value: S3Credentials

  public init(_ value: S3Credentials) {
    self.value = value
  }

  public func credentials() async throws -> S3Credentials { value }
}
