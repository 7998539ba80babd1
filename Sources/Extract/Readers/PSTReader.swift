import DiscloseCore
import Foundation
import PffKit

/// Outlook PST and OST files, through libpff. The folder tree is walked in libpff's order;
/// each item is converted (mail to RFC 5322, appointments to iCalendar, contacts to vCard,
/// tasks and notes to text) and handed to the dispatcher with its folder path. One message is
/// read at a time, so memory follows the largest message, not the file.
public struct PSTReader: Reader {
    public let name = "pst"
    public let mediaTypes = ["application/vnd.ms-outlook-pst"]
    /// Attachment bytes read into memory for one message (embedded messages included). Past
    /// it attachments are left out with a note: the message is converted in memory, and its
    /// base64 form must stay under the mail reader's 512 MiB limit.
    public let maxAttachmentBytes: Int64 = 360 << 20
    /// Folder nesting deeper than this is treated as a loop libpff did not see.
    public let maxFolderDepth = 128
    /// A folder whose items keep failing is given up after this many in a row.
    public let maxConsecutiveFailures = 500

    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        return input.head.starts(with: Array("!BDN".utf8)) ? 100 : 0
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let file: PffFile
        do { file = try PffFile(path: input.url.path) } catch {
            throw ReadFailure("cannot open PST/OST: \(error)")
        }
        var parent = input.parentKey
        if input.parentKey != nil {
            let item = try context.emit(&input, kind: .container, format: "pst")
            parent = item.key
        }
        var walk = Walk(reader: self, input: input, parent: parent, context: context)
        guard let root = try? file.rootFolder() else {
            try walk.exception(path: input.path, "no readable root folder (file damaged)")
            return
        }
        try walk.folder(root, path: "", depth: 0)
        try walk.recovered(file)
    }

    /// The state of one walk: the running item number and what was already seen.
    struct Walk {
        let reader: PSTReader
        let input: Input
        let parent: String?
        let context: ExtractContext
        var ordinal = 0
        var visitedFolders = Set<UInt32>()
        /// The fallback property reader, opened the first time libpff refuses an item.
        let raw: LazyRaw
        var seenMessages = Set<UInt32>()

        init(reader: PSTReader, input: Input, parent: String?, context: ExtractContext) {
            self.reader = reader; self.input = input; self.parent = parent; self.context = context
            raw = LazyRaw(path: input.url.path)
        }

        mutating func nextKey() -> String {
            ordinal += 1
            return DocKey.child(of: input.key, ordinal)
        }

        mutating func exception(path: String, _ reason: String) throws {
            let key = nextKey()
            try context.exception(key: key, parentKey: parent, path: path, reason: reason)
        }

        mutating func folder(_ f: PffItem, path: String, depth: Int) throws {
            if let id = f.identifier {
                guard visitedFolders.insert(id).inserted else {
                    try exception(path: input.path + "!/" + path, "folder \(id) met a second time (a loop or a duplicate link in the folder tree); not walked again")
                    return
                }
            }
            guard depth <= reader.maxFolderDepth else {
                try exception(path: input.path + "!/" + path, "folders nested more than \(reader.maxFolderDepth) deep; not walked")
                return
            }
            let count: Int
            do { count = try f.messageCount() } catch {
                try exception(path: input.path + "!/" + path, "folder's message table unreadable: \(error)")
                count = 0
            }
            var failures = 0
            for i in 0..<max(0, count) {
                let key = nextKey()
                let itemPath = input.path + "!/" + (path.isEmpty ? "" : path + "/") + String(ordinal)
                do {
                    let m = try f.message(i)
                    if let id = m.identifier { seenMessages.insert(id) }
                    try convert(m, key: key, path: itemPath, folder: path)
                    failures = 0
                } catch let e as DiscloseError {
                    throw e
                } catch {
                    try context.exception(key: key, parentKey: parent, path: itemPath, reason: "item unreadable: \(error)")
                    failures += 1
                    if failures >= reader.maxConsecutiveFailures, i + 1 < count {
                        try exception(path: input.path + "!/" + path,
                                      "\(failures) items in a row unreadable; the remaining \(count - i - 1) of this folder were not tried")
                        break
                    }
                }
            }
            let subCount: Int
            do { subCount = try f.subFolderCount() } catch {
                try exception(path: input.path + "!/" + path, "sub-folder table unreadable: \(error)")
                return
            }
            var folderFailures = 0
            for i in 0..<max(0, subCount) {
                let sub: PffItem
                do { sub = try f.subFolder(i) } catch {
                    try exception(path: input.path + "!/" + path, "sub-folder \(i + 1) unreadable: \(error)")
                    folderFailures += 1
                    if folderFailures >= reader.maxConsecutiveFailures, i + 1 < subCount {
                        try exception(path: input.path + "!/" + path,
                                      "\(folderFailures) sub-folders in a row unreadable; the remaining \(subCount - i - 1) were not tried")
                        break
                    }
                    continue
                }
                folderFailures = 0
                let name = Self.folderComponent(sub.folderName)
                let subPath = name.isEmpty ? path : (path.isEmpty ? name : path + "/" + name)
                try folder(sub, path: subPath, depth: depth + 1)
            }
        }

        /// Folder names become path components: no slashes or control characters.
        static func folderComponent(_ raw: String?) -> String {
            guard let raw else { return "" }
            let s = String(String.UnicodeScalarView(raw.unicodeScalars.map { $0 == "/" ? "_" : $0 }.filter { $0.value >= 0x20 }))
            return s.trimmingCharacters(in: .whitespaces)
        }

        func convert(_ m: PffItem, key: String, path: String, folder: String) throws {
            var data = try PSTMessage.read(m, maxAttachment: reader.maxAttachmentBytes, depth: 0, fallback: raw.get)
            data.applyCodePage()
            try dispatch(data, key: key, path: path, folder: folder)
        }

        func dispatch(_ data: MAPIMessageData, key: String, path: String, folder: String) throws {
            let rendering = MAPIMessage.render(data)
            let d = try context.storeBlob(rendering.bytes)
            let child = Input(url: context.blobs.url(for: d.sha256), name: rendering.name, path: path, key: key,
                              parentKey: parent, folder: folder, digests: d, isDirectory: false,
                              declaredType: rendering.declaredType, depth: input.depth + 1)
            try OutlookDispatch.hand(rendering, child, context)
            try OutlookDispatch.loose(rendering, under: key, parentKey: parent, path: path, folder: folder,
                                      depth: input.depth + 1, context)
            try OutlookDispatch.report(rendering.warnings, key: key, parentKey: parent, path: path, context)
        }

        /// Items libpff finds outside the folder tree (deleted but not yet overwritten). Those
        /// it can read and that hold something (a subject, a body or attachments) are produced
        /// under "(recovered)". Fragments it cannot read are not reported: they were never
        /// items of the folder tree, and every PST has some.
        mutating func recovered(_ file: PffFile) throws {
            let n: Int
            do { n = try file.recoverItems() } catch {
                try exception(path: input.path + "!/(recovered)", "recovery scan for deleted items failed: \(error)")
                return
            }
            for i in 0..<min(n, 1_000_000) {
                guard let item = try? file.recoveredItem(i) else { continue }
                if let id = item.identifier, seenMessages.contains(id) { continue }
                // Only messages: recovered folders and tables carry nothing to review.
                guard item.type != PffItemType.folder, item.type != PffItemType.attachment,
                      item.type != PffItemType.recipients else { continue }
                guard var data = try? PSTMessage.read(item, maxAttachment: reader.maxAttachmentBytes, depth: 0) else { continue }
                let cls = data.messageClass.lowercased()
                if cls.hasPrefix("ipm.configuration") || cls.hasPrefix("ipm.microsoft") { continue }
                let hasContent = !MAPIMessage.subject(data.props).isEmpty || data.props.value(Tag.body) != nil
                    || data.props.value(Tag.html) != nil || !data.attachments.isEmpty
                guard hasContent else { continue }
                if let id = item.identifier { seenMessages.insert(id) }
                let key = nextKey()
                let path = input.path + "!/(recovered)/" + String(ordinal)
                data.applyCodePage()
                try dispatch(data, key: key, path: path, folder: "(recovered)")
            }
        }
    }
}

