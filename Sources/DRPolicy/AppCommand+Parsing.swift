import Yams

extension AppCommand {
  /// `command:` as a list: the argument vector as it is, one word per item. As a text:
  /// split into words with shell-like quoting (single quotes, double quotes, backslash) and
  /// nothing else a shell does; its operators are refused. Then, word by word, `${VAR}`
  /// expands from the environment (so a value never splits a word or becomes an operator)
  /// and the stack's own variables are kept for start time.
  init(_ field: Field) throws(PolicyError) {
    // Each word with the field its errors name (a list's item, or the whole line).
    var pieces: [(word: [CommandPiece], field: Field)] = []
    if case .sequence = field.node {
      for item in try field.sequence() {
        let raw = try item.rawScalar(expected: "a word of the command")
        do {
          pieces.append((try CommandLexer.listItem(raw), item))
        } catch {
          throw item.error(error.message)
        }
      }
    } else {
      let text = try field.rawScalar(expected: "the app's command line, or the list of its words")
      do {
        var lexer = CommandLexer(text)
        pieces = try lexer.words().map { ($0, field) }
      } catch {
        throw field.error(error.message)
      }
    }
    var words: [[Part]] = []
    for (word, itemField) in pieces { words.append(try Self.expand(word, itemField)) }
    let program = words.first.map { Self(words: [$0]) }
    guard let program, program.words[0].allSatisfy({ if case .text = $0 { true } else { false } }),
      !program.program.isEmpty
    else {
      throw field.error("expected the app's command, its program written out first (not \"\" or $PORT)")
    }
    self.init(words: words)
  }

  /// One word's pieces as parts: `${VAR}` from the environment (text), the stack's
  /// variables kept; neighbouring texts joined.
  static func expand(_ pieces: [CommandPiece], _ field: Field) throws(PolicyError) -> [Part] {
    var parts: [Part] = []
    func add(_ part: Part) {
      if case .text(let more) = part, case .text(let text)? = parts.last {
        parts[parts.count - 1] = .text(text + more)
      } else {
        parts.append(part)
      }
    }
    for piece in pieces {
      switch piece {
      case .text(let text): add(.text(text))
      case .variable(let name): add(.variable(name))
      case .reference(let inner):
        let name = String(inner.prefix { $0 != ":" })
        if stackVariables.contains(name) {
          add(.variable(name))
          continue
        }
        do {
          add(.text(try Expansion.expand("${\(inner)}", environment: field.context.environment)))
        } catch {
          throw field.error(Field.problem(error))
        }
      }
    }
    return parts.isEmpty ? [.text("")] : parts
  }
}

/// A piece of a command's word before expansion.
enum CommandPiece: Equatable {
  case text(String)
  /// What is inside `${…}`.
  case reference(String)
  /// `$NAME` of one of the stack's variables.
  case variable(String)
}
