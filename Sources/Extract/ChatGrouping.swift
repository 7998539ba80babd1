import ArchiveKit
import DiscloseCore
import Foundation

/// A file of a chat message that is present in the export (not only named).
struct ChatFile: Equatable {
    var name: String
    var url: URL
}

/// A message on its way into a conversation-day. `micros` is the UTC instant in microseconds
/// since 1970; nil when the source gives no usable time (such messages go to an "undated" day
/// rather than being dropped).
struct PendingChatMessage {
    var message: ChatMessage
    var micros: Int64?
    var files: [ChatFile] = []
}

struct PendingConversation {
    /// Display name: used as the item's folder, in its name and its path.
    var name: String
    /// Members the export lists, whether or not they wrote anything.
    var members: [Address]
    var messages: [PendingChatMessage]
}

/// Something in an export that could not be read; recorded after the items so that the
/// ordinals of the conversation-days do not depend on where in the export the damage is.
struct ChatProblem {
    var path: String
    var reason: String
}

/// Splits conversations into conversation-days and records them, with their files, as items.
/// Every chat reader goes through here so that keys, names, ordering and families are the same
/// whatever the platform.
enum ChatGrouping {
    static let undatedDay = "undated"

    /// Emits one `.chat` item per UTC day of `conversation`, numbering them from `ordinal + 1`
    /// under `input.key`. Files present in the export are dispatched as children of their day.
    /// `format` defaults to `<platform>-day`; RSMF keeps the platform it wraps (skype, slack…)
    /// in the ChatDay and says "rsmf-day" in the item.
    static func emit(platform: String, format: String? = nil, _ conversation: PendingConversation, input: Input,
                     parentKey: String?, ordinal: inout Int, _ context: ExtractContext) throws {
        guard !conversation.messages.isEmpty else { return }
        // Stable: equal instants keep source order; undated messages go last.
        let ordered = conversation.messages.enumerated().sorted { a, b in
            switch (a.element.micros, b.element.micros) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return false
            case (_, nil): return true
            }
        }.map(\.element)

        var days: [(String, [PendingChatMessage])] = []
        for var m in ordered {
            let day: String
            if let t = m.micros, let iso = Self.iso(t) {
                m.message.time = iso
                day = String(iso.prefix(10))
            } else {
                m.message.time = ""
                day = undatedDay
            }
            if days.last?.0 == day { days[days.count - 1].1.append(m) } else { days.append((day, [m])) }
        }

