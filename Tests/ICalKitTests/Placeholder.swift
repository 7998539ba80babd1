import XCTest
final class ICalKitPlaceholderTests: XCTestCase { func testNothing() {} }
