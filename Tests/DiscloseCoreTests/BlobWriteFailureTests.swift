import DiscloseCore
import Foundation
import XCTest

final class BlobWriteFailureTests: XCTestCase {
    /// A file-size limit makes the blob store's writes fail the way a full disk does, without
    /// filling one; the failure must end the run as an output error, not pass for bad input.
    func testAFailedBlobWriteIsAnOutputErrorThatEndsTheRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("blobfail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BlobStore(root: dir)
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = saved
        limit.rlim_cur = 1 << 19
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, oldHandler)
        }
        let w = try store.writer()
        XCTAssertThrowsError(try { try w.write(Data(repeating: 7, count: 3 << 20)); _ = try w.commit() }()) { e in
            XCTAssertEqual((e as? DiscloseError)?.exitCode, 3, "\(e)")
        }
    }
}
