import CDRCurl

extension HTTPClient {
  func configure(
    _ handle: EasyHandle, _ request: HTTPRequest, _ headers: HeaderList, _ user: UnsafeMutableRawPointer,
    _ errorBuffer: UnsafeMutablePointer<CChar>
  ) throws(HTTPError) {
    try handle.set(CURLOPT_URL, request.url)
    try handle.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    try handle.set(CURLOPT_NOSIGNAL, true)
    // S3 keys may hold `.` and `..` segments: send the path exactly as signed, never
    // normalised (libcurl would otherwise squash `a/../b` and the signature would fail).
    try handle.set(CURLOPT_PATH_AS_IS, true)
    try handle.setHeaders(headers)
    try configureMethod(handle, request)
    try configureCallbacks(handle, user)
    try configureLimits(handle)
  }

  private func configureMethod(_ handle: EasyHandle, _ request: HTTPRequest) throws(HTTPError) {
    switch request.method {
    case "GET": try handle.set(CURLOPT_HTTPGET, true)
    case "HEAD": try handle.set(CURLOPT_NOBODY, true)
    default:
      // PUT, POST and DELETE all send their body (possibly empty) through the read
      // callback with a Content-Length; the method string is set as given.
      try handle.set(CURLOPT_UPLOAD, true)
      try handle.set(CURLOPT_INFILESIZE_LARGE, offset: request.body.length)
      try handle.set(CURLOPT_CUSTOMREQUEST, request.method)
    }
  }

  private func configureCallbacks(_ handle: EasyHandle, _ user: UnsafeMutableRawPointer) throws(HTTPError) {
    try check(cdr_easy_setopt_read_callback(handle.raw, Callbacks.read))
    try check(cdr_easy_setopt_write_callback(handle.raw, Callbacks.write))
    try check(cdr_easy_setopt_header_callback(handle.raw, Callbacks.header))
    try check(cdr_easy_setopt_xferinfo_callback(handle.raw, Callbacks.transferInfo))
    try check(cdr_easy_setopt_seek_callback(handle.raw, Callbacks.seek))
    for option in [CURLOPT_READDATA, CURLOPT_WRITEDATA, CURLOPT_HEADERDATA, CURLOPT_XFERINFODATA, CURLOPT_SEEKDATA] {
      try handle.set(option, pointer: user)
    }
    try handle.set(CURLOPT_NOPROGRESS, false)
  }

  private func configureLimits(_ handle: EasyHandle) throws(HTTPError) {
    try handle.set(CURLOPT_CONNECTTIMEOUT, configuration.connectTimeout)
    try handle.set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
    try handle.set(CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTime)
    try handle.set(CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS)
    try handle.set(CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0)
    if let bundle = configuration.caBundle { try handle.set(CURLOPT_CAINFO, bundle) }
    if let noProxy = configuration.noProxy { try handle.set(CURLOPT_NOPROXY, noProxy) }
    try handle.set(CURLOPT_TCP_NODELAY, true)
    try handle.set(CURLOPT_BUFFERSIZE, 256 * 1024)
    try handle.set(CURLOPT_UPLOAD_BUFFERSIZE, 2 * 1024 * 1024)
  }

  private func check(_ code: CURLcode) throws(HTTPError) {
    guard code == CURLE_OK else {
      throw HTTPError(.invalidRequest, String(cString: curl_easy_strerror(code)), url: "")
    }
  }

  /// Maps a libcurl failure to an `HTTPError` that says what happened in words.
  static func error(_ code: CURLcode, _ detail: String, _ state: TransferState, url: String) -> HTTPError {
    if state.isCancelled { return HTTPError(.cancelled, "cancelled", url: url) }
    if let failure = state.failure { return HTTPError(failure, state.failureMessage, url: url) }
    let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    let kind: HTTPError.Code =
      switch code {
      case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotResolve
      case CURLE_COULDNT_CONNECT: .couldNotConnect
      case CURLE_OPERATION_TIMEDOUT: .timedOut
      case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: .tls
      case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_SEND_FAIL_REWIND:
        .connectionLost
      default: .other
      }
    return HTTPError(kind, kind == .other ? "\(text) (curl error \(code.rawValue))" : text, url: url)
  }
}
