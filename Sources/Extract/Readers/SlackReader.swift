import DiscloseCore
import Foundation

/// A Slack workspace export (the zip Slack's admin export gives, or that zip unpacked, or a
/// slackdump export folder): `users.json`, `channels.json`, `groups.json`, `dms.json`,
/// `mpims.json` and one folder per conversation with one `YYYY-MM-DD.json` per day. The names
/// in messages only resolve with users.json, so the export is read whole, not file by file.
public struct SlackReader: Reader {
    public let name = "slack"
    public let mediaTypes = ["application/vnd.slack-export"]
    /// One day of one channel; larger files are not parsed (they would be a day of ~1M messages).
    public let maxDayFileBytes: Int64 = 256 << 20
    public let maxMetadataBytes: Int64 = 512 << 20
    public init() {}

    static let metadataFiles = ["users.json", "channels.json", "groups.json", "dms.json", "mpims.json"]

    public func confidence(_ input: inout Input) -> Int {
        if input.isDirectory { return Self.isExportFolder(input.url) ? 100 : 0 }
        guard let names = ExportStaging.entryNames(&input) else { return 0 }
        return Self.exportPrefix(in: names) != nil ? 95 : 0
    }

    static func isDayFile(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count == 15, name.hasSuffix(".json") else { return false }
        for (i, c) in u.prefix(10).enumerated() {
            if i == 4 || i == 7 { if c != 45 { return false } } else if c < 48 || c > 57 { return false }
        }
        return true
    }

    /// A folder is an export when it has the metadata and at least one conversation folder of
    /// day files; metadata alone (slackdump writes that too) is left to the folder walk.
    static func isExportFolder(_ url: URL) -> Bool {
        let fm = FileManager.default
        guard ExportStaging.isRegularFile(url.appendingPathComponent("channels.json"))
                || ExportStaging.isRegularFile(url.appendingPathComponent("users.json")),
              let names = try? fm.contentsOfDirectory(atPath: url.path) else { return false }
        for n in names.sorted(by: DirectoryReader.byteOrder) {
            let sub = url.appendingPathComponent(n)
            guard ExportStaging.isDirectory(sub), let inner = try? fm.contentsOfDirectory(atPath: sub.path) else { continue }
            if inner.contains(where: isDayFile) { return true }
        }
        return false
    }

    /// The folder inside the archive that holds the export: "" at the top, or one folder deep
    /// (people re-zip the unpacked folder).
    static func exportPrefix(in names: [String]) -> String? {
        let set = Set(names)
        var candidates: [String] = []
        for n in names where n.hasSuffix("channels.json") || n.hasSuffix("users.json") {
            let parts = n.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 1 { candidates.append("") }
            else if parts.count == 2 { candidates.append(String(parts[0]) + "/") }
        }
        for p in candidates.sorted() where set.contains(p + "channels.json") || set.contains(p + "users.json") {
            let hasDay = names.contains { n in
                guard n.hasPrefix(p) else { return false }
                let rest = n.dropFirst(p.count).split(separator: "/", omittingEmptySubsequences: false)
                return rest.count == 2 && isDayFile(String(rest[1]))
            }
            if hasDay { return p }
        }
        return nil
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        if input.isDirectory {
            try readExport(root: input.url, exportRoot: input.url, pathBase: input.path + "/", input: input,
                           parentKey: input.parentKey, problems: [], context)
            return
        }
        var copy = input
        guard let names = ExportStaging.entryNames(&copy), let prefix = Self.exportPrefix(in: names) else {
            throw ReadFailure("not a Slack export archive")
        }
        // Met as an attachment the zip is a family member, as the archive reader would make it.
        var parent = input.parentKey
        if input.parentKey != nil {
            parent = try context.emit(&input, kind: .container, format: "archive").key
        }
        let (scratch, problems) = try ExportStaging.unpack(input, context)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let exportRoot = prefix.isEmpty ? scratch : scratch.appendingPathComponent(String(prefix.dropLast()))
        try readExport(root: scratch, exportRoot: exportRoot, pathBase: input.path + "!/", input: input,
                       parentKey: parent, problems: problems, context)
    }

