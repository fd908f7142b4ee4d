import DRCore
import DRTestSupport
import Foundation
import Testing

/// `dr s3` against the real RGW, interoperating with the AWS CLI both ways.
struct S3CommandTests {
  static let keys = [
    "plain.bin", "with space.bin", "plus+equals=amp&.bin", "tilde~star*(parens)'q'!.bin", "ümlaut.bin", "日本.bin",
    "deep/a/b/c/d/e/f/object.bin",
  ]

  func awsPath() throws -> String {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    where FileManager.default.isExecutableFile(atPath: "\(directory)/aws") {
      return "\(directory)/aws"
    }
    throw TestServices.Missing(variable: "PATH (no aws CLI: scripts/lib/packages.sh installs it)")
  }

  func aws(_ arguments: [String]) async throws -> ProcessRunner.Output {
    try await ProcessRunner.run(try awsPath(), arguments)
  }

  func makeBucket() async throws -> String {
    let bucket = "dr-cli-\(UUID().uuidString.prefix(8).lowercased())"
    let made = try await DRBinary.run(["s3", "mb", "s3://\(bucket)"])
    #expect(made.status == 0, "\(made.combined)")
    return bucket
  }

  func file(_ bytes: Int, _ name: String) throws -> String {
    let path = TemporaryDirectory.unique("dr-s3cli") + "/" + name
    let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
    defer { try? random.close() }
    try random.readData(ofLength: bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test(arguments: keys)
  func drUploadsAndTheAWSCLIReadsItBack(_ key: String) async throws {
    let bucket = try await makeBucket()
    let source = try file(9 * 1_048_576 + 17, "in")
    let up = try await DRBinary.run(["s3", "cp", source, "s3://\(bucket)/\(key)", "--part-size", "5"])
    #expect(up.status == 0, "\(up.combined)")
    #expect(up.standardOutput.contains("2 parts of 5 MiB"))
    let target = source + ".aws"
    let down = try await aws(["s3", "cp", "s3://\(bucket)/\(key)", target, "--quiet"])
    #expect(down.status == 0, "\(down.standardError)")
    #expect(FileManager.default.contentsEqual(atPath: source, andPath: target))
  }

  @Test(arguments: keys)
  func theAWSCLIUploadsAndDrReadsItBack(_ key: String) async throws {
    let bucket = try await makeBucket()
    let source = try file(12 * 1_048_576 + 3, "in")
    let up = try await aws(["s3", "cp", source, "s3://\(bucket)/\(key)", "--quiet"])
    #expect(up.status == 0, "\(up.standardError)")
    let target = source + ".dr"
    let down = try await DRBinary.run(["s3", "cp", "s3://\(bucket)/\(key)", target])
    #expect(down.status == 0, "\(down.combined)")
    #expect(FileManager.default.contentsEqual(atPath: source, andPath: target))
    let listed = try await DRBinary.run(["s3", "ls", "--recursive", "s3://\(bucket)/", "--json"])
    #expect(try listed.jsonArray().map { $0["key"] as? String } == [key])
  }

  @Test func standardInputAndOutput() async throws {
    let bucket = try await makeBucket()
    let source = try file(3 * 1_048_576, "stdin")
    let shell =
      "\(DRBinary.path) s3 cp - s3://\(bucket)/piped < '\(source)' && \(DRBinary.path) s3 cp s3://\(bucket)/piped - | cmp - '\(source)'"
    let result = try await ProcessRunner.run("/bin/sh", ["-c", shell])
    #expect(result.status == 0, "\(result.standardOutput) \(result.standardError)")
  }

  @Test func presignedURLFetchedWithCurl() async throws {
    let bucket = try await makeBucket()
    let source = try file(100_000, "shared")
    #expect(try await DRBinary.run(["s3", "cp", source, "s3://\(bucket)/shared file"]).status == 0)
    let presigned = try await DRBinary.run(["s3", "presign", "s3://\(bucket)/shared file", "--expires", "5m"])
    #expect(presigned.status == 0)
    let url = presigned.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    let fetched = try await ProcessRunner.run("/usr/bin/curl", ["-sSf", "-o", source + ".curl", url])
    #expect(fetched.status == 0, "\(fetched.standardError)")
    #expect(FileManager.default.contentsEqual(atPath: source, andPath: source + ".curl"))
    #expect(try await DRBinary.run(["s3", "presign", "s3://\(bucket)/k", "--expires", "8d"]).status == 2)
  }

  @Test func failuresAreClearAndLeaveNothingBehind() async throws {
    let bucket = try await makeBucket()
    let directory = TemporaryDirectory.unique("dr-s3-missing")
    let missing = try await DRBinary.run(["s3", "cp", "s3://\(bucket)/absent", "\(directory)/out"])
    #expect(missing.status == 1)
    #expect(missing.standardError.contains("404 NoSuchKey"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    #expect(try await DRBinary.run(["s3", "cp", "a", "b"]).status == 2)
    #expect(try await DRBinary.run(["s3", "rm", "s3://\(bucket)"]).status == 2)
    let removed = try await DRBinary.run(["s3", "rm", "--recursive", "s3://\(bucket)/"])
    #expect(removed.status == 0)
  }
}
