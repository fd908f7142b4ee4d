import Foundation
import Synchronization

/// Values that a server's connection threads append to and tests read.
final class TestLog<Entry: Sendable>: Sendable {
  private let entries = Mutex<[Entry]>([])
  func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
  var all: [Entry] { entries.withLock { $0 } }
}

/// A minimal HTTP/1.1 upstream: keep-alive, `Expect: 100-continue`, Content-Length and
/// chunked request bodies. `GET /bytes/N` answers N pattern bytes; anything else answers
/// `ok <method> <target> <body length>`. Records every request, complete or cut short.
final class TestHTTPServer: Sendable {
  struct Received: Sendable, Equatable {
    let method: String
    let target: String
    let body: [UInt8]
    /// False when the connection ended before the whole body came.
    let complete: Bool
  }

  private let listener: TestListener
  private let log = TestLog<Received>()

  init() throws {
    listener = try TestListener { [log] socket in TestHTTPServer.serve(socket, log: log) }
  }

  var port: UInt16 { listener.port }
  var received: [Received] { log.all }
  func stop() { listener.stop() }

  private static func serve(_ socket: TestSocket, log: TestLog<Received>) {
    while let bytes = try? socket.readHead(), let head = TestHead(bytes), head.parts.count == 3 {
      let (method, target) = (head.parts[0], head.parts[1])
      if head.fields["expect"]?.lowercased() == "100-continue" {
        try? socket.send("HTTP/1.1 100 Continue\r\n\r\n")
      }
      let (body, complete) = readBody(socket, head)
      log.append(Received(method: method, target: target, body: body, complete: complete))
      guard complete else { return }
      guard (try? socket.send(response(method, target, bodyLength: body.count))) != nil else { return }
    }
  }

  private static func readBody(_ socket: TestSocket, _ head: TestHead) -> ([UInt8], Bool) {
    guard head.isChunked else {
      let body = (try? socket.read(count: head.contentLength)) ?? []
      return (body, body.count == head.contentLength)
    }
    var body: [UInt8] = []
    while let line = try? socket.readLine(), let size = Int(line.prefix { $0 != ";" }, radix: 16) {
      if size == 0 {
        while let trailer = try? socket.readLine(), !trailer.isEmpty {}
        return (body, true)
      }
      guard let chunk = try? socket.read(count: size), chunk.count == size, (try? socket.readLine()) == "" else {
        break
      }
      body += chunk
    }
    return (body, false)
  }

  private static func response(_ method: String, _ target: String, bodyLength: Int) -> [UInt8] {
    let body: [UInt8]
    if method == "GET", target.hasPrefix("/bytes/"), let count = Int(target.dropFirst("/bytes/".count)) {
      body = patternBytes(count)
    } else {
      body = Array("ok \(method) \(target) \(bodyLength)".utf8)
    }
    let head = "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n"
    return Array(head.utf8) + (method == "HEAD" ? [] : body)
  }
}

/// A raw TCP upstream: sends `greeting` on connect, then counts the bytes it receives until
/// the client closes, and records that count.
final class TestTCPServer: Sendable {
  private let listener: TestListener
  private let log = TestLog<Int>()

  init(greeting: [UInt8] = []) throws {
    listener = try TestListener { [log] socket in
      try? socket.send(greeting)
      log.append((try? socket.readToEnd().count) ?? -1)
    }
  }

  var port: UInt16 { listener.port }
  /// Bytes received on each connection the client closed, in the order they closed.
  var receivedPerConnection: [Int] { log.all }
  func stop() { listener.stop() }

  /// Waits (up to 5 s) until `count` connections have been recorded.
  func waitForConnections(_ count: Int) -> [Int] {
    let deadline = ContinuousClock.now + .seconds(5)
    while log.all.count < count && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
    return log.all
  }
}
