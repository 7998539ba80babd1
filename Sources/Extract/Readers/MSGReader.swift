import DiscloseCore
import Foundation
import OLEKit

/// Outlook .msg files: an OLE2 compound file of MAPI properties. The message is converted
/// to RFC 5322 (or iCalendar / vCard / text for other item classes) and takes the .msg's
/// place: one .msg file is one item, read by the reader of what it became.
public struct MSGReader: Reader {
    public let name = "msg"
    public let mediaTypes = ["application/vnd.ms-outlook"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory, input.head.starts(with: OLEFile.magic) else { return 0 }
        // Other compound files (.doc, .xls, Thumbs.db) stay files.
        guard let ole = try? OLEFile(path: input.url.path), ole.root.has("__properties_version1.0") else { return 0 }
        return 95
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let ole: OLEFile
        do { ole = try OLEFile(path: input.url.path) } catch { throw ReadFailure("cannot open .msg: \(error)") }
        var message = try MSGParser.message(ole.root)
        message.applyCodePage()
        try OutlookDispatch.replace(input, with: message, context)
    }
}

/// The .msg layout (MS-OXMSG): `__properties_version1.0` holds fixed-size values and the sizes
/// of the rest, each variable value is a `__substg1.0_IIIITTTT` stream, recipients and
/// attachments are `__recip_version1.0_#N` / `__attach_version1.0_#N` storages, an embedded
/// message is the `__substg1.0_3701000D` storage of its attachment, and named properties are
/// mapped through `__nameid_version1.0` at the root.
enum MSGParser {
    static let maxObjects = 10_000
    static let maxStream: Int64 = 512 << 20

    static func message(_ root: OLEStorage) throws -> MAPIMessageData {
        guard root.has("__properties_version1.0") else { throw ReadFailure("not an Outlook message: no property stream") }
        var warnings: [String] = []
        let names = nameMap(root, warnings: &warnings)
        var m = message(root, headerSize: 32, names: names, depth: 0, warnings: &warnings)
        m.warnings = warnings + m.warnings
        return m
    }

    static func message(_ s: OLEStorage, headerSize: Int, names: [UInt16: MAPIName], depth: Int,
                        warnings: inout [String]) -> MAPIMessageData {
        let entries = s.entries
        var m = MAPIMessageData(props: props(s, entries: entries, headerSize: headerSize, names: names, warnings: &warnings))
        let recips = entries.filter { $0.isStorage && $0.name.hasPrefix("__recip_version1.0_#") }.map(\.name).sorted()
        let attachs = entries.filter { $0.isStorage && $0.name.hasPrefix("__attach_version1.0_#") }.map(\.name).sorted()
        if recips.count > maxObjects || attachs.count > maxObjects {
            warnings.append("\(recips.count) recipients / \(attachs.count) attachments claimed; only the first \(maxObjects) read")
        }
        for name in recips.prefix(maxObjects) {
            guard let r = s.storage(name) else { warnings.append("\(name) unreadable"); continue }
            m.recipients.append(props(r, entries: r.entries, headerSize: 8, names: names, warnings: &warnings))
        }
        for name in attachs.prefix(maxObjects) {
            guard let a = s.storage(name) else { warnings.append("\(name) unreadable"); continue }
            m.attachments.append(attachment(a, names: names, depth: depth, warnings: &warnings))
        }
        return m
    }

    static func attachment(_ s: OLEStorage, names: [UInt16: MAPIName], depth: Int, warnings: inout [String]) -> MAPIAttachmentData {
        let entries = s.entries
        var a = MAPIAttachmentData(props: props(s, entries: entries, headerSize: 8, names: names, warnings: &warnings))
        if let v = a.props.values.removeValue(forKey: Tag.attachData), v.type == MAPIType.binary {
            a.data = v.bytes
        }
        if let obj = s.storage("__substg1.0_3701000D") {
            if obj.has("__properties_version1.0") {
                if depth + 1 > MAPIMessage.maxDepth {
                    a.note = "embedded message nested deeper than \(MAPIMessage.maxDepth) levels; not read"
                } else {
                    a.embedded = message(obj, headerSize: 24, names: names, depth: depth + 1, warnings: &warnings)
                }
            } else {
                // An OLE object (attach method 6): its native data is one of these streams.
                for stream in ["CONTENTS", "Package", "\u{1}Ole10Native"] {
                    guard let d = try? obj.stream(stream, limit: maxStream) else { continue }
                    a.data = stream == "\u{1}Ole10Native" ? ole10Native([UInt8](d)) : [UInt8](d)
                    break
                }
                if a.data == nil { a.note = "embedded OLE object without a native data stream; not extracted" }
            }
        }
        return a
    }

