extension SigV4 {
  /// Removes empty and `.` segments and resolves `..` (never above the root), keeping a trailing `/`
  /// when the path had one: `//a/./b/../c//` becomes `/a/c/`. This is what every service except S3
  /// does to the path before signing it.
  public static func normalizedPath(_ path: String) -> String {
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch segment {
      case ".":
        continue
      case "..":
        _ = segments.popLast()
      default:
        segments.append(segment)
      }
    }
    guard !segments.isEmpty else { return "/" }
    let joined = "/" + segments.joined(separator: "/")
    return path.hasSuffix("/") ? joined + "/" : joined
  }
}
