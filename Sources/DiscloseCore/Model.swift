import Foundation

/// What an extracted item is. Containers met as attachments are family members;
/// containers given as sources (or inside source containers) are walked through, not produced.
public enum ItemKind: String, Codable, Sendable {
    case email
    case file
    case container
    /// One conversation on one day (RSMF style), synthesised from a chat export as `ChatDay` JSON.
    case chat
    /// One calendar event (an iCalendar object with one VEVENT).
    case calendar
}

/// One thing found by extract: an email, an attachment, a loose file.
/// `key` is the stable identity: source number then one ordinal per nesting level,
/// zero-padded, so sorting keys gives source order at every depth.
public struct Item: Codable, Sendable, Equatable {
    public var key: String
    public var parentKey: String?
    public var source: Int
    public var custodian: String
    public var kind: ItemKind
    public var format: String
    /// Source path, then `!/`-separated paths inside containers.
    public var path: String
    public var fileName: String
    public var folder: String
    public var size: Int64
    public var sha256: String
    public var sha1: String
    public var md5: String

    public init(key: String, parentKey: String?, source: Int, custodian: String, kind: ItemKind,
                format: String, path: String, fileName: String, folder: String, size: Int64,
                sha256: String, sha1: String, md5: String) {
        self.key = key; self.parentKey = parentKey; self.source = source; self.custodian = custodian
        self.kind = kind; self.format = format; self.path = path; self.fileName = fileName
        self.folder = folder; self.size = size; self.sha256 = sha256; self.sha1 = sha1; self.md5 = md5
    }
}

/// An item found but not produced because it could not be read.
public struct ExceptionRecord: Codable, Sendable, Equatable {
    public var key: String
    public var parentKey: String?
    public var source: Int
    public var custodian: String
    public var stage: String
    public var path: String
    public var reason: String

    public init(key: String, parentKey: String?, source: Int, custodian: String, stage: String,
                path: String, reason: String) {
        self.key = key; self.parentKey = parentKey; self.source = source; self.custodian = custodian
        self.stage = stage; self.path = path; self.reason = reason
    }
}

public struct Address: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var address: String
    public init(name: String, address: String) { self.name = name; self.address = address }

    /// `Jane Doe <jdoe@x>`, or the bare address when there is no display name.
    public var display: String {
        if name.isEmpty { return address }
        if address.isEmpty { return name }
        return "\(name) <\(address)>"
    }
}

/// The canonical document model every source is normalised into.
public struct Document: Codable, Sendable, Equatable {
    public var key: String
    public var kind: ItemKind
    public var from: Address?
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    public var subject: String
    /// UTC, ISO 8601 (`2024-03-05T14:24:00Z`); empty when the source has no usable date.
    public var dateSent: String
    /// The sender's original UTC offset, `+09:00`.
    public var dateOffset: String
    public var dateReceived: String
    public var messageID: String
    public var inReplyTo: String
    public var references: [String]
    public var fileName: String
    public var mimeType: String
    /// Decoded text of the body (email) or of the file.
    public var text: String
    /// Every header as decoded `Name: value` lines; scanned before a native is released.
    public var headerText: String
    /// Why a document has no text (binary, unsupported), empty when it has text.
    public var textNote: String
    /// Kind-specific values shown in the page header and load files, in order: a chat's
    /// platform and conversation, an event's start, end, location and recurrence, a PST folder.
    public var properties: [NamedValue]

    public init(key: String, kind: ItemKind) {
        self.key = key; self.kind = kind; from = nil; to = []; cc = []; bcc = []
        subject = ""; dateSent = ""; dateOffset = ""; dateReceived = ""; messageID = ""
        inReplyTo = ""; references = []; fileName = ""; mimeType = ""; text = ""
        headerText = ""; textNote = ""; properties = []
    }

    public func property(_ name: String) -> String? { properties.first { $0.name == name }?.value }
}

public enum DedupeStatus: String, Codable, Sendable {
    case kept
    /// A top-level email whose whole content another email of its thread holds, suppressed
    /// because the job asks for inclusive emails only.
    case nonInclusive
    /// A top-level duplicate whose kept copy is `duplicateOf`.
    case duplicate
    /// A member of a suppressed family.
    case familyOfDuplicate
}

public struct DedupeRecord: Codable, Sendable, Equatable {
    public var key: String
    public var status: DedupeStatus
    public var duplicateOf: String?
    /// Every custodian holding a copy, sorted; on kept copies.
    public var allCustodians: [String]
    public var mih: String
    public var fieldHash: String
    public var method: String

    /// Email thread: the same id for every email of one conversation; empty for non-email.
    public var threadID: String = ""
    /// An email is inclusive when it holds content (a segment or an attachment) that no other
    /// email of its thread holds; reviewers read only inclusive emails.
    public var inclusive: Bool = true
    public var inclusiveReason: String = ""
    /// Near-duplicate group id (empty when the document has no near duplicate), the similarity
    /// to the group's principal (0…1), and whether this document is the principal.
    public var nearDupGroup: String = ""
    public var nearDupSimilarity: Double = 0
    public var nearDupPrincipal: Bool = false

    public init(key: String, status: DedupeStatus, duplicateOf: String?, allCustodians: [String],
                mih: String, fieldHash: String, method: String) {
        self.key = key; self.status = status; self.duplicateOf = duplicateOf
        self.allCustodians = allCustodians; self.mih = mih; self.fieldHash = fieldHash; self.method = method
    }
}

/// Names of the document fields a redaction can sit in.
public enum Field {
    public static let text = "text"
    public static let subject = "subject"
    public static let from = "from"
    public static let to = "to"
    public static let cc = "cc"
    public static let bcc = "bcc"
    public static let fileName = "filename"
    public static let custodian = "custodian"
    public static let messageID = "messageid"
}

/// One redacted span: UTF-8 byte offsets into one field of one document.
public struct Redaction: Codable, Sendable, Equatable {
    public var key: String
    public var field: String
    public var start: Int
    public var end: Int
    public var text: String
    public var codes: [String]
    public var rule: String
    /// The reviewer's stated reason, for the Vaughn index and privilege log.
    public var reason: String = ""
    /// When this redaction was carried over from another copy: that document's key.
    public var propagatedFrom: String = ""

    public init(key: String, field: String, start: Int, end: Int, text: String, codes: [String], rule: String,
                reason: String = "", propagatedFrom: String = "") {
        self.key = key; self.field = field; self.start = start; self.end = end
        self.text = text; self.codes = codes; self.rule = rule; self.reason = reason; self.propagatedFrom = propagatedFrom
    }

    /// A whole document withheld: field `withhold`, no span.
    public static let withholdField = "withhold"
}

/// What the package stage produced for one document.
public struct ProducedRecord: Codable, Sendable, Equatable {
    public var key: String
    public var begBates: String
    public var endBates: String
    public var pages: Int
    public var redacted: Bool
    public var native: Bool

    public init(key: String, begBates: String, endBates: String, pages: Int, redacted: Bool, native: Bool) {
        self.key = key; self.begBates = begBates; self.endBates = endBates; self.pages = pages
        self.redacted = redacted; self.native = native
    }
}

public struct NamedValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}