    /// An Ole10Native stream: total size, then (for packages) label, path, and the file bytes.
    static func ole10Native(_ b: [UInt8]) -> [UInt8] {
        guard b.count > 6 else { return b }
        var o = 6  // size (4) + flags (2)
        func cstr() -> Bool {
            guard let z = b[o...].firstIndex(of: 0) else { return false }
            o = z + 1
            return true
        }
        guard cstr(), cstr(), o + 8 <= b.count else { return Array(b.dropFirst(4)) }
        o += 4  // flags, unknown
        let cmd = Int(LE.u32(b, o))
        o += 4
        guard cmd >= 0, o + cmd + 4 <= b.count else { return Array(b.dropFirst(4)) }
        o += cmd
        let size = Int(LE.u32(b, o))
        o += 4
        guard size >= 0, o + size <= b.count else { return Array(b.dropFirst(4)) }
        return Array(b[o..<o + size])
    }

    static func props(_ s: OLEStorage, entries: [OLEStorage.Entry], headerSize: Int, names: [UInt16: MAPIName],
                      warnings: inout [String]) -> MAPIProps {
        var p = MAPIProps()
        func store(_ id: UInt16, _ v: MAPIValue) {
            if id >= 0x8000 {
                if let n = names[id] { p.set(n, v) }
            } else {
                p.set(id, v)
            }
        }
        var seen = Set<UInt32>()
        if let stream = try? s.stream("__properties_version1.0", limit: 64 << 20) {
            let b = [UInt8](stream)
            var o = headerSize
            while o + 16 <= b.count {
                let tag = LE.u32(b, o)
                let type = UInt16(tag & 0xFFFF), id = UInt16(tag >> 16)
                if let size = MAPIType.fixedSize(type), size <= 8, type & MAPIType.multi == 0 {
                    store(id, MAPIValue(type: type, bytes: Array(b[o + 8..<o + 8 + size])))
                    seen.insert(tag)
                }
                o += 16
            }
        } else {
            warnings.append("property stream unreadable in \(s.name.isEmpty ? "message" : s.name)")
        }
        // Variable-size values live in their own streams; read every one that is there, listed
        // in the property stream or not.
        for e in entries where !e.isStorage && e.name.hasPrefix("__substg1.0_") {
            let hex = e.name.dropFirst("__substg1.0_".count)
            guard hex.count == 8, let tag = UInt32(hex, radix: 16) else { continue }
            let type = UInt16(tag & 0xFFFF), id = UInt16(tag >> 16)
            if seen.contains(tag) { continue }
            do {
                guard let d = try s.stream(e.name, limit: maxStream) else { continue }
                let bytes = [UInt8](d)
                if type & MAPIType.multi != 0 {
                    store(id, MAPIValue(type: type, bytes: bytes, values: multiValues(s, entries: entries, base: e.name, type: type, bytes: bytes)))
                } else {
                    store(id, MAPIValue(type: type, bytes: bytes))
                }
            } catch {
                warnings.append("property 0x\(hex) unreadable: \(error)")
            }
        }
        return p
    }

    /// Multi-valued variable properties keep one stream per value (`…-0000000N`); fixed ones
    /// keep all values in the base stream.
    static func multiValues(_ s: OLEStorage, entries: [OLEStorage.Entry], base: String, type: UInt16, bytes: [UInt8]) -> [[UInt8]] {
        let single = type & 0x0FFF
        if let size = MAPIType.fixedSize(single), size > 0 {
            return stride(from: 0, to: bytes.count - size + 1, by: size).map { Array(bytes[$0..<$0 + size]) }
        }
        let prefix = base + "-"
        return entries.filter { !$0.isStorage && $0.name.hasPrefix(prefix) }.map(\.name).sorted()
            .prefix(maxObjects).compactMap { (try? s.stream($0, limit: maxStream)).flatMap { $0.map { [UInt8]($0) } } }
    }

    /// `__nameid_version1.0`: GUID stream, entry stream (8 bytes per named property: name offset
    /// or LID, then GUID index and kind, then property index), and string stream.
    static func nameMap(_ root: OLEStorage, warnings: inout [String]) -> [UInt16: MAPIName] {
        guard let n = root.storage("__nameid_version1.0") else { return [:] }
        let guids = (try? n.stream("__substg1.0_00020102", limit: 16 << 20)).flatMap { $0 }.map { [UInt8]($0) } ?? []
        let entries = (try? n.stream("__substg1.0_00030102", limit: 16 << 20)).flatMap { $0 }.map { [UInt8]($0) } ?? []
        let strings = (try? n.stream("__substg1.0_00040102", limit: 16 << 20)).flatMap { $0 }.map { [UInt8]($0) } ?? []
        var map: [UInt16: MAPIName] = [:]
        var o = 0
        while o + 8 <= entries.count {
            let value = LE.u32(entries, o)
            let indexKind = LE.u32(entries, o + 4)
            o += 8
            let isString = indexKind & 1 == 1
            let guidIndex = Int((indexKind >> 1) & 0x7FFF)
            let propIndex = Int(indexKind >> 16)
            guard propIndex < 0x8000 else { continue }
            let guid: String
            switch guidIndex {
            case 1: guid = PropertySet.mapi
            case 2: guid = PropertySet.publicStrings
            case 0: continue
            default:
                let g = (guidIndex - 3) * 16
                guard g >= 0, g + 16 <= guids.count else { continue }
                guid = MAPIName.guidString(Array(guids[g..<g + 16]))
            }
            let id = UInt16(0x8000 + propIndex)
            if isString {
                let so = Int(value)
                guard so >= 0, so + 4 <= strings.count else { continue }
                let len = Int(LE.u32(strings, so))
                guard len >= 0, so + 4 + len <= strings.count else { continue }
                map[id] = MAPIName(guid: guid, name: MAPIText.utf16(Array(strings[so + 4..<so + 4 + len])))
            } else {
                map[id] = MAPIName(guid: guid, lid: value)
            }
        }
        return map
    }
}

