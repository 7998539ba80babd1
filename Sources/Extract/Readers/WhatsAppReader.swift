import DiscloseCore
import Foundation

/// WhatsApp's "Export chat" text: `_chat.txt` (iOS) or `WhatsApp Chat with X.txt` (Android),
/// alone, in a folder with the media beside it, or in the zip WhatsApp shares. Times are the
/// phone's local time with no zone; they are taken as UTC (there is no job setting for the
/// custodian's zone), which docs/whatsapp.md states.
public struct WhatsAppReader: Reader {
    public let name = "whatsapp"
    public let mediaTypes = ["text/vnd.whatsapp-export"]
    public let maxBytes: Int64 = 512 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        if input.isDirectory { return Self.chatFile(in: input.url) != nil ? 100 : 0 }
        if input.fileExtension == "txt" { return WhatsAppParser.looksLikeExport(input.head) ? 90 : 0 }
        guard let names = ExportStaging.entryNames(&input), Self.chatEntry(in: names) != nil else { return 0 }
        return 95
    }

    static func isChatName(_ n: String) -> Bool {
        n == "_chat.txt" || (n.hasSuffix(".txt") && (n.hasPrefix("WhatsApp Chat with ") || n.hasPrefix("WhatsApp Chat - ")))
    }

    /// The one chat text in a folder; a folder of several chats is walked as a plain folder so
    /// each text is read on its own.
    static func chatFile(in dir: URL) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return nil }
        let chats = names.filter { isChatName($0) && ExportStaging.isRegularFile(dir.appendingPathComponent($0)) }
        return chats.count == 1 ? chats[0] : nil
    }

    static func chatEntry(in names: [String]) -> String? {
        let top = names.filter { !$0.contains("/") && isChatName($0) }
        return top.count == 1 ? top[0] : nil
    }

    /// "WhatsApp Chat with X.txt", "WhatsApp Chat - X.zip" → X.
    static func conversationName(_ fileName: String) -> String? {
        var base = fileName
        for ext in [".txt", ".zip"] where base.lowercased().hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
        for p in ["WhatsApp Chat with ", "WhatsApp Chat - "] where base.hasPrefix(p) {
            let n = String(base.dropFirst(p.count)).trimmingCharacters(in: .whitespaces)
            return n.isEmpty ? nil : n
        }
        return nil
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        if input.isDirectory {
            guard let chat = Self.chatFile(in: input.url) else { throw ReadFailure("no WhatsApp chat text in the folder") }
            let name = Self.conversationName(chat) ?? Self.conversationName(input.name) ?? "WhatsApp chat"
            try readExport(root: input.url, chat: chat, conversation: name, pathBase: input.path + "/", input: input,
                           parentKey: input.parentKey, problems: [], context)
            return
        }
        if input.fileExtension == "txt" {
            let name = Self.conversationName(input.name) ?? "WhatsApp chat"
            var ordinal = 0
            var used = Set<String>()
            let conv = try parse(input.url, conversation: name, mediaDir: nil, used: &used)
            try ChatGrouping.emit(platform: "whatsapp", conv.0, input: input, parentKey: input.parentKey,
                                  ordinal: &ordinal, context)
            try ChatGrouping.record(conv.1.map { ChatProblem(path: input.path, reason: $0) }, input: input,
                                    parentKey: input.parentKey, ordinal: &ordinal, context)
            return
        }
        var copy = input
        guard let names = ExportStaging.entryNames(&copy), let chat = Self.chatEntry(in: names) else {
            throw ReadFailure("not a WhatsApp export archive")
        }
        var parent = input.parentKey
        if input.parentKey != nil {
            parent = try context.emit(&input, kind: .container, format: "archive").key
        }
        let (scratch, problems) = try ExportStaging.unpack(input, context)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let name = Self.conversationName(chat) ?? Self.conversationName(input.name) ?? "WhatsApp chat"
        try readExport(root: scratch, chat: chat, conversation: name, pathBase: input.path + "!/", input: input,
                       parentKey: parent, problems: problems, context)
    }

    func readExport(root: URL, chat: String, conversation: String, pathBase: String, input: Input, parentKey: String?,
                    problems initial: [ChatProblem], _ context: ExtractContext) throws {
        var problems = initial
        var used = Set<String>([chat])
        var ordinal = 0
        do {
            let (conv, warnings) = try parse(root.appendingPathComponent(chat), conversation: conversation,
                                             mediaDir: root, used: &used)
            problems += warnings.map { ChatProblem(path: pathBase + chat, reason: $0) }
            try ChatGrouping.emit(platform: "whatsapp", conv, input: input, parentKey: parentKey, ordinal: &ordinal, context)
        } catch let e as ReadFailure {
            problems.append(ChatProblem(path: pathBase + chat, reason: "WhatsApp chat: \(e)"))
            used.remove(chat)
        }
        let (all, refused) = ExportStaging.files(under: root)
        try ExportStaging.dispatchLeftovers(all.filter { !used.contains($0) }, root: root, input: input,
                                            pathBase: pathBase, parentKey: parentKey, ordinal: &ordinal, context)
        for r in refused { problems.append(ChatProblem(path: pathBase + r.path, reason: r.reason)) }
        try ChatGrouping.record(problems, input: input, parentKey: parentKey, ordinal: &ordinal, context)
    }

    func parse(_ url: URL, conversation: String, mediaDir: URL?, used: inout Set<String>) throws
        -> (PendingConversation, [String]) {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? 0
        guard size <= maxBytes else { throw ReadFailure("\(size) bytes is over the \(maxBytes)-byte limit") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let parsed = WhatsAppParser.parse(String(decoding: data, as: UTF8.self))
        guard parsed.messages.contains(where: { $0.micros != nil }) else {
            throw ReadFailure("no line in WhatsApp export form")
        }
        var messages = parsed.messages
        if let dir = mediaDir {
            for i in messages.indices {
                for n in messages[i].message.attachments {
                    guard let rel = ExportStaging.safeRelative(n), !rel.contains("/") else { continue }
                    let u = dir.appendingPathComponent(rel)
                    if ExportStaging.isRegularFile(u), !used.contains(rel) {
                        used.insert(rel)
                        messages[i].files.append(ChatFile(name: rel, url: u))
                    }
                }
            }
        }
        return (PendingConversation(name: conversation, members: [], messages: messages), parsed.warnings)
    }
}

