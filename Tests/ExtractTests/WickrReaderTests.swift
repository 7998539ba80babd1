import DiscloseCore
@testable import Extract
import Foundation
import XCTest

final class WickrReaderTests: XCTestCase {
    var h: ChatHarness!
    override func setUpWithError() throws { h = try ChatHarness() }
    override func tearDownWithError() throws { h.cleanup() }

    // Shapes follow the AWS Wickr "message formats" and "compliance output examples" pages.
    // 1691176258 = 2023-08-04T19:10:58Z.
    static let room = "S19a8782d9a0441d5e13f15b6789f00bc2f9b8231aa364a2eb3a8269dce2ac21"
    static let dm = "7ad65d17b945d7672190ecab6902fdd06eff162b91adfcda23df3b2ff95875e8"
    static let lines = [
        #"{"control":{"bor":0,"changemask":47,"description":"","masters":["dr001@x.gov"],"members":["dr001@x.gov","dr002@x.gov","dr003@x.gov"],"msgtype":4001,"title":"Incident 7","ttl":2592000},"message_id":"m0","msg_ts":"1691176000.000001","msgtype":4001,"sender":"dr001@x.gov","vgroupid":"\#(room)"}"#,
        #"{"message":"test message in a secure room","message_id":"m1","msg_ts":"1691176791.781279","msgtype":1000,"sender":"dr002@x.gov","sender_type":"normal","time":"8/4/23 7:19 PM","time_iso":"2023-08-04 19:19:51.781","vgroupid":"\#(room)"}"#,
        #"{"edit":{"originalmessageid":"m1","text":"corrected text","type":"text"},"message_id":"e1","msg_ts":"1691176900.000000","msgtype":9000,"sender":"dr002@x.gov","vgroupid":"\#(room)"}"#,
        #"{"file":{"filename":"picture.jpeg","guid":"AD20D048","localfilename":"/opt/WickrIO/attachments/x_picture.jpeg"},"message_id":"f1","msg_ts":"1691177000.5","msgtype":6000,"sender":"dr003@x.gov","vgroupid":"\#(room)"}"#,
        #"{"call":{"status":1,"duration":62,"meetingid":"ba20"},"message_id":"c1","msg_ts":1691177100.25,"msgtype":7000,"sender":"dr001@x.gov","vgroupid":"\#(room)"}"#,
        #"{"location":{"latitude":45.75,"longitude":-74.99},"message_id":"l1","msg_ts":"1691177200.0","msgtype":8000,"sender":"dr001@x.gov","vgroupid":"\#(room)"}"#,
        #"{"message":"to be recalled","message_id":"m2","msg_ts":"1691177300.0","msgtype":1000,"sender":"dr003@x.gov","vgroupid":"\#(room)"}"#,
        #"{"control":{"isrecall":true,"msgid":"m2","msgtype":4011},"message_id":"d1","msg_ts":"1691177301.0","msgtype":4011,"sender":"dr003@x.gov","vgroupid":"\#(room)"}"#,
        #"{"edit":{"originalmessageid":"m1","text":"corrected again","type":"text"},"message_id":"e2","msg_ts":"1691177400.0","msgtype":9000,"sender":"dr002@x.gov","vgroupid":"\#(room)"}"#,
        #"{"control":{"msgtype":4003},"message_id":"x1","msg_ts":"1691177500.0","msgtype":4003,"sender":"dr003@x.gov","vgroupid":"\#(room)"}"#,
        #"{"message":"test message","message_id":"a5","msg_ts":"1691176258.901277","msgtype":1000,"receiver":"dr001@x.gov","sender":"dr002@x.gov","time_iso":"2023-08-04 19:10:58.901","vgroupid":"\#(dm)"}"#,
        #"{"message":"next day","message_id":"a6","time_iso":"2023-08-05 00:00:01.000","msgtype":"1000","receiver":"dr002@x.gov","sender":"dr001@x.gov","vgroupid":"\#(dm)"}"#,
    ]

