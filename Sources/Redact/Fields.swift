import DiscloseCore
import Foundation

/// The values of a document that reach the production (and its headers, which reach it inside
/// a native). Redact and package both read fields through here, so a span's offsets always
/// refer to the same string.
public enum DocumentFields {
    /// Message identifiers look like addresses but identify machines' messages, not people:
    /// they are kept out of the header scan (the MESSAGEID field itself is not run through the
    /// detectors either; reviewer decisions and propagation still reach it).
    static func headersForScan(_ h: String) -> String {
        h.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let l = line.lowercased()
            return !(l.hasPrefix("message-id:") || l.hasPrefix("in-reply-to:") || l.hasPrefix("references:")
                     || l.hasPrefix("thread-index:") || l.hasPrefix("x-ms-exchange") || l.hasPrefix("resent-message-id:"))
        }.joined(separator: "\n")
    }

    public static func values(item: Item, document d: Document, allCustodians: [String]) -> [(String, String)] {
        var v: [(String, String)] = [
            (Field.text, d.text),
            (Field.subject, d.subject),
            (Field.from, d.from?.display ?? ""),
            (Field.to, d.to.map(\.display).joined(separator: "; ")),
            (Field.cc, d.cc.map(\.display).joined(separator: "; ")),
            (Field.bcc, d.bcc.map(\.display).joined(separator: "; ")),
            (Field.fileName, d.fileName),
            (Field.messageID, d.messageID),
            (Field.custodian, item.custodian),
            ("allcustodians", allCustodians.joined(separator: "; ")),
            ("headers", headersForScan(d.headerText)),
        ] + d.properties.map { ("prop:" + $0.name, $0.value) }
        v.removeAll { $0.1.isEmpty }
        return v
    }
}
