import CDRCurl
import DRCore
import Synchronization

/// Sends HTTP requests through libcurl.
///
/// Each transfer runs `curl_easy_perform` on a thread of its own (never on Swift's
/// cooperative pool) and resumes the caller when it ends. Easy handles are pooled, so
/// connections are reused across requests. Cancelling the calling task stops the
/// transfer at libcurl's next callback.
public final class HTTPClient: Sendable {
  public let configuration: HTTPClientConfiguration
  private let idle = Mutex<[EasyHandle]>([])
  /// The bandwidth cap's shares, when there is a cap.
  public let rateShares: RateShares?

  public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
    self.configuration = configuration
    rateShares = configuration.maxRate.map { RateShares(total: $0, slots: configuration.rateSlots) }
  }

  /// The speed cap, bytes per second, libcurl is given for a transfer (send and receive
  /// alike); nil when it is not capped.
  public func speedLimit(bodyLength: Int64, streamsResponse: Bool) -> Int64? {
    guard let rateShares, RateShares.isBulk(bodyLength: bodyLength, streamsResponse: streamsResponse) else {
      return nil
    }
    return rateShares.share
  }

  /// Sends `request`; a 2xx body goes to `sink` when one is given, and every other body
  /// is collected into the returned response.
  public func send(
    _ request: HTTPRequest, sink: (any HTTPResponseSink)? = nil,
    progress: (@Sendable (HTTPProgress) -> Void)? = nil
  ) async throws -> HTTPResponse {
    let state = TransferState(body: request.body, sink: sink, progress: progress)
    let limit = speedLimit(bodyLength: request.body.length, streamsResponse: sink != nil)
    if limit != nil, let rateShares {
      state.pacer = rateShares
      try await rateShares.acquire()
      do {
        let response = try await transfer(request, state, limit: limit)
        rateShares.release()
        return response
      } catch {
        rateShares.release()
        throw error
      }
    }
    return try await transfer(request, state, limit: limit)
  }

  private func transfer(_ request: HTTPRequest, _ state: TransferState, limit: Int64?) async throws -> HTTPResponse {
    try await withTaskCancellationHandler {
      try Task.checkCancellation()
      return try await runBlocking("dr-http") { try self.perform(request, state, limit: limit) }
    } onCancel: {
      state.cancel()
    }
  }

  private func perform(_ request: HTTPRequest, _ state: TransferState, limit: Int64?) throws -> HTTPResponse {
    let handle = idle.withLock { $0.popLast() } ?? EasyHandle()
    let headers = HeaderList(request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"])
    let user = Unmanaged.passRetained(state)
    defer { user.release() }
    var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let code = try errorBuffer.withUnsafeMutableBufferPointer { buffer in
      try configure(handle, request, headers, user.toOpaque(), buffer.baseAddress!)
      if let limit {
        try handle.set(CURLOPT_MAX_SEND_SPEED_LARGE, offset: limit)
        try handle.set(CURLOPT_MAX_RECV_SPEED_LARGE, offset: limit)
      }
      return curl_easy_perform(handle.raw)
    }
    let status = handle.responseCode()
    handle.reset()
    guard code == CURLE_OK else {
      let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw Self.error(code, detail, state, url: request.url)
    }
    recycle(handle)
    return HTTPResponse(head: HTTPResponseHead(status: status, headers: state.headers), body: state.collected)
  }

  private func recycle(_ handle: EasyHandle) {
    idle.withLock { handles in
      if handles.count < configuration.maxIdleHandles { handles.append(handle) }
    }
  }
}
