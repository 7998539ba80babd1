import XCTest
final class PffKitPlaceholderTests: XCTestCase { func testNothing() {} }
