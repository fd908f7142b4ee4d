import CDRCurl

/// One libcurl easy handle. Owns the `CURL*` and cleans it up in `deinit`.
///
/// A handle is used by one transfer at a time (the pool guarantees it); between
/// transfers it is reset, which keeps its live connections for reuse.
final class EasyHandle: @unchecked Sendable {
  let raw: UnsafeMutableRawPointer

  init() {
    CurlGlobal.initialize()
    guard let raw = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
    self.raw = raw
  }

  deinit { curl_easy_cleanup(raw) }

  func reset() { curl_easy_reset(raw) }

  func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
    try check(cdr_easy_setopt_long(raw, option, value), option)
  }

  func set(_ option: CURLoption, _ value: Bool) throws(HTTPError) {
    try set(option, value ? 1 : 0)
  }

  func set(_ option: CURLoption, offset value: Int64) throws(HTTPError) {
    try check(cdr_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
  }

  /// libcurl copies string options (since 7.17), so the Swift string may go away after.
  func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
    try check(cdr_easy_setopt_string(raw, option, value), option)
  }

  func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(HTTPError) {
    try check(cdr_easy_setopt_pointer(raw, option, value), option)
  }

  func setHeaders(_ list: HeaderList) throws(HTTPError) {
    try check(cdr_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list.raw), CURLOPT_HTTPHEADER)
  }

  func responseCode() -> Int {
    var code = 0
    _ = cdr_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
    return code
  }

  private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
    guard code == CURLE_OK else {
      throw HTTPError(
        .invalidRequest, "curl option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))", url: "")
    }
  }
}

/// A `curl_slist` of request headers, owned and freed here.
final class HeaderList {
  private(set) var raw: UnsafeMutablePointer<curl_slist>?

  init(_ lines: [String]) {
    for line in lines { raw = curl_slist_append(raw, line) }
  }

  deinit { curl_slist_free_all(raw) }
}

enum CurlGlobal {
  private static let initialized: Bool = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
  }()

  static func initialize() {
    precondition(initialized, "curl_global_init failed")
  }
}
