import XCTest
final class PopplerKitPlaceholderTests: XCTestCase { func testNothing() {} }
