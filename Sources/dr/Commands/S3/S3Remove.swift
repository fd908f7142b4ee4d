import ArgumentParser
import DRCore
import DRS3

struct S3Remove: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rm", abstract: "Delete an object, or every object under a prefix with --recursive.")

  @OptionGroup var options: S3Options
  @OptionGroup var object: S3ObjectArgument

  @Flag(name: .shortAndLong, help: "Delete every object under s3://bucket/prefix.")
  var recursive = false

  func run() async throws {
    let client = try await options.client()
    let url = try object.url(needsKey: !recursive)
    guard recursive else {
      try await client.deleteObject(bucket: url.bucket, key: url.key)
      return try Output.done("deleted \(url)", json: options.global.json)
    }
    let keys = try await client.listAllObjects(bucket: url.bucket, prefix: url.key).map(\.key)
    let failures = try await client.deleteObjects(bucket: url.bucket, keys: keys)
    if options.global.json {
      try Output.json(
        Removal(
          deleted: keys.count - failures.count, failed: failures.map { Removal.Failed(key: $0.key, reason: $0.reason) })
      )
    } else {
      for failure in failures { Output.line("not deleted: s3://\(url.bucket)/\(failure.key): \(failure.reason)") }
      Output.line("deleted \(keys.count - failures.count) of \(keys.count) objects under \(url)")
    }
    if !failures.isEmpty {
      throw CommandFailed(
        "s3.deleteFailed", "\(failures.count) of \(keys.count) objects not deleted", category: .storage)
    }
  }

  /// `dr s3 rm --recursive --json`.
  struct Removal: Encodable {
    struct Failed: Encodable {
      let key: String
      let reason: String
    }

    let deleted: Int
    let failed: [Failed]
  }
}
