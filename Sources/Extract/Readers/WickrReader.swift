import DiscloseCore
import Foundation

/// Output of Wickr's data-retention bot (AWS Wickr) or compliance bot (Wickr Enterprise): one
/// JSON object per message, one per line, or a JSON array of them, or pretty-printed objects
/// one after another. A conversation is a `vgroupid`.
public struct WickrReader: Reader {
    public let name = "wickr"
    public let mediaTypes = ["application/vnd.wickr-retention+json"]
    /// One record larger than this is damage, not a message.
    public let maxRecordBytes = 16 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        let head = input.head
        guard let first = head.first(where: { !Self.isSpace($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            return 0
        }
        var splitter = JSONObjectSplitter(maxObjectBytes: head.count)
        var firstObject: [UInt8]? = nil
        splitter.feed(head[...]) { obj in if firstObject == nil { firstObject = obj } }
        if let obj = firstObject {
            guard let d = try? JSONSerialization.jsonObject(with: Data(obj)) as? [String: Any] else { return 0 }
            return d["msgtype"] != nil && d["vgroupid"] != nil ? 90 : 0
        }
        // The first record does not fit in the head: look for the two keys in what is there.
        let text = String(decoding: head, as: UTF8.self)
        return text.contains("\"msgtype\"") && text.contains("\"vgroupid\"") ? 90 : 0
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0xEF || b == 0xBB || b == 0xBF }

    struct Record {
        var index: Int
        var object: [String: Any]
        var micros: Int64?
        var msgtype: Int
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        guard let handle = FileHandle(forReadingAtPath: input.url.path) else { throw ReadFailure("cannot open") }
        defer { try? handle.close() }
        var records: [Record] = []
        var splitter = JSONObjectSplitter(maxObjectBytes: maxRecordBytes)
        var bad = 0
        var firstBad = ""
        func take(_ bytes: [UInt8]) {
            guard let d = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                bad += 1
                if firstBad.isEmpty { firstBad = "record \(records.count + bad) is not a JSON object" }
                return
            }
            let micros = ChatGrouping.micros(secondsValue: d["msg_ts"])
                ?? JSONValue.string(d["time_iso"]).flatMap(ChatGrouping.micros(isoLike:))
            let type = JSONValue.int(d["msgtype"]) ?? JSONValue.int(JSONValue.object(d["control"])?["msgtype"]) ?? 0
            records.append(Record(index: records.count, object: d, micros: micros, msgtype: type))
        }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ReadFailure("read error after \(records.count) records: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            let bytes = [UInt8](chunk)
            splitter.feed(bytes[...], take)
        }
        splitter.finish()
        if records.isEmpty {
            throw ReadFailure(splitter.problems.first ?? (firstBad.isEmpty ? "no Wickr records" : firstBad))
        }
        var problems: [String] = splitter.problems
        if bad > 0 { problems.append("\(bad) record(s) skipped: \(firstBad)") }

        var ordinal = 0
        for conv in Self.conversations(records) {
            try ChatGrouping.emit(platform: "wickr", conv, input: input, parentKey: input.parentKey, ordinal: &ordinal, context)
        }
        try ChatGrouping.record(problems.map { ChatProblem(path: input.path, reason: "Wickr: \($0)") }, input: input,
                                parentKey: input.parentKey, ordinal: &ordinal, context)
    }

    /// Groups records by vgroupid (in order of first appearance) and folds edits and deletes
    /// into the messages they change.
    static func conversations(_ records: [Record]) -> [PendingConversation] {
        var order: [String] = []
        var groups: [String: [Record]] = [:]
        for r in records {
            let g = JSONValue.nonEmpty(r.object["vgroupid"]) ?? JSONValue.nonEmpty(r.object["vGroupID"]) ?? "(no vgroupid)"
            if groups[g] == nil { order.append(g) }
            groups[g, default: []].append(r)
        }
        return order.map { conversation(id: $0, groups[$0] ?? []) }
    }

    static func address(_ id: String) -> Address { Address(name: "", address: id) }

