import DRCore
import DRHTTP
import DRSigV4
import Foundation
import Logging
import Synchronization

/// An S3 client of dr's own: SigV4 over libcurl, typed errors, retries with backoff.
///
/// One client holds one endpoint and one credentials provider; production and a
/// failover's spare credentials are two clients side by side.
public final class S3Client: Sendable {
  public let endpoint: S3Endpoint
  public let retry: RetryPolicy
  let credentials: any S3CredentialsProvider
  let http: HTTPClient
  let logger: Logger
  /// Seconds to add to this machine's clock, learnt from a RequestTimeTooSkewed answer.
  let clockSkew = Mutex<Double>(0)
  let signingKey = Mutex<SigV4SigningKey?>(nil)
  let credentialsSource = Mutex<String?>(nil)
  /// Buckets that refused an upload without Content-MD5 (default Object Lock retention):
  /// every later upload to them carries one.
  let contentMD5Buckets = Mutex<Set<String>>([])
  /// Per bucket, whether its server refuses a body that differs from its signed SHA-256
  /// (`probePayloadHashCheck`).
  let payloadHashChecks = Mutex<[String: Bool]>([:])
  /// This machine's clock (injectable so tests can run it wrong).
  let now: @Sendable () -> Date
  /// Whether every data upload carries Content-MD5, or only where S3 requires it.
  public let contentMD5: ContentMD5Use

  public init(
    endpoint: S3Endpoint, credentials: any S3CredentialsProvider, http: HTTPClient = HTTPClient(),
    retry: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "dr.s3"),
    now: @escaping @Sendable () -> Date = Date.init, contentMD5: ContentMD5Use = .always
  ) {
    self.contentMD5 = contentMD5
    self.endpoint = endpoint
    self.credentials = credentials
    self.http = http
    self.retry = retry
    self.logger = logger
    self.now = now
  }

  /// Seconds added to this machine's clock when signing, learnt from the server.
  public var clockOffset: Double { clockSkew.withLock { $0 } }

  /// Sends `call` with retries; returns the response of a 2xx status, throws `S3Error`
  /// otherwise. A 2xx body goes to `sink` when there is one.
  ///
  /// The retry budget's time counts from the first failure, not the first attempt: a part
  /// that took minutes over a slow link and was then cut by a restarting server must still
  /// be retried, or a two-second outage fails a long backup.
  func send(_ call: S3Call, sink: (any HTTPResponseSink)? = nil) async throws -> HTTPResponse {
    var call = call
    var firstFailure: ContinuousClock.Instant?
    var attempt = 0
    while true {
      attempt += 1
      do {
        return try await sendOnce(call, sink: sink)
      } catch var error as S3Error {
        error.attempt = attempt
        let failedAt = ContinuousClock.now
        let elapsed = (failedAt - (firstFailure ?? failedAt)).seconds
        firstFailure = firstFailure ?? failedAt
        if error.code == "RequestTimeTooSkewed", attempt == 1 { continue }
        if let withMD5 = try await withContentMD5(call, after: error) {
          call = withMD5
          continue
        }
        guard RetryPolicy.isRetryable(error, idempotent: call.idempotent) else { throw error }
        guard retry.allowsRetry(afterAttempts: attempt, elapsed: elapsed) else {
          var exhausted = error
          exhausted.gaveUp = (attempt, elapsed)
          throw exhausted
        }
        let delay = retry.delay(beforeRetry: attempt, random: Double.random(in: 0..<1))
        logger.warning(
          "retrying after \(String(format: "%.2f", delay)) s: \(error)",
          metadata: ["attempt": .stringConvertible(attempt)])
        try await Task.sleep(for: .seconds(delay))
      }
    }
  }

  /// One attempt: sign with the current credentials and clock, send, check the answer.
  func sendOnce(_ call: S3Call, sink: (any HTTPResponseSink)?) async throws -> HTTPResponse {
    let keys = try await currentCredentials(for: call)
    let request = try sign(call, with: keys)
    let response: HTTPResponse
    do {
      response = try await http.send(request, sink: sink)
    } catch let error as HTTPError {
      throw S3Error(.transport(error.code), operation: call.operation, message: error.message)
    }
    guard (200..<300).contains(response.status) else {
      let error = S3ErrorParser.error(from: response, operation: call.operation, credentialsSource: keys.source)
      if error.code == "RequestTimeTooSkewed" { learnClockSkew(from: response) }
      throw error
    }
    return response
  }

  private func currentCredentials(for call: S3Call) async throws -> S3Credentials {
    do {
      let keys = try await credentials.credentials()
      credentialsSource.withLock { $0 = keys.source }
      return keys
    } catch let error as S3Error {
      throw error
    } catch {
      throw S3Error(.invalidRequest, operation: call.operation, message: "no credentials: \(error)")
    }
  }

  /// The server's clock, from the Date header of its answer, minus ours.
  private func learnClockSkew(from response: HTTPResponse) {
    guard let date = response.head.header("Date").flatMap(HTTPDate.parse) else { return }
    let skew = date.timeIntervalSince(now())
    clockSkew.withLock { $0 = skew }
    logger.warning("this machine's clock is \(Int(skew)) s off the storage server's; correcting signatures")
  }
}
