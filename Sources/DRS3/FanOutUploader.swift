import Foundation

/// Writes one stream to several objects at once, one `MultipartUploader` each (each with
/// its own client: credentials, signer, endpoint): a backup's copies in one pass, one
/// dump and one compression. Every chunk goes to each live destination concurrently, so
/// the slowest bounds the pace and memory stays per-destination bounded.
///
/// The first destination is the primary: its failure fails the whole write. Any other
/// that fails is aborted and dropped (its error kept for the result), and the rest go on.
public actor FanOutUploader {
  public struct Destination: Sendable {
    public let name: String
    public let uploader: MultipartUploader

    public init(name: String, uploader: MultipartUploader) {
      self.name = name
      self.uploader = uploader
    }
  }

  /// How each destination ended.
  public enum Outcome: Sendable {
    case uploaded(UploadResult)
    case failed(String)
  }

  private let destinations: [Destination]
  private var failures: [String: String] = [:]

  public init(_ destinations: [Destination]) {
    precondition(!destinations.isEmpty, "a fan-out needs a primary destination")
    self.destinations = destinations
  }

  private var primary: Destination { destinations[0] }

  /// The destinations still written to.
  private var live: [Destination] { destinations.filter { failures[$0.name] == nil } }

  /// Appends `bytes` to every live destination; throws when the primary fails.
  public func write(_ bytes: [UInt8]) async throws {
    let results = await Self.each(live) { try await $0.uploader.write(bytes) }
    try await settle(results)
  }

  /// Completes every live destination; throws when the primary fails.
  public func finish() async throws -> [String: Outcome] {
    let results = await Self.each(live) { try await $0.uploader.finish() }
    try await settle(results.mapValues { $0.map { _ in () } })
    var outcomes: [String: Outcome] = [:]
    for destination in destinations {
      if let failure = failures[destination.name] {
        outcomes[destination.name] = .failed(failure)
      } else if case .success(let upload)? = results[destination.name] {
        outcomes[destination.name] = .uploaded(upload)
      }
    }
    return outcomes
  }

  /// Aborts every destination's upload.
  public func abort() async {
    _ = await Self.each(destinations) { await $0.uploader.abort() }
  }

  /// Marks failed copies (aborting them); rethrows the primary's failure.
  private func settle(_ results: [String: Result<Void, any Error>]) async throws {
    for destination in destinations {
      guard case .failure(let error)? = results[destination.name] else { continue }
      if destination.name == primary.name { throw error }
      failures[destination.name] = "\(error)"
      await destination.uploader.abort()
    }
  }

  private static func each<Value: Sendable>(
    _ destinations: [Destination], _ body: @escaping @Sendable (Destination) async throws -> Value
  ) async -> [String: Result<Value, any Error>] {
    await withTaskGroup(of: (String, Result<Value, any Error>).self) { group in
      for destination in destinations {
        group.addTask {
          do { return (destination.name, .success(try await body(destination))) } catch {
            return (destination.name, .failure(error))
          }
        }
      }
      var results: [String: Result<Value, any Error>] = [:]
      for await (name, result) in group { results[name] = result }
      return results
    }
  }
}
