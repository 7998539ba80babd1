import DiscloseCore
import Foundation
import OLEKit

// Outlook keeps every message (PST/OST, .msg, TNEF) as a bag of MAPI properties. The three
// readers turn their container's encoding into the same `MAPIMessageData`, and this file turns
// that into what the rest of the pipeline already reads: RFC 5322 bytes for mail (as readpst
// does), iCalendar for appointments, vCard for contacts and plain text for tasks and notes.

// MARK: - Property model

/// One property value as stored: its MAPI type and little-endian bytes. Multi-valued
/// properties (type bit 0x1000) keep one byte array per value.
public struct MAPIValue: Sendable, Equatable {
    public var type: UInt16
    public var bytes: [UInt8]
    public var values: [[UInt8]]

    public init(type: UInt16, bytes: [UInt8], values: [[UInt8]] = []) {
        self.type = type; self.bytes = bytes; self.values = values
    }
}

/// A named property: a property set GUID and either a number (LID) or a string name.
public struct MAPIName: Hashable, Sendable {
    /// Lowercase, in the usual 8-4-4-4-12 form.
    public var guid: String
    public var lid: UInt32?
    public var name: String?

    public init(guid: String, lid: UInt32) { self.guid = guid; self.lid = lid; self.name = nil }
    public init(guid: String, name: String) { self.guid = guid; self.lid = nil; self.name = name }

    /// GUIDs are stored with their first three fields little-endian.
    public static func guidString(_ b: [UInt8]) -> String {
        guard b.count >= 16 else { return "" }
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        var s = ""
        for i in order {
            if i < 0 { s += "-" } else { s += String(format: "%02x", b[i]) }
        }
        return s
    }
}

public enum PropertySet {
    public static let appointment = "00062002-0000-0000-c000-000000000046"
    public static let task = "00062003-0000-0000-c000-000000000046"
    public static let address = "00062004-0000-0000-c000-000000000046"
    public static let common = "00062008-0000-0000-c000-000000000046"
    public static let log = "0006200a-0000-0000-c000-000000000046"
    public static let note = "0006200e-0000-0000-c000-000000000046"
    public static let meeting = "6ed8da90-450b-101b-98da-00aa003f1305"
    public static let publicStrings = "00020329-0000-0000-c000-000000000046"
    public static let internetHeaders = "00020386-0000-0000-c000-000000000046"
    /// PS_MAPI: "named" properties that are really ordinary tags.
    public static let mapi = "00020328-0000-0000-c000-000000000046"
}

/// Property tags used here (property id only; the type comes with the value).
public enum Tag {
    public static let messageClass: UInt16 = 0x001A
    public static let importance: UInt16 = 0x0017
    public static let sensitivity: UInt16 = 0x0036
    public static let subject: UInt16 = 0x0037
    public static let clientSubmitTime: UInt16 = 0x0039
    public static let subjectPrefix: UInt16 = 0x003D
    public static let sentRepresentingName: UInt16 = 0x0042
    public static let sentRepresentingAddrType: UInt16 = 0x0064
    public static let sentRepresentingEmail: UInt16 = 0x0065
    public static let conversationTopic: UInt16 = 0x0070
    public static let transportHeaders: UInt16 = 0x007D
    public static let recipientType: UInt16 = 0x0C15
    public static let senderName: UInt16 = 0x0C1A
    public static let senderAddrType: UInt16 = 0x0C1E
    public static let senderEmail: UInt16 = 0x0C1F
    public static let displayBcc: UInt16 = 0x0E02
    public static let displayCc: UInt16 = 0x0E03
    public static let displayTo: UInt16 = 0x0E04
    public static let deliveryTime: UInt16 = 0x0E06
    public static let messageFlags: UInt16 = 0x0E07
    public static let normalizedSubject: UInt16 = 0x0E1D
    public static let body: UInt16 = 0x1000
    public static let rtfCompressed: UInt16 = 0x1009
    public static let html: UInt16 = 0x1013
    public static let internetMessageID: UInt16 = 0x1035
    public static let internetReferences: UInt16 = 0x1039
    public static let inReplyTo: UInt16 = 0x1042
    public static let displayName: UInt16 = 0x3001
    public static let addrType: UInt16 = 0x3002
    public static let emailAddress: UInt16 = 0x3003
    public static let comment: UInt16 = 0x3004
    public static let creationTime: UInt16 = 0x3007
    public static let lastModificationTime: UInt16 = 0x3008
    public static let attachData: UInt16 = 0x3701
    public static let attachExtension: UInt16 = 0x3703
    public static let attachFilename: UInt16 = 0x3704
    public static let attachMethod: UInt16 = 0x3705
    public static let attachLongFilename: UInt16 = 0x3707
    public static let attachPathname: UInt16 = 0x3708
    public static let attachLongPathname: UInt16 = 0x370D
    public static let attachMimeTag: UInt16 = 0x370E
    public static let attachContentID: UInt16 = 0x3712
    public static let attachContentLocation: UInt16 = 0x3713
    public static let smtpAddress: UInt16 = 0x39FE
    public static let internetCPID: UInt16 = 0x3FDE
    public static let messageCodepage: UInt16 = 0x3FFD
    public static let senderSMTP: UInt16 = 0x5D01
    public static let sentRepresentingSMTP: UInt16 = 0x5D02
    public static let recipientDisplayName: UInt16 = 0x5FF6
    public static let attachmentHidden: UInt16 = 0x7FFE
}

public enum MAPIType {
    public static let int16: UInt16 = 0x0002
    public static let int32: UInt16 = 0x0003
    public static let float: UInt16 = 0x0004
    public static let double: UInt16 = 0x0005
    public static let currency: UInt16 = 0x0006
    public static let appTime: UInt16 = 0x0007
    public static let error: UInt16 = 0x000A
    public static let boolean: UInt16 = 0x000B
    public static let object: UInt16 = 0x000D
    public static let int64: UInt16 = 0x0014
    public static let string8: UInt16 = 0x001E
    public static let unicode: UInt16 = 0x001F
    public static let systime: UInt16 = 0x0040
    public static let clsid: UInt16 = 0x0048
    public static let binary: UInt16 = 0x0102
    public static let multi: UInt16 = 0x1000

    /// Bytes a fixed-size value occupies; nil for variable-size types.
    public static func fixedSize(_ type: UInt16) -> Int? {
        switch type & 0x0FFF {
        case 0x0001: return 0
        case int16, boolean: return 2
        case int32, float, error: return 4
        case double, currency, appTime, int64, systime: return 8
        case clsid: return 16
        default: return nil
        }
    }
}

/// The properties of one object (message, recipient or attachment).
public struct MAPIProps: Sendable {
    public var values: [UInt16: MAPIValue] = [:]
    public var named: [MAPIName: MAPIValue] = [:]
    /// For 8-bit strings (PT_STRING8): the message's code page.
    public var codePage: Int = 1252

    public init() {}

    /// When both a Unicode and an 8-bit version exist, the Unicode one wins.
    public mutating func set(_ id: UInt16, _ value: MAPIValue) {
        if let have = values[id], have.type == MAPIType.unicode, value.type == MAPIType.string8 { return }
        values[id] = value
    }

    public mutating func set(_ name: MAPIName, _ value: MAPIValue) {
        if name.guid == PropertySet.mapi, let lid = name.lid, lid < 0x8000 {
            set(UInt16(lid), value)
            return
        }
        if let have = named[name], have.type == MAPIType.unicode, value.type == MAPIType.string8 { return }
        named[name] = value
    }

    public var isEmpty: Bool { values.isEmpty && named.isEmpty }

    public func value(_ id: UInt16) -> MAPIValue? { values[id] }
    public func value(_ set: String, _ lid: UInt32) -> MAPIValue? { named[MAPIName(guid: set, lid: lid)] }
    public func value(_ set: String, name: String) -> MAPIValue? { named[MAPIName(guid: set, name: name)] }

    public func string(_ id: UInt16) -> String? { values[id].flatMap(decodeString) }
    public func string(_ set: String, _ lid: UInt32) -> String? { value(set, lid).flatMap(decodeString) }

    /// A non-empty trimmed string.
    public func text(_ id: UInt16) -> String? { nonEmpty(string(id)) }
    public func text(_ set: String, _ lid: UInt32) -> String? { nonEmpty(string(set, lid)) }

    public func decodeString(_ v: MAPIValue) -> String? {
        switch v.type {
        case MAPIType.unicode: return MAPIText.utf16(v.bytes)
        case MAPIType.string8: return MAPIText.ansi(v.bytes, codePage: codePage)
        case MAPIType.binary: return MAPIText.ansi(v.bytes, codePage: codePage)
        default: return nil
        }
    }