/// How converted Outlook items go back to the dispatcher; shared by the .msg, PST and TNEF readers.
enum OutlookDispatch {
    /// The input becomes its conversion under the same key (a .msg given or attached).
    static func replace(_ input: Input, with message: MAPIMessageData, _ context: ExtractContext) throws {
        let rendering = MAPIMessage.render(message)
        var name = input.name
        if rendering.kind != .email {
            let base = PathName.deletingExtension(input.name)
            name = (base.isEmpty ? rendering.name : base + "." + PathName.fileExtension(rendering.name))
        }
        let d = try context.storeBlob(rendering.bytes)
        let child = Input(url: context.blobs.url(for: d.sha256), name: name, path: input.path, key: input.key,
                          parentKey: input.parentKey, folder: input.folder, digests: d, isDirectory: false,
                          declaredType: rendering.declaredType, depth: input.depth + 1)
        try hand(rendering, child, context)
        try loose(rendering, under: input.key, parentKey: input.parentKey, path: input.path, folder: input.folder,
                  depth: input.depth + 1, context)
        try report(rendering.warnings, key: input.key, parentKey: input.parentKey, path: input.path, context)
    }

    /// Mail and events go back to the dispatcher for their readers. Contacts and task/note
    /// texts are recorded as files here: their `NAME:value` lines would otherwise be taken for
    /// a header block by the mail sniffer.
    static func hand(_ r: MAPIRendering, _ child: Input, _ context: ExtractContext) throws {
        var c = child
        switch r.kind {
        case .contact, .text: try context.emit(&c, kind: .file, format: "file")
        case .email, .calendar: try context.dispatch(c)
        }
    }

    /// Attachments of appointments, contacts and tasks: children of the rendered item when it
    /// became one, else of whatever it belonged to.
    static func loose(_ r: MAPIRendering, under key: String, parentKey: String?, path: String, folder: String,
                      depth: Int, _ context: ExtractContext) throws {
        guard !r.looseAttachments.isEmpty else { return }
        let parent = context.hasEmitted(key) ? key : parentKey
        for (i, a) in r.looseAttachments.enumerated() {
            let childKey = DocKey.child(of: key, i + 1)
            let name = MAPIMessage.attachmentName(a, index: i + 1)
            let childPath = path + "!/" + name
            if let inner = a.embedded {
                let sub = MAPIMessage.render(inner, depth: 1)
                let d = try context.storeBlob(sub.bytes)
                let subName = MAPIMessage.embeddedName(a, index: i + 1, ext: PathName.fileExtension(sub.name))
                let child = Input(url: context.blobs.url(for: d.sha256), name: subName, path: childPath, key: childKey,
                                  parentKey: parent, folder: folder, digests: d, isDirectory: false,
                                  declaredType: sub.declaredType, depth: depth + 1)
                try hand(sub, child, context)
                try loose(sub, under: childKey, parentKey: parent, path: childPath, folder: folder, depth: depth + 1, context)
            } else if let data = a.data {
                let d = try context.storeBlob(Data(data))
                let child = Input(url: context.blobs.url(for: d.sha256), name: name, path: childPath, key: childKey,
                                  parentKey: parent, folder: folder, digests: d, isDirectory: false,
                                  declaredType: nil, depth: depth + 1)
                try context.dispatch(child)
            } else {
                try context.exception(key: childKey, parentKey: parent, path: childPath,
                                      reason: "attachment \"\(name)\": \(a.note ?? "no data in the item")")
            }
        }
    }

    /// Damage met while converting is recorded against the item, after anything it produced.
    static func report(_ warnings: [String], key: String, parentKey: String?, path: String, _ context: ExtractContext) throws {
        let emitted = context.hasEmitted(key)
        for (i, w) in warnings.enumerated() {
            try context.exception(key: DocKey.damage(of: key, i), parentKey: emitted ? key : parentKey,
                                  path: path, reason: w)
        }
    }
}
