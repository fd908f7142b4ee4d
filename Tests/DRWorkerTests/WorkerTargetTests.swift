import DRWorker
import Testing

struct WorkerTargetTests {
  @Test func theTargetLinks() {
    #expect(String(describing: DRWorker.self) == "DRWorker")
  }
}
