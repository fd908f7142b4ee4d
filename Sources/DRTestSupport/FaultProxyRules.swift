/// A drop that a request matched, to be applied when its body passes `afterBytes`.
struct PendingDrop: Sendable {
  let id: FaultProxy.FaultID
  let direction: FaultProxy.Direction
  let afterBytes: Int
  let reset: Bool
}

extension FaultState {
  /// Counts a request and decides whether an HTTP fault takes it (using up one of its
  /// allowance); nil means forward it.
  func admit(_ head: RequestHead) -> FaultProxy.HTTPAction? {
    withStorage { storage in
      storage.counters.requestsSeen += 1
      let action = storage.takeHTTPFault(for: head)
      let kind = action.map(\.kind)
      if let kind { storage.count(kind) } else { storage.counters.requestsForwarded += 1 }
      storage.seenRequests.append(
        .init(method: head.method, target: head.target, fault: kind, fieldNames: head.fieldNames))
      if storage.seenRequests.count > Self.seenRequestLimit { storage.seenRequests.removeFirst() }
      return action
    }
  }

  /// The first live drop in `direction` whose filter matches `head`, without using it up.
  func pendingDrop(_ direction: FaultProxy.Direction, for head: RequestHead) -> PendingDrop? {
    withStorage { storage in
      let now = ContinuousClock.now
      let armed = storage.drops.first {
        $0.rule.direction == direction && $0.allowance.isLive(at: now) && ($0.rule.filter?.matches(head) ?? true)
      }
      return armed.map {
        PendingDrop(id: $0.id, direction: direction, afterBytes: $0.rule.afterBytes, reset: $0.rule.reset)
      }
    }
  }

  /// Uses up one of the drop's allowance and counts it; false when it ran out meanwhile.
  func consume(_ drop: PendingDrop) -> Bool {
    withStorage { storage in
      guard let index = storage.drops.firstIndex(where: { $0.id == drop.id }),
        storage.drops[index].allowance.consume(at: .now)
      else { return false }
      storage.count(drop.direction == .clientToServer ? .dropClientToServer : .dropServerToClient)
      return true
    }
  }

  /// TCP mode: where a live drop without a filter cuts a piece of `count` bytes that
  /// follows `seen` bytes of the connection in `direction`, using the drop up.
  func cut(_ direction: FaultProxy.Direction, seen: Int, count: Int) -> Cut? {
    withStorage { storage in
      let now = ContinuousClock.now
      for index in storage.drops.indices {
        let rule = storage.drops[index].rule
        guard rule.direction == direction, rule.filter == nil, (seen..<seen + count).contains(rule.afterBytes),
          storage.drops[index].allowance.consume(at: now)
        else { continue }
        storage.count(direction == .clientToServer ? .dropClientToServer : .dropServerToClient)
        return Cut(offset: rule.afterBytes - seen, reset: rule.reset)
      }
      return nil
    }
  }
}

extension FaultState.Storage {
  /// The action of the first live HTTP fault that takes `head`, its allowance used up.
  fileprivate mutating func takeHTTPFault(for head: RequestHead) -> FaultProxy.HTTPAction? {
    let now = ContinuousClock.now
    httpFaults.removeAll { !$0.allowance.isLive(at: now) }
    for index in httpFaults.indices where httpFaults[index].rule.filter?.matches(head) ?? true {
      if httpFaults[index].rule.passed < httpFaults[index].rule.passFirst {
        httpFaults[index].rule.passed += 1
        continue
      }
      if httpFaults[index].allowance.consume(at: now) { return httpFaults[index].rule.action }
    }
    return nil
  }
}

extension FaultProxy.HTTPAction {
  var kind: FaultProxy.FaultKind {
    switch self {
    case .respond: .response
    case .stall: .requestStall
    case .close: .requestClose
    }
  }
}
