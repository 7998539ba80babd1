import DiscloseCore
import Foundation
import XMLKit

/// Actiance (Vantage) style compliance XML, which Smarsh, Global Relay and Mattermost also write
/// for archives: `<FileDump>` → `<Conversation Perspective=…>` with `<RoomID>`,
/// `<StartTimeUTC>`, `<ParticipantEntered>`/`<ParticipantLeft>`, `<Message>`,
/// `<FileTransferStarted>`/`<FileTransferEnded>`, `<EndTimeUTC>`. Times are epoch numbers
/// (seconds, or milliseconds in Mattermost and Lync-derived files) or ISO 8601.
public struct ActianceReader: Reader {
    public let name = "actiance"
    public let mediaTypes = ["application/vnd.actiance+xml"]
    /// The whole document is parsed into memory.
    public let maxBytes: Int64 = 256 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory, let root = Self.rootName(input.head) else { return 0 }
        if root == "FileDump" { return 90 }
        if root == "Conversation" {
            let text = String(decoding: input.head, as: UTF8.self)
            let markers = ["<RoomID", "<ParticipantEntered", "<LoginName", "<DateTimeUTC", "<StartTimeUTC"]
            return markers.contains(where: text.contains) ? 90 : 0
        }
        return 0
    }

    /// The first element's name, past the XML declaration, comments and a doctype.
    static func rootName(_ head: [UInt8]) -> String? {
        var i = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < head.count {
            let b = head[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1; continue }
            guard b == UInt8(ascii: "<"), i + 1 < head.count else { return nil }
            let next = head[i + 1]
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                let close: [UInt8] = head[i...].starts(with: Array("<!--".utf8)) ? Array("-->".utf8) : [UInt8(ascii: ">")]
                var j = i + 2
                while j + close.count <= head.count, Array(head[j..<j + close.count]) != close { j += 1 }
                guard j + close.count <= head.count else { return nil }
                i = j + close.count
                continue
            }
            var j = i + 1
            while j < head.count, !(head[j] == 0x20 || head[j] == 0x0A || head[j] == 0x0D || head[j] == 0x09
                                     || head[j] == UInt8(ascii: ">") || head[j] == UInt8(ascii: "/")) { j += 1 }
            let name = String(decoding: head[(i + 1)..<j], as: UTF8.self)
            return name.split(separator: ":").last.map(String.init)
        }
        return nil
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0
        guard size <= maxBytes else { throw ReadFailure("\(size) bytes is over the \(maxBytes)-byte limit") }
        let data: Data
        do { data = try Data(contentsOf: input.url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let root: XMLKit.XMLElement
        do { root = try XMLKit.XMLElement.parse(data) } catch { throw ReadFailure("XML not well-formed: \(error)") }
        let conversations = Self.local(root.name) == "Conversation" ? [root] : Self.conversationElements(root)
        guard !conversations.isEmpty else { throw ReadFailure("no <Conversation> in the file") }

        var merged: [PendingConversation] = []
        var index: [String: Int] = [:]
        for (n, c) in conversations.enumerated() {
            let conv = Self.conversation(c, number: n + 1)
            if let i = index[conv.name] {
                merged[i].messages += conv.messages
                for m in conv.members where !merged[i].members.contains(m) { merged[i].members.append(m) }
            } else {
                index[conv.name] = merged.count
                merged.append(conv)
            }
        }
        var ordinal = 0
        for conv in merged {
            try ChatGrouping.emit(platform: "actiance", conv, input: input, parentKey: input.parentKey, ordinal: &ordinal, context)
        }
    }

    static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

    static func conversationElements(_ root: XMLKit.XMLElement) -> [XMLKit.XMLElement] {
        var out: [XMLKit.XMLElement] = []
        var stack: [XMLKit.XMLElement] = root.children.reversed()
        while let e = stack.popLast() {
            if local(e.name) == "Conversation" { out.append(e); continue }
            stack.append(contentsOf: e.children.reversed())
        }
        return out
    }

    static func value(_ e: XMLKit.XMLElement, _ names: String...) -> String? {
        for n in names {
            if let c = e.children.first(where: { local($0.name) == n }) {
                let t = c.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !t.isEmpty { return t }
            }
        }
        return nil
    }

    static func time(_ s: String?) -> Int64? {
        guard let s else { return nil }
        if let n = Int64(s) { return ChatGrouping.micros(epoch: n) }
        if let d = Double(s), d.isFinite, abs(d) < 1e17 { return ChatGrouping.micros(epoch: Int64(d)) }
        return ChatGrouping.micros(isoLike: s)
    }

    static let eventNames: Set<String> = ["Message", "ParticipantEntered", "ParticipantLeft", "FileTransfer",
                                          "FileTransferStarted", "FileTransferEnded", "Disclaimer", "SystemMessage"]

    static func conversation(_ c: XMLKit.XMLElement, number: Int) -> PendingConversation {
        let name = value(c, "RoomID", "ConversationID") ?? c.attributes["Perspective"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "Conversation \(number)"
        let start = time(value(c, "StartTimeUTC"))

        // Who is who: any element naming a participant, so senders get display names and mail.
        var people: [String: Address] = [:]
        var members: [Address] = []
        var memberIndex: [String: Int] = [:]
        var stack: [XMLKit.XMLElement] = c.children.reversed()
        var events: [XMLKit.XMLElement] = []
        while let e = stack.popLast() {
            let n = local(e.name)
            if n == "Participant" || n == "ParticipantEntered" || n == "ParticipantLeft" {
                if let login = value(e, "LoginName", "UserName", "Login") {
                    let display = value(e, "DisplayName", "Name") ?? people[login]?.name ?? ""
                    let mail = value(e, "CorporateEmailID", "EmailAddress", "Email") ?? people[login]?.address ?? login
                    let a = Address(name: display, address: mail)
                    if let at = memberIndex[login] { members[at] = a } else { memberIndex[login] = members.count; members.append(a) }
                    people[login] = a
                }
            }
            if eventNames.contains(n) { events.append(e); continue }
            if n != "Participant" { stack.append(contentsOf: e.children.reversed()) }
        }

        var messages: [PendingChatMessage] = []
        var byID: [String: Int] = [:]
        var fileStarted = Set<String>()
        var editedTo: [String: String] = [:]
        var deletions: [(String, PendingChatMessage)] = []
        for (k, e) in events.enumerated() {
            let n = local(e.name)
            let login = value(e, "LoginName", "UserName", "Login") ?? ""
            let sender = people[login] ?? Address(name: value(e, "DisplayName") ?? "", address: login)
            let micros = time(value(e, "DateTimeUTC", "DateTime", "TimeStamp")) ?? start
            let id = value(e, "MessageId", "MessageID", "Id") ?? "\(number)-\(k + 1)"
            var m = ChatMessage(id: id, time: "", sender: sender, text: "")
            switch n {
            case "Message", "SystemMessage", "Disclaimer":
                m.type = n == "Message" ? "message" : "system"
                if let content = e.children.first(where: { local($0.name) == "Content" }) {
                    m.text = content.text
                } else if let b64 = value(e, "Base64Content"),
                          let d = Data(base64Encoded: b64.filter { !$0.isWhitespace }) {
                    m.text = String(decoding: d, as: UTF8.self)
                }
                if let thread = value(e, "ParentMessageId", "RootId", "ThreadId") { m.threadOf = thread }
                let updated = value(e, "UpdatedType") ?? ""
                switch updated {
                case "EditedOriginalMsg":
                    if let newID = value(e, "EditedNewMsgId") { editedTo[id] = newID }
                case "Deleted":
                    m.deleted = true
                    deletions.append((id, PendingChatMessage(message: m, micros: micros)))
                    continue
                case "FileDeleted":
                    m.type = "system"
                default: break
                }
            case "ParticipantEntered":
                m.type = "join"; m.text = "joined"
            case "ParticipantLeft":
                m.type = "leave"; m.text = "left"
            default:
                let file = value(e, "UserFileName", "FileName") ?? "file"
                let shown = file.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? file
                let key = login + "\u{0}" + file
                if n == "FileTransferEnded", fileStarted.contains(key) { continue }
                if n == "FileTransferStarted" { fileStarted.insert(key) }
                m.type = "file"
                m.attachments = [shown]
                var notes: [String] = []
                if let size = value(e, "FileSize") { notes.append("\(size) bytes") }
                if let status = value(e, "Status") { notes.append(status) }
                m.text = notes.joined(separator: ", ")
            }
            if byID[id] == nil { byID[id] = messages.count }
            messages.append(PendingChatMessage(message: m, micros: micros))
        }

        // Edits: the exporter writes the old version (pointing at its replacement) and the new
        // version as two messages; they become one message with its history.
        var dropped = Set<Int>()
        var mergedInto: [Int: Int] = [:]
        let replacements = Set(editedTo.values)
        for (oldID, _) in editedTo.sorted(by: { $0.key < $1.key }) where !replacements.contains(oldID) {
            var chain: [Int] = []
            var cur: String? = oldID
            var seen = Set<String>()
            while let c = cur, let i = byID[c], seen.insert(c).inserted { chain.append(i); cur = editedTo[c] }
            guard chain.count > 1, let last = chain.last, let first = chain.first else { continue }
            var history: [ChatEdit] = []
            for i in chain.dropLast() {
                history.append(ChatEdit(time: messages[i].micros.flatMap(ChatGrouping.iso) ?? "", text: messages[i].message.text))
            }
            messages[first].message.edits = history
            messages[first].message.text = messages[last].message.text
            messages[first].message.attachments += messages[last].message.attachments
            for i in chain.dropFirst() { dropped.insert(i); mergedInto[i] = first }
        }
        for (id, record) in deletions {
            if let i = byID[id] { messages[mergedInto[i] ?? i].message.deleted = true } else { messages.append(record) }
        }
        let kept = messages.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        return PendingConversation(name: name, members: members, messages: kept)
    }
}
