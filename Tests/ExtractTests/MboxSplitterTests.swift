import Extract
import Foundation
import XCTest

final class MboxSplitterTests: XCTestCase {
    func split(_ s: String, chunk: Int = 7) -> [String] {
        var sp = MboxSplitter()
        var out: [String] = []
        let bytes = Array(s.utf8)
        var i = 0
        // Small chunks: boundaries must not depend on where reads happen to end.
        while i < bytes.count {
            out += sp.feed(Data(bytes[i..<min(i + chunk, bytes.count)])).map { String(decoding: $0.bytes, as: UTF8.self) }
            i += chunk
        }
        out += sp.finish().map { String(decoding: $0.bytes, as: UTF8.self) }
        return out
    }

    func testMboxrdSplitsAndUnescapes() {
        let mbox = """
        From a@x Tue Mar  5 09:24:00 2024
        Subject: one

        body
        >From the start
        >>From quoted

        From b@x Tue Mar  5 09:25:00 2024
        Subject: two

        second

        """
        XCTAssertEqual(split(mbox), ["Subject: one\n\nbody\nFrom the start\n>From quoted\n", "Subject: two\n\nsecond\n"])
        XCTAssertEqual(split(mbox, chunk: 1), split(mbox, chunk: 4096))
    }

    func testFromInsideAParagraphIsNotABoundary() {
        let mbox = "From a@x Tue Mar  5 09:24:00 2024\nSubject: one\n\nline\nFrom here on it is body\n"
        XCTAssertEqual(split(mbox).count, 1)
    }

    func testContentLengthKeepsUnescapedFromLines() {
        let body = "first\n\nFrom me, unescaped\n"
        let mbox = "From a@x Tue Mar  5 09:24:00 2024\nSubject: one\nContent-Length: \(body.utf8.count)\n\n\(body)\nFrom b@x Tue Mar  5 09:25:00 2024\nSubject: two\n\nx\n"
        let parts = split(mbox)
        XCTAssertEqual(parts.count, 2)
        XCTAssertTrue(parts[0].hasSuffix("From me, unescaped\n"), parts[0])
        XCTAssertEqual(parts[1], "Subject: two\n\nx\n")
    }

    func testCRLFAndMissingFinalNewline() {
        let mbox = "From a@x Tue Mar  5 09:24:00 2024\r\nSubject: one\r\n\r\nbody\r\n\r\nFrom b@x 2024\r\nSubject: two\r\n\r\nlast line"
        XCTAssertEqual(split(mbox), ["Subject: one\r\n\r\nbody\r\n", "Subject: two\r\n\r\nlast line"])
    }

    func testEmptyAndJunkBeforeFirstPostmark() {
        XCTAssertEqual(split(""), [])
        XCTAssertEqual(split("junk\nFrom a@x 2024\nS: 1\n\nb\n"), ["S: 1\n\nb\n"])
    }
}

final class MboxOversizeTests: XCTestCase {
    /// A message past the limit is counted, not held, and the next message still splits.
    func testAnOversizedMessageIsCountedNotHeld() {
        var sp = MboxSplitter()
        sp.maxMessageBytes = 200
        let big = "From a@x.test Mon Apr  1 10:00:00 2024\nSubject: big\n\n" + String(repeating: "line of body text\n", count: 50)
        let small = "From b@x.test Mon Apr  1 10:00:00 2024\nSubject: small\n\nhello\n"
        var out = sp.feed(Data((big + small).utf8))
        out += sp.finish()
        XCTAssertEqual(out.count, 2)
        XCTAssertTrue(out[0].bytes.isEmpty)
        XCTAssertGreaterThan(out[0].droppedBytes, 200)
        XCTAssertEqual(out[1].droppedBytes, 0)
        XCTAssertTrue(String(decoding: out[1].bytes, as: UTF8.self).contains("hello"))
    }

    /// A line with no end (no newline for longer than the limit) is not held either.
    func testAnEndlessLineIsNotHeld() {
        var sp = MboxSplitter()
        sp.maxMessageBytes = 100
        var out = sp.feed(Data(("From a@x.test Mon Apr  1 10:00:00 2024\nSubject: x\n\n" + String(repeating: "y", count: 500)).utf8))
        out += sp.finish()
        XCTAssertEqual(out.count, 1)
        XCTAssertTrue(out[0].bytes.isEmpty)
        XCTAssertGreaterThan(out[0].droppedBytes, 100)
    }
}
