import Foundation
import Logging

/// A swift-log handler writing to standard error, human or JSON lines, with every
/// message and metadata value passed through the `Redactor`.
public struct DRLogHandler: LogHandler {
  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  private let label: String
  private let format: LogFormat
  private let sink: LogSink

  public init(label: String, level: Logger.Level, format: LogFormat, sink: LogSink = .standardError) {
    self.label = label
    self.logLevel = level
    self.format = format == .json ? .json : .human
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let extra = event.metadata { merged.merge(extra) { _, new in new } }
    let line =
      switch format {
      case .json: LogLine.json(event: event, metadata: merged, label: label)
      default: LogLine.human(event: event, metadata: merged)
      }
    sink.write(line + "\n")
  }
}

/// Where log lines go. Standard error by default; tests use a memory sink.
public final class LogSink: Sendable {
  public static let standardError = LogSink(fileDescriptor: 2)
  public static let standardOutput = LogSink(fileDescriptor: 1)

  private let fileDescriptor: Int32
  private let lock = NSLock()

  public init(fileDescriptor: Int32) {
    self.fileDescriptor = fileDescriptor
  }

  public func write(_ text: String) {
    lock.withLock {
      var bytes = Array(text.utf8)
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer in
          Foundation.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
        }
        if written <= 0 { return }
        offset += written
      }
    }
  }
}
