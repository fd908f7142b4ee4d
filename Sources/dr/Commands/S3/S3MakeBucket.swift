import ArgumentParser
import DRS3

struct S3MakeBucket: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create a bucket.")

  @OptionGroup var options: S3Options

  @Argument(help: "s3://bucket")
  var location: String

  func run() async throws {
    let url = try S3Options.url(location, needsKey: false)
    try await options.client().createBucket(url.bucket)
    Output.line("bucket s3://\(url.bucket) ready")
  }
}
