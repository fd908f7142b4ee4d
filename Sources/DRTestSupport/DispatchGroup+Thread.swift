import Foundation

extension DispatchGroup {
  /// Runs `body` on a thread of its own, named `name`, counted in this group until it
  /// returns: what the test servers' accept loops and connections run on, so stopping
  /// one can wait (bounded) for all of its threads.
  func startThread(_ name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    enter()
    let thread = Thread { [self] in
      body()
      leave()
    }
    thread.name = name
    thread.stackSize = stackSize
    thread.start()
  }
}
