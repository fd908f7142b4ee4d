import Foundation
import Testing

extension ReportTests {
  /// A strict reading of HTML, stricter than browsers: every element opened is closed in
  /// order (`<x/>` closes itself), comments and the doctype are skipped, `style` holds raw
  /// text, quotes in a tag pair up, and `&` only starts one of the entities the renderer writes.
  enum HTMLCheck {
    static let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]

    /// What is wrong, empty when nothing is.
    static func problems(_ html: String) -> [String] {
      var problems = ampersands(html)
      var stack: [String] = []
      var rest = Substring(html)
      while let open = rest.firstIndex(of: "<") {
        rest = rest[open...]
        if rest.hasPrefix("<!--") {
          guard let end = rest.range(of: "-->") else { return problems + ["unterminated comment"] }
          rest = rest[end.upperBound...]
          continue
        }
        guard let close = rest.firstIndex(of: ">") else { return problems + ["unterminated tag"] }
        let tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.contains("<") { problems.append("< inside tag <\(tag)>") }
        if tag.filter({ $0 == "\"" }).count % 2 != 0 { problems.append("unbalanced quotes in <\(tag)>") }
        if tag.hasPrefix("!") {
          if !tag.lowercased().hasPrefix("!doctype html") { problems.append("unexpected <\(tag)>") }
        } else if tag.hasPrefix("/") {
          let name = tag.dropFirst().lowercased()
          if stack.last == name {
            stack.removeLast()
          } else {
            problems.append("</\(name)> closes <\(stack.last ?? "")>")
          }
        } else if !tag.hasSuffix("/") {
          let name = String(tag.prefix { !$0.isWhitespace }).lowercased()
          guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            problems.append("bad tag <\(tag)>")
            continue
          }
          stack.append(name)
          if name == "style" || name == "script" {
            guard let end = rest.range(of: "</\(name)>") else { return problems + ["unclosed <\(name)>"] }
            rest = rest[end.lowerBound...]
          }
        }
      }
      if rest.contains(">") && stack.isEmpty && !problems.isEmpty { problems.append("stray >") }
      return problems + stack.reversed().map { "unclosed <\($0)>" }
    }

    static func ampersands(_ html: String) -> [String] {
      var problems: [String] = []
      var rest = Substring(html)
      while let index = rest.firstIndex(of: "&") {
        let tail = rest[index...]
        if !entities.contains(where: { tail.hasPrefix($0) }) { problems.append("bare & at \(tail.prefix(12))") }
        rest = rest[rest.index(after: index)...]
      }
      return problems
    }
  }

  /// The checker itself, so a pass means something.
  @Suite struct HTMLCheckItself {
    @Test func acceptsWellFormed() {
      let html =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><style>a > b { x: 1 }</style></head>"
        + "<body><!-- c --><p class=\"a\">x &amp; y<br/></p><svg><circle r=\"1\"><title>t</title></circle></svg>"
        + "</body></html>"
      #expect(HTMLCheck.problems(html) == [])
    }

    @Test(arguments: [
      "<div><p></div></p>", "<div>", "</div>", "<p>a & b</p>", "<p class=\"x>y</p>", "<p><b></p>",
      "<meta charset=utf-8>", "<p>a <b</p>",
    ])
    func rejects(_ html: String) {
      #expect(!HTMLCheck.problems(html).isEmpty, "\(html)")
    }
  }
}