    public func strings(_ v: MAPIValue?) -> [String] {
        guard let v else { return [] }
        switch v.type {
        case MAPIType.unicode | MAPIType.multi: return v.values.map { MAPIText.utf16($0) }
        case MAPIType.string8 | MAPIType.multi: return v.values.map { MAPIText.ansi($0, codePage: codePage) }
        default: return decodeString(v).map { [$0] } ?? []
        }
    }

    public func int(_ id: UInt16) -> Int? { values[id].flatMap(MAPIProps.integer) }
    public func int(_ set: String, _ lid: UInt32) -> Int? { value(set, lid).flatMap(MAPIProps.integer) }
    public func bool(_ id: UInt16) -> Bool? { int(id).map { $0 != 0 } }
    public func bool(_ set: String, _ lid: UInt32) -> Bool? { int(set, lid).map { $0 != 0 } }
    public func date(_ id: UInt16) -> Date? { values[id].flatMap(MAPIProps.time) }
    public func date(_ set: String, _ lid: UInt32) -> Date? { value(set, lid).flatMap(MAPIProps.time) }
    public func binary(_ id: UInt16) -> [UInt8]? { values[id].map(\.bytes) }
    public func binary(_ set: String, _ lid: UInt32) -> [UInt8]? { value(set, lid).map(\.bytes) }

    public func double(_ set: String, _ lid: UInt32) -> Double? {
        guard let v = value(set, lid), v.type == MAPIType.double, v.bytes.count >= 8 else { return nil }
        return Double(bitPattern: LE.u64(v.bytes, 0))
    }

    static func integer(_ v: MAPIValue) -> Int? {
        let b = v.bytes
        switch v.type {
        case MAPIType.int16, MAPIType.boolean:
            return b.count >= 2 ? Int(Int16(bitPattern: LE.u16(b, 0))) : (b.count == 1 ? Int(b[0]) : nil)
        case MAPIType.int32, MAPIType.error: return b.count >= 4 ? Int(Int32(bitPattern: LE.u32(b, 0))) : nil
        case MAPIType.int64: return b.count >= 8 ? Int(truncatingIfNeeded: Int64(bitPattern: LE.u64(b, 0))) : nil
        default: return nil
        }
    }

    /// FILETIME to Date. Outlook writes 4501-01-01 for "none"; that and zero are absent.
    static func time(_ v: MAPIValue) -> Date? {
        guard v.type == MAPIType.systime, v.bytes.count >= 8 else { return nil }
        return MAPIText.filetime(LE.u64(v.bytes, 0))
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}

/// An attachment: its properties and, by method, its bytes or the message it embeds.
public struct MAPIAttachmentData: Sendable {
    public var props: MAPIProps
    public var data: [UInt8]?
    public var embedded: MAPIMessageData?
    /// Why the bytes are not here (attached by reference, unreadable), for the reviewer.
    public var note: String?

    public init(props: MAPIProps, data: [UInt8]? = nil, embedded: MAPIMessageData? = nil, note: String? = nil) {
        self.props = props; self.data = data; self.embedded = embedded; self.note = note
    }

    public var method: Int { props.int(Tag.attachMethod) ?? 1 }
}

public struct MAPIMessageData: Sendable {
    public var props: MAPIProps
    public var recipients: [MAPIProps]
    public var attachments: [MAPIAttachmentData]
    /// Problems met while reading the container (damaged streams, skipped parts).
    public var warnings: [String]

    public init(props: MAPIProps, recipients: [MAPIProps] = [], attachments: [MAPIAttachmentData] = [],
                warnings: [String] = []) {
        self.props = props; self.recipients = recipients; self.attachments = attachments; self.warnings = warnings
    }

    public var messageClass: String { props.text(Tag.messageClass) ?? "IPM.Note" }

    /// The code page 8-bit strings are in: the message's own; else the ANSI code page of the
    /// writer's locale (PR_MESSAGE_LOCALE_ID), which is what Outlook used; else the Windows
    /// code page behind the internet code page (ISO-2022-JP mail is stored as Shift_JIS).
    public static func codePage(_ props: MAPIProps, default fallback: Int = 1252) -> Int {
        if let cp = props.int(Tag.messageCodepage), cp > 0, CodePage.iconvName(cp) != nil { return cp }
        if let lcid = props.int(0x3FF1), lcid > 0, let cp = ansiCodePage(lcid: lcid) { return cp }
        if let cp = props.int(Tag.internetCPID), cp > 0 {
            switch cp {
            case 50220, 50221, 50222, 51932: return 932
            case 50225, 51949: return 949
            case 52936, 54936, 936, 51936: return 936
            case 28591, 20127, 65001, 1200: break
            default: if CodePage.iconvName(cp) != nil && cp < 10000 { return cp }
            }
        }
        return fallback
    }

    /// The Windows ANSI code page of a locale, by its primary language.
    static func ansiCodePage(lcid: Int) -> Int? {
        let lang = lcid & 0x3FF
        switch lang {
        case 0x11: return 932
        case 0x12: return 949
        case 0x04: return [0x0404, 0x0C04, 0x1404].contains(lcid & 0xFFFF) ? 950 : 936
        case 0x19, 0x22, 0x23, 0x02, 0x2F, 0x3F, 0x40, 0x44, 0x50: return 1251
        case 0x1A: return [0x0C1A, 0x1C1A, 0x281A, 0x201A].contains(lcid & 0xFFFF) ? 1251 : 1250
        case 0x05, 0x0E, 0x15, 0x18, 0x1B, 0x24, 0x1C: return 1250
        case 0x08: return 1253
        case 0x1F, 0x2C, 0x43: return 1254
        case 0x0D: return 1255
        case 0x01, 0x29, 0x20: return 1256
        case 0x25, 0x26, 0x27: return 1257
        case 0x2A: return 1258
        case 0x1E: return 874
        default: return lang == 0 ? nil : 1252
        }
    }

    /// Gives every string property of the tree its code page, once all properties are known.
    public mutating func applyCodePage(_ inherited: Int? = nil) {
        let cp = Self.codePage(props, default: inherited ?? 1252)
        props.codePage = cp
        for i in recipients.indices { recipients[i].codePage = cp }
        for i in attachments.indices {
            attachments[i].props.codePage = cp
            attachments[i].embedded?.applyCodePage(cp)
        }
    }
}

// MARK: - Byte helpers

enum LE {
    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= b.count else { return 0 }
        return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 {
        UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32
    }
}

public enum MAPIText {
    /// UTF-16LE, without the terminating NULs writers leave.
    public static func utf16(_ b: [UInt8]) -> String {
        var units = [UInt16]()
        units.reserveCapacity(b.count / 2)
        var i = 0
        while i + 1 < b.count { units.append(UInt16(b[i]) | UInt16(b[i + 1]) << 8); i += 2 }
        while units.last == 0 { units.removeLast() }
        return String(decoding: units, as: UTF16.self)
    }

    public static func ansi(_ b: [UInt8], codePage: Int) -> String {
        var end = b.count
        while end > 0 && b[end - 1] == 0 { end -= 1 }
        return CodePage.decode(Array(b[0..<end]), codePage: codePage)
    }

    public static func filetime(_ ft: UInt64) -> Date? {
        guard ft > 0 else { return nil }
        let seconds = Double(ft / 10_000_000) - 11_644_473_600
        // Before 1900 or from 4500 on: unset markers, not dates.
        guard seconds > -2_208_988_800, seconds < 79_000_000_000 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Outlook stores a subject prefix length as two control characters in front of some
    /// subjects ("\u{1}\u{5}RE: ..."); they are not part of the subject.
    public static func cleanSubject(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        if scalars.count >= 2, scalars[0].value == 1 { scalars.removeFirst(2) }
        return String(String.UnicodeScalarView(scalars.filter { $0.value >= 0x20 || $0 == "\t" }))
    }
}

// MARK: - Compressed RTF (MS-OXRTFCP)

public enum CompressedRTF {
    static let prebuf = Array(("{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx").utf8)

