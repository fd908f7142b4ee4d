/// `dump` and debuggers walk stored properties through `Mirror`, which would show the
/// secret key and token; these mirrors show only what a description may.
extension S3Credentials: CustomReflectable {
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "accessKeyID": accessKeyID, "secretAccessKey": "***", "sessionToken": sessionToken == nil ? "nil" : "***",
        "expiration": expiration as Any, "source": source,
      ],
      displayStyle: .struct)
  }
}
