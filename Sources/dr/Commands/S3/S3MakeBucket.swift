import ArgumentParser
import DRS3

struct S3MakeBucket: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create a bucket.")

  @OptionGroup var options: S3Options

  @Flag(help: "Enable S3 Object Lock (and versioning), for retention.lock; possible only at creation.")
  var objectLock = false

  @Argument(help: "s3://bucket")
  var location: String

  func run() async throws {
    let url = try S3Options.url(location, needsKey: false)
    let client = try await options.client()
    if objectLock {
      try await client.createBucketWithObjectLock(url.bucket)
      try Output.done("bucket s3://\(url.bucket) ready, with Object Lock", json: options.global.json)
    } else {
      try await client.createBucket(url.bucket)
      try Output.done("bucket s3://\(url.bucket) ready", json: options.global.json)
    }
  }
}
