/// Splits an app's command line into words as a shell would quote them, and does nothing
/// else a shell does: single quotes keep everything, double quotes keep all but `\"`, `\\`,
/// `\$` and `` \` ``, a backslash outside quotes keeps the next character. What would make a
/// shell do more (`|`, `;`, `&`, `<`, `>`, `(`, `)`, `` ` ``, `$(`, `$NAME`, a `#` comment)
/// is refused, so nobody is surprised that it did not happen.
///
/// `${…}` is kept whole (it is the policy's expansion, done per word afterwards, quoted or
/// not; `$${` is a literal `${`); `$PORT`, `$DATABASE_URL` and `$MEMCACHED_SERVERS` are the
/// stack's variables.
struct CommandLexer {
  struct Failure: Error {
    let message: String
  }

  static let shellAdvice =
    "dr runs the command without a shell: write it as a list, and name a shell if one is wanted: "
    + "command: [/bin/sh, -c, \"…\"]"

  private let scalars: [Unicode.Scalar]
  private var index = 0
  private var result: [[CommandPiece]] = []
  private var current: [CommandPiece]?

  init(_ text: String) {
    scalars = Array(text.unicodeScalars)
  }

  /// The words of the line.
  mutating func words() throws(Failure) -> [[CommandPiece]] {
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case " ", "\t", "\n", "\r":
        finishWord()
        index += 1
      case "'": try singleQuoted()
      case "\"": try doubleQuoted()
      case "\\":
        guard index + 1 < scalars.count else { throw Failure(message: "the command ends with a lone backslash") }
        if scalars[index + 1] != "\n" { add(.text(String(scalars[index + 1]))) }
        index += 2
      case "$": try dollar()
      case "|", "&", ";", "<", ">", "(", ")", "`":
        throw Failure(message: "'\(scalar)' is a shell operator; \(Self.shellAdvice)")
      case "#" where current == nil:
        throw Failure(message: "a word starting with '#' is a comment in a shell; quote it, or \(Self.shellAdvice)")
      default:
        add(.text(String(scalar)))
        index += 1
      }
    }
    finishWord()
    return result
  }

  /// One item of a list: the word as it is, but for `${…}` and the stack's `$NAME`s.
  static func listItem(_ text: String) throws(Failure) -> [CommandPiece] {
    var lexer = CommandLexer(text)
    lexer.current = []
    while lexer.index < lexer.scalars.count {
      if lexer.scalars[lexer.index] == "$" {
        try lexer.dollar(strict: false)
      } else {
        lexer.add(.text(String(lexer.scalars[lexer.index])))
        lexer.index += 1
      }
    }
    return lexer.current ?? []
  }

  private mutating func singleQuoted() throws(Failure) {
    add(.text(""))
    index += 1
    while index < scalars.count, scalars[index] != "'" {
      if scalars[index] == "$", peek(1) == "{" || (peek(1) == "$" && peek(2) == "{") {
        try dollar()
      } else {
        add(.text(String(scalars[index])))
        index += 1
      }
    }
    guard index < scalars.count else { throw Failure(message: "a single quote is not closed") }
    index += 1
  }

  private mutating func doubleQuoted() throws(Failure) {
    add(.text(""))
    index += 1
    while index < scalars.count, scalars[index] != "\"" {
      let scalar = scalars[index]
      if scalar == "\\", let next = peek(1), ["$", "`", "\"", "\\", "\n"].contains(next) {
        if next != "\n" { add(.text(String(next))) }
        index += 2
      } else if scalar == "$" {
        try dollar()
      } else if scalar == "`" {
        throw Failure(message: "'`' is a command substitution in a shell; \(Self.shellAdvice)")
      } else {
        add(.text(String(scalar)))
        index += 1
      }
    }
    guard index < scalars.count else { throw Failure(message: "a double quote is not closed") }
    index += 1
  }

  /// At a `$`: `$${`, `${…}`, `$(`, `$NAME`, or a plain `$`. `strict`: a `$NAME` that is
  /// not the stack's is refused (a shell would have expanded it); in a list it is text.
  private mutating func dollar(strict: Bool = true) throws(Failure) {
    if peek(1) == "$", peek(2) == "{" {
      add(.text("${"))
      index += 3
    } else if peek(1) == "{" {
      guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
        throw Failure(message: "a ${ without its closing } (write $${ for a literal ${)")
      }
      add(.reference(String(String.UnicodeScalarView(scalars[(index + 2)..<close]))))
      index = close + 1
    } else if peek(1) == "(", strict {
      throw Failure(message: "'$(' is a command substitution in a shell; \(Self.shellAdvice)")
    } else if let first = peek(1), first == "_" || Self.isLetter(first) {
      var end = index + 1
      while end < scalars.count,
        scalars[end] == "_" || Self.isLetter(scalars[end]) || ("0"..."9").contains(scalars[end])
      {
        end += 1
      }
      let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
      if AppCommand.stackVariables.contains(name) {
        add(.variable(name))
      } else if strict {
        throw Failure(
          message: "$\(name) is not substituted: dr runs the command without a shell and fills in only $PORT, "
            + "$DATABASE_URL and $MEMCACHED_SERVERS; write ${\(name)} to take its value from dr's environment when "
            + "the policy loads, list it under environment:, or write '$\(name)' in single quotes for the text itself")
      } else {
        add(.text("$" + name))
      }
      index = end
    } else {
      add(.text("$"))
      index += 1
    }
  }

  private func peek(_ offset: Int) -> Unicode.Scalar? {
    index + offset < scalars.count ? scalars[index + offset] : nil
  }

  private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
  }

  private mutating func add(_ piece: CommandPiece) {
    var word = current ?? []
    if case .text(let more) = piece, case .text(let text)? = word.last {
      word[word.count - 1] = .text(text + more)
    } else {
      word.append(piece)
    }
    current = word
  }

  private mutating func finishWord() {
    if let current { result.append(current) }
    current = nil
  }
}
