import DRCore
import Foundation

/// Small pieces of HTML; every text goes through `escape`.
enum ReportHTML {
  /// Text safe in an element and in a quoted attribute.
  static func escape(_ text: String) -> String {
    text.escaped(escapes)
  }

  static let escapes = TextEscaping.markup(apostrophe: "&#39;")

  /// One element around already-safe HTML.
  static func element(_ name: String, _ inner: String, class className: String? = nil) -> String {
    let attribute = className.map { " class=\"\(escape($0))\"" } ?? ""
    return "<\(name)\(attribute)>\(inner)</\(name)>"
  }

  /// A table: a header row and body rows of already-safe cells. Columns named in
  /// `numeric` are right-aligned, those in `times` hold a time; neither wraps. Narrow
  /// screens scroll the table sideways; print wraps its other cells.
  static func table(
    _ headers: [String], _ rows: [[String]], numeric: Set<Int> = [], times: Set<Int> = [], class className: String
  ) -> String {
    func cell(_ tag: String, _ index: Int, _ inner: String) -> String {
      element(tag, inner, class: numeric.contains(index) ? "num" : times.contains(index) ? "when" : nil)
    }
    let head = headers.enumerated().map { cell("th", $0.offset, escape($0.element)) }.joined()
    let body = rows.map { row in
      "<tr>" + row.enumerated().map { cell("td", $0.offset, $0.element) }.joined() + "</tr>"
    }
    return "<div class=\"scroll\"><table class=\"\(escape(className))\">\n<thead><tr>\(head)</tr></thead>\n"
      + "<tbody>\n" + body.joined(separator: "\n") + "\n</tbody>\n</table></div>"
  }

  /// A backup ID or other identifier.
  static func code(_ text: String) -> String { element("code", escape(text)) }

  /// An outcome as a coloured label that stays readable in black and white.
  static func badge(_ status: String, _ text: String) -> String {
    "<span class=\"badge \(escape(status))\">\(escape(text))</span>"
  }

  /// Text where the parts between `\u{1}` marks are identifiers, set as code.
  static func marked(_ text: String) -> String {
    text.split(separator: "\u{1}", omittingEmptySubsequences: false).enumerated().map {
      $0.offset % 2 == 1 ? code(String($0.element)) : escape(String($0.element))
    }.joined()
  }
}