    // MARK: - The export

    struct User {
        var address: Address
    }

    struct Conversation {
        var id: String
        var folder: String
        var display: String
        var memberIDs: [String]
    }

    /// `root` is what gets walked for leftovers (the unpacked archive or the folder itself);
    /// `exportRoot` is where users.json and the conversation folders are.
    func readExport(root: URL, exportRoot: URL, pathBase: String, input: Input, parentKey: String?,
                    problems initial: [ChatProblem], _ context: ExtractContext) throws {
        var problems = initial
        let relBase: String = {
            let r = root.standardizedFileURL.path, e = exportRoot.standardizedFileURL.path
            return e == r ? "" : String(e.dropFirst(r.count + 1)) + "/"
        }()
        func path(_ rel: String) -> String { pathBase + relBase + rel }

        func loadArray(_ file: String) -> [[String: Any]]? {
            let url = exportRoot.appendingPathComponent(file)
            guard ExportStaging.isRegularFile(url) else { return nil }
            do {
                guard let arr = try JSONValue.load(url, limit: maxMetadataBytes) as? [Any] else {
                    throw ReadFailure("expected a JSON array")
                }
                return arr.compactMap { $0 as? [String: Any] }
            } catch {
                problems.append(ChatProblem(path: path(file), reason: "Slack \(file): \(error)"))
                return nil
            }
        }

        var users: [String: User] = [:]
        for u in loadArray("users.json") ?? [] {
            guard let id = JSONValue.nonEmpty(u["id"]) else { continue }
            users[id] = User(address: Self.address(user: u, id: id))
        }

        var conversations: [Conversation] = []
        func names(_ ids: [String]) -> String { ids.map { Self.displayName(users[$0]?.address, id: $0) }.joined(separator: ", ") }
        for c in loadArray("channels.json") ?? [] {
            guard let id = JSONValue.nonEmpty(c["id"]) else { continue }
            let n = JSONValue.nonEmpty(c["name"]) ?? id
            conversations.append(Conversation(id: id, folder: n, display: "#" + n, memberIDs: JSONValue.strings(c["members"])))
        }
        for c in loadArray("groups.json") ?? [] {
            guard let id = JSONValue.nonEmpty(c["id"]) else { continue }
            let n = JSONValue.nonEmpty(c["name"]) ?? id
            conversations.append(Conversation(id: id, folder: n, display: "#" + n + " (private)",
                                              memberIDs: JSONValue.strings(c["members"])))
        }
        for c in loadArray("mpims.json") ?? [] {
            guard let id = JSONValue.nonEmpty(c["id"]) else { continue }
            let n = JSONValue.nonEmpty(c["name"]) ?? id
            let members = JSONValue.strings(c["members"])
            conversations.append(Conversation(id: id, folder: n, display: members.isEmpty ? n : "Group DM: " + names(members),
                                              memberIDs: members))
        }
        for c in loadArray("dms.json") ?? [] {
            guard let id = JSONValue.nonEmpty(c["id"]) else { continue }
            let members = JSONValue.strings(c["members"])
            conversations.append(Conversation(id: id, folder: id, display: members.isEmpty ? "DM: " + id : "DM: " + names(members),
                                              memberIDs: members))
        }

        // Folders the metadata lists, in its order; then folders it does not list (an export
        // whose channels.json was edited or lost), in name order.
        let fm = FileManager.default
        let topNames = ((try? fm.contentsOfDirectory(atPath: exportRoot.path)) ?? []).sorted(by: DirectoryReader.byteOrder)
        let folders = topNames.filter { ExportStaging.isDirectory(exportRoot.appendingPathComponent($0)) }
        var claimed = Set<String>()
        var ordered: [Conversation] = []
        for var c in conversations {
            let folder = folders.contains(c.folder) ? c.folder : (folders.contains(c.id) ? c.id : nil)
            guard let f = folder, !claimed.contains(f) else { continue }
            c.folder = f
            claimed.insert(f)
            ordered.append(c)
        }
        for f in folders where !claimed.contains(f) && f != "__uploads" {
            let inner = (try? fm.contentsOfDirectory(atPath: exportRoot.appendingPathComponent(f).path)) ?? []
            guard inner.contains(where: Self.isDayFile) else { continue }
            claimed.insert(f)
            ordered.append(Conversation(id: f, folder: f, display: "#" + f, memberIDs: []))
        }
        let channelNames = Dictionary(conversations.map { ($0.id, $0.folder) }, uniquingKeysWith: { a, _ in a })

        var consumed = Set<String>(Self.metadataFiles.map { relBase + $0 })
        var ordinal = 0
        for c in ordered {
            let dir = exportRoot.appendingPathComponent(c.folder)
            let dayFiles = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter(Self.isDayFile).sorted()
            var builder = ConversationBuilder(users: users, channels: channelNames, exportRoot: exportRoot,
                                              folder: c.folder)
            for f in dayFiles {
                let rel = c.folder + "/" + f
                consumed.insert(relBase + rel)
                let url = dir.appendingPathComponent(f)
                guard ExportStaging.isRegularFile(url) else { continue }
                do {
                    guard let arr = try JSONValue.load(url, limit: maxDayFileBytes) as? [Any] else {
                        throw ReadFailure("expected a JSON array of messages")
                    }
                    for case let m as [String: Any] in arr { builder.add(m) }
                } catch {
                    problems.append(ChatProblem(path: path(rel), reason: "Slack day file: \(error)"))
                }
            }
            for used in builder.usedFiles { consumed.insert(relBase + used) }
            let members = c.memberIDs.map { users[$0]?.address ?? Address(name: "", address: $0) }
            let conv = PendingConversation(name: c.display, members: members, messages: builder.messages)
            try ChatGrouping.emit(platform: "slack", conv, input: input, parentKey: parentKey, ordinal: &ordinal, context)
        }

        let (all, refused) = ExportStaging.files(under: root)
        let leftovers = all.filter { !consumed.contains($0) }
        try ExportStaging.dispatchLeftovers(leftovers, root: root, input: input, pathBase: pathBase,
                                            parentKey: parentKey, ordinal: &ordinal, context)
        for r in refused { problems.append(ChatProblem(path: pathBase + r.path, reason: r.reason)) }
        try ChatGrouping.record(problems, input: input, parentKey: parentKey, ordinal: &ordinal, context)
    }

