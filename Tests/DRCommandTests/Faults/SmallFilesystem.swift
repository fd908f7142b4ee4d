import DRCore
import DRTestSupport
import Foundation

/// A small tmpfs of this test's own, to fill up: where dr's temporary files or scratch
/// clusters go in the full-disk scenarios. Mounting needs root (CI runs as root); without
/// it the test fails saying so, it does not skip.
enum SmallFilesystem {
  struct Unavailable: Error, CustomStringConvertible {
    let detail: String
    var description: String {
      "the full-disk scenarios mount a small tmpfs, which needs root (CAP_SYS_ADMIN); run the suite as root, "
        + "as scripts/test does in CI: \(detail)"
    }
  }

  /// Runs `body` with a tmpfs of `megabytes` mounted at a new directory (mode 1777, so a
  /// scratch cluster's postgres user can use it), then unmounts and removes it.
  static func with<T>(megabytes: Int, _ body: (String) async throws -> T) async throws -> T {
    let path = TemporaryDirectory.unique("dr-full-disk")
    let mounted = try await ProcessRunner.run(
      "/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=1777", "tmpfs", path])
    guard mounted.status == 0 else {
      try? FileManager.default.removeItem(atPath: path)
      throw Unavailable(detail: "mount exited with \(mounted.status): \(mounted.standardError)")
    }
    do {
      let result = try await body(path)
      await unmount(path)
      return result
    } catch {
      await unmount(path)
      throw error
    }
  }

  /// Changes the size of a mounted tmpfs (smaller than its contents fails).
  static func resize(_ path: String, megabytes: Int) async throws {
    let done = try await ProcessRunner.run("/bin/mount", ["-o", "remount,size=\(megabytes)m", path])
    guard done.status == 0 else { throw Unavailable(detail: "remount: \(done.standardError)") }
  }

  static func unmount(_ path: String) async {
    if (try? await ProcessRunner.run("/bin/umount", [path]))?.status != 0 {
      _ = try? await ProcessRunner.run("/bin/umount", ["-l", path])
    }
    try? FileManager.default.removeItem(atPath: path)
  }
}
