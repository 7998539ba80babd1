import DiscloseCore
import Foundation

/// The values of a document that reach the production (and its headers, which reach it inside
/// a native). Redact and package both read fields through here, so a span's offsets always
/// refer to the same string.
public enum DocumentFields {
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
            ("headers", d.headerText),
        ] + d.properties.map { ("prop:" + $0.name, $0.value) }
        v.removeAll { $0.1.isEmpty }
        return v
    }
}
