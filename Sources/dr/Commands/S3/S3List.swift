import ArgumentParser
import DRCore
import DRS3
import Foundation

struct S3List: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls", abstract: "List buckets, or objects under s3://bucket/prefix.")

  @OptionGroup var options: S3Options

  @Argument(help: "s3://bucket/prefix; without it, the buckets.")
  var location: String?

  @Flag(name: .shortAndLong, help: "Every object under the prefix, not only one level.")
  var recursive = false

  struct Entry: Encodable {
    let key: String
    let size: Int64?
    let lastModified: Date?
    let etag: String?
    let isPrefix: Bool
  }

  func run() async throws {
    let client = try await options.client()
    guard let location else { return try await listBuckets(client) }
    let url = try S3Options.url(location, needsKey: false)
    var entries: [Entry] = []
    var token: String?
    var pager = ListingPager(operation: "GET \(location)")
    repeat {
      let page = try await client.listObjects(
        bucket: url.bucket, prefix: url.key, delimiter: recursive ? nil : "/", continuationToken: token)
      entries += page.commonPrefixes.map { Entry(key: $0, size: nil, lastModified: nil, etag: nil, isPrefix: true) }
      entries += page.objects.map {
        Entry(key: $0.key, size: $0.size, lastModified: $0.lastModified, etag: $0.etag, isPrefix: false)
      }
      token = page.continuationToken
      if let token { try pager.check(token) }
    } while token != nil
    if options.global.json { return try Output.json(entries) }
    for entry in entries {
      if entry.isPrefix {
        Output.line("                           PRE \(entry.key)")
      } else {
        let time = entry.lastModified.map { $0.formatted(.iso8601) } ?? "-"
        Output.line("\(time) \(String(entry.size ?? 0).leftPadded(12)) \(entry.key)")
      }
    }
  }

  private func listBuckets(_ client: S3Client) async throws {
    let buckets = try await client.listBuckets()
    if options.global.json { return try Output.json(buckets.map { ["name": $0.name] }) }
    for bucket in buckets { Output.line("\(bucket.created.map { $0.formatted(.iso8601) } ?? "-") \(bucket.name)") }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
