import ArgumentParser
import DRCore
import DRS3
import Foundation
import Logging

struct S3Copy: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cp", abstract: "Copy a file (or - for standard input/output) to or from S3.",
    discussion: """
      Uploads above one part go as multipart uploads with parts in flight; a failed upload
      is aborted, a failed download leaves no partial file.
      """)

  @OptionGroup var options: S3Options

  @Argument(help: "A local path, - (standard input), or s3://bucket/key.")
  var source: String

  @Argument(help: "A local path, - (standard output), or s3://bucket/key.")
  var destination: String

  @Option(help: "Part size in MiB (default: 8, or larger so 10,000 parts hold the file).")
  var partSize: Int?

  @Option(help: "Parts transferred at once.")
  var partsInFlight: Int = 4

  @Option(help: "Expected size in bytes of standard input, to choose the part size.")
  var expectedSize: Int64?

  @Option(help: "Storage class of the uploaded object (STANDARD_IA...).")
  var storageClass: String?

  @Flag(help: "Also compute the whole object's SHA-256 while uploading, and print it.")
  var sha256 = false

  func validate() throws {
    guard (1...64).contains(partsInFlight) else { throw ValidationError("--parts-in-flight must be 1 to 64") }
    if let partSize, !(5...5_120).contains(partSize) { throw ValidationError("--part-size must be 5 to 5120 MiB") }
  }

  /// SIGINT and SIGTERM cancel the transfer, which then aborts its upload or removes its
  /// partial file (exit 130/143); without this, a signal killed dr and left either behind.
  func run() async throws {
    let command = self
    try await SignalTrap.run { try await command.transfer() }
  }

  private func transfer() async throws {
    let logger = Logger(label: "dr.s3")
    switch (S3ObjectURL(source), S3ObjectURL(destination)) {
    case (nil, let target?):
      let client = try await options.client()
      try await upload(client, to: try S3Options.url(target.description, needsKey: true), logger: logger)
    case (let origin?, nil):
      let client = try await options.client()
      try await download(client, from: try S3Options.url(origin.description, needsKey: true), logger: logger)
    case (.some, .some):
      throw UsageError("copying from S3 to S3 is not supported; download and upload")
    case (nil, nil):
      throw UsageError("one of source and destination must be s3://bucket/key")
    }
  }

  private func upload(_ client: S3Client, to target: S3ObjectURL, logger: Logger) async throws {
    let (fd, size) = try openSource()
    defer { if fd != 0 { close(fd) } }
    let plan = UploadPlan.forExpectedSize(
      size ?? expectedSize, preferred: (partSize ?? 8) * 1_048_576, partsInFlight: partsInFlight)
    let progress = ProgressReporter(label: "upload", total: size ?? expectedSize, logger: logger)
    let started = ContinuousClock.now
    let result = try await S3Transfers(client: client).upload(
      fd: fd, expectedSize: size ?? expectedSize, to: target, plan: plan,
      options: S3PutOptions(storageClass: storageClass), hashWholeObject: sha256,
      progress: { progress.update(done: $0) })
    progress.finish()
    let seconds = (ContinuousClock.now - started).seconds
    if options.global.json {
      return try Output.json(CopyReport(result: result, seconds: seconds))
    }
    Output.line(
      "uploaded \(target) \(ByteCount.format(result.size)) in \(String(format: "%.1f", seconds)) s "
        + "(\(result.parts == 0 ? "single PUT" : "\(result.parts) parts of \(result.partSize >> 20) MiB"))"
        + (result.sha256.map { " sha256 \($0)" } ?? ""))
  }

  private func download(_ client: S3Client, from origin: S3ObjectURL, logger: Logger) async throws {
    let transfers = S3Transfers(client: client)
    let partBytes = (partSize ?? 8) * 1_048_576
    let progress = ProgressReporter(label: "download", logger: logger)
    let report: @Sendable (Int64, Int64) -> Void = { progress.update(done: $0, total: $1) }
    let started = ContinuousClock.now
    let head =
      if destination == "-" {
        try await transfers.download(origin, to: 1, partSize: partBytes, partsInFlight: partsInFlight, progress: report)
      } else {
        try await transfers.download(
          origin, toFile: try destinationPath(for: origin), partSize: partBytes, partsInFlight: partsInFlight,
          progress: report)
      }
    progress.finish()
    let seconds = (ContinuousClock.now - started).seconds
    if destination != "-" {
      logger.info("downloaded \(origin) \(ByteCount.format(head.size)) in \(String(format: "%.1f", seconds)) s")
    }
  }

  /// A directory destination keeps the object's name, as cp does; a name that is not a
  /// file's (`..`, `.`, control characters: keys are anyone's to choose) is refused.
  private func destinationPath(for origin: S3ObjectURL) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue
    else { return destination }
    let name = origin.key.split(separator: "/").last.map(String.init) ?? origin.key
    guard name != ".", name != "..", !name.isEmpty, name.escapingControlCharacters == name else {
      throw UsageError(
        "the object's name '\(name.escapingControlCharacters)' cannot name a file in \(destination); give a file path")
    }
    return destination + "/" + name
  }

  /// The source descriptor and, for a regular file, its size.
  private func openSource() throws -> (Int32, Int64?) {
    if source == "-" { return (0, nil) }
    let fd = open(source, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw UsageError("cannot read \(source): \(String(cString: strerror(errno)))") }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return (fd, nil) }
    return (fd, Int64(info.st_size))
  }
}

struct CopyReport: Encodable {
  let key: String
  let size: Int64
  let sha256: String?
  let etag: String
  let parts: Int
  let seconds: Double

  init(result: UploadResult, seconds: Double) {
    key = "s3://\(result.bucket)/\(result.key)"
    size = result.size
    sha256 = result.sha256
    etag = result.etag
    parts = result.parts
    self.seconds = seconds
  }
}
