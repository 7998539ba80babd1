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
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, !m.bodyHTML.isEmpty {
            text = HTMLText.text(html: Data(m.bodyHTML.utf8), charset: "utf-8")
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
        default:
            d.textNote = "no text extracted from \(d.mimeType)"
        }
        return d
    }

    static func normalizeNewlines(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
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
