import DiscloseCore
import Foundation

/// The values of a document that reach the production (and its headers, which reach it inside
/// a native). Redact and package both read fields through here, so a span's offsets always
/// refer to the same string.
public enum DocumentFields {
    /// Message identifiers look like addresses but identify machines' messages, not people: the
    /// detectors skip these header lines (the MESSAGEID field is not run through them either).
    /// Strings redacted anywhere else in the case are still carried into them, since an
    /// identifier built from an address or a phone number says what the redaction hid.
    static let identifierHeaders = ["message-id:", "in-reply-to:", "references:", "thread-index:", "x-ms-exchange",
                                    "resent-message-id:"]

    /// UTF-8 byte ranges of the header lines (in `headerText` form, one line per header) that
    /// hold message identifiers.
    public static func identifierLines(_ h: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var off = 0
        for line in h.split(separator: "\n", omittingEmptySubsequences: false) {
            let n = line.utf8.count
            let l = line.prefix(24).lowercased()
            if identifierHeaders.contains(where: { l.hasPrefix($0) }) { out.append(off..<(off + n)) }
            off += n + 1
        }
        return out
    }

    /// The fields redactions are carried between (all but the load-file-only ones), in the
    /// order `values` lists them.
    static let textFieldNames = [Field.text, Field.subject, Field.from, Field.to, Field.cc, Field.bcc, Field.fileName,
                                 Field.messageID, "headers"]

    /// `values` restricted to `textFieldNames`, without the item it does not need.
    static func textValues(document d: Document) -> [(String, String)] {
        var v = ownValues(d) + [("headers", d.headerText)]
        v.removeAll { $0.1.isEmpty }
        return v
    }

    /// The document's own fields, in the order both lists start with.
    private static func ownValues(_ d: Document) -> [(String, String)] {
        [
            (Field.text, d.text),
            (Field.subject, d.subject),
            (Field.from, d.from?.display ?? ""),
            (Field.to, d.to.map(\.display).joined(separator: "; ")),
            (Field.cc, d.cc.map(\.display).joined(separator: "; ")),
            (Field.bcc, d.bcc.map(\.display).joined(separator: "; ")),
            (Field.fileName, d.fileName),
            (Field.messageID, d.messageID),
        ]
    }

    public static func values(item: Item, document d: Document, allCustodians: [String]) -> [(String, String)] {
        var v: [(String, String)] = ownValues(d) + [
            (Field.custodian, item.custodian),
            ("allcustodians", allCustodians.joined(separator: "; ")),
            ("headers", d.headerText),
        ] + d.properties.map { ("prop:" + $0.name, $0.value) }
        v.removeAll { $0.1.isEmpty }
        return v
    }
}