    static func conversation(id: String, _ records: [Record]) -> PendingConversation {
        var messages: [PendingChatMessage] = []
        var byID: [String: Int] = [:]
        var members: [Address] = []
        var memberSet = Set<String>()
        func member(_ s: String?) {
            guard let s, !s.isEmpty, memberSet.insert(s).inserted else { return }
            members.append(address(s))
        }
        var title: String? = nil
        var dmPair: [String] = []
        // Changes to other messages wait until every original is in, then apply in time order,
        // so an edit logged before its original (or twice) is still put in the right place.
        var changes: [Record] = []

        for r in records {
            let o = r.object
            let sender = JSONValue.nonEmpty(o["sender"]) ?? ""
            let control = JSONValue.object(o["control"])
            member(sender)
            if let receiver = JSONValue.nonEmpty(o["receiver"]) {
                member(receiver)
                if dmPair.isEmpty { dmPair = [sender, receiver].filter { !$0.isEmpty } }
            }
            for m in JSONValue.strings(control?["members"]) { member(m) }
            if title == nil, let t = JSONValue.nonEmpty(control?["title"]) { title = t }

            let msgID = JSONValue.nonEmpty(o["message_id"]) ?? JSONValue.nonEmpty(o["id"]) ?? "record-\(r.index + 1)"
            var text = ""
            var type = "system"
            var attachments: [String] = []
            var threadOf = ""
            switch r.msgtype {
            case 1000:
                type = "message"
                text = JSONValue.string(o["message"]) ?? ""
            case 3000:
                text = JSONValue.string(o["message"]) ?? "key verification"
            case 6000:
                type = "file"
                let f = JSONValue.object(o["file"]) ?? [:]
                let n = JSONValue.nonEmpty(f["filename"]) ?? JSONValue.nonEmpty(f["guid"]) ?? "file"
                attachments = [n]
                text = JSONValue.string(o["message"]) ?? ""
            case 7000:
                type = "call"
                let c = JSONValue.object(o["call"]) ?? [:]
                var parts = ["call"]
                if let st = JSONValue.string(c["status"]) { parts.append("status \(st)") }
                if let d = JSONValue.string(c["duration"]) { parts.append("duration \(d) s") }
                if let meeting = JSONValue.nonEmpty(c["meetingid"]) { parts.append("meeting \(meeting)") }
                text = parts.joined(separator: ", ")
            case 8000:
                type = "location"
                let l = JSONValue.object(o["location"]) ?? [:]
                text = [JSONValue.double(l["latitude"]), JSONValue.double(l["longitude"])].compactMap { $0 }
                    .map { String($0) }.joined(separator: ", ")
            case 9000, 4011:
                changes.append(r)
                continue
            case 9100:
                type = "reaction"
                let e = JSONValue.object(o["edit"]) ?? [:]
                threadOf = JSONValue.nonEmpty(e["originalmessageid"]) ?? ""
                text = JSONValue.string(e["reaction"]) ?? JSONValue.string(e["text"]) ?? JSONValue.string(e["emoji"]) ?? ""
            case 4001:
                text = "created the room" + (JSONValue.nonEmpty(control?["title"]).map { " \"\($0)\"" } ?? "")
                    + membersText(control)
            case 4002:
                text = "changed the room members" + membersText(control)
            case 4003:
                type = "leave"
                text = "left the room"
            case 4004:
                text = "changed the room settings" + (JSONValue.nonEmpty(control?["title"]).map { ": title \"\($0)\"" } ?? "")
            case 4005:
                text = "deleted the room"
            case 4012:
                text = "changed message attributes (starred)" + target(control).map { " of \($0)" }.orEmpty
            case 4013:
                text = "requested message attributes"
            case 4014:
                text = "changed a private property (pinned)" + target(control).map { " of \($0)" }.orEmpty
            default:
                text = JSONValue.string(o["message"]) ?? "Wickr message type \(r.msgtype)"
            }
            let m = ChatMessage(id: msgID, time: "", sender: sender.isEmpty ? Address(name: "", address: "") : address(sender),
                                text: text, type: type, attachments: attachments, threadOf: threadOf)
            if byID[msgID] == nil { byID[msgID] = messages.count }
            messages.append(PendingChatMessage(message: m, micros: r.micros))
        }

        var versionTime: [Int: String] = [:]
        let sortedChanges = changes.enumerated().sorted { a, b in
            (a.element.micros ?? .max, a.offset) < (b.element.micros ?? .max, b.offset)
        }.map(\.element)
        for r in sortedChanges {
            let o = r.object
            let sender = JSONValue.nonEmpty(o["sender"]) ?? ""
            let msgID = JSONValue.nonEmpty(o["message_id"]) ?? "record-\(r.index + 1)"
            if r.msgtype == 9000 {
                let e = JSONValue.object(o["edit"]) ?? [:]
                let original = JSONValue.nonEmpty(e["originalmessageid"]) ?? ""
                var newText = JSONValue.string(e["text"])
                if newText == nil, let lat = JSONValue.double(e["latitude"]), let lon = JSONValue.double(e["longitude"]) {
                    newText = "\(lat), \(lon)"
                }
                if let i = byID[original], let t = newText {
                    if messages[i].message.text != t {
                        let was = versionTime[i] ?? (messages[i].micros.flatMap(ChatGrouping.iso) ?? "")
                        messages[i].message.edits.append(ChatEdit(time: was, text: messages[i].message.text))
                        messages[i].message.text = t
                        versionTime[i] = r.micros.flatMap(ChatGrouping.iso) ?? ""
                    }
                } else {
                    // The original is not in this output (earlier retention period): keep the
                    // edit as its own entry pointing at it.
                    let m = ChatMessage(id: msgID, time: "", sender: address(sender), text: newText ?? "",
                                        type: "edit", threadOf: original)
                    messages.append(PendingChatMessage(message: m, micros: r.micros))
                }
            } else {
                let targetID = target(JSONValue.object(o["control"])) ?? target(o) ?? ""
                if let i = byID[targetID] {
                    messages[i].message.deleted = true
                } else {
                    let m = ChatMessage(id: msgID, time: "", sender: address(sender),
                                        text: "deleted message \(targetID.isEmpty ? "(not identified)" : targetID)",
                                        type: "system", threadOf: targetID)
                    messages.append(PendingChatMessage(message: m, micros: r.micros))
                }
            }
        }

        let name: String
        if let t = title { name = t }
        else if dmPair.count == 2 { name = "DM: " + dmPair.sorted().joined(separator: ", ") }
        else { name = id }
        return PendingConversation(name: name, members: members, messages: messages)
    }