final class LazyRaw {
    let path: String
    private var opened = false
    private var value: PSTRaw?
    init(path: String) { self.path = path }
    func get() -> PSTRaw? {
        if !opened { opened = true; value = PSTRaw(path: path) }
        return value
    }
}

/// libpff items to the shared MAPI model.
enum PSTMessage {
    final class Budget {
        var left: Int64
        init(_ left: Int64) { self.left = left }
    }

    static func read(_ m: PffItem, maxAttachment: Int64, depth: Int, fallback: (() -> PSTRaw?)? = nil) throws -> MAPIMessageData {
        try read(m, budget: Budget(maxAttachment), depth: depth, fallback: fallback)
    }

    static func read(_ m: PffItem, budget: Budget, depth: Int, fallback: (() -> PSTRaw?)? = nil) throws -> MAPIMessageData {
        var oversized: [UInt16] = []
        var list: [PffProperty]
        var rawTables: (recipients: Bool, attachments: Bool)? = nil
        do {
            list = try m.properties(oversized: &oversized)
        } catch {
            // libpff refuses items with a property type it does not know; read the property
            // context directly instead. Its tables then stay unread, which matters only if
            // the item has them.
            guard let raw = fallback?(), let id = m.identifier, let p = raw.properties(of: id) else { throw error }
            list = p
            rawTables = (raw.hasSubnode(of: id, 0x692), raw.hasSubnode(of: id, 0x671))
        }
        var data = MAPIMessageData(props: props(list))
        if data.props.isEmpty { throw ReadFailure("no properties") }
        if let t = rawTables {
            if t.recipients { data.warnings.append("recipient table not readable (libpff refuses this item); recipients missing") }
            if t.attachments { data.warnings.append("attachment table not readable (libpff refuses this item); attachments missing") }
            return data
        }
        for id in oversized { data.warnings.append(String(format: "property 0x%04X too large to read; left out", id)) }
        do {
            if let table = try m.recipientTable() {
                let sets = try table.recordSetCount()
                for s in 0..<min(sets, 100_000) {
                    var o: [UInt16] = []
                    let r = props(try table.properties(set: s, oversized: &o))
                    if !r.isEmpty { data.recipients.append(r) }
                }
            }
        } catch {
            data.warnings.append("recipient table unreadable: \(error)")
        }
        let count: Int
        do { count = try m.attachmentCount() } catch {
            data.warnings.append("attachment table unreadable: \(error)")
            count = 0
        }
        for i in 0..<min(max(0, count), 100_000) {
            do {
                let a = try m.attachment(i)
                var o: [UInt16] = []
                var att = MAPIAttachmentData(props: props(try a.properties(skip: [Tag.attachData], oversized: &o)))
                switch try a.attachmentKind() {
                case .item:
                    if depth + 1 > MAPIMessage.maxDepth {
                        att.note = "embedded message nested deeper than \(MAPIMessage.maxDepth) levels; not read"
                    } else if let inner = try a.attachedItem() {
                        // No fallback here: an embedded message's identifier is local to its
                        // parent, not a node of the file.
                        att.embedded = try read(inner, budget: budget, depth: depth + 1)
                    } else {
                        att.note = "embedded message missing"
                    }
                case .data:
                    let size = (try? a.attachmentSize()) ?? 0
                    if size > budget.left {
                        att.note = "\(size) bytes; left out because the message's attachments together pass the in-memory limit"
                    } else {
                        do {
                            let bytes = try a.attachmentData(limit: budget.left)
                            budget.left -= Int64(bytes.count)
                            att.data = bytes
                        } catch { att.note = "\(error)" }
                    }
                case .reference, .unknown:
                    break
                }
                data.attachments.append(att)
            } catch {
                data.warnings.append("attachment \(i + 1) unreadable: \(error)")
            }
        }
        return data
    }

    static func props(_ list: [PffProperty]) -> MAPIProps {
        var p = MAPIProps()
        for e in list {
            let v = MAPIValue(type: e.type, bytes: e.data, values: e.values)
            if let n = e.named {
                let guid = MAPIName.guidString(n.guid)
                if let lid = n.number { p.set(MAPIName(guid: guid, lid: lid), v) }
                else if let name = n.name { p.set(MAPIName(guid: guid, name: name), v) }
            } else if e.id < 0x8000 {
                p.set(e.id, v)
            }
        }
        return p
    }
}