        let safeName = Self.fileSafe(conversation.name)
        for (day, messages) in days {
            var participants: [Address] = []
            var seen = Set<Address>()
            for a in conversation.members + messages.map(\.message.sender) where !(a.name.isEmpty && a.address.isEmpty) {
                if seen.insert(a).inserted { participants.append(a) }
            }
            let chatDay = ChatDay(platform: platform, conversation: conversation.name, day: day,
                                  participants: participants, messages: messages.map(\.message))
            let digests = try context.storeBlob(chatDay.json())
            ordinal += 1
            var dayInput = Input(url: context.blobs.url(for: digests.sha256), name: "\(safeName) \(day).json",
                                 path: input.path + "!/" + conversation.name + "/" + day,
                                 key: DocKey.child(of: input.key, ordinal), parentKey: parentKey,
                                 folder: conversation.name, digests: digests, isDirectory: false,
                                 declaredType: nil, depth: input.depth + 1)
            let item = try context.emit(&dayInput, kind: .chat, format: format ?? "\(platform)-day")
            var fileOrdinal = 0
            for m in messages {
                for f in m.files {
                    fileOrdinal += 1
                    let child = Input(url: f.url, name: f.name, path: dayInput.path + "!/" + f.name,
                                      key: DocKey.child(of: item.key, fileOrdinal), parentKey: item.key,
                                      folder: conversation.name, digests: nil, isDirectory: false,
                                      declaredType: nil, depth: input.depth + 2)
                    try context.dispatch(child)
                }
            }
        }
    }

    static func record(_ problems: [ChatProblem], input: Input, parentKey: String?, ordinal: inout Int,
                       _ context: ExtractContext) throws {
        for p in problems {
            ordinal += 1
            try context.exception(key: DocKey.child(of: input.key, ordinal), parentKey: parentKey, path: p.path,
                                  reason: p.reason)
        }
    }

    static func fileSafe(_ name: String) -> String {
        let cleaned = String(name.map { $0 == "/" || $0 == "\\" || $0 == "\0" || $0.isNewline ? "_" : $0 })
        return cleaned.isEmpty ? "conversation" : cleaned
    }

    // MARK: - Time

    /// Year bounds keep hostile timestamps from overflowing the arithmetic below.
    static let minMicros: Int64 = -62_135_596_800_000_000  // 0001-01-01
    static let maxMicros: Int64 = 253_402_300_799_000_000  // 9999-12-31T23:59:59

    /// `2024-03-05T14:24:00Z` for an instant in microseconds since 1970.
    static func iso(_ micros: Int64) -> String? {
        guard micros >= minMicros, micros <= maxMicros else { return nil }
        let secs = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = Int(secs - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    /// Howard Hinnant's days-from-civil, so no calendar or time zone of the machine is involved.
    static func days(year: Int, month: Int, day: Int) -> Int64 { Int64(CivilDate.days(year: year, month: month, day: day)) }

    static func civil(fromDays z0: Int64) -> (Int, Int, Int) { let c = CivilDate.civil(days: Int(z0)); return (c.year, c.month, c.day) }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        }
    }

    /// Microseconds for a civil UTC time; nil when any field is out of range.
    static func micros(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                       micro: Int = 0) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (0..<1_000_000).contains(micro) else { return nil }
        let s = days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        return s * 1_000_000 + Int64(micro)
    }

    /// `1452837318.000002` (Slack `ts`, Wickr `msg_ts`) to microseconds, exactly: no Double.
    static func micros(decimalSeconds s: String) -> Int64? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, let secs = Int64(whole) else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            let f = parts[1].prefix(6)
            guard f.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            frac = Int64(f + String(repeating: "0", count: 6 - f.count)) ?? 0
        }
        let m = secs * 1_000_000 + (secs < 0 ? -frac : frac)
        return (minMicros...maxMicros).contains(m) ? m : nil
    }

    /// Seconds as a JSON number or a string.
    static func micros(secondsValue v: Any?) -> Int64? {
        if let s = v as? String { return micros(decimalSeconds: s) }
        if let n = v as? NSNumber {
            let d = n.doubleValue
            guard d.isFinite, abs(d) < 253_402_300_799 else { return nil }
            return Int64((d * 1_000_000).rounded())
        }
        return nil
    }

    /// An integer epoch whose unit is guessed from its size (compliance archives write seconds,
    /// milliseconds or microseconds): anything past the year 5138 in seconds is read as ms, etc.
    static func micros(epoch value: Int64) -> Int64? {
        let a = value.magnitude
        let m: Int64
        if a < 100_000_000_000 { m = value.multipliedReportingOverflow(by: 1_000_000).partialValue }
        else if a < 100_000_000_000_000 { m = value * 1_000 }
        else if a < 100_000_000_000_000_000 { m = value }
        else { return nil }
        return (minMicros...maxMicros).contains(m) ? m : nil
    }

    /// ISO 8601 and the near-misses chat archives write: `2023-08-04 19:10:58.901`,
    /// `2008-06-04T20:15:40.9535482Z`, `2024-01-02T10:11:12+02:00`. No zone means UTC.
    static func micros(isoLike s: String) -> Int64? {
        let u = Array(s.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func num(_ width: Int) -> Int? {
            guard i + width <= u.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                guard u[k] >= 48, u[k] <= 57 else { return nil }
                v = v * 10 + Int(u[k] - 48)
            }
            i += width
            return v
        }
        func eat(_ c: UInt8) -> Bool { if i < u.count, u[i] == c { i += 1; return true }; return false }
        guard let y = num(4), eat(45), let mo = num(2), eat(45), let d = num(2) else { return nil }
        var h = 0, mi = 0, se = 0, micro = 0
        if i < u.count, u[i] == 84 || u[i] == 116 || u[i] == 32 {
            i += 1
            guard let hh = num(2), eat(58), let mm = num(2) else { return nil }
            h = hh; mi = mm
            if eat(58) { guard let ss = num(2) else { return nil }; se = ss }
            if eat(46) || eat(44) {
                var digits = 0, frac = 0
                while i < u.count, u[i] >= 48, u[i] <= 57 {
                    if digits < 6 { frac = frac * 10 + Int(u[i] - 48); digits += 1 }
                    i += 1
                }
                while digits < 6 { frac *= 10; digits += 1 }
                micro = frac
            }
        }
        var offset = 0
        if i < u.count {
            if u[i] == 90 || u[i] == 122 { i += 1 }
            else if u[i] == 43 || u[i] == 45 {
                let sign = u[i] == 45 ? -1 : 1
                i += 1
                guard let oh = num(2) else { return nil }
                _ = eat(58)
                let om = num(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == u.count, let base = micros(year: y, month: mo, day: d, hour: h, minute: mi, second: se, micro: micro)
        else { return nil }
        return base - Int64(offset) * 1_000_000
    }
}

// MARK: - JSON values

/// Readers see JSON through JSONSerialization; exports disagree on whether numbers are strings,
/// so every accessor accepts both and never traps on a wrong type.
enum JSONValue {
    static func string(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber, !isBool(n) { return n.stringValue }
        return nil
    }

    static func nonEmpty(_ v: Any?) -> String? {
        guard let s = string(v), !s.isEmpty else { return nil }
        return s
    }

    static func int(_ v: Any?) -> Int? {
        if let n = v as? NSNumber, !isBool(n) {
            let d = n.doubleValue
            guard d.isFinite, abs(d) < 9e15 else { return nil }
            return Int(d)
        }
        if let s = v as? String { return Int(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    static func double(_ v: Any?) -> Double? {
        if let n = v as? NSNumber, !isBool(n) { return n.doubleValue.isFinite ? n.doubleValue : nil }
        if let s = v as? String { return Double(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    static func bool(_ v: Any?) -> Bool {
        if let b = v as? Bool { return b }
        if let s = v as? String { return s == "true" }
        return false
    }

    static func object(_ v: Any?) -> [String: Any]? { v as? [String: Any] }

    static func objects(_ v: Any?) -> [[String: Any]] { (v as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

    static func strings(_ v: Any?) -> [String] { (v as? [Any])?.compactMap { string($0) } ?? [] }

    /// JSON booleans come back as NSNumber too; theirs is the only `char` type JSON produces.
    private static func isBool(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// Parses a file of at most `limit` bytes; the reason is fit for an exception.
    static func load(_ url: URL, limit: Int64) throws -> Any {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? 0
        guard size <= limit else { throw ReadFailure("\(size) bytes is over the \(limit)-byte limit for one JSON file") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        do { return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw ReadFailure("not valid JSON (truncated or damaged): \(error.localizedDescription)")
        }
    }
}

// MARK: - Exports that must be seen whole

/// Chat exports whose parts refer to each other (Slack's users.json, WhatsApp's media) arrive
/// as a folder or a zip. A zip is unpacked into a scratch folder in the case's blob area (not
/// the system temp, which may be shared) and read like the folder.
enum ExportStaging {
    /// Entry paths of a zip or tar, or nil when the input is not one. Zips list their central
    /// directory cheaply; for tars, reading names means decompressing the data in between, so
    /// the look stops after `maxStreamBytes`.
    static func entryNames(_ input: inout Input, maxEntries: Int = 200_000, maxStreamBytes: Int64 = 64 << 20) -> [String]? {
        guard !input.isDirectory else { return nil }
        let head = input.head
        let magic = ArchiveFormatReader.magic(head)
        switch magic {
        case .zip: if ArchiveFormatReader.isOfficeZip(head) { return nil }
        case .tar, .compressed: break
        default: return nil
        }
        guard let reader = try? ArchiveReader(path: input.url.path) else { return nil }
        if reader.isRaw { return nil }
        var names: [String] = []
        var streamed: Int64 = 0
        while names.count < maxEntries {
            guard let entry = try? reader.nextEntry() else { break }
            names.append(entry.pathname)
            if magic != .zip {
                streamed += entry.size ?? 0
                if streamed > maxStreamBytes { break }
            }
            if (try? reader.skipData()) == nil { break }
        }
        return names
    }

    /// Entry names made safe: no absolute paths, no `..`, no empty or dot components.
    static func safeRelative(_ name: String) -> String? {
        let parts = name.replacingOccurrences(of: "\\", with: "/").split(separator: "/").filter { $0 != "." && !$0.isEmpty }
        guard !parts.isEmpty, !parts.contains(".."), parts.count <= 64 else { return nil }
        return parts.joined(separator: "/")
    }

    /// Unpacks the archive into a new scratch folder. Entries that cannot be unpacked become
    /// problems; the caller deletes the folder when done.
    static func unpack(_ input: Input, _ context: ExtractContext) throws -> (URL, [ChatProblem]) {
        let fm = FileManager.default
        let scratch = context.blobs.root.appendingPathComponent("tmp")
            .appendingPathComponent("export-\(UUID().uuidString)")
        do { try fm.createDirectory(at: scratch, withIntermediateDirectories: true) } catch {
            throw DiscloseError.io(path: scratch.path, message: "cannot create scratch folder: \(error.localizedDescription)")
        }
        var problems: [ChatProblem] = []
        let reader: ArchiveReader
        do { reader = try ArchiveReader(path: input.url.path, passphrases: context.passwords) } catch {
            try? fm.removeItem(at: scratch)
            throw ReadFailure("cannot open archive: \(error)")
        }
        var last = "(start)"
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch {
                problems.append(ChatProblem(path: input.path + "!/(after \(last))",
                                            reason: "archive damaged or truncated: \(error)"))
                break
            }
            guard let e = entry else { break }
            last = e.pathname
            if e.isDirectory { try? reader.skipData(); continue }
            guard let rel = safeRelative(e.pathname) else {
                try? reader.skipData()
                problems.append(ChatProblem(path: input.path + "!/" + e.pathname,
                                            reason: "archive entry name escapes the archive; not unpacked"))
                continue
            }
            guard e.isRegularFile else {
                try? reader.skipData()
                problems.append(ChatProblem(path: input.path + "!/" + rel,
                                            reason: "archive entry is not a regular file (link or device); not followed"))
                continue
            }
            let dest = scratch.appendingPathComponent(rel)
            do {
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard fm.createFile(atPath: dest.path, contents: nil), let h = FileHandle(forWritingAtPath: dest.path) else {
                    throw ReadFailure("cannot write scratch copy (name clash with a folder?)")
                }
                defer { try? h.close() }
                try reader.readData { buf in try h.write(contentsOf: Data(buf)) }
            } catch let err as ArchiveError {
                try? fm.removeItem(at: dest)
                let reason: String
                if case .encrypted = err {
                    reason = context.passwords.isEmpty ? "encrypted; no password given for this source"
                        : "encrypted; none of the \(context.passwords.count) password(s) given fits"
                } else {
                    reason = "entry damaged or truncated: \(err)"
                }
                problems.append(ChatProblem(path: input.path + "!/" + rel, reason: reason))
            } catch {
                try? fm.removeItem(at: dest)
                problems.append(ChatProblem(path: input.path + "!/" + rel, reason: "\(error)"))
            }
        }
        return (scratch, problems)
    }

    /// Regular files under `root`, relative, in byte order at every level; symbolic links are
    /// reported, not followed.
    static func files(under root: URL, maxDepth: Int = 32) -> (files: [String], links: [String]) {
        var files: [String] = [], links: [String] = []
        func walk(_ dir: URL, _ prefix: String, _ depth: Int) {
            guard depth <= maxDepth,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
            for n in names.sorted(by: DirectoryReader.byteOrder) {
                let u = dir.appendingPathComponent(n)
                let rel = prefix.isEmpty ? n : prefix + "/" + n
                let type = (try? FileManager.default.attributesOfItem(atPath: u.path))?[.type] as? FileAttributeType
                if type == .typeSymbolicLink { links.append(rel) }
                else if type == .typeDirectory { walk(u, rel, depth + 1) }
                else if type == .typeRegular { files.append(rel) }
            }
        }
        walk(root, "", 0)
        return (files, links)
    }

    static func isRegularFile(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeRegular
    }

    static func isDirectory(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeDirectory
    }

    /// Dispatches what an export reader did not consume, as loose files walked through (their
    /// parent is the export's parent), numbering on from `ordinal`.
    static func dispatchLeftovers(_ rels: [String], root: URL, input: Input, pathBase: String, parentKey: String?,
                                  ordinal: inout Int, _ context: ExtractContext) throws {
        for rel in rels {
            ordinal += 1
            let dir = EntryPath.folder(of: rel)
            let child = Input(url: root.appendingPathComponent(rel), name: (rel as NSString).lastPathComponent,
                              path: pathBase + rel, key: DocKey.child(of: input.key, ordinal), parentKey: parentKey,
                              folder: input.folder.isEmpty ? dir : (dir.isEmpty ? input.folder : input.folder + "/" + dir),
                              digests: nil, isDirectory: false, declaredType: nil, depth: input.depth + 1)
            try context.dispatch(child)
        }
    }
}
