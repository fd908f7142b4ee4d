/// How an error code becomes the stable dotted name of `DRError.errorCode`.
public enum ErrorCodeName {
  /// `BackupErrorCode.locked` → `backup.locked`; an associated value is left out
  /// (`interrupted(signal: 15)` → `backup.interrupted`).
  public static func of<Code>(_ type: Code.Type, _ code: Code) -> String {
    var module = String(describing: type)
    for suffix in ["ErrorCode", "Code", "Error"] where module.hasSuffix(suffix) && module.count > suffix.count {
      module.removeLast(suffix.count)
      break
    }
    return lowerFirst(module) + "." + caseName(code)
  }

  /// The case of an enum value without its associated values: `lost`, `cannotListen`.
  /// A case with values is named by reflection (its `description` may be a sentence); a
  /// name that is not a plain identifier becomes `error`.
  public static func caseName<Code>(_ code: Code) -> String {
    let mirror = Mirror(reflecting: code)
    let name =
      mirror.displayStyle == .enum && mirror.children.first?.label != nil
      ? mirror.children.first!.label!
      : String(String(describing: code).prefix { $0 != "(" })
    let plain =
      !name.isEmpty && name.count <= 64
      && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    return plain ? name : "error"
  }

  static func lowerFirst(_ text: String) -> String {
    guard let first = text.first else { return text }
    let leadingCapitals = text.prefix { $0.isUppercase }
    // `S3` stays `s3`, `HTTP` becomes `http`; `Backup` becomes `backup`.
    if leadingCapitals.count > 1 { return text.lowercased() }
    return first.lowercased() + text.dropFirst()
  }
}
