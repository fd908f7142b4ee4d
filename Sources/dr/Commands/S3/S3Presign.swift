import ArgumentParser
import DRPolicy
import DRS3

struct S3Presign: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "presign", abstract: "Print a presigned GET URL for an object (at most 7 days).")

  @OptionGroup var options: S3Options
  @OptionGroup var object: S3ObjectArgument

  @Option(help: "How long the URL works: 90s, 15m, 12h, 7d (at most 7d).")
  var expires: String = "1h"

  func run() async throws {
    guard let duration = DurationValue(parsing: expires), duration.seconds <= 604_800 else {
      throw UsageError("--expires: expected a duration up to 7d (e.g. 15m, 12h, 7d), got '\(expires)'")
    }
    let url = try object.url(needsKey: true)
    let client = try await options.client()
    let presigned = try await client.presign(bucket: url.bucket, key: url.key, expires: Int(duration.seconds))
    if options.global.json {
      return try Output.unredactedJSON(Presigned(url: presigned, expiresSeconds: duration.seconds))
    }
    print(presigned)
  }
}

/// `dr s3 presign --json`.
struct Presigned: Encodable {
  let url: String
  let expiresSeconds: Int64

  enum CodingKeys: String, CodingKey {
    case url, expiresSeconds = "expires_seconds"
  }
}
