import DiscloseCore
import Foundation
import MIMEKit

/// Relativity Short Message Format: an .rsmf/.eml message with `X-RSMF-Version` whose
/// `rsmf.zip` attachment holds `rsmf_manifest.json` (participants, conversations, events) and
/// the events' files. Also read: that zip on its own and a bare manifest. The message's own
/// body is a rendering for mail clients; the manifest is the record, so it is what is read.
public struct RSMFReader: Reader {
    public let name = "rsmf"
    public let mediaTypes = ["message/rfc822", "application/vnd.relativity.rsmf"]
    public let maxMessageBytes: Int64 = 512 << 20
    public let maxManifestBytes: Int64 = 512 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        if Self.hasRSMFHeader(input.head), MIME.messageConfidence(head: input.head) > 0 { return 100 }
        if input.declaredType != nil { return 0 }
        if input.name.lowercased() == "rsmf_manifest.json" {
            return input.head.first(where: { !WickrReader.isSpace($0) }) == UInt8(ascii: "{") ? 90 : 0
        }
        guard let names = ExportStaging.entryNames(&input), names.contains("rsmf_manifest.json") else { return 0 }
        return 95
    }

    /// `X-RSMF-Version:` among the header lines (before the first blank line).
    static func hasRSMFHeader(_ head: [UInt8]) -> Bool {
        // Bytes, not Strings: this runs for every message the dispatcher sees.
        let needle = Array("x-rsmf-version:".utf8)
        var lineStart = 0
        while lineStart < head.count {
            var end = lineStart
            while end < head.count, head[end] != 0x0A { end += 1 }
            let len = end - lineStart
            if len == 0 || (len == 1 && head[lineStart] == 0x0D) { return false }
            if len >= needle.count {
                var ok = true
                for k in 0..<needle.count where head[lineStart + k] | (head[lineStart + k] >= 0x41 && head[lineStart + k] <= 0x5A ? 0x20 : 0) != needle[k] {
                    ok = false
                    break
                }
                if ok { return true }
            }
            lineStart = end + 1
        }
        return false
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        if Self.hasRSMFHeader(input.head) { return try readMessage(&input, context) }
        if input.name.lowercased() == "rsmf_manifest.json" {
            var ordinal = 0
            var used = Set<String>()
            let manifest = try JSONValue.load(input.url, limit: maxManifestBytes)
            try emit(manifest, root: nil, input: input, parentKey: input.parentKey, ordinal: &ordinal, used: &used, context)
            return
        }
        var parent = input.parentKey
        if input.parentKey != nil { parent = try context.emit(&input, kind: .container, format: "archive").key }
        var ordinal = 0
        try readZip(input, pathBase: input.path + "!/", parentKey: parent, context, ordinal: &ordinal)
    }

    func readMessage(_ input: inout Input, _ context: ExtractContext) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0
        guard size <= maxMessageBytes else { throw ReadFailure("message of \(size) bytes is over the \(maxMessageBytes)-byte limit") }
        let data: Data
        do { data = try Data(contentsOf: input.url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let message: MIMEMessage
        do { message = try MIME.parse(data) } catch { throw ReadFailure("corrupt message: \(error)") }
        guard let zipIndex = message.attachments.firstIndex(where: { $0.fileName.lowercased() == "rsmf.zip" })
            ?? message.attachments.firstIndex(where: { ArchiveFormatReader.magic([UInt8]($0.data.prefix(8))) == .zip }) else {
            // Says RSMF but carries no manifest: it is still a message, so read it as one.
            return try EmailReader().read(&input, context)
        }
        let zip = message.attachments[zipIndex]
        let d = try context.storeBlob(zip.data)
        let zipInput = Input(url: context.blobs.url(for: d.sha256), name: zip.fileName, path: input.path + "!/" + zip.fileName,
                             key: input.key, parentKey: input.parentKey, folder: input.folder, digests: d,
                             isDirectory: false, depth: input.depth)
        var ordinal = 0
        try readZip(zipInput, pathBase: zipInput.path + "!/", parentKey: input.parentKey, context, ordinal: &ordinal)
        // The wrapper's other parts (the rendered preview's images) go on as loose files.
        for (i, att) in message.attachments.enumerated() where i != zipIndex {
            ordinal += 1
            let ad = try context.storeBlob(att.data)
            let child = Input(url: context.blobs.url(for: ad.sha256), name: att.fileName,
                              path: input.path + "!/" + att.fileName, key: DocKey.child(of: input.key, ordinal),
                              parentKey: input.parentKey, folder: input.folder, digests: ad, isDirectory: false,
                              declaredType: att.isMessage ? "message/rfc822" : nil, depth: input.depth + 1)
            try context.dispatch(child)
        }
        for (i, loss) in message.losses.enumerated() {
            try context.exception(key: DocKey.damage(of: input.key, i), parentKey: input.parentKey,
                                  path: input.path + "!/(" + loss.section + ")", reason: loss.reason)
        }
    }

    func readZip(_ input: Input, pathBase: String, parentKey: String?, _ context: ExtractContext,
                 ordinal: inout Int) throws {
        let (scratch, unpackProblems) = try ExportStaging.unpack(input, context)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var problems = unpackProblems
        var used = Set<String>(["rsmf_manifest.json"])
        do {
            let manifest = try JSONValue.load(scratch.appendingPathComponent("rsmf_manifest.json"), limit: maxManifestBytes)
            try emit(manifest, root: scratch, input: input, parentKey: parentKey, ordinal: &ordinal, used: &used, context)
        } catch let e as ReadFailure {
            problems.append(ChatProblem(path: pathBase + "rsmf_manifest.json", reason: "RSMF manifest: \(e)"))
            used.remove("rsmf_manifest.json")
        }
        let (all, refused) = ExportStaging.files(under: scratch)
        try ExportStaging.dispatchLeftovers(all.filter { !used.contains($0) }, root: scratch, input: input,
                                            pathBase: pathBase, parentKey: parentKey, ordinal: &ordinal, context)
        for r in refused { problems.append(ChatProblem(path: pathBase + r.path, reason: r.reason)) }
        try ChatGrouping.record(problems, input: input, parentKey: parentKey, ordinal: &ordinal, context)
    }

    func emit(_ manifest: Any, root: URL?, input: Input, parentKey: String?, ordinal: inout Int,
              used: inout Set<String>, _ context: ExtractContext) throws {
        guard let m = manifest as? [String: Any] else { throw ReadFailure("the manifest is not a JSON object") }
        let conversations = Self.conversations(m, root: root, used: &used)
        guard !conversations.isEmpty else { throw ReadFailure("the manifest has no events") }
        for (platform, conv) in conversations {
            try ChatGrouping.emit(platform: platform, format: "rsmf-day", conv, input: input, parentKey: parentKey,
                                  ordinal: &ordinal, context)
        }
    }

    /// The manifest's events by conversation, in the order the manifest lists conversations.
    /// An event naming a conversation the manifest does not list gets one named by that id;
    /// events naming none share "RSMF events", so no event is dropped.
    static func conversations(_ m: [String: Any], root: URL?, used: inout Set<String>) -> [(String, PendingConversation)] {
        var people: [String: Address] = [:]
        var avatars: [String] = []
        for p in JSONValue.objects(m["participants"]) {
            guard let id = JSONValue.nonEmpty(p["id"]) else { continue }
            let display = JSONValue.string(p["display"]) ?? ""
            people[id] = Address(name: display, address: JSONValue.nonEmpty(p["email"]) ?? JSONValue.nonEmpty(p["account_id"]) ?? id)
            if let a = JSONValue.nonEmpty(p["avatar"]) { avatars.append(a) }
        }
        // Avatars are pictures of the participants, not messages' content: not produced.
        for a in avatars { if let rel = ExportStaging.safeRelative(a) { used.insert(rel) } }
        func person(_ id: String?) -> Address {
            guard let id, !id.isEmpty else { return Address(name: "", address: "") }
            return people[id] ?? Address(name: "", address: id)
        }

        var order: [String] = []
        var convs: [String: (String, PendingConversation)] = [:]
        for c in JSONValue.objects(m["conversations"]) {
            guard let id = JSONValue.nonEmpty(c["id"]), convs[id] == nil else { continue }
            let members = JSONValue.strings(c["participants"]).map { person($0) }
            convs[id] = (JSONValue.nonEmpty(c["platform"]) ?? "rsmf",
                         PendingConversation(name: JSONValue.nonEmpty(c["display"]) ?? id, members: members, messages: []))
            order.append(id)
        }
        let unlisted = "\u{0}unlisted"
        for (n, e) in JSONValue.objects(m["events"]).enumerated() {
            var convID = JSONValue.nonEmpty(e["conversation"]) ?? unlisted
            if convs[convID] == nil {
                if convID != unlisted {
                    convs[convID] = ("rsmf", PendingConversation(name: convID, members: [], messages: []))
                    order.append(convID)
                } else {
                    convID = unlisted
                    if convs[unlisted] == nil {
                        convs[unlisted] = ("rsmf", PendingConversation(name: "RSMF events", members: [], messages: []))
                        order.append(unlisted)
                    }
                }
            }
            let micros = JSONValue.string(e["timestamp"]).flatMap(ChatGrouping.micros(isoLike:))
            let type: String
            switch JSONValue.string(e["type"]) ?? "message" {
            case "message": type = "message"
            case "join": type = "join"
            case "leave": type = "leave"
            default: type = "system"
            }
            var msg = ChatMessage(id: JSONValue.nonEmpty(e["id"]) ?? "event-\(n + 1)", time: "",
                                  sender: person(JSONValue.nonEmpty(e["participant"])), text: JSONValue.string(e["body"]) ?? "",
                                  type: type, deleted: JSONValue.bool(e["deleted"]),
                                  threadOf: JSONValue.nonEmpty(e["parent"]) ?? "")
            // Versions before the body: each edit's `previous`, written when the one before it was.
            let edits = JSONValue.objects(e["edits"]).map { ed in
                (ChatGrouping.micros(isoLike: JSONValue.string(ed["timestamp"]) ?? ""), JSONValue.string(ed["previous"]) ?? "")
            }.enumerated().sorted { ($0.element.0 ?? .max, $0.offset) < ($1.element.0 ?? .max, $1.offset) }.map(\.element)
            var written = micros
            for (when, previous) in edits {
                msg.edits.append(ChatEdit(time: written.flatMap(ChatGrouping.iso) ?? "", text: previous))
                written = when
            }
            var files: [ChatFile] = []
            var atts = JSONValue.objects(e["attachments"]).map { (JSONValue.nonEmpty($0["id"]), JSONValue.nonEmpty($0["display"])) }
            if let single = JSONValue.nonEmpty(e["attachment"]) { atts.append((single, nil)) }
            for (id, display) in atts {
                guard let shown = display ?? id else { continue }
                msg.attachments.append(shown)
                if let root, let id, let rel = ExportStaging.safeRelative(id), !used.contains(rel),
                   ExportStaging.isRegularFile(root.appendingPathComponent(rel)) {
                    used.insert(rel)
                    files.append(ChatFile(name: shown, url: root.appendingPathComponent(rel)))
                }
            }
            convs[convID]?.1.messages.append(PendingChatMessage(message: msg, micros: micros, files: files))
        }
        return order.compactMap { convs[$0] }.filter { !$0.1.messages.isEmpty }
    }
}
