import DRSigV4
import Testing

@Suite struct URIEncodingTests {
  @Test(arguments: [
    ("backups/my file.tar", "backups/my%20file.tar"),
    ("a+b=c&d~e*f(g)h'i!j", "a%2Bb%3Dc%26d~e%2Af%28g%29h%27i%21j"),
    ("grüße/ü.txt", "gr%C3%BC%C3%9Fe/%C3%BC.txt"),
    ("日本/データ.bin", "%E6%97%A5%E6%9C%AC/%E3%83%87%E3%83%BC%E3%82%BF.bin"),
    ("a/b/c/d/e/f/g/h/2024-01-02T03:04:05Z.dump", "a/b/c/d/e/f/g/h/2024-01-02T03%3A04%3A05Z.dump"),
    ("-._~AZaz09", "-._~AZaz09"),
    ("100%/x?y#z", "100%25/x%3Fy%23z"),
  ])
  func objectKeysAreEncodedOnceKeepingSlashes(key: String, encoded: String) {
    #expect(SigV4.uriEncode(key, encodeSlash: false) == encoded)
  }

  @Test func slashIsEncodedWhenAsked() {
    #expect(SigV4.uriEncode("prefix/a b", encodeSlash: true) == "prefix%2Fa%20b")
  }

  @Test func encodingIsSingleNotIdempotent() {
    // Encoding an encoded key again is double encoding: S3 would see another key.
    let once = SigV4.uriEncode("my file", encodeSlash: false)
    #expect(once == "my%20file")
    #expect(SigV4.uriEncode(once, encodeSlash: false) == "my%2520file")
  }

  @Test func queryItemsUsePercentTwentyNeverPlus() {
    let item = SigV4QueryItem("prefix", "daily backups/2024+")
    #expect(item.encoded == "prefix=daily%20backups%2F2024%2B")
  }

  @Test func canonicalQuerySortsByEncodedNameThenValue() {
    let items = [
      SigV4QueryItem("b", "2"), SigV4QueryItem("a", "z"), SigV4QueryItem("a", "y"), SigV4QueryItem("A", "1"),
      SigV4QueryItem("a b", ""),
    ]
    #expect(SigV4CanonicalRequest.canonicalQuery(items) == "A=1&a=y&a=z&a%20b=&b=2")
  }

  @Test func targetParsingDecodesQueryButKeepsPlus() {
    let request = SigV4Request(method: "GET", target: "/x?list-type=2&prefix=a%20b+c&flag", headers: [])
    #expect(request.path == "/x")
    #expect(
      request.query == [
        SigV4QueryItem("list-type", "2"), SigV4QueryItem("prefix", "a b+c"), SigV4QueryItem("flag", ""),
      ])
    #expect(request.target == "/x?list-type=2&prefix=a%20b%2Bc&flag=")
  }

  @Test(arguments: [
    ("//a/./b/../c//", "/a/c/"), ("/a/b/../..", "/"), ("/./", "/"), ("", "/"), ("/a/../../b", "/b"),
  ])
  func pathNormalisation(path: String, normalized: String) {
    #expect(SigV4.normalizedPath(path) == normalized)
  }
}
