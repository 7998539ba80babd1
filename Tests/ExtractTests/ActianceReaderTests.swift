import DiscloseCore
@testable import Extract
import Foundation
import XCTest

final class ActianceReaderTests: XCTestCase {
    var h: ChatHarness!
    override func setUpWithError() throws { h = try ChatHarness() }
    override func tearDownWithError() throws { h.cleanup() }

    /// The shape Mattermost's Actiance export writes (epoch milliseconds; edits as an original
    /// pointing at its replacement; deletes as a second record with the same id).
    /// 1709251200000 = 2024-03-01T00:00:00Z.
    static let mattermost = """
    <?xml version="1.0" encoding="UTF-8"?>
    <FileDump xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <Conversation Perspective="Town Square">
        <RoomID>public - town-square - ch1</RoomID>
        <StartTimeUTC>1709251200000</StartTimeUTC>
        <ParticipantEntered>
          <LoginName>jdoe@dpr.example.gov</LoginName>
          <DisplayName>Jane Doe</DisplayName>
          <UserType>user</UserType>
          <DateTimeUTC>1709251200000</DateTimeUTC>
          <CorporateEmailID>jdoe@dpr.example.gov</CorporateEmailID>
        </ParticipantEntered>
        <ParticipantEntered>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709251201000</DateTimeUTC>
          <CorporateEmailID>sam@dpr.example.gov</CorporateEmailID>
        </ParticipantEntered>
        <Message>
          <MessageId>p1</MessageId>
          <LoginName>jdoe@dpr.example.gov</LoginName>
          <DateTimeUTC>1709251260000</DateTimeUTC>
          <UpdatedType>EditedOriginalMsg</UpdatedType>
          <UpdatedDateTimeUTC>1709251300000</UpdatedDateTimeUTC>
          <EditedNewMsgId>p1b</EditedNewMsgId>
          <Content>orignal text</Content>
        </Message>
        <Message>
          <MessageId>p1b</MessageId>
          <LoginName>jdoe@dpr.example.gov</LoginName>
          <DateTimeUTC>1709251300000</DateTimeUTC>
          <UpdatedType>EditedNewMsg</UpdatedType>
          <Content>original text &amp; more</Content>
        </Message>
        <Message>
          <MessageId>p2</MessageId>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709251400000</DateTimeUTC>
          <Content>delete me</Content>
        </Message>
        <FileTransferStarted>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709251500000</DateTimeUTC>
          <UserFileName>budget.xlsx</UserFileName>
          <FileName>files\\123budget.xlsx</FileName>
          <FileSize>2048</FileSize>
        </FileTransferStarted>
        <FileTransferEnded>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709251500000</DateTimeUTC>
          <UserFileName>budget.xlsx</UserFileName>
          <FileName>files\\123budget.xlsx</FileName>
          <Status>Completed</Status>
        </FileTransferEnded>
        <Message>
          <MessageId>p2</MessageId>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709251400000</DateTimeUTC>
          <UpdatedType>Deleted</UpdatedType>
          <UpdatedDateTimeUTC>1709251600000</UpdatedDateTimeUTC>
          <Content>delete delete me</Content>
        </Message>
        <Message>
          <LoginName>sam</LoginName>
          <DateTimeUTC>2024-03-02T08:00:00Z</DateTimeUTC>
          <Base64Content>bmV4dCBkYXk=</Base64Content>
        </Message>
        <ParticipantLeft>
          <LoginName>sam</LoginName>
          <DateTimeUTC>1709366400000</DateTimeUTC>
          <CorporateEmailID>sam@dpr.example.gov</CorporateEmailID>
        </ParticipantLeft>
        <EndTimeUTC>1709366400000</EndTimeUTC>
      </Conversation>
      <Conversation Perspective="Trading_group_channel1">
        <RoomID>Trading</RoomID>
        <StartTimeUTC>1149708684</StartTimeUTC>
        <Message>
          <LoginName>admin1</LoginName>
          <Content>seconds, not milliseconds</Content>
          <DateTimeUTC>1149708684</DateTimeUTC>
        </Message>
        <Message>
          <LoginName>user1</LoginName>
          <Content>no time: the conversation's start</Content>
        </Message>
      </Conversation>
    </FileDump>
    """