    static func membersText(_ control: [String: Any]?) -> String {
        let m = JSONValue.strings(control?["members"])
        return m.isEmpty ? "" : "; members: " + m.joined(separator: ", ")
    }

    /// The message a delete or attribute change is about; the field's name varies by release.
    static func target(_ o: [String: Any]?) -> String? {
        guard let o else { return nil }
        for k in ["msgid", "messageid", "message_id_to_delete", "originalmessageid", "deletemessageid", "msg_id"] {
            if let v = JSONValue.nonEmpty(o[k]) { return v }
        }
        return nil
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}

/// Cuts a byte stream into top-level JSON objects: one per line, inside a top-level array, or
/// pretty-printed one after another. Strings are tracked so braces inside text do not count.
struct JSONObjectSplitter {
    let maxObjectBytes: Int
    private var current: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var skipping = false
    private(set) var problems: [String] = []
    private var offset = 0

    init(maxObjectBytes: Int) { self.maxObjectBytes = maxObjectBytes }

    mutating func feed(_ bytes: ArraySlice<UInt8>, _ deliver: ([UInt8]) -> Void) {
        for b in bytes {
            offset += 1
            if skipping {
                if b == 0x0A { skipping = false }
                continue
            }
            if depth == 0 {
                switch b {
                case UInt8(ascii: "{"):
                    depth = 1
                    current = [b]
                case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), 0xEF, 0xBB, 0xBF:
                    continue
                default:
                    if problems.count < 20 { problems.append("unexpected text at byte \(offset); skipped to the end of the line") }
                    skipping = true
                }
                continue
            }
            current.append(b)
            if current.count > maxObjectBytes {
                if problems.count < 20 { problems.append("a record at byte \(offset - current.count + 1) is over \(maxObjectBytes) bytes; skipped") }
                current = []; depth = 0; inString = false; escaped = false; skipping = true
                continue
            }
            if inString {
                if escaped { escaped = false }
                else if b == UInt8(ascii: "\\") { escaped = true }
                else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { deliver(current); current = [] }
            default: break
            }
        }
    }

    mutating func finish() {
        if depth > 0 { problems.append("file ends inside a record (truncated); the partial record is skipped") }
        current = []; depth = 0
    }
}
