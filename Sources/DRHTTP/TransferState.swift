import Foundation
import Synchronization

/// What one transfer's C callbacks work with: the request body being read, the response
/// head and body being received, cancellation and progress. Handed to libcurl as
/// `Unmanaged` user data; used on the transfer's thread, except `cancel()`.
final class TransferState: @unchecked Sendable {
  let body: HTTPRequestBody
  let sink: (any HTTPResponseSink)?
  let progress: (@Sendable (HTTPProgress) -> Void)?
  var bodyOffset = 0
  var collected: [UInt8] = []
  var status = 0
  var headers: [(name: String, value: String)] = []
  var headDelivered = false
  var failure: HTTPError.Code?
  var failureMessage = ""
  private let cancelled = Atomic<Bool>(false)
  /// The client's bandwidth cap, for a capped transfer: every body byte, sent or received,
  /// passes its token bucket.
  var pacer: RateShares?

  init(body: HTTPRequestBody, sink: (any HTTPResponseSink)?, progress: (@Sendable (HTTPProgress) -> Void)?) {
    self.body = body
    self.sink = sink
    self.progress = progress
  }

  var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
  func cancel() { cancelled.store(true, ordering: .relaxed) }

  /// Fills `buffer` with the next request body bytes, within the cap; nil aborts.
  func readBody(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    let count = fillBody(into: buffer)
    if let count, count > 0, let pacer { pacer.pace(count) { isCancelled } }
    return count
  }

  private func fillBody(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    switch body {
    case .empty: return 0
    case .bytes(let bytes):
      let count = min(buffer.count, bytes.count - bodyOffset)
      bytes.withUnsafeBytes { source in
        buffer.baseAddress!.copyMemory(from: source.baseAddress! + bodyOffset, byteCount: count)
      }
      bodyOffset += count
      return count
    case .stream(_, let source):
      do {
        return try source.read(into: buffer)
      } catch {
        fail(.bodySource, "reading the request body failed: \(error)")
        return nil
      }
    }
  }

  /// Moves the request body back to `offset` (only the start, for a streamed body).
  func seekBody(to offset: Int) -> Bool {
    switch body {
    case .empty: return offset == 0
    case .bytes(let bytes):
      guard offset <= bytes.count else { return false }
      bodyOffset = offset
      return true
    case .stream(_, let source):
      guard offset == 0 else { return false }
      do {
        try source.rewind()
        return true
      } catch {
        return false
      }
    }
  }

  /// Takes response body bytes; false aborts the transfer.
  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
    if let pacer { pacer.pace(bytes.count) { isCancelled } }
    guard let sink, (200..<300).contains(status) else {
      collected.append(contentsOf: bytes)
      return true
    }
    if !headDelivered {
      headDelivered = true
      sink.receiveHead(HTTPResponseHead(status: status, headers: headers))
    }
    do {
      try sink.receive(bytes)
      return true
    } catch {
      fail(.bodySink, "writing the response body failed: \(error)")
      return false
    }
  }

  /// One header line; a status line starts a new header block (after 100 Continue).
  func receiveHeaderLine(_ line: String) {
    let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("HTTP/") {
      headers = []
      status = Int(trimmed.split(separator: " ").dropFirst().first ?? "") ?? 0
    } else if let colon = trimmed.firstIndex(of: ":") {
      let name = String(trimmed[..<colon])
      let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers.append((name, value))
    }
  }

  func fail(_ code: HTTPError.Code, _ message: String) {
    if failure == nil {
      failure = code
      failureMessage = message
    }
  }
}
