import DRCore
import Synchronization

/// Counts the bytes a pipeline holds, split into input and output, with their peaks.
///
/// Buffers are counted for as long as they live: `AccountedBytes` adds its bytes when
/// made and removes them in `deinit`, so nothing held is missed and nothing freed is
/// counted, whichever thread lets go last.
public final class ByteAccount: Sendable {
  public enum Side: Sendable { case input, output }

  /// A consistent reading of the account.
  public struct Reading: Sendable, Equatable {
    public var input = 0
    public var output = 0
    public var peakInput = 0
    public var peakOutput = 0
    /// The largest input + output ever held at one time.
    public var peakTotal = 0
    public var total: Int { input + output }
  }

  private let reading = Mutex(Reading())

  public init() {}

  public var current: Reading { reading.withLock { $0 } }

  func add(_ count: Int, to side: Side) {
    reading.withLock { reading in
      switch side {
      case .input:
        reading.input += count
        reading.peakInput = max(reading.peakInput, reading.input)
      case .output:
        reading.output += count
        reading.peakOutput = max(reading.peakOutput, reading.output)
      }
      reading.peakTotal = max(reading.peakTotal, reading.total)
    }
  }

  func remove(_ count: Int, from side: Side) {
    reading.withLock { reading in
      switch side {
      case .input: reading.input -= count
      case .output: reading.output -= count
      }
    }
  }
}

/// A buffer counted in a `ByteAccount` from its making to its `deinit`.
final class AccountedBytes: Sendable {
  let bytes: [UInt8]
  private let account: ByteAccount
  private let side: ByteAccount.Side

  private let recycler: BufferRecycler?

  /// `alreadyCounted` takes over bytes the account already holds (a filled input buffer);
  /// the buffer goes back to `recycler`, when given, once these bytes are dropped.
  init(
    _ bytes: [UInt8], in account: ByteAccount, side: ByteAccount.Side, alreadyCounted: Bool = false,
    recycler: BufferRecycler? = nil
  ) {
    self.bytes = bytes
    self.account = account
    self.side = side
    self.recycler = recycler
    if !alreadyCounted { account.add(bytes.count, to: side) }
  }

  deinit {
    account.remove(bytes.count, from: side)
    recycler?.give(bytes)
  }

  var count: Int { bytes.count }
}
