import Foundation

/// A directory holding an executable `lbzip2` that misbehaves as `behaviour` says: put it
/// first on PATH (`encoder: auto` or `lbzip2` then runs it), or give its `program` to the
/// encoder. Each run appends its pid, and the pid of what it started, to `pids`.
public struct FakeLBZip2: Sendable {
  public enum Behaviour: Sendable {
    /// Reads its input, says why on standard error, exits 1.
    case fails
    /// Reads its input, writes text that is not bzip2, exits 0.
    case garbage
    /// Writes a bzip2 header, then kills itself with SIGKILL.
    case killed
    /// Reads its input, writes nothing, exits 0.
    case silent
    /// Writes 20 MB, more than any chunk of the tests may encode to.
    case floods
    /// Starts a `sleep 300` and waits for it: a stop must kill both.
    case sleeps
    /// Runs the real lbzip2 at this path with the same arguments.
    case wraps(String)
    /// Says something on standard error, then runs the real lbzip2.
    case complains(String)
    /// Runs the real lbzip2 on the first chunk (and its `/dev/null`) only, then kills itself.
    case diesAfterOneChunk(String)
    /// Runs the real lbzip2 on everything, then exits 3.
    case failsAtTheEnd(String)
    /// Runs the real lbzip2 with every file it was given replaced by `/dev/null`, quietly:
    /// a lbzip2 that skips the chunks' pipes.
    case skipsItsInputs(String)
  }

  /// What `.complains` says.
  public static let remark = "lbzip2: a word on standard error"

  public let directory: String
  public var program: String { "\(directory)/lbzip2" }
  public var pidFile: String { "\(directory)/pids" }

  /// What the fake says on standard error when it fails.
  public static let complaint = "fake lbzip2: the encoder broke down"

  public init(_ behaviour: Behaviour) throws {
    directory = TemporaryDirectory.unique("dr-fake-lbzip2")
    let body: String
    switch behaviour {
    case .fails: body = "cat >/dev/null\necho 'starting' >&2\necho '\(Self.complaint)' >&2\nexit 1"
    case .garbage: body = "cat >/dev/null\necho 'this is not bzip2 at all'\nexit 0"
    case .killed: body = "printf 'BZh9'\nkill -9 $$"
    case .silent: body = "cat >/dev/null\nexit 0"
    case .floods: body = "head -c 20000000 /dev/zero"
    case .sleeps: body = "sleep 300 &\necho $! >>'\(pidFile)'\nwait"
    case .wraps(let real): body = "exec '\(real)' \"$@\""
    case .complains(let real): body = "echo '\(Self.remark)' >&2\nexec '\(real)' \"$@\""
    case .diesAfterOneChunk(let real): body = "'\(real)' \"$1\" \"$2\" \"$3\" \"$4\" \"$5\"\nkill -9 $$"
    case .failsAtTheEnd(let real): body = "'\(real)' \"$@\"\nexit 3"
    case .skipsItsInputs(let real):
      body =
        "files=''\nfor a; do case $a in -*) ;; *) files=\"$files /dev/null\" ;; esac; done\nexec '\(real)' -9 -n1 -c $files"
    }
    let script = "#!/bin/sh\necho $$ >>'\(pidFile)'\n\(body)\n"
    try script.write(toFile: program, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
  }

  /// The pids the runs so far wrote.
  public var pids: [Int32] {
    let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { Int32($0) }
  }

  /// Whether `pid` is a live process (a zombie waiting for its parent counts as gone).
  public static func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    guard let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z" && state != "X"
  }

  public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
