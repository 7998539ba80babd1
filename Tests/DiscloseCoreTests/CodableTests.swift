import DiscloseCore
import Foundation
import XCTest

final class CodableTests: XCTestCase {
    func testDocumentRoundTrip() throws {
        var d = Document(key: "0001", kind: .chat)
        d.properties = [NamedValue("Platform", "Slack")]
        d.from = Address(name: "A", address: "a@x")
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let data = try e.encode(d)
        XCTAssertEqual(try JSONDecoder().decode(Document.self, from: data), d)
    }
}
