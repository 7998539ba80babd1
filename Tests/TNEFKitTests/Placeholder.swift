import XCTest
final class TNEFKitPlaceholderTests: XCTestCase { func testNothing() {} }