    static func address(user u: [String: Any], id: String) -> Address {
        let profile = JSONValue.object(u["profile"]) ?? [:]
        let name = JSONValue.nonEmpty(u["real_name"]) ?? JSONValue.nonEmpty(profile["real_name"])
            ?? JSONValue.nonEmpty(profile["display_name"]) ?? JSONValue.nonEmpty(u["name"]) ?? ""
        let addr = JSONValue.nonEmpty(profile["email"]) ?? JSONValue.nonEmpty(u["name"]) ?? id
        return Address(name: name, address: addr)
    }

    static func displayName(_ a: Address?, id: String) -> String {
        guard let a else { return id }
        return a.name.isEmpty ? (a.address.isEmpty ? id : a.address) : a.name
    }

    // MARK: - Messages

    /// Turns one conversation's message objects, in file order, into messages, folding edit and
    /// delete events into the messages they change.
    struct ConversationBuilder {
        let users: [String: User]
        let channels: [String: String]
        let exportRoot: URL
        let folder: String
        var messages: [PendingChatMessage] = []
        var byTS: [String: Int] = [:]
        /// When the current text of each message was written, for the edit history.
        var versionTime: [Int: String] = [:]
        var usedFiles: [String] = []
        var usedSet = Set<String>()

        init(users: [String: User], channels: [String: String], exportRoot: URL, folder: String) {
            self.users = users; self.channels = channels; self.exportRoot = exportRoot; self.folder = folder
        }

