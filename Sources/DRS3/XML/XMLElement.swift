/// An element of a parsed XML document: S3's responses need names, text and children only.
public struct XMLElement: Sendable, Equatable {
  public var name: String
  public var text: String
  public var children: [XMLElement]

  public init(name: String, text: String = "", children: [XMLElement] = []) {
    self.name = name
    self.text = text
    self.children = children
  }

  public func child(_ name: String) -> XMLElement? {
    children.first { $0.name == name }
  }

  public func children(_ name: String) -> [XMLElement] {
    children.filter { $0.name == name }
  }

  /// The text of the first child named `name`.
  public func value(_ name: String) -> String? {
    child(name)?.text
  }
}

public struct XMLParseError: Error, Equatable, CustomStringConvertible {
  public let reason: String
  public let offset: Int
  public var description: String { "\(reason) at byte \(offset)" }
}
