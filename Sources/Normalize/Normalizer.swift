import DiscloseCore
import Foundation
import MIMEKit
import XMLKit

/// Turns one extracted item into the canonical `Document`.
public struct Normalizer: Sendable {
    public init() {}

    public func document(for item: Item, bytes: Data) throws -> Document {
        switch item.kind {
        case .email: return try email(item, bytes)
        case .container:
            var d = Document(key: item.key, kind: .container)
            d.fileName = item.fileName
            d.mimeType = Sniff.mimeType(head: [UInt8](bytes.prefix(4096)), name: item.fileName)
            d.textNote = "container: its contents are produced as attached documents"
            return d
        case .file: return file(item, bytes)
        case .chat: return try chat(item, bytes)
        case .calendar: return try CalendarNormalizer.document(item, bytes)
        }
    }

    func email(_ item: Item, _ bytes: Data) throws -> Document {
        let m: MIMEMessage
        do { m = try MIME.parse(bytes) } catch { throw ReadFailure("MIME parse failed: \(error)") }
        var d = Document(key: item.key, kind: .email)
        d.from = m.from.first ?? m.sender.first
        d.to = m.to
        d.cc = m.cc
        d.bcc = m.bcc
        d.subject = Self.oneLine(m.subject)
        if let date = m.date {
            d.dateSent = Dates.isoUTC(date.utc)
            d.dateOffset = Dates.offset(date.offsetSeconds)
        }
        d.messageID = m.messageID
        d.inReplyTo = m.inReplyTo
        d.references = m.references
        d.fileName = item.fileName
        d.mimeType = "message/rfc822"
        var text = m.bodyText
        // A scan, not trimmingCharacters: Foundation copies the whole body through NSString.
        if !m.bodyHTML.isEmpty, text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            text = HTMLText.text(html: Data(m.bodyHTML.utf8), charset: "utf-8")
        } else if !m.bodyHTML.isEmpty {
            // An HTML body beside the plain one, not an alternative to it: the native shows it,
            // so review and redaction must see it too.
            if !m.bodyHTMLWithoutPlain.isEmpty {
                text += "\n\n" + HTMLText.text(html: Data(m.bodyHTMLWithoutPlain.utf8), charset: "utf-8")
            }
            // An "alternative" that says more than the plain text (most clients show the HTML)
            // is not an alternative: its text is added too.
            let html = HTMLText.text(html: Data(m.bodyHTML.utf8), charset: "utf-8")
            if !Self.words(html).isSubset(of: Self.words(text)) { text += "\n\n" + html }
        }
        d.text = Self.normalizeNewlines(text)
        d.headerText = m.headers.map { "\($0.name): \(Self.oneLine($0.value))" }.joined(separator: "\n")
        return d
    }

    func file(_ item: Item, _ bytes: Data) -> Document {
        var d = Document(key: item.key, kind: .file)
        d.fileName = item.fileName
        let head = [UInt8](bytes.prefix(4096))
        d.mimeType = Sniff.mimeType(head: head, name: item.fileName)
        switch d.mimeType {
        case "text/html":
            d.text = Self.normalizeNewlines(HTMLText.text(html: bytes, charset: nil))
        case let t where t.hasPrefix("text/") || t == "application/json":
            d.text = Self.normalizeNewlines(TextDecoding.decode(bytes))
        case "application/rtf":
            d.text = RTFText.text(bytes)
            if d.text.isEmpty { d.textNote = "no text in this RTF document" }
        case "application/pdf":
            let r = PDFText.extract(bytes)
            d.text = r.text
            d.textNote = r.note
        case let t where Sniff.isOfficeZipType(t):
            let r = OfficeText.extract(bytes, name: item.fileName, sniffed: t)
            d.text = r.text
            d.mimeType = r.mimeType
            d.textNote = r.note
        case "application/x-ole-storage":
            let ext = PathName.fileExtension(item.fileName).lowercased()
            d.textNote = ["docx", "xlsx", "pptx", "docm", "xlsm", "pptm"].contains(ext)
                ? "encrypted (password-protected) Office document; not read"
                : "legacy Office format not read (OLE2 compound file: .doc, .xls, .ppt or similar)"
        default:
            d.textNote = "no text extracted from \(d.mimeType)"
        }
        return d
    }

    /// A conversation-day: participants as recipients, the transcript as text, one line per
    /// message with its UTC time; edits and deletions stay visible as history.
    func chat(_ item: Item, _ bytes: Data) throws -> Document {
        let c: ChatDay
        do { c = try ChatDay.decode(bytes) } catch { throw ReadFailure("conversation-day JSON unreadable: \(error)") }
        var d = Document(key: item.key, kind: .chat)
        d.to = c.participants
        d.subject = "\(c.conversation) — \(c.day)"
        d.dateSent = c.messages.first?.time ?? ""
        d.dateOffset = d.dateSent.isEmpty ? "" : "+00:00"
        d.fileName = item.fileName
        d.mimeType = "application/vnd.disclose.chat-day+json"
        d.properties = [NamedValue("Platform", c.platform), NamedValue("Conversation", c.conversation),
                        NamedValue("Day", c.day), NamedValue("Messages", String(c.messages.count))]
        var lines: [String] = []
        for m in c.messages {
            let time = m.time.count >= 19 ? String(Array(m.time)[11..<19]) : m.time
            let who = m.sender.display
            var line = "[\(time)] \(who): "
            if m.deleted { line += "(deleted) " }
            if m.type != "message" { line += "(\(m.type)) " }
            line += m.text
            if !m.attachments.isEmpty { line += " [files: \(m.attachments.joined(separator: ", "))]" }
            lines.append(line)
            for e in m.edits { lines.append("    (earlier version, \(e.time)): \(e.text)") }
        }
        d.text = Self.normalizeNewlines(lines.joined(separator: "\n"))
        return d
    }

    /// Lowercased runs of letters and digits: enough to tell whether one text says something
    /// another does not, whatever the layout.
    static func words(_ s: String) -> Set<Substring> {
        Set(s.lowercased().split { !($0.isLetter || $0.isNumber) })
    }

    static func normalizeNewlines(_ s: String) -> String {
        // Byte test first: Foundation's replacingOccurrences is a locale-aware search.
        guard s.utf8.contains(0x0D) else { return s }
        return s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func oneLine(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x09 }) else {
            return s.trimmingCharacters(in: .whitespaces)
        }
        return s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\t", with: " ").trimmingCharacters(in: .whitespaces)
    }
}

public struct ReadFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

public enum Dates {
    public static func isoUTC(_ d: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let p = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    public static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return String(format: "%@%02d:%02d", sign, a / 3600, (a % 3600) / 60)
    }
}

extension Document {
    func with(_ change: (inout Document) -> Void) -> Document {
        var d = self
        change(&d)
        return d
    }
}
