import Foundation

struct CurlResult {
  let status: Int32
  let output: String
}

/// Runs `curl -sS` with `arguments`; standard output is collected, standard error passes through.
func runCurl(_ arguments: [String]) throws -> CurlResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["curl", "-sS"] + arguments
  let output = Pipe()
  process.standardOutput = output
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CurlResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}
