import DRBackup
import DRCore
import DRPolicy
import DRS3
import DRStorage
import Foundation

extension FailoverContext {
  var drillsPrefix: String { catalogue.layout.root + "drills/" }
  var failoversPrefix: String { catalogue.layout.root + "failovers/" }
  var checkKey: String { catalogue.layout.root + "checks/\(environment.name).json" }

  /// Drill and failover records of this environment, newest first (the newest 20 of each).
  public func runRecords() async throws -> [FailoverRecord] {
    var records: [FailoverRecord] = []
    for prefix in [drillsPrefix, failoversPrefix] {
      let keys = try await catalogue.client.listAllObjects(bucket: storage.bucket, prefix: prefix).map(\.key)
        .filter { $0.hasSuffix(".json") }.sorted(by: >).prefix(20)
      for key in keys {
        guard let bytes = try? await catalogue.client.getObjectBytes(bucket: storage.bucket, key: key),
          let record = try? BucketJSON.decoder.decode(FailoverRecord.self, from: Data(bytes)),
          record.environment == environment.name
        else { continue }
        records.append(record)
      }
    }
    return records.sorted { $0.startedAt > $1.startedAt }
  }

  public func write(_ record: FailoverRecord) async throws {
    let prefix = record.kind == "drill" ? drillsPrefix : failoversPrefix
    let name = record.startedAt.formatted(Date.ISO8601FormatStyle()).replacingOccurrences(of: ":", with: "")
    try await catalogue.client.putObject(
      bucket: storage.bucket, key: prefix + "\(name)-\(environment.name).json",
      body: Array(try BucketJSON.encoder.encode(record)), options: S3PutOptions(contentType: "application/json"))
  }

  /// When `dr check --env` last passed for this environment.
  public func lastCheck() async throws -> Date? {
    guard let bytes = try? await catalogue.client.getObjectBytes(bucket: storage.bucket, key: checkKey),
      let check = try? BucketJSON.decoder.decode(CheckRecord.self, from: Data(bytes))
    else { return nil }
    return check.passedAt
  }

  public func recordCheck(passed: Bool, at date: Date = Date()) async throws {
    var record =
      (try? await catalogue.client.getObjectBytes(bucket: storage.bucket, key: checkKey))
      .flatMap { try? BucketJSON.decoder.decode(CheckRecord.self, from: Data($0)) } ?? CheckRecord()
    record.ranAt = date
    if passed { record.passedAt = date }
    record.passed = passed
    try await catalogue.client.putObject(
      bucket: storage.bucket, key: checkKey, body: Array(try BucketJSON.encoder.encode(record)),
      options: S3PutOptions(contentType: "application/json"))
  }
}

/// `NAME/checks/ENV.json`: when `dr check --env` last ran and last passed.
public struct CheckRecord: Sendable, Codable, Equatable {
  public var ranAt: Date?
  public var passedAt: Date?
  public var passed = false

  public init() {}
}
