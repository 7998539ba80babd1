import XCTest
final class OLEKitPlaceholderTests: XCTestCase { func testNothing() {} }
