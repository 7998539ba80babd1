import Foundation
import DiscloseCore

/// One header field as the reader should see it: RFC 2047 words decoded, folding removed.
public struct MIMEHeader: Sendable, Equatable {
    public let name: String
    public let value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

public struct MIMEAttachment: Sendable {
    /// Decoded (RFC 2231 / RFC 2047) and reduced to its last path component; synthesised when
    /// the part carries no name, so every attachment can be written out under some name.
    public let fileName: String
    /// Lowercased `type/subtype`.
    public let contentType: String
    /// A message/rfc822 part: `data` is then the complete inner message.
    public let isMessage: Bool
    public let isInline: Bool
    /// Without angle brackets; empty when absent.
    public let contentID: String
    /// Transfer-decoded bytes, never charset-converted.
    public let data: Data

    public init(fileName: String, contentType: String, isMessage: Bool, isInline: Bool,
                contentID: String, data: Data) {
        self.fileName = fileName; self.contentType = contentType; self.isMessage = isMessage
        self.isInline = isInline; self.contentID = contentID; self.data = data
    }
}

/// The Date header as an instant plus the sender's own UTC offset, which review tools show.
public struct MIMEDate: Sendable, Equatable {
    public let utc: Date
    public let offsetSeconds: Int
    public init(utc: Date, offsetSeconds: Int) { self.utc = utc; self.offsetSeconds = offsetSeconds }
}

public struct MIMEMessage: Sendable {
    /// Every top-level header, in file order.
    public let headers: [MIMEHeader]
    public let from: [Address]
    public let sender: [Address]
    public let to: [Address]
    public let cc: [Address]
    public let bcc: [Address]
    public let replyTo: [Address]
    public let subject: String
    public let date: MIMEDate?
    /// Without angle brackets; empty when the message has none.
    public let messageID: String
    public let inReplyTo: String
    public let references: [String]
    /// text/plain body parts in UTF-8 with `\n` line ends, joined by a blank line.
    public let bodyText: String
    /// text/html body parts in UTF-8; callers fall back to it when `bodyText` is empty.
    public let bodyHTML: String
    /// The text/html body parts that have no text/plain alternative (part of `bodyHTML`):
    /// their content is not in `bodyText`, so callers that show `bodyText` must add it.
    public let bodyHTMLWithoutPlain: String
    /// In MIME tree order.
    public let attachments: [MIMEAttachment]
    public let warnings: [String]
    /// Parts that are in the message but were not read; the caller must account for them.
    public let losses: [MIMELoss]

    public init(headers: [MIMEHeader], from: [Address], sender: [Address], to: [Address],
                cc: [Address], bcc: [Address], replyTo: [Address], subject: String,
                date: MIMEDate?, messageID: String, inReplyTo: String, references: [String],
                bodyText: String, bodyHTML: String, bodyHTMLWithoutPlain: String = "", attachments: [MIMEAttachment],
                warnings: [String], losses: [MIMELoss] = []) {
        self.headers = headers; self.from = from; self.sender = sender; self.to = to
        self.cc = cc; self.bcc = bcc; self.replyTo = replyTo; self.subject = subject
        self.date = date; self.messageID = messageID; self.inReplyTo = inReplyTo
        self.references = references; self.bodyText = bodyText; self.bodyHTML = bodyHTML
        self.bodyHTMLWithoutPlain = bodyHTMLWithoutPlain
        self.attachments = attachments; self.warnings = warnings; self.losses = losses
    }

    /// The first header with this name, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public enum MIMEError: Error, CustomStringConvertible {
    case notAMessage(String)
    case parse(String)

    public var description: String {
        switch self {
        case .notAMessage(let why): return "not an RFC 5322 message: \(why)"
        case .parse(let why): return "MIME parse failed: \(why)"
        }
    }
}

/// Content of a message that parsing did not reach (a part below the depth limit).
public struct MIMELoss: Sendable, Equatable {
    /// Where in the message, as `part 1.1.2` (IMAP section numbers).
    public let section: String
    public let reason: String
    public init(section: String, reason: String) { self.section = section; self.reason = reason }

    /// Long chains are shortened in the middle; the level count keeps the place exact enough.
    static func label(_ section: [Int]) -> String {
        let parts = section.map(String.init)
        if parts.count <= 8 { return "part " + parts.joined(separator: ".") }
        return "part " + parts.prefix(3).joined(separator: ".") + ".….\(parts.suffix(3).joined(separator: ".")) (\(parts.count) levels down)"
    }
}