/// The line grammar of WhatsApp exports, apart from files, so tests can call it directly.
enum WhatsAppParser {
    struct Header {
        var a: Int, b: Int, c: Int
        var aDigits: Int, cDigits: Int
        var hour: Int, minute: Int, second: Int
        /// "a" or "p" when the line has an AM/PM marker.
        var meridiem: Character?
        var rest: Substring
    }

    enum DateOrder: String { case dayFirst, monthFirst, yearFirst }

    struct Result {
        var messages: [PendingChatMessage]
        var order: DateOrder
        var warnings: [String]
    }

    static let bidi: Set<UnicodeScalar> = ["\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
                                           "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{FEFF}"]
    static let spaces: Set<UnicodeScalar> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}"]

    /// Parses a line's timestamp prefix; nil when the line continues the previous message.
    static func header(_ line: Substring) -> Header? {
        let s = line.unicodeScalars
        var i = s.startIndex
        func peek() -> UnicodeScalar? { i < s.endIndex ? s[i] : nil }
        func advance() { i = s.index(after: i) }
        func number(max: Int) -> (Int, Int)? {
            var v = 0, n = 0
            while let c = peek(), c.value >= 48, c.value <= 57, n < max { v = v * 10 + Int(c.value - 48); n += 1; advance() }
            if let c = peek(), c.value >= 48, c.value <= 57 { return nil }
            return n == 0 ? nil : (v, n)
        }
        func skipSpaces() -> Int { var n = 0; while let c = peek(), spaces.contains(c) { advance(); n += 1 }; return n }

        while let c = peek(), bidi.contains(c) || c == " " { advance() }
        var bracket = false
        if peek() == "[" { bracket = true; advance() }
        guard let (a, ad) = number(max: 4), let sep = peek(), sep == "/" || sep == "." || sep == "-" else { return nil }
        advance()
        guard let (b, bd) = number(max: 2), bd >= 1, peek() == sep else { return nil }
        advance()
        guard let (c, cd) = number(max: 4) else { return nil }
        if ad == 4 { guard cd <= 2 else { return nil } } else { guard ad <= 2, cd == 2 || cd == 4 else { return nil } }
        if peek() == "." { advance() }
        if peek() == "," { advance() }
        guard skipSpaces() > 0 else { return nil }
        guard let (hour, _) = number(max: 2), peek() == ":" else { return nil }
        advance()
        guard let (minute, md) = number(max: 2), md == 2 else { return nil }
        var second = 0
        if peek() == ":" {
            advance()
            guard let (sec, sd) = number(max: 2), sd == 2 else { return nil }
            second = sec
        }
        _ = skipSpaces()
        var meridiem: Character? = nil
        if let m = peek(), "aApP".unicodeScalars.contains(m) {
            let save = i
            advance()
            if peek() == "." { advance() }
            _ = skipSpaces()
            if let mm = peek(), mm == "m" || mm == "M" {
                advance()
                if peek() == "." { advance() }
                meridiem = Character(String(m).lowercased())
            } else {
                i = save
            }
        }
        _ = skipSpaces()
        if bracket {
            guard peek() == "]" else { return nil }
            advance()
            _ = skipSpaces()
        } else {
            guard let d = peek(), d == "-" || d == "\u{2013}" else { return nil }
            advance()
            guard skipSpaces() > 0 || i == s.endIndex else { return nil }
        }
        guard hour <= 23, minute <= 59, second <= 59, b >= 1, a >= 1 || ad == 4, c >= 0 else { return nil }
        if meridiem != nil, hour > 12 { return nil }
        return Header(a: a, b: b, c: c, aDigits: ad, cDigits: cd, hour: hour, minute: minute, second: second,
                      meridiem: meridiem, rest: Substring(s[i...]))
    }

    /// For confidence: the first non-empty line of the file's head is a timestamped line.
    static func looksLikeExport(_ head: [UInt8]) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let trimmed = line.drop { $0.unicodeScalars.allSatisfy { bidi.contains($0) || $0 == " " } }
            if trimmed.isEmpty { continue }
            return header(line) != nil
        }
        return false
    }

    /// The file's date order. Values over 12 decide it. When none do, the file's own evidence
    /// breaks the tie before the day-first default: the dates WhatsApp writes into media names
    /// (`IMG-20240305-WA0001.jpg`, `00000012-PHOTO-2024-03-05-…`) must match the line's date,
    /// and an export is chronological, so the wrong reading runs backwards in time.
    static func order(_ entries: [(header: Header, body: String)]) -> (DateOrder, String?) {
        let headers = entries.map(\.header)
        if headers.contains(where: { $0.aDigits == 4 }) { return (.yearFirst, nil) }
        let firstBig = headers.contains { $0.a > 12 }
        let secondBig = headers.contains { $0.b > 12 }
        switch (firstBig, secondBig) {
        case (true, false): return (.dayFirst, nil)
        case (false, true): return (.monthFirst, nil)
        case (true, true): return (.dayFirst, "dates are inconsistent (both day-first and month-first values); read as day-first")
        case (false, false): break
        }
        let candidates: [DateOrder] = [.dayFirst, .monthFirst]
        var mediaVotes = [0, 0]
        for e in entries {
            let named = mediaDates(e.body)
            guard !named.isEmpty else { continue }
            for (k, o) in candidates.enumerated() {
                guard let t = micros(e.header, o) else { continue }
                let day = t / 86_400_000_000
                if named.contains(where: { abs($0 - day) <= 1 }) { mediaVotes[k] += 1 }
            }
        }
        if mediaVotes[0] != mediaVotes[1] { return (mediaVotes[0] > mediaVotes[1] ? .dayFirst : .monthFirst, nil) }
        var backwards = [0, 0]
        for (k, o) in candidates.enumerated() {
            var last: Int64? = nil
            for h in headers {
                guard let t = micros(h, o) else { backwards[k] += 1; continue }
                if let l = last, t < l { backwards[k] += 1 }
                last = t
            }
        }
        if backwards[0] != backwards[1] { return (backwards[0] < backwards[1] ? .dayFirst : .monthFirst, nil) }
        return (.dayFirst, nil)
    }

    /// Days since 1970 of the dates in WhatsApp media file names within `text`.
    static func mediaDates(_ text: String) -> [Int64] {
        guard text.contains("-WA") || text.contains("-PHOTO-") || text.contains("-VIDEO-") || text.contains("-AUDIO-")
                || text.contains("-STICKER-") || text.contains("-GIF-") else { return [] }
        var out: [Int64] = []
        let u = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at >= 0, at + n <= u.count else { return nil }
            var v = 0
            for i in at..<(at + n) { guard u[i] >= 48, u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        func add(_ y: Int?, _ m: Int?, _ d: Int?) {
            guard let y, let m, let d, let t = ChatGrouping.micros(year: y, month: m, day: d, hour: 0, minute: 0, second: 0)
            else { return }
            out.append(t / 86_400_000_000)
        }
        var i = 0
        while i + 12 < u.count {
            // "-YYYYMMDD-WA" (Android media) and "-YYYY-MM-DD-" after PHOTO/VIDEO/… (iOS media).
            if u[i] == 45, u[i + 9] == 45, u[i + 10] == 87, u[i + 11] == 65 {
                add(digits(i + 1, 4), digits(i + 5, 2), digits(i + 7, 2))
            } else if u[i] == 45, i + 11 < u.count, u[i + 5] == 45, u[i + 8] == 45, u[i + 11] == 45, i >= 5,
                      u[(i - 5)..<i].allSatisfy({ $0 >= 65 && $0 <= 90 }) {
                add(digits(i + 1, 4), digits(i + 6, 2), digits(i + 9, 2))
            }
            i += 1
        }
        return out
    }

    static func micros(_ h: Header, _ order: DateOrder) -> Int64? {
        var (y, m, d): (Int, Int, Int)
        switch order {
        case .yearFirst: (y, m, d) = (h.a, h.b, h.c)
        case .dayFirst: (y, m, d) = (h.c, h.b, h.a)
        case .monthFirst: (y, m, d) = (h.c, h.a, h.b)
        }
        if order != .yearFirst, h.cDigits == 2 { y += 2000 }
        var hour = h.hour
        if let mer = h.meridiem {
            if mer == "a", hour == 12 { hour = 0 }
            if mer == "p", hour < 12 { hour += 12 }
        }
        return ChatGrouping.micros(year: y, month: m, day: d, hour: hour, minute: h.minute, second: h.second)
    }

    static func parse(_ text: String) -> Result {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        // Trailing blank lines of the file are not part of the last message.
        while let last = lines.last, last.allSatisfy({ $0.isWhitespace }) { lines.removeLast() }
        var entries: [(line: Int, header: Header?, body: String)] = []
        for (n, line) in lines.enumerated() {
            if let h = header(line) {
                entries.append((n + 1, h, String(h.rest)))
            } else if !entries.isEmpty {
                entries[entries.count - 1].body += "\n" + line
            } else if !line.allSatisfy({ $0.isWhitespace }) {
                entries.append((n + 1, nil, String(line)))
            }
        }
        let (order, warning) = Self.order(entries.compactMap { e in e.header.map { ($0, e.body) } })
        var messages: [PendingChatMessage] = []
        var warnings: [String] = warning.map { [$0] } ?? []
        var badDates = 0
        for e in entries {
            let t = e.header.flatMap { micros($0, order) }
            if e.header != nil, t == nil { badDates += 1 }
            var m = message(e.body)
            m.id = String(e.line)
            m.time = t.flatMap(ChatGrouping.iso) ?? ""
            messages.append(PendingChatMessage(message: m, micros: t))
        }
        // iOS writes group notices under the group's name; a "sender" who never wrote anything
        // but notices is the group itself, not a participant.
        let writers = Set(messages.filter { $0.message.type != "system" }.map(\.message.sender))
        for i in messages.indices where messages[i].message.type == "system" && !writers.contains(messages[i].message.sender) {
            messages[i].message.sender = Address(name: "", address: "")
        }
        if badDates > 0 { warnings.append("\(badDates) line(s) have an impossible date or time for the file's date order (\(order.rawValue)); kept undated") }
        return Result(messages: messages, order: order, warnings: warnings)
    }

    static func stripBidi(_ s: Substring) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { !bidi.contains($0) }))
    }

    static let fileAttachedSuffixes = [" (file attached)", " (Datei angehängt)", " (archivo adjunto)", " (fichier joint)",
                                       " (arquivo anexado)", " (file allegato)", " (bestand bijgevoegd)"]
    static let omitted: Set<String> = ["<Media omitted>", "<Médias omis>", "<Medien ausgeschlossen>", "<Multimedia omitido>",
                                       "<Mídia oculta>", "<Media omessi>", "<Media weggelaten>",
                                       "image omitted", "video omitted", "audio omitted", "sticker omitted",
                                       "document omitted", "GIF omitted", "Contact card omitted"]

    /// Splits "Sender: text" and classifies the text. A line with no "Sender: " is WhatsApp's
    /// own (group created, number changed, encryption notice).
    static func message(_ body: String) -> ChatMessage {
        var sender = Address(name: "", address: "")
        var text = body
        var type = "message"
        if let r = body.range(of: ": ") {
            let who = stripBidi(body[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
            let plausible = !who.isEmpty && who.count <= 120 && !who.contains("\"") && !who.contains("\u{201C}")
                && !who.contains("\n")
            if plausible {
                sender = Address(name: who, address: isPhone(who) ? who : "")
                text = String(body[r.upperBound...])
            } else {
                type = "system"
            }
        } else {
            type = "system"
        }
        let marked = text.unicodeScalars.first.map { bidi.contains($0) } ?? false
        let clean = stripBidi(text[...])
        var attachments: [String] = []

        var rest = clean
        while let open = rest.range(of: "<attached: "), let close = rest[open.upperBound...].firstIndex(of: ">") {
            attachments.append(String(rest[open.upperBound..<close]).trimmingCharacters(in: .whitespaces))
            rest.removeSubrange(open.lowerBound...close)
        }
        if !attachments.isEmpty {
            return ChatMessage(id: "", time: "", sender: sender, text: rest.trimmingCharacters(in: .whitespacesAndNewlines),
                               type: "file", attachments: attachments)
        }
        let firstLine = clean.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        if let head = firstLine.first, let suffix = fileAttachedSuffixes.first(where: { head.hasSuffix($0) }) {
            let name = String(head.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            let caption = firstLine.count > 1 ? String(firstLine[1]) : ""
            return ChatMessage(id: "", time: "", sender: sender, text: caption, type: "file", attachments: [name])
        }
        let trimmed = clean.trimmingCharacters(in: .whitespaces)
        if omitted.contains(trimmed) || (marked && trimmed.hasSuffix(" document omitted")) {
            return ChatMessage(id: "", time: "", sender: sender, text: trimmed, type: "file")
        }
        let lower = trimmed.lowercased()
        if ["this message was deleted", "you deleted this message", "this message was deleted.",
            "you deleted this message."].contains(lower) {
            return ChatMessage(id: "", time: "", sender: sender, text: trimmed, type: type, deleted: true)
        }
        if type == "message" {
            if lower.hasPrefix("missed voice call") || lower.hasPrefix("missed video call") || lower.hasPrefix("voice call")
                || lower.hasPrefix("video call") || lower.hasPrefix("missed group") {
                type = "call"
            } else if lower.hasPrefix("location: ") || lower.hasPrefix("live location shared") {
                type = "location"
            } else if marked {
                // iOS marks its own notices in a chat (encryption, subject changes) with U+200E.
                type = "system"
            }
        }
        return ChatMessage(id: "", time: "", sender: sender, text: type == "message" ? text : clean, type: type)
    }

    static func isPhone(_ s: String) -> Bool {
        guard s.hasPrefix("+"), s.count >= 6 else { return false }
        return s.dropFirst().allSatisfy { $0.isNumber || $0 == " " || $0 == "-" || $0 == "(" || $0 == ")" || $0 == "\u{00A0}" }
    }
}