        mutating func add(_ m: [String: Any]) {
            let subtype = JSONValue.string(m["subtype"]) ?? ""
            switch subtype {
            case "message_changed":
                guard let new = JSONValue.object(m["message"]) else { append(m, subtype: subtype); return }
                let ts = JSONValue.string(new["ts"]) ?? ""
                let newText = text(new)
                let when = JSONValue.string(JSONValue.object(new["edited"])?["ts"]) ?? JSONValue.string(m["ts"]) ?? ts
                if let i = byTS[ts] {
                    edit(i, to: newText, at: when)
                } else {
                    append(new, subtype: JSONValue.string(new["subtype"]) ?? "")
                    if let old = JSONValue.object(m["previous_message"]), let i = byTS[ts] {
                        let oldText = text(old)
                        if oldText != newText {
                            messages[i].message.edits.insert(ChatEdit(time: iso(JSONValue.string(old["ts"]) ?? ts), text: oldText), at: 0)
                        }
                    }
                }
            case "message_deleted":
                let ts = JSONValue.string(m["deleted_ts"]) ?? ""
                if let i = byTS[ts] {
                    messages[i].message.deleted = true
                } else if let old = JSONValue.object(m["previous_message"]) {
                    append(old, subtype: JSONValue.string(old["subtype"]) ?? "")
                    if let i = byTS[JSONValue.string(old["ts"]) ?? ""] { messages[i].message.deleted = true }
                } else {
                    append(m, subtype: subtype)
                    messages[messages.count - 1].message.deleted = true
                }
            default:
                append(m, subtype: subtype)
            }
        }

        mutating func edit(_ i: Int, to newText: String, at ts: String) {
            guard messages[i].message.text != newText else { return }
            let was = versionTime[i] ?? messages[i].message.time
            messages[i].message.edits.append(ChatEdit(time: was, text: messages[i].message.text))
            messages[i].message.text = newText
            versionTime[i] = iso(ts)
        }

        func iso(_ ts: String) -> String { ChatGrouping.micros(decimalSeconds: ts).flatMap(ChatGrouping.iso) ?? "" }

        mutating func append(_ m: [String: Any], subtype: String) {
            let ts = JSONValue.string(m["ts"]) ?? ""
            let micros = ChatGrouping.micros(decimalSeconds: ts)
            var files: [ChatFile] = []
            var names: [String] = []
            var fileObjects = JSONValue.objects(m["files"])
            if let f = JSONValue.object(m["file"]) { fileObjects.append(f) }
            for f in fileObjects {
                let id = JSONValue.nonEmpty(f["id"]) ?? ""
                let n = JSONValue.nonEmpty(f["name"]) ?? JSONValue.nonEmpty(f["title"]) ?? id
                guard !n.isEmpty, !names.contains(n) else { continue }
                names.append(n)
                if let (rel, url) = locate(id: id, name: n), usedSet.insert(rel).inserted {
                    usedFiles.append(rel)
                    files.append(ChatFile(name: n, url: url))
                }
            }
            var message = ChatMessage(id: ts, time: micros.flatMap(ChatGrouping.iso) ?? "", sender: sender(m),
                                      text: text(m), type: Self.type(subtype), attachments: names)
            if let thread = JSONValue.nonEmpty(m["thread_ts"]), thread != ts { message.threadOf = thread }
            if subtype == "tombstone" || JSONValue.bool(m["is_deleted"]) { message.deleted = true }
            if !ts.isEmpty, byTS[ts] == nil { byTS[ts] = messages.count }
            messages.append(PendingChatMessage(message: message, micros: micros, files: files))
        }

        /// Exports that include files put them at `__uploads/<id>/<name>` (slackdump) or
        /// `<conversation>/attachments/<id>-<name>` (older slackdump and export tools).
        func locate(id: String, name: String) -> (String, URL)? {
            guard !id.isEmpty, !id.contains("/"), !name.contains("/"), id != "..", name != ".." else { return nil }
            for rel in ["__uploads/\(id)/\(name)", "\(folder)/attachments/\(id)-\(name)"] {
                let u = exportRoot.appendingPathComponent(rel)
                if ExportStaging.isRegularFile(u) { return (rel, u) }
            }
            return nil
        }