    /// The RTF inside PR_RTF_COMPRESSED; nil when the header is not one of the two known kinds.
    /// Output is capped so that a forged size cannot make it allocate without bound.
    public static func decompress(_ b: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        guard b.count >= 16 else { return nil }
        let rawSize = Int(LE.u32(b, 4))
        let kind = LE.u32(b, 8)
        if kind == 0x414C_454D {  // "MELA": stored uncompressed
            return Array(b[16..<min(b.count, 16 + min(rawSize, limit))])
        }
        guard kind == 0x7546_5A4C else { return nil }  // "LZFu"
        var dict = [UInt8](repeating: 0, count: 4096)
        for (i, c) in prebuf.enumerated() { dict[i] = c }
        var write = prebuf.count
        var out = [UInt8]()
        out.reserveCapacity(min(rawSize, limit))
        var i = 16
        let cap = min(rawSize > 0 ? rawSize : limit, limit)
        outer: while i < b.count {
            let control = b[i]
            i += 1
            for bit in 0..<8 {
                if i >= b.count || out.count >= cap { break outer }
                if control & (1 << bit) == 0 {
                    let c = b[i]
                    i += 1
                    out.append(c)
                    dict[write] = c
                    write = (write + 1) & 0xFFF
                } else {
                    guard i + 1 < b.count else { break outer }
                    let token = Int(b[i]) << 8 | Int(b[i + 1])
                    i += 2
                    let offset = token >> 4
                    let length = (token & 0xF) + 2
                    if offset == write { break outer }
                    for k in 0..<length {
                        let c = dict[(offset + k) & 0xFFF]
                        out.append(c)
                        dict[write] = c
                        write = (write + 1) & 0xFFF
                    }
                }
            }
        }
        if out.count > cap { out.removeLast(out.count - cap) }
        return out
    }
}

// MARK: - RTF reading

/// Just enough RTF for mail bodies: HTML or text that Outlook encapsulated (\fromhtml1,
/// \fromtext), and the visible text of real RTF.
public enum RTFBody {
    public enum Body: Equatable { case html(String), text(String) }

    public static func body(_ rtf: [UInt8]) -> Body {
        let r = RTF.read(rtf)
        return r.isHTML ? .html(r.text) : .text(r.text)
    }
}

// MARK: - MIME writing

/// RFC 5322 / MIME output with CRLF line ends and nothing that varies between runs.
enum MIMEOut {
    static let crlf = "\r\n"

    static func isPlainASCII(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F || $0 == "\t" }
    }

    /// RFC 2047 encoded words (UTF-8, base64), split on character boundaries so each word
    /// stays within 75 characters.
    static func encodedWords(_ s: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in s {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// An unstructured field (Subject, Thread-Topic): plain when it can be, folded at spaces.
    static func unstructured(_ name: String, _ value: String) -> String {
        let v = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        if isPlainASCII(v) && !v.contains("=?") {
            return fold(name + ": " + v)
        }
        return name + ": " + encodedWords(v).joined(separator: crlf + " ") + crlf
    }

    /// Folds an ASCII line at spaces so lines stay near 78 characters where possible.
    static func fold(_ line: String) -> String {
        if line.utf8.count <= 78 { return line + crlf }
        var out = ""
        var current = ""
        for (n, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if n == 0 { current = String(word); continue }
            if current.utf8.count + 1 + word.utf8.count > 78 && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                out += current + crlf
                current = " " + word
            } else {
                current += " " + word
            }
        }
        return out + current + crlf
    }

    static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ".unicodeScalars)

    /// A display name as a phrase: atoms, a quoted string, or encoded words.
    static func phrase(_ name: String) -> String {
        let n = name.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        if !isPlainASCII(n) { return encodedWords(n).joined(separator: " ") }
        if n.unicodeScalars.allSatisfy({ atext.contains($0) }) && !n.contains("=?") { return n }
        return "\"" + n.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A mailbox, `Name <addr>`. An address that is not an internet address (an Exchange DN,
    /// an X.400 or fax address) is kept as a quoted local part so it survives parsing and stays
    /// searchable; the display name never carries it.
    static func mailbox(name: String, address: String, type: String = "SMTP") -> String {
        let addr = address.trimmingCharacters(in: .whitespacesAndNewlines)
        let display = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var spec = ""
        if !addr.isEmpty {
            if isInternetAddress(addr) {
                spec = addr
            } else {
                let cleaned = addr.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }
                let local = String(String.UnicodeScalarView(cleaned))
                    .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                let kind = type.lowercased().filter { $0.isLetter || $0.isNumber }
                spec = "\"" + local + "\"@" + (kind.isEmpty || kind == "smtp" ? "unknown" : kind) + ".invalid"
            }
        }
        if spec.isEmpty {
            // A name without any address: an empty group keeps the name visible and parseable.
            return display.isEmpty ? "" : phrase(display) + ":;"
        }
        if display.isEmpty || display == addr { return spec }
        return phrase(display) + " <" + spec + ">"
    }

    static func isInternetAddress(_ a: String) -> Bool {
        guard isPlainASCII(a), !a.contains(" "), !a.contains("<"), !a.contains(">"), !a.contains("\""),
              !a.contains(","), !a.contains(";"), !a.contains("(") else { return false }
        let parts = a.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].hasPrefix("/") else { return false }
        return parts[1].contains(".") || parts[1].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }

    static func addressField(_ name: String, _ boxes: [String]) -> String {
        let list = boxes.filter { !$0.isEmpty }
        guard !list.isEmpty else { return "" }
        var out = name + ": "
        var lineLength = out.utf8.count
        for (i, b) in list.enumerated() {
            let piece = b + (i < list.count - 1 ? "," : "")
            if i > 0 {
                if lineLength + 1 + piece.utf8.count > 78 { out += crlf + " "; lineLength = 1 } else { out += " "; lineLength += 1 }
            }
            out += piece
            lineLength += piece.utf8.count
        }
        return out + crlf
    }

    /// RFC 5322 date in UTC, computed without locale-dependent formatters.
    static func rfc5322Date(_ d: Date) -> String {
        let c = civil(d)
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let secs = Int(floor(d.timeIntervalSince1970))
        let dayNumber = Int(floor(Double(secs) / 86400))
        let wd = days[((dayNumber % 7) + 7) % 7]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", wd, c.day, months[c.month - 1], c.year, c.hour, c.minute, c.second)
    }

    struct Civil { var year, month, day, hour, minute, second: Int }

    static func civil(_ d: Date) -> Civil {
        let secs = Int(floor(d.timeIntervalSince1970))
        var days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        // Howard Hinnant's days-to-civil.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(year: year, month: month, day: day, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60)
    }

    static func base64Lines(_ data: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity(data.count * 4 / 3 + data.count / 38 + 4)
        var i = 0
        while i < data.count {
            let end = min(i + 57, data.count)
            out += Data(data[i..<end]).base64EncodedString()
            out += crlf
            i = end
        }
        return out
    }

    /// Quoted-printable for text: hard line breaks stay CRLF, soft breaks keep lines within 76.
    static func quotedPrintable(_ text: String) -> String {
        let hexd = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        let lines = normaliseNewlines(text).components(separatedBy: "\n")
        for (li, line) in lines.enumerated() {
            var cur = [UInt8]()
            let bytes = Array(line.utf8)
            for (bi, c) in bytes.enumerated() {
                var enc: [UInt8]
                let last = bi == bytes.count - 1
                if (c >= 33 && c <= 126 && c != 61) || ((c == 32 || c == 9) && !last) {
                    enc = [c]
                } else {
                    enc = [61, hexd[Int(c >> 4)], hexd[Int(c & 15)]]
                }
                if cur.count + enc.count > 75 {
                    out += cur + [61, 13, 10]
                    cur = []
                }
                cur += enc
            }
            out += cur
            if li < lines.count - 1 { out += [13, 10] }
        }
        return String(decoding: out, as: UTF8.self) + crlf
    }

    static func normaliseNewlines(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Content-Disposition / Content-Type file name parameters: a plain quoted value when the
    /// name is short ASCII, RFC 2231 (with continuations) otherwise, plus an RFC 2047 `name`
    /// for readers that predate RFC 2231.
    static func fileNameParameters(_ fileName: String) -> (disposition: String, typeName: String) {
        if isPlainASCII(fileName) && fileName.utf8.count <= 60 && !fileName.contains("\"") && !fileName.contains("\\") {
            return ("; filename=\"\(fileName)\"", "; name=\"\(fileName)\"")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8)
        var encoded = ""
        for b in fileName.utf8 {
            encoded += allowed.contains(b) ? String(UnicodeScalar(b)) : String(format: "%%%02X", b)
        }
        var disp = ""
        if encoded.count <= 60 {
            disp = ";" + crlf + " filename*=UTF-8''" + encoded
        } else {
            var pieces: [String] = []
            var rest = Substring(encoded)
            while !rest.isEmpty {
                var cut = rest.index(rest.startIndex, offsetBy: min(60, rest.count))
                // Never split a %XX escape.
                if let pct = rest[rest.startIndex..<cut].lastIndex(of: "%"), rest.distance(from: pct, to: cut) < 3,
                   pct > rest.startIndex { cut = pct }
                pieces.append(String(rest[rest.startIndex..<cut]))
                rest = rest[cut...]
            }
            for (n, p) in pieces.enumerated() {
                disp += ";" + crlf + " filename*\(n)*=" + (n == 0 ? "UTF-8''" : "") + p
            }
        }
        let name = ";" + crlf + " name=\"" + encodedWords(fileName).joined(separator: " ") + "\""
        return (disp, name)
    }

    /// A boundary from the hash of what it separates, so the same message always gives the same
    /// bytes. "=_" cannot occur in base64 or quoted-printable text.
    static func boundary(for parts: [[UInt8]], salt: String) -> String {
        var h = Data(salt.utf8)
        for p in parts { h.append(Data(Hash.sha256(Data(p)).utf8)) }
        var n = 0
        while true {
            let b = "=_disclose_" + String(Hash.sha256(h + Data("\(n)".utf8)).prefix(24))
            let needle = Array(("--" + b).utf8)
            if !parts.contains(where: { contains($0, needle) }) { return b }
            n += 1
        }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= hay.count, let first = needle.first else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first && Array(hay[i..<i + needle.count]) == needle { return true }
            i += 1
        }
        return false
    }

    static func multipart(_ subtype: String, _ parts: [[UInt8]], salt: String) -> [UInt8] {
        let b = boundary(for: parts, salt: salt + subtype)
        var out = Array("Content-Type: multipart/\(subtype);\(crlf) boundary=\"\(b)\"\(crlf)\(crlf)".utf8)
        for p in parts {
            out += Array("--\(b)\(crlf)".utf8)
            out += p
            if p.last != 0x0A { out += [13, 10] }
        }
        out += Array("--\(b)--\(crlf)".utf8)
        return out
    }

    static func textPart(_ subtype: String, _ text: String, extraHeaders: String = "") -> [UInt8] {
        let normal = normaliseNewlines(text)
        let ascii = normal.unicodeScalars.allSatisfy { $0.value < 0x7F && ($0.value >= 0x20 || $0 == "\n" || $0 == "\t") }
        let longLine = normal.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.utf8.count > 900 }
        var head = "Content-Type: text/\(subtype); charset=\"utf-8\"" + crlf + extraHeaders
        let body: String
        if ascii && !longLine {
            head += "Content-Transfer-Encoding: 7bit" + crlf
            body = normal.replacingOccurrences(of: "\n", with: crlf) + (normal.hasSuffix("\n") || normal.isEmpty ? "" : crlf)
        } else {
            head += "Content-Transfer-Encoding: quoted-printable" + crlf
            body = quotedPrintable(normal)
        }
        return Array((head + crlf + body).utf8)
    }

