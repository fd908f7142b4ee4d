/// A value that must never be printed: a secret key, a token, a password.
///
/// Its `description` is a mask, so string interpolation, `dump` and default struct
/// descriptions cannot reveal it; code that needs the value reads `.value`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public let value: String

  public init(_ value: String) {
    self.value = value
  }

  public var description: String { Redactor.mask }
  public var debugDescription: String { Redactor.mask }
  /// `dump()` and mirrors show the mask too.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
