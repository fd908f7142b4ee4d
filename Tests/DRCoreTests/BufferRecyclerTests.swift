import DRCore
import Foundation
import Testing

/// `BufferRecycler`: whole buffers come back as they were given, cut ones and extra ones are
/// let go; a reader taking its buffers from one reads a pipe exactly.
struct BufferRecyclerTests {
  static func address(_ buffer: [UInt8]) -> UnsafeRawPointer? {
    buffer.withUnsafeBytes { $0.baseAddress }
  }

  @Test func aWholeBufferGivenBackIsTheNextTaken() {
    let recycler = BufferRecycler(size: 4096, limit: 2)
    let first = recycler.take()
    #expect(first.count == 4096)
    let place = Self.address(first)
    recycler.give(first)
    #expect(recycler.spareCount == 1)
    let again = recycler.take()
    #expect(Self.address(again) == place)
    #expect(recycler.spareCount == 0)
  }

  @Test func cutBuffersAndBuffersPastTheLimitAreLetGo() {
    let recycler = BufferRecycler(size: 4096, limit: 2)
    var cut = recycler.take()
    cut.removeLast(10)
    recycler.give(cut)
    #expect(recycler.spareCount == 0)
    recycler.give([UInt8](repeating: 1, count: 4096))
    recycler.give([UInt8](repeating: 2, count: 4096))
    recycler.give([UInt8](repeating: 3, count: 4096))
    #expect(recycler.spareCount == 2)
  }

  /// 2.5 buffers' worth through a pipe: two whole buffers and a half one, byte for byte,
  /// and the whole ones, given back, are taken again for the next read.
  @Test func aReaderWithARecyclerReadsAPipeExactly() async throws {
    let size = 64 * 1024
    let recycler = BufferRecycler(size: size, limit: 4)
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let input = (0..<(size * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
    let (readEnd, writeEnd) = (fds[0], fds[1])
    let writer = Thread {
      input.withUnsafeBytes { bytes in
        var done = 0
        while done < bytes.count {
          let wrote = write(writeEnd, bytes.baseAddress! + done, bytes.count - done)
          guard wrote > 0 else { break }
          done += wrote
        }
      }
      close(writeEnd)
    }
    writer.start()
    let queue = ByteQueue(capacity: 1)
    FileDescriptorReader.start(fd: readEnd, into: queue, recycler: recycler)
    var read: [[UInt8]] = []
    var places: Set<UnsafeRawPointer?> = []
    while let buffer = try await queue.next() {
      read.append(buffer)
      places.insert(Self.address(buffer))
    }
    #expect(read.map(\.count) == [size, size, size / 2])
    #expect(Array(read.joined()) == input)
    #expect(places.count == 3)
    let wholeOnes = read.filter { $0.count == size }
    read = []
    for buffer in wholeOnes { recycler.give(buffer) }
    #expect(recycler.spareCount == 2)
  }
}