    static func binaryPart(contentType: String, fileName: String, data: [UInt8], contentID: String?,
                           description: String? = nil) -> [UInt8] {
        let params = fileNameParameters(fileName)
        var head = "Content-Type: \(contentType)\(params.typeName)" + crlf
        head += "Content-Disposition: attachment\(params.disposition)" + crlf
        if let cid = contentID, !cid.isEmpty, isPlainASCII(cid) {
            let bare = cid.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            head += "Content-ID: <\(bare)>" + crlf
        }
        if let d = description { head += unstructured("Content-Description", d) }
        head += "Content-Transfer-Encoding: base64" + crlf + crlf
        return Array(head.utf8) + Array(base64Lines(data).utf8)
    }

    static func messagePart(fileName: String, message: [UInt8]) -> [UInt8] {
        let params = fileNameParameters(fileName)
        let head = "Content-Type: message/rfc822\(params.typeName)" + crlf
            + "Content-Disposition: attachment\(params.disposition)" + crlf + crlf
        return Array(head.utf8) + message
    }

    /// A media type as a header value, or nil when the text is not one.
    static func mediaType(_ raw: String?) -> String? {
        guard let r = raw?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), !r.isEmpty else { return nil }
        let parts = r.split(separator: "/")
        let token = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$&-^_.+".unicodeScalars)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { token.contains($0) } }) else { return nil }
        return r
    }
}

// MARK: - Rendering

/// What one MAPI object becomes.
public struct MAPIRendering {
    public enum Kind { case email, calendar, contact, text }
    public var kind: Kind
    public var bytes: Data
    /// A file name for the rendering ("Weekly meeting.ics"); emails keep their container's name.
    public var name: String
    /// Attachments of non-mail items, which have no MIME structure to carry them.
    public var looseAttachments: [MAPIAttachmentData]
    public var warnings: [String]

    public var declaredType: String? { kind == .email ? "message/rfc822" : nil }
}

public enum MAPIMessage {
    /// Embedded messages deeper than this are kept as notes, not rendered (hostile nesting).
    public static let maxDepth = 12

    public static func render(_ m: MAPIMessageData, depth: Int = 0) -> MAPIRendering {
        let cls = m.messageClass.lowercased()
        let subject = Self.subject(m.props)
        // Exceptions of a recurring series are embedded as IPM.OLE.CLASS.{00061055-...}.
        if cls.hasPrefix("ipm.appointment") || cls.hasPrefix("ipm.ole.class.{00061055") {
            return MAPIRendering(kind: .calendar, bytes: Data(ICalendar.render(m, method: nil).utf8),
                                 name: fileName(subject, fallback: "appointment", ext: "ics"),
                                 looseAttachments: m.attachments, warnings: m.warnings)
        }
        if cls.hasPrefix("ipm.contact") {
            let display = m.props.text(Tag.displayName) ?? m.props.text(PropertySet.address, 0x8005) ?? subject
            return MAPIRendering(kind: .contact, bytes: Data(VCard.render(m).utf8),
                                 name: fileName(display, fallback: "contact", ext: "vcf"),
                                 looseAttachments: m.attachments, warnings: m.warnings)
        }
        if cls.hasPrefix("ipm.task") && !cls.hasPrefix("ipm.taskrequest") || cls.hasPrefix("ipm.stickynote")
            || cls.hasPrefix("ipm.activity") || cls.hasPrefix("ipm.distlist") {
            return MAPIRendering(kind: .text, bytes: Data(PlainRendering.render(m).utf8),
                                 name: fileName(subject, fallback: "item", ext: "txt"),
                                 looseAttachments: m.attachments, warnings: m.warnings)
        }
        var warnings = m.warnings
        let eml = Email.render(m, depth: depth, warnings: &warnings)
        return MAPIRendering(kind: .email, bytes: Data(eml), name: fileName(subject, fallback: "message", ext: "eml"),
                             looseAttachments: [], warnings: warnings)
    }

    public static func subject(_ p: MAPIProps) -> String {
        if let s = p.string(Tag.subject) { return MAPIText.cleanSubject(s) }
        let prefix = p.string(Tag.subjectPrefix) ?? ""
        if let n = p.string(Tag.normalizedSubject) { return MAPIText.cleanSubject(prefix + n) }
        return ""
    }

