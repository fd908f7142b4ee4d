import DRBackup
import DRLease
import Foundation

/// Who runs a job's scheduled run: written to `NAME/worker/JOB.lease.json` by the worker
/// that took it, renewed while it runs, deleted when it ends (the fields are its JSON keys,
/// unchanged since the first worker). Abandoned (`isAbandoned`) when expired, or held by a
/// process of this host that no longer exists.
public struct JobLeaseHolder: LeaseRecord, Equatable {
  /// The run's nominal time (the cron time, before jitter): the same on every worker.
  public var fire: Date
  public var worker: String
  public var host: String
  public var pid: Int32
  public var acquiredAt: Date
  public var expiresAt: Date

  public var holderID: String { worker }

  public var description: String { "worker \(worker) (run of \(fire.formatted(.iso8601)))" }
}

/// The last run of a job that ended, whoever ran it: `NAME/worker/JOB.last.json`. A
/// worker that finds its run here already ended skips it.
public struct JobLastRun: Sendable, Codable, Equatable {
  public var fire: Date
  public var outcome: String
  public var finishedAt: Date
  public var worker: String
}

/// Where a job's records live in the bucket.
public struct JobRecordKeys: Sendable, Equatable {
  public let lease: String
  public let last: String

  public init(layout: BucketLayout, job: String) {
    let name = String(job.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    lease = layout.root + "worker/\(name).lease.json"
    last = layout.root + "worker/\(name).last.json"
  }
}

/// This worker, as named in its leases: host, pid and a random part (a restarted worker
/// with a recycled pid is another worker).
public struct WorkerIdentity: Sendable, Equatable, CustomStringConvertible {
  public let host: String
  public let pid: Int32
  public let token: String

  public init(
    host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(),
    token: String = String(UInt32.random(in: 0...UInt32.max), radix: 16)
  ) {
    self.host = host
    self.pid = pid
    self.token = token
  }

  public var description: String { "\(host):\(pid):\(token)" }
}