    func testMattermostStyleExport() throws {
        let url = try h.write("export/actiance_export.xml", Self.mattermost)
        var input = Input(url: url, name: url.lastPathComponent, path: url.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(ActianceReader().confidence(&input), 90)
        let r = try h.run([url])
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.dayItems.map(\.fileName), ["public - town-square - ch1 2024-03-01.json",
                                                    "public - town-square - ch1 2024-03-02.json", "Trading 2006-06-07.json"])
        XCTAssertTrue(r.dayItems.allSatisfy { $0.format == "actiance-day" })
        let d = try XCTUnwrap(r.day("public - town-square - ch1", "2024-03-01"))
        XCTAssertEqual(d.participants, [Address(name: "Jane Doe", address: "jdoe@dpr.example.gov"),
                                        Address(name: "", address: "sam@dpr.example.gov")])
        let m = d.messages
        XCTAssertEqual(m.map(\.type), ["join", "join", "message", "message", "file"])
        XCTAssertEqual(m[2].text, "original text & more")
        XCTAssertEqual(m[2].edits, [ChatEdit(time: "2024-03-01T00:01:00Z", text: "orignal text")])
        XCTAssertEqual(m[2].id, "p1")
        XCTAssertEqual(m[2].sender.name, "Jane Doe")
        XCTAssertTrue(m[3].deleted)
        XCTAssertEqual(m[3].text, "delete me")
        XCTAssertEqual(m[4].attachments, ["budget.xlsx"], "one message per transfer, not one per start and end")
        XCTAssertEqual(m[4].text, "2048 bytes")
        let next = try XCTUnwrap(r.day("public - town-square - ch1", "2024-03-02"))
        XCTAssertEqual(next.messages.map(\.text), ["next day", "left"])
        XCTAssertEqual(next.messages.map(\.type), ["message", "leave"])
        let trading = try XCTUnwrap(r.day("Trading", "2006-06-07"))
        XCTAssertEqual(trading.messages.map(\.time), ["2006-06-07T19:31:24Z", "2006-06-07T19:31:24Z"])
    }

    func testRepeatedRoomsMergeAndBareConversationRoot() throws {
        let twice = """
        <FileDump><Conversation><RoomID>R</RoomID><Message><LoginName>a</LoginName><DateTimeUTC>1000</DateTimeUTC><Content>one</Content></Message></Conversation>
        <Conversation><RoomID>R</RoomID><Message><LoginName>b</LoginName><DateTimeUTC>999</DateTimeUTC><Content>zero</Content></Message></Conversation></FileDump>
        """
        let r = try h.run([try h.write("twice.xml", twice)], name: "twice")
        XCTAssertEqual(r.dayItems.count, 1)
        XCTAssertEqual(r.days.first?.messages.map(\.text), ["zero", "one"])

        let bare = "<?xml version=\"1.0\"?>\n<!-- export -->\n<Conversation Perspective=\"P\"><RoomID>X</RoomID><Message><LoginName>a</LoginName><DateTimeUTC>5</DateTimeUTC><Content>hi</Content></Message></Conversation>"
        let b = try h.run([try h.write("bare.xml", bare)], name: "bare")
        XCTAssertEqual(b.days.map(\.conversation), ["X"])
    }

    func testNotActianceAndBrokenXML() throws {
        XCTAssertEqual(ActianceReader.rootName(Array("\u{FEFF}<?xml version='1.0'?><!DOCTYPE x><!-- c --><ns:FileDump>".utf8)), "FileDump")
        let other = try h.write("other.xml", "<Conversation><Speaker>x</Speaker></Conversation>")
        var input = Input(url: other, name: "other.xml", path: other.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(ActianceReader().confidence(&input), 0)

        let broken = try h.write("broken.xml", String(Self.mattermost.prefix(900)))
        let r = try h.run([broken])
        XCTAssertEqual(r.items, [])
        XCTAssertEqual(r.exceptions.count, 1)
        XCTAssertTrue(r.exceptions[0].reason.hasPrefix("actiance: XML not well-formed"), r.exceptions[0].reason)

        let bomb = """
        <?xml version="1.0"?><!DOCTYPE FileDump [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
        <FileDump><Conversation><RoomID>R</RoomID><Message><LoginName>a</LoginName><DateTimeUTC>5</DateTimeUTC><Content>&c;&x;</Content></Message></Conversation></FileDump>
        """
        let e = try h.run([try h.write("entities.xml", bomb)], name: "entities")
        let text = e.days.first?.messages.first?.text ?? ""
        XCTAssertFalse(text.contains("root:"), "external entities are never loaded")
    }
}