    /// A file name from free text: path separators and control characters out, bounded length.
    public static func fileName(_ raw: String, fallback: String, ext: String) -> String {
        let banned = Set("/\\:*?\"<>|".unicodeScalars)
        var s = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !banned.contains($0) }))
        s = s.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ".")))
        if s.count > 100 { s = String(s.prefix(100)).trimmingCharacters(in: .whitespaces) }
        if s.isEmpty { s = fallback }
        return s + "." + ext
    }

    /// The attachment's file name as Outlook shows it.
    public static func attachmentName(_ a: MAPIAttachmentData, index: Int) -> String {
        let p = a.props
        var name = p.text(Tag.attachLongFilename) ?? p.text(Tag.attachFilename) ?? p.text(Tag.displayName) ?? ""
        name = PathName.last(name)
        let banned = Set("/\\:*?\"<>|".unicodeScalars)
        name = String(String.UnicodeScalarView(name.unicodeScalars.filter { $0.value >= 0x20 && !banned.contains($0) }))
            .trimmingCharacters(in: .whitespaces)
        if name.isEmpty {
            let ext = p.text(Tag.attachExtension) ?? ""
            name = "attachment-\(index)" + (ext.hasPrefix(".") ? ext : (ext.isEmpty ? ".bin" : "." + ext))
        }
        return name
    }

    /// A sender or recipient: display name, address, and the address type (SMTP, EX...).
    struct Party: Equatable {
        var name: String
        var address: String
        var type: String
        var mailbox: String { MIMEOut.mailbox(name: name, address: address, type: type) }
    }

    /// The file name an embedded item goes by: the attachment's own name (its display name
    /// when it has no file name), with the extension of what the item became.
    public static func embeddedName(_ a: MAPIAttachmentData, index: Int, ext: String) -> String {
        let p = a.props
        var base = p.text(Tag.attachLongFilename) ?? p.text(Tag.attachFilename) ?? p.text(Tag.displayName)
            ?? a.embedded.map { subject($0.props) } ?? ""
        base = PathName.last(base)
        if ["msg", "eml", "oft"].contains(PathName.fileExtension(base).lowercased()) {
            base = PathName.deletingExtension(base)
        }
        return fileName(base, fallback: "attachment-\(index)", ext: ext)
    }

    /// Sender or sent-representing: the SMTP address when Outlook kept one, else what it has.
    static func party(_ p: MAPIProps, name: UInt16, addrType: UInt16, email: UInt16, smtp: UInt16) -> Party? {
        let n = p.text(name) ?? ""
        var a = p.text(smtp) ?? ""
        var type = "SMTP"
        if a.isEmpty, let e = p.text(email) {
            a = e
            type = p.text(addrType) ?? "SMTP"
        }
        if n.isEmpty && a.isEmpty { return nil }
        return Party(name: n, address: a, type: type)
    }

    static func recipientAddress(_ r: MAPIProps) -> Party {
        let name = r.text(Tag.displayName) ?? r.text(Tag.recipientDisplayName) ?? ""
        var addr = r.text(Tag.smtpAddress) ?? ""
        var type = "SMTP"
        if addr.isEmpty, let e = r.text(Tag.emailAddress) {
            addr = e
            type = r.text(Tag.addrType) ?? "SMTP"
        }
        // Some writers keep the SMTP form of an Exchange recipient only in the org address.
        if addr.isEmpty || !MIMEOut.isInternetAddress(addr), let org = r.text(0x403E), MIMEOut.isInternetAddress(org) {
            addr = org
            type = "SMTP"
        }
        return Party(name: name, address: addr, type: type)
    }

    static func recipients(_ m: MAPIMessageData, type: Int) -> [Party] {
        m.recipients.filter { (($0.int(Tag.recipientType) ?? 1) & 0x0FFF_FFFF) == type }.map(recipientAddress)
    }
}

// MARK: - Email