        static func type(_ subtype: String) -> String {
            switch subtype {
            case "": return "message"
            case "thread_broadcast", "me_message", "reply_broadcast", "tombstone": return "message"
            case "bot_message": return "bot"
            case "channel_join", "group_join": return "join"
            case "channel_leave", "group_leave": return "leave"
            case "file_share", "file_comment", "file_mention": return "file"
            case "huddle_thread", "sh_room_created", "sh_room_shared": return "call"
            default: return "system"
            }
        }

        func sender(_ m: [String: Any]) -> Address {
            if let id = JSONValue.nonEmpty(m["user"]) {
                if let u = users[id] { return u.address }
                if let p = JSONValue.object(m["user_profile"]) {
                    let n = JSONValue.nonEmpty(p["real_name"]) ?? JSONValue.nonEmpty(p["display_name"]) ?? JSONValue.nonEmpty(p["name"]) ?? ""
                    return Address(name: n, address: JSONValue.nonEmpty(p["name"]) ?? id)
                }
                return Address(name: "", address: id)
            }
            let bot = JSONValue.nonEmpty(m["username"]) ?? JSONValue.nonEmpty(JSONValue.object(m["bot_profile"])?["name"]) ?? ""
            return Address(name: bot, address: JSONValue.nonEmpty(m["bot_id"]) ?? "")
        }

        /// The message's text with mentions and links made readable. Integrations often post
        /// only attachments; their text is the message then.
        func text(_ m: [String: Any]) -> String {
            var t = JSONValue.string(m["text"]) ?? ""
            if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                let parts = JSONValue.objects(m["attachments"]).map { a -> String in
                    let pieces = ["pretext", "title", "text"].compactMap { JSONValue.nonEmpty(a[$0]) }
                    return pieces.isEmpty ? (JSONValue.string(a["fallback"]) ?? "") : pieces.joined(separator: "\n")
                }.filter { !$0.isEmpty }
                t = parts.joined(separator: "\n")
            }
            return SlackText.render(t, users: users, channels: channels)
        }
    }
}

/// Slack's message markup: `<@U123>` mentions, `<#C123|general>` channels, `<!here>`,
/// `<https://x|label>` links, and `&lt; &gt; &amp;` escapes.
enum SlackText {
    static func render(_ s: String, users: [String: SlackReader.User], channels: [String: String]) -> String {
        guard s.contains("<") || s.contains("&") else { return s }
        var out = ""
        var rest = s[...]
        while let lt = rest.firstIndex(of: "<") {
            out += unescape(rest[..<lt])
            guard let gt = rest[lt...].firstIndex(of: ">") else { break }
            out += token(rest[rest.index(after: lt)..<gt], users: users, channels: channels)
            rest = rest[rest.index(after: gt)...]
        }
        out += unescape(rest)
        return out
    }

    static func token(_ inner: Substring, users: [String: SlackReader.User], channels: [String: String]) -> String {
        let bar = inner.firstIndex(of: "|")
        let target = String(bar.map { inner[..<$0] } ?? inner)
        let label = bar.map { unescape(inner[inner.index(after: $0)...]) }
        if target.hasPrefix("@") {
            let id = String(target.dropFirst())
            if let a = users[id]?.address { return "@" + SlackReader.displayName(a, id: id) }
            return "@" + (label ?? id)
        }
        if target.hasPrefix("#") {
            let id = String(target.dropFirst())
            return "#" + (label ?? channels[id] ?? id)
        }
        if target.hasPrefix("!") {
            if let l = label { return l }
            let word = target.dropFirst().split(separator: "^").first.map(String.init) ?? ""
            return "@" + word
        }
        let url = unescape(target[...])
        let plain = url.hasPrefix("mailto:") ? String(url.dropFirst(7)) : url
        guard let l = label, !l.isEmpty, l != url, l != plain else { return plain }
        return "\(l) (\(plain))"
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("&") else { return String(s) }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