    func testRetentionOutputBecomesConversationDays() throws {
        let url = try h.write("wickr/messages_2023-08-04.txt", Self.lines.joined(separator: "\n") + "\n")
        var input = Input(url: url, name: url.lastPathComponent, path: url.path, key: "0001", parentKey: nil, folder: "",
                          digests: nil, depth: 0)
        XCTAssertEqual(WickrReader().confidence(&input), 90)
        let r = try h.run([url])
        XCTAssertEqual(r.exceptions, [])
        XCTAssertEqual(r.dayItems.map(\.fileName), ["Incident 7 2023-08-04.json", "DM: dr001@x.gov, dr002@x.gov 2023-08-04.json",
                                                    "DM: dr001@x.gov, dr002@x.gov 2023-08-05.json"])
        XCTAssertTrue(r.dayItems.allSatisfy { $0.format == "wickr-day" })
        let room = try XCTUnwrap(r.day("Incident 7", "2023-08-04"))
        XCTAssertEqual(room.participants.map(\.address), ["dr001@x.gov", "dr002@x.gov", "dr003@x.gov"])
        let m = room.messages
        XCTAssertEqual(m.map(\.type), ["system", "message", "file", "call", "location", "message", "leave"])
        XCTAssertEqual(m[0].text, "created the room \"Incident 7\"; members: dr001@x.gov, dr002@x.gov, dr003@x.gov")
        XCTAssertEqual(m[1].text, "corrected again")
        XCTAssertEqual(m[1].time, "2023-08-04T19:19:51Z")
        XCTAssertEqual(m[1].edits, [ChatEdit(time: "2023-08-04T19:19:51Z", text: "test message in a secure room"),
                                    ChatEdit(time: "2023-08-04T19:21:40Z", text: "corrected text")])
        XCTAssertEqual(m[2].attachments, ["picture.jpeg"])
        XCTAssertEqual(m[3].text, "call, status 1, duration 62 s, meeting ba20")
        XCTAssertEqual(m[4].text, "45.75, -74.99")
        XCTAssertTrue(m[5].deleted)
        XCTAssertEqual(m[5].text, "to be recalled")
        XCTAssertEqual(m[1].sender, Address(name: "", address: "dr002@x.gov"))
        XCTAssertEqual(r.day("DM: dr001@x.gov, dr002@x.gov", "2023-08-05")?.messages.map(\.text), ["next day"])
    }

    func testArrayAndPrettyPrintedFormsReadTheSame() throws {
        let jsonl = try h.run([try h.write("a.json", Self.lines.joined(separator: "\n"))], name: "jsonl")
        let array = try h.run([try h.write("b.json", "[\n" + Self.lines.joined(separator: ",\n") + "\n]")], name: "array")
        let objects = try Self.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let pretty = try objects.map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.prettyPrinted]), as: UTF8.self)
        }.joined(separator: "\n")
        let pp = try h.run([try h.write("c.json", pretty)], name: "pretty")
        XCTAssertEqual(jsonl.days, array.days)
        XCTAssertEqual(jsonl.days, pp.days)
        XCTAssertEqual(jsonl.days.count, 3)
    }

    func testEditsOfMissingOriginalsAndOutOfOrderRecords() throws {
        let recs = [
            #"{"edit":{"originalmessageid":"m1","text":"v2"},"message_id":"e1","msg_ts":"200","msgtype":9000,"sender":"a","vgroupid":"G1"}"#,
            #"{"message":"v1","message_id":"m1","msg_ts":"100","msgtype":1000,"sender":"a","vgroupid":"G1"}"#,
            #"{"edit":{"originalmessageid":"gone","text":"edited elsewhere"},"message_id":"e2","msg_ts":"300","msgtype":9000,"sender":"a","vgroupid":"G1"}"#,
            #"{"control":{"msgid":"gone2"},"message_id":"d2","msg_ts":"400","msgtype":4011,"sender":"a","vgroupid":"G1"}"#,
        ]
        let r = try h.run([try h.write("w.json", recs.joined(separator: "\n"))])
        let m = try XCTUnwrap(r.day("G1", "1970-01-01")).messages
        XCTAssertEqual(m.map(\.text), ["v2", "edited elsewhere", "deleted message gone2"])
        XCTAssertEqual(m[0].edits.map(\.text), ["v1"])
        XCTAssertEqual(m[1].type, "edit")
        XCTAssertEqual(m[1].threadOf, "gone")
    }

    func testTruncatedAndDamagedRecordsAreExceptionsNotLosses() throws {
        var text = Self.lines.joined(separator: "\n")
        text += "\nnot json at all\n{\"msgtype\": 1000, \"broken\": }\n"
        text += String(Self.lines[1].dropLast(20))
        let url = try h.write("w.json", text)
        let r = try h.run([url])
        XCTAssertEqual(r.messageCount, 9, "7 in the room (edits and the recall folded in) and 2 in the DM")
        XCTAssertEqual(r.exceptions.count, 3, "\(r.exceptions.map(\.reason))")
        XCTAssertTrue(r.exceptions.allSatisfy { $0.parentKey == nil && $0.path == url.path })
        XCTAssertTrue(r.exceptions.contains { $0.reason.contains("truncated") })
    }

    func testConfidence() throws {
        func conf(_ s: String) throws -> Int {
            let url = try h.write("c-\(UUID().uuidString).json", s)
            var input = Input(url: url, name: url.lastPathComponent, path: url.path, key: "0001", parentKey: nil,
                              folder: "", digests: nil, depth: 0)
            return WickrReader().confidence(&input)
        }
        XCTAssertEqual(try conf(Self.lines[1]), 90)
        XCTAssertEqual(try conf("[" + Self.lines[1]), 90)
        XCTAssertEqual(try conf(#"{"msgtype":1000,"sender":"a"}"# + "\n" + Self.lines[1]), 0, "the first record decides")
        XCTAssertEqual(try conf(#"{"name":"package","version":"1.0"}"#), 0)
        XCTAssertEqual(try conf("hello"), 0)
        let big = #"{"msgtype":1000,"vgroupid":"G","message":""# + String(repeating: "x", count: 10_000) + #""}"#
        XCTAssertEqual(try conf(big), 90)
    }
}