enum Email {
    /// Header fields we write ourselves from MAPI properties; the rest of the transport
    /// headers are kept as they arrived.
    static let generated: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to", "references",
        "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "content-id",
        "content-description", "content-length", "content-md5",
    ]

    static func render(_ m: MAPIMessageData, depth: Int, warnings: inout [String]) -> [UInt8] {
        let p = m.props
        let transport = p.string(Tag.transportHeaders).map(parseHeaders) ?? []
        func fromTransport(_ name: String) -> String? {
            transport.first { $0.name.lowercased() == name }?.value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var head = ""
        for h in transport where !generated.contains(h.name.lowercased()) {
            head += h.raw
        }
        // An Exchange sender without an SMTP address often is also a recipient (sent items,
        // replies to all), and the recipient table keeps both forms.
        var smtpByDN: [String: String] = [:]
        for r in m.recipients {
            if let dn = r.text(Tag.emailAddress), let smtp = r.text(Tag.smtpAddress), MIMEOut.isInternetAddress(smtp) {
                smtpByDN[dn.lowercased()] = smtp
            }
        }
        func resolved(_ party: MAPIMessage.Party?) -> MAPIMessage.Party? {
            guard var q = party, !MIMEOut.isInternetAddress(q.address), let smtp = smtpByDN[q.address.lowercased()] else { return party }
            q.address = smtp
            q.type = "SMTP"
            return q
        }
        let from = resolved(MAPIMessage.party(p, name: Tag.sentRepresentingName, addrType: Tag.sentRepresentingAddrType,
                                              email: Tag.sentRepresentingEmail, smtp: Tag.sentRepresentingSMTP))
        let sender = resolved(MAPIMessage.party(p, name: Tag.senderName, addrType: Tag.senderAddrType,
                                                email: Tag.senderEmail, smtp: Tag.senderSMTP))
        if let f = from ?? sender {
            head += MIMEOut.addressField("From", [f.mailbox])
            if let s = sender, from != nil, s.address.lowercased() != f.address.lowercased() {
                head += MIMEOut.addressField("Sender", [s.mailbox])
            }
        } else if let raw = fromTransport("from") {
            head += "From: " + raw + MIMEOut.crlf
        }
        for (field, type) in [("To", 1), ("Cc", 2), ("Bcc", 3)] {
            let list = MAPIMessage.recipients(m, type: type).map(\.mailbox)
            if !list.isEmpty {
                head += MIMEOut.addressField(field, list)
            } else if let raw = fromTransport(field.lowercased()) {
                head += field + ": " + raw + MIMEOut.crlf
            }
        }
        let subject = MAPIMessage.subject(p)
        if !subject.isEmpty { head += MIMEOut.unstructured("Subject", subject) }
        if let d = fromTransport("date") {
            head += "Date: " + d + MIMEOut.crlf
        } else if let d = p.date(Tag.clientSubmitTime) ?? p.date(Tag.deliveryTime) ?? p.date(Tag.creationTime) {
            head += "Date: " + MIMEOut.rfc5322Date(d) + MIMEOut.crlf
        }
        if let id = fromTransport("message-id") ?? p.text(Tag.internetMessageID), MIMEOut.isPlainASCII(id) {
            head += MIMEOut.fold("Message-ID: " + id)
        }
        if let r = p.text(Tag.inReplyTo) ?? fromTransport("in-reply-to"), MIMEOut.isPlainASCII(r) {
            head += MIMEOut.fold("In-Reply-To: " + r)
        }
        if let r = p.text(Tag.internetReferences) ?? fromTransport("references"), MIMEOut.isPlainASCII(r) {
            head += MIMEOut.fold("References: " + r.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
        }
        if fromTransport("importance") == nil {
            switch p.int(Tag.importance) {
            case 0?: head += "Importance: low" + MIMEOut.crlf
            case 2?: head += "Importance: high" + MIMEOut.crlf
            default: break
            }
        }
        // Outlook categories are the mailbox owner's, so never in the transport headers.
        let keywords = p.strings(p.value(PropertySet.publicStrings, name: "Keywords"))
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !keywords.isEmpty, fromTransport("keywords") == nil {
            head += MIMEOut.unstructured("Keywords", keywords.joined(separator: ", "))
        }
        head += "MIME-Version: 1.0" + MIMEOut.crlf

        let salt = subject + (p.text(Tag.internetMessageID) ?? "")
        var parts: [[UInt8]] = []
        if let body = bodyPart(m, salt: salt) { parts.append(body) }
        let cls = m.messageClass.lowercased()
        if cls.hasPrefix("ipm.schedule.meeting") {
            let method = cls.contains("canceled") ? "CANCEL" : (cls.contains(".resp.") ? "REPLY" : "REQUEST")
            let ics = ICalendar.render(m, method: method)
            var part = "Content-Type: text/calendar; charset=\"utf-8\"; method=\(method)" + MIMEOut.crlf
            let params = MIMEOut.fileNameParameters(MAPIMessage.fileName(subject, fallback: "meeting", ext: "ics"))
            part += "Content-Disposition: attachment" + params.disposition + MIMEOut.crlf
            part += "Content-Transfer-Encoding: base64" + MIMEOut.crlf + MIMEOut.crlf
            parts.append(Array(part.utf8) + Array(MIMEOut.base64Lines(Array(ics.utf8)).utf8))
        }
        for (i, a) in m.attachments.enumerated() {
            parts.append(attachmentPart(a, index: i + 1, depth: depth, warnings: &warnings))
        }
        var out = Array(head.utf8)
        if parts.count == 1 {
            out += parts[0]
        } else if parts.isEmpty {
            out += MIMEOut.textPart("plain", "")
        } else {
            out += MIMEOut.multipart("mixed", parts, salt: salt)
        }
        return out
    }

    /// Plain and HTML bodies; when neither exists, what the compressed RTF holds.
    static func bodyPart(_ m: MAPIMessageData, salt: String) -> [UInt8]? {
        let p = m.props
        var plain = p.string(Tag.body)
        var html: String? = nil
        if let v = p.value(Tag.html) {
            if v.type == MAPIType.binary {
                let cp = p.int(Tag.internetCPID) ?? MAPIMessageData.codePage(p)
                html = CodePage.decode(trimNul(v.bytes), codePage: cp > 0 ? cp : 65001)
            } else {
                html = p.decodeString(v)
            }
        }
        if (plain ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || html == nil,
           let rtfc = p.binary(Tag.rtfCompressed), let rtf = CompressedRTF.decompress(rtfc) {
            switch RTFBody.body(rtf) {
            case .html(let h):
                if html == nil, !h.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { html = h }
            case .text(let t):
                if (plain ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                   !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { plain = t }
            }
        }
        if let h = html, h.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { html = nil }
        switch (plain, html) {
        case (let t?, let h?):
            return MIMEOut.multipart("alternative", [MIMEOut.textPart("plain", t), MIMEOut.textPart("html", h)], salt: salt)
        case (let t?, nil): return MIMEOut.textPart("plain", t)
        case (nil, let h?): return MIMEOut.textPart("html", h)
        case (nil, nil): return nil
        }
    }

    static func trimNul(_ b: [UInt8]) -> [UInt8] {
        var end = b.count
        while end > 0 && b[end - 1] == 0 { end -= 1 }
        return Array(b[0..<end])
    }

    static func attachmentPart(_ a: MAPIAttachmentData, index: Int, depth: Int, warnings: inout [String]) -> [UInt8] {
        let name = MAPIMessage.attachmentName(a, index: index)
        if let inner = a.embedded {
            if depth + 1 > MAPIMessage.maxDepth {
                warnings.append("embedded message \"\(name)\" nested deeper than \(MAPIMessage.maxDepth) levels; not rendered")
                return MIMEOut.textPart("plain", "Embedded message nested too deeply; not rendered.",
                                        extraHeaders: "Content-Disposition: attachment; filename=\"nested-message.txt\"" + MIMEOut.crlf)
            }
            var innerWarnings = inner.warnings
            let bytes = render(inner, depth: depth + 1, warnings: &innerWarnings)
            warnings += innerWarnings
            return MIMEOut.messagePart(fileName: MAPIMessage.embeddedName(a, index: index, ext: "eml"), message: bytes)
        }
        let type = MIMEOut.mediaType(a.props.text(Tag.attachMimeTag)) ?? "application/octet-stream"
        let cid = a.props.text(Tag.attachContentID)
        if let data = a.data {
            return MIMEOut.binaryPart(contentType: type, fileName: name, data: data, contentID: cid)
        }
        let why = a.note ?? {
            switch a.method {
            case 2, 3, 4, 7:
                let path = a.props.text(Tag.attachLongPathname) ?? a.props.text(Tag.attachPathname) ?? "an unknown location"
                return "attached by reference to \(path); the file is not inside the message"
            default: return "attachment data missing from the message"
            }
        }()
        warnings.append("attachment \"\(name)\": \(why)")
        return MIMEOut.binaryPart(contentType: type, fileName: name, data: [], contentID: cid, description: why)
    }

    struct Header { var name: String; var value: String; var raw: String }

    /// Splits a header block into fields, keeping each field's own folding.
    static func parseHeaders(_ text: String) -> [Header] {
        var out: [Header] = []
        var current: [String] = []
        func close() {
            guard let first = current.first, let colon = first.firstIndex(of: ":") else { current = []; return }
            let name = String(first[..<colon]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }) else { current = []; return }
            var value = String(first[first.index(after: colon)...])
            for c in current.dropFirst() { value += " " + c.trimmingCharacters(in: .whitespaces) }
            let raw = current.joined(separator: MIMEOut.crlf) + MIMEOut.crlf
            out.append(Header(name: name, value: value, raw: raw))
            current = []
        }
        for line in MIMEOut.normaliseNewlines(text).components(separatedBy: "\n") {
            if line.isEmpty { close(); if !out.isEmpty { break } else { continue } }
            if line.first == " " || line.first == "\t" {
                if !current.isEmpty { current.append(line) }
            } else {
                close()
                current = [line]
            }
        }
        close()
        return out
    }
}

// MARK: - iCalendar

enum ICalendar {
    static func render(_ m: MAPIMessageData, method: String?) -> String {
        let p = m.props
        var lines: [String] = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//disclose//Outlook item//EN"]
        if let method { lines.append("METHOD:" + method) }
        lines.append("BEGIN:VEVENT")
        if let uid = p.binary(PropertySet.meeting, 0x0023) ?? p.binary(PropertySet.meeting, 0x0003), !uid.isEmpty {
            lines.append("UID:" + uid.map { String(format: "%02X", $0) }.joined())
        } else if let id = p.text(Tag.internetMessageID) {
            lines.append(prop("UID", id))
        } else {
            let seed = MAPIMessage.subject(p) + (p.date(PropertySet.appointment, 0x820D)?.timeIntervalSince1970.description ?? "")
                + (p.date(Tag.creationTime)?.timeIntervalSince1970.description ?? "")
            lines.append("UID:" + String(Hash.sha256(seed).prefix(32)) + "@disclose")
        }
        if let stamp = p.date(Tag.lastModificationTime) ?? p.date(Tag.creationTime) ?? p.date(Tag.clientSubmitTime) {
            lines.append("DTSTAMP:" + utc(stamp))
        }
        if let c = p.date(Tag.creationTime) { lines.append("CREATED:" + utc(c)) }
        let start = p.date(PropertySet.appointment, 0x820D) ?? p.date(PropertySet.common, 0x8516)
        let end = p.date(PropertySet.appointment, 0x820E) ?? p.date(PropertySet.common, 0x8517)
        let allDay = p.bool(PropertySet.appointment, 0x8215) ?? false
        let bias = TimeZoneInfo.biasMinutes(p.binary(PropertySet.appointment, 0x825E) ?? p.binary(PropertySet.appointment, 0x8260))
        if let s = start {
            if allDay { lines.append("DTSTART;VALUE=DATE:" + localDate(s, bias: bias)) } else { lines.append("DTSTART:" + utc(s)) }
        }
        if let e = end {
            if allDay { lines.append("DTEND;VALUE=DATE:" + localDate(e, bias: bias)) } else { lines.append("DTEND:" + utc(e)) }
        }
        if let tz = p.text(PropertySet.appointment, 0x8234) { lines.append(prop("X-MS-TIMEZONE", tz)) }
        let subject = MAPIMessage.subject(p)
        if !subject.isEmpty { lines.append(prop("SUMMARY", subject)) }
        if let loc = p.text(PropertySet.appointment, 0x8208) ?? p.text(PropertySet.meeting, 0x0002) {
            lines.append(prop("LOCATION", loc))
        }
        if let recur = p.binary(PropertySet.appointment, 0x8216), let rule = Recurrence.parse(recur) {
            lines.append("RRULE:" + rule.rrule)
            for d in rule.deleted { lines.append("EXDATE;VALUE=DATE:" + d) }
        }
        if let text = p.text(PropertySet.appointment, 0x8232) { lines.append(prop("X-MS-RECURRENCE-PATTERN", text)) }
        if let org = MAPIMessage.party(p, name: Tag.sentRepresentingName, addrType: Tag.sentRepresentingAddrType,
                                       email: Tag.sentRepresentingEmail, smtp: Tag.sentRepresentingSMTP)
            ?? MAPIMessage.party(p, name: Tag.senderName, addrType: Tag.senderAddrType, email: Tag.senderEmail, smtp: Tag.senderSMTP) {
            lines.append(calAddress("ORGANIZER", name: org.name, address: org.address, role: nil))
        }
        for r in m.recipients {
            let party = MAPIMessage.recipientAddress(r)
            let (name, addr) = (party.name, party.address)
            if name.isEmpty && addr.isEmpty { continue }
            let type = (r.int(Tag.recipientType) ?? 1) & 0x0FFF_FFFF
            let role = type == 2 ? "OPT-PARTICIPANT" : (type == 3 ? "NON-PARTICIPANT" : "REQ-PARTICIPANT")
            lines.append(calAddress("ATTENDEE", name: name, address: addr, role: role))
        }
        let keywords = p.strings(p.value(PropertySet.publicStrings, name: "Keywords")).filter { !$0.isEmpty }
        if !keywords.isEmpty { lines.append("CATEGORIES:" + keywords.map(escape).joined(separator: ",")) }
        switch p.int(PropertySet.appointment, 0x8205) {
        case 0?: lines.append("TRANSP:TRANSPARENT")
        case 1?, 2?, 3?: lines.append("TRANSP:OPAQUE")
        default: break
        }
        if let body = bodyText(p), !body.isEmpty { lines.append(prop("DESCRIPTION", body)) }
        lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
        return lines.map(foldLine).joined()
    }

    static func bodyText(_ p: MAPIProps) -> String? {
        if let b = p.string(Tag.body), !b.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return MIMEOut.normaliseNewlines(b)
        }
        if let rtfc = p.binary(Tag.rtfCompressed), let rtf = CompressedRTF.decompress(rtfc) {
            switch RTFBody.body(rtf) {
            case .text(let t): return t
            case .html(let h): return HTMLText.strip(h)
            }
        }
        return nil
    }

    static func calAddress(_ name: String, name display: String, address: String, role: String?) -> String {
        var s = name
        if let role { s += ";ROLE=" + role }
        if !display.isEmpty { s += ";CN=" + paramValue(display) }
        s += ":" + (address.isEmpty ? "invalid:nomail" : (MIMEOut.isInternetAddress(address) ? "mailto:" + address : "X-EX:" + escape(address)))
        return s
    }

    static func paramValue(_ v: String) -> String {
        let clean = v.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: "")
        return clean.contains(where: { ",;:".contains($0) }) ? "\"" + clean + "\"" : clean
    }

    static func prop(_ name: String, _ value: String) -> String { name + ":" + escape(value) }

    static func escape(_ v: String) -> String {
        var s = ""
        for ch in MIMEOut.normaliseNewlines(v) {
            switch ch {
            case "\\": s += "\\\\"
            case ";": s += "\\;"
            case ",": s += "\\,"
            case "\n": s += "\\n"
            default: s.append(ch)
            }
        }
        return s
    }

    /// Lines of at most 75 octets, continued with a space, never splitting a UTF-8 sequence.
    static func foldLine(_ line: String) -> String {
        var out = ""
        var count = 0
        for ch in line {
            let n = String(ch).utf8.count
            if count + n > 75 { out += "\r\n "; count = 1 }
            out.append(ch)
            count += n
        }
        return out + "\r\n"
    }

    static func utc(_ d: Date) -> String {
        let c = MIMEOut.civil(d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    static func localDate(_ d: Date, bias: Int) -> String {
        let c = MIMEOut.civil(d.addingTimeInterval(TimeInterval(-bias * 60)))
        return String(format: "%04d%02d%02d", c.year, c.month, c.day)
    }
}

/// The standard bias of a TZDEFINITION blob (PidLidAppointmentTimeZoneDefinitionStartDisplay).
enum TimeZoneInfo {
    static func biasMinutes(_ b: [UInt8]?) -> Int {
        guard let b, b.count >= 8 else { return 0 }
        // Header: major, minor, size (2), flags (2), key name (count + UTF-16), rule count.
        let keyChars = Int(LE.u16(b, 6))
        var o = 8 + keyChars * 2
        guard o + 2 <= b.count else { return 0 }
        let rules = Int(LE.u16(b, o))
        o += 2
        guard rules > 0, o + 66 <= b.count else { return 0 }
        // Rule: major, minor, size, flags (2), start year (2), X (14), bias (4)...
        return Int(Int32(bitPattern: LE.u32(b, o + 22)))
    }
}

/// Appointment recurrence (MS-OXOCAL RecurrencePattern) as an RFC 5545 RRULE.
enum Recurrence {
    struct Rule { var rrule: String; var deleted: [String] }

    static func parse(_ b: [UInt8]) -> Rule? {
        guard b.count >= 22 else { return nil }
        var o = 4
        func u16() -> Int { defer { o += 2 }; return Int(LE.u16(b, o)) }
        func u32() -> Int { defer { o += 4 }; return Int(LE.u32(b, o)) }
        let frequency = u16()
        let patternType = u16()
        _ = u16()  // calendar type
        _ = u32()  // first date-time
        let period = u32()
        _ = u32()  // sliding flag
        var dayBits = 0, dayOfMonth = 0, nth = 0
        switch patternType {
        case 0x0: break
        case 0x1: dayBits = u32()
        case 0x2, 0x3, 0xA, 0xC: dayOfMonth = u32()
        case 0x4, 0xB: dayBits = u32(); nth = u32()
        default: return nil
        }
        guard o + 12 <= b.count else { return nil }
        let endType = u32()
        let count = u32()
        _ = u32()  // first day of week
        let deletedCount = u32()
        guard deletedCount >= 0, deletedCount < 100_000, o + deletedCount * 4 <= b.count else { return nil }
        var deleted: [Int] = []
        for _ in 0..<deletedCount { deleted.append(u32()) }
        let modifiedCount = u32()
        guard modifiedCount < 100_000, o + modifiedCount * 4 + 8 <= b.count else { return nil }
        o += modifiedCount * 4
        let startDate = u32()
        let endDate = u32()

        var parts: [String] = []
        let days = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
        let byDay = (0..<7).filter { dayBits & (1 << $0) != 0 }.map { days[$0] }.joined(separator: ",")
        switch (frequency, patternType) {
        case (0x200A, 0x0):
            parts.append("FREQ=DAILY")
            if period >= 1440 && period / 1440 > 1 { parts.append("INTERVAL=\(period / 1440)") }
        case (0x200A, 0x1):
            parts.append("FREQ=WEEKLY")
            if !byDay.isEmpty { parts.append("BYDAY=" + byDay) }
        case (0x200B, _):
            parts.append("FREQ=WEEKLY")
            if period > 1 { parts.append("INTERVAL=\(period)") }
            if !byDay.isEmpty { parts.append("BYDAY=" + byDay) }
        case (0x200C, _), (0x200D, _):
            let yearly = frequency == 0x200D || (period > 0 && period % 12 == 0)
            parts.append(yearly ? "FREQ=YEARLY" : "FREQ=MONTHLY")
            let interval = yearly ? max(1, period / 12) : max(1, period)
            if interval > 1 { parts.append("INTERVAL=\(interval)") }
            if yearly, let month = Int(minutesDate(startDate).dropFirst(4).prefix(2)) { parts.append("BYMONTH=\(month)") }
            switch patternType {
            case 0x3, 0xC: parts.append("BYMONTHDAY=-1")
            case 0x4, 0xB:
                if !byDay.isEmpty { parts.append("BYDAY=" + byDay) }
                parts.append("BYSETPOS=\(nth == 5 ? -1 : nth)")
            default: if dayOfMonth > 0 { parts.append("BYMONTHDAY=\(dayOfMonth)") }
            }
        default:
            return nil
        }
        switch endType {
        case 0x2021: parts.append("UNTIL=" + minutesDate(endDate) + "T235959Z")
        case 0x2022: if count > 0 { parts.append("COUNT=\(count)") }
        default: break
        }
        return Rule(rrule: parts.joined(separator: ";"), deleted: deleted.map(minutesDate))
    }

    /// Recurrence dates count minutes since 1601-01-01.
    static func minutesDate(_ minutes: Int) -> String {
        let d = Date(timeIntervalSince1970: Double(minutes) * 60 - 11_644_473_600)
        let c = MIMEOut.civil(d)
        return String(format: "%04d%02d%02d", c.year, c.month, c.day)
    }
}

// MARK: - vCard

enum VCard {
    static func render(_ m: MAPIMessageData) -> String {
        let p = m.props
        let A = PropertySet.address
        var lines = ["BEGIN:VCARD", "VERSION:3.0"]
        let fn = p.text(Tag.displayName) ?? p.text(A, 0x8005) ?? MAPIMessage.subject(p)
        lines.append("FN:" + ICalendar.escape(fn))
        let n = [p.text(0x3A11), p.text(0x3A06), p.text(0x3A44), p.text(0x3A45), p.text(0x3A05)].map { ICalendar.escape($0 ?? "") }
        lines.append("N:" + n.joined(separator: ";"))
        if let nick = p.text(0x3A4F) { lines.append("NICKNAME:" + ICalendar.escape(nick)) }
        let org = [p.text(0x3A16), p.text(0x3A18)].compactMap { $0 }.map(ICalendar.escape)
        if !org.isEmpty { lines.append("ORG:" + org.joined(separator: ";")) }
        if let t = p.text(0x3A17) { lines.append("TITLE:" + ICalendar.escape(t)) }
        for lid: UInt32 in [0x8083, 0x8093, 0x80A3] {
            guard let e = p.text(A, lid) else { continue }
            let type = (p.text(A, lid - 1) ?? "SMTP").uppercased()
            let smtp = type == "SMTP" ? e : (p.text(A, lid + 1).flatMap { s in MIMEOut.isInternetAddress(s) ? s : nil } ?? e)
            lines.append("EMAIL;TYPE=INTERNET:" + ICalendar.escape(smtp))
        }
        let phones: [(UInt16, String)] = [
            (0x3A08, "WORK,VOICE"), (0x3A1B, "WORK,VOICE"), (0x3A09, "HOME,VOICE"), (0x3A2F, "HOME,VOICE"),
            (0x3A1C, "CELL"), (0x3A24, "WORK,FAX"), (0x3A25, "HOME,FAX"), (0x3A23, "FAX"), (0x3A1F, "VOICE"),
            (0x3A21, "PAGER"), (0x3A1A, "PREF"), (0x3A2E, "X-ASSISTANT"), (0x3A1E, "CAR"), (0x3A57, "WORK,X-COMPANY"),
            (0x3A1D, "X-RADIO"), (0x3A2D, "ISDN"), (0x3A4B, "X-CALLBACK"), (0x3A4C, "X-TELEX"), (0x3A4D, "X-TTY"),
        ]
        for (id, type) in phones {
            if let v = p.text(id) { lines.append("TEL;TYPE=\(type):" + ICalendar.escape(v)) }
        }
        func adr(_ type: String, _ street: String?, _ city: String?, _ state: String?, _ postal: String?, _ country: String?) {
            let f = [street, city, state, postal, country]
            guard f.contains(where: { $0 != nil }) else { return }
            lines.append("ADR;TYPE=\(type):;;" + f.map { ICalendar.escape($0 ?? "") }.joined(separator: ";"))
        }
        adr("WORK", p.text(A, 0x8045) ?? p.text(0x3A29), p.text(A, 0x8046) ?? p.text(0x3A27), p.text(A, 0x8047) ?? p.text(0x3A28),
            p.text(A, 0x8048) ?? p.text(0x3A2A), p.text(A, 0x8049) ?? p.text(0x3A26))
        adr("HOME", p.text(0x3A5D), p.text(0x3A59), p.text(0x3A5C), p.text(0x3A5B), p.text(0x3A5A))
        adr("POSTAL", p.text(0x3A63), p.text(0x3A5F), p.text(0x3A62), p.text(0x3A61), p.text(0x3A60))
        var urls: [String] = []
        for u in [p.text(0x3A51), p.text(0x3A50), p.text(A, 0x802B)].compactMap({ $0 }) where !urls.contains(u) { urls.append(u) }
        for u in urls { lines.append("URL:" + ICalendar.escape(u)) }
        if let im = p.text(A, 0x8062) { lines.append("X-MS-IMADDRESS:" + ICalendar.escape(im)) }
        if let b = p.date(0x3A42) { lines.append("BDAY:" + ICalendar.localDate(b, bias: 0)) }
        if let a = p.date(0x3A41) { lines.append("ANNIVERSARY:" + ICalendar.localDate(a, bias: 0)) }
        if let s = p.text(0x3A48) { lines.append("X-SPOUSE:" + ICalendar.escape(s)) }
        if let s = p.text(0x3A30) { lines.append("X-ASSISTANT:" + ICalendar.escape(s)) }
        if let s = p.text(0x3A4E) { lines.append("X-MANAGER:" + ICalendar.escape(s)) }
        if let s = p.text(0x3A19) { lines.append("X-OFFICE:" + ICalendar.escape(s)) }
        let keywords = p.strings(p.value(PropertySet.publicStrings, name: "Keywords")).filter { !$0.isEmpty }
        if !keywords.isEmpty { lines.append("CATEGORIES:" + keywords.map(ICalendar.escape).joined(separator: ",")) }
        if let body = ICalendar.bodyText(p), !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            lines.append("NOTE:" + ICalendar.escape(body))
        }
        lines.append("END:VCARD")
        return lines.map(ICalendar.foldLine).joined()
    }
}

// MARK: - Tasks, notes, journal entries, distribution lists

enum PlainRendering {
    static func render(_ m: MAPIMessageData) -> String {
        let p = m.props
        let cls = m.messageClass.lowercased()
        var rows: [(String, String)] = []
        func add(_ label: String, _ value: String?) {
            if let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { rows.append((label, v)) }
        }
        func when(_ d: Date?) -> String? { d.map { MIMEOut.rfc5322Date($0) } }
        let subject = MAPIMessage.subject(p)
        let T = PropertySet.task
        if cls.hasPrefix("ipm.task") {
            add("Task", subject)
            let status = ["Not started", "In progress", "Completed", "Waiting on someone else", "Deferred"]
            if let s = p.int(T, 0x8101), s >= 0, s < status.count { add("Status", status[s]) }
            if let pc = p.double(T, 0x8102), pc.isFinite, pc >= 0, pc <= 1 { add("Percent complete", "\(Int((pc * 100).rounded()))%") }
            add("Start date", when(p.date(T, 0x8104)))
            add("Due date", when(p.date(T, 0x8105)))
            add("Date completed", when(p.date(T, 0x810F)))
            add("Owner", p.text(T, 0x811F))
            add("Assigned by", p.text(T, 0x8121))
            if let e = p.int(T, 0x8111), e > 0 { add("Estimated effort", "\(e) minutes") }
            if let e = p.int(T, 0x8110), e > 0 { add("Actual effort", "\(e) minutes") }
        } else if cls.hasPrefix("ipm.stickynote") {
            add("Note", subject)
            let colours = ["Blue", "Green", "Pink", "Yellow", "White"]
            if let c = p.int(PropertySet.note, 0x8B00), c >= 0, c < colours.count { add("Colour", colours[c]) }
        } else if cls.hasPrefix("ipm.activity") {
            add("Journal entry", subject)
            add("Entry type", p.text(PropertySet.log, 0x8700))
            add("Start", when(p.date(PropertySet.log, 0x8706)))
            add("End", when(p.date(PropertySet.log, 0x8708)))
            if let d = p.int(PropertySet.log, 0x8707), d > 0 { add("Duration", "\(d) minutes") }
            add("Companies", p.strings(p.value(PropertySet.common, 0x8539)).joined(separator: "; "))
        } else if cls.hasPrefix("ipm.distlist") {
            add("Distribution list", p.text(PropertySet.address, 0x8053) ?? p.text(Tag.displayName) ?? subject)
            let members = (p.value(PropertySet.address, 0x8054)?.values ?? []).compactMap(OneOffEntryID.parse)
            for (i, mbr) in members.enumerated() {
                add(i == 0 ? "Members" : "", mbr.1.isEmpty ? mbr.0 : "\(mbr.0) <\(mbr.1)>")
            }
        } else {
            add("Item", subject)
        }
        add("Importance", [0: "Low", 2: "High"][p.int(Tag.importance) ?? 1])
        add("Categories", p.strings(p.value(PropertySet.publicStrings, name: "Keywords")).joined(separator: ", "))
        add("Created", when(p.date(Tag.creationTime)))
        add("Modified", when(p.date(Tag.lastModificationTime)))
        let width = rows.map { $0.0.count }.max() ?? 0
        // A title line first: text that opens with "Name: value" lines would be taken for mail.
        let title = cls.hasPrefix("ipm.task") ? "Outlook task" : cls.hasPrefix("ipm.stickynote") ? "Outlook note"
            : cls.hasPrefix("ipm.activity") ? "Outlook journal entry" : cls.hasPrefix("ipm.distlist") ? "Outlook distribution list" : "Outlook item"
        var out = title + "\n\n" + rows.map { ($0.0.isEmpty ? "" : $0.0 + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
            .joined(separator: "\n") + "\n"
        if let body = ICalendar.bodyText(p), !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out += "\n" + body + (body.hasSuffix("\n") ? "" : "\n")
        }
        return out.replacingOccurrences(of: "\n", with: "\r\n")
    }
}

/// A one-off entry ID (a distribution-list member typed in by hand): display name, address
/// type and address as strings.
enum OneOffEntryID {
    static func parse(_ b: [UInt8]) -> (String, String)? {
        guard b.count > 24 else { return nil }
        let flags = LE.u16(b, 22)
        let unicode = flags & 0x8000 != 0
        var o = 24
        func next() -> String {
            var bytes: [UInt8] = []
            if unicode {
                while o + 1 < b.count { let u = LE.u16(b, o); o += 2; if u == 0 { break }; bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
                return MAPIText.utf16(bytes)
            }
            while o < b.count { let c = b[o]; o += 1; if c == 0 { break }; bytes.append(c) }
            return CodePage.windows1252(bytes)
        }
        let name = next(), _ = next(), addr = next()
        return (name, addr)
    }
}

/// Text of an HTML body for places that take only text (an event's description).
enum HTMLText {
    static func strip(_ html: String) -> String {
        var s = html
        for tag in ["style", "script", "head"] {
            while let r = s.range(of: "<\(tag)", options: .caseInsensitive),
                  let e = s.range(of: "</\(tag)>", options: .caseInsensitive, range: r.upperBound..<s.endIndex) {
                s.removeSubrange(r.lowerBound..<e.upperBound)
            }
        }
        s = s.replacingOccurrences(of: "<br[^>]*>|</p>|</div>|</tr>", with: "\n", options: [.regularExpression, .caseInsensitive])
        s = s.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        for (e, r) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: e, with: r)
        }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
