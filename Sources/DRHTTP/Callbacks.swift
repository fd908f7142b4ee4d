import CDRCurl

/// libcurl's C callbacks. Each recovers the transfer's `TransferState` from the user
/// data pointer; none captures context.
enum Callbacks {
  static func state(_ pointer: UnsafeMutableRawPointer?) -> TransferState {
    Unmanaged<TransferState>.fromOpaque(pointer!).takeUnretainedValue()
  }

  static let read: curl_read_callback = { buffer, size, count, user in
    let state = Callbacks.state(user)
    if state.isCancelled { return cdr_readfunc_abort() }
    let target = UnsafeMutableRawBufferPointer(start: buffer, count: size * count)
    return state.readBody(into: target) ?? cdr_readfunc_abort()
  }

  static let write: curl_write_callback = { data, size, count, user in
    let total = size * count
    let state = Callbacks.state(user)
    if state.isCancelled { return 0 }
    return state.receiveBody(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
  }

  static let header: curl_write_callback = { data, size, count, user in
    let total = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
    Callbacks.state(user).receiveHeaderLine(line)
    return total
  }

  /// libcurl rewinds the body when it resends a request on a new connection (the reused
  /// one was closed by the server); without this it fails with "send fail rewind".
  static let seek: curl_seek_callback = { user, offset, origin in
    guard origin == SEEK_SET else { return CURL_SEEKFUNC_CANTSEEK }
    return Callbacks.state(user).seekBody(to: Int(offset)) ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL
  }

  static let transferInfo: curl_xferinfo_callback = { user, _, received, _, sent in
    let state = Callbacks.state(user)
    if state.isCancelled { return 1 }
    state.progress?(HTTPProgress(sent: Int64(sent), received: Int64(received)))
    return 0
  }
}
