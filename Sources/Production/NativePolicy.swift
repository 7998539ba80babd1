import DiscloseCore
import Foundation
import Redact

extension PackageStage {
    /// Marks every member of one family whose native may not go out, with the reason. A native
    /// goes out only when every byte of it was read as text, nothing in it was redacted or
    /// flagged, and the same holds for everything it carries inside it: its attachments, and any
    /// part that could not be read (an exception anywhere below it).
    func holdNatives(_ m: inout [Member], pos: [String: Int], underException: Set<String>, review: NativeReview) throws {
        var attachments: [String: Int] = [:]
        for x in m { if let pk = x.parentKey { attachments[pk, default: 0] += 1 } }

        for i in m.indices {
            let p = m[i]
            if p.withheld { m[i].heldReason = "withheld in full"; continue }
            if p.dirty {
                m[i].heldReason = p.kind == .file && !p.textNote.isEmpty
                    ? "no text could be extracted for review" : "redacted"
                continue
            }
            if underException.contains(p.key) {
                m[i].dirty = true
                m[i].heldReason = "part of it could not be read (see the exceptions report); produced as pages"
                continue
            }
            // The pass keeps documents without their text; the check needs all of it.
            guard let d = try store.document(p.key) else {
                m[i].dirty = true
                m[i].taint = true
                m[i].heldReason = "its document could not be read back for the check; produced as pages"
                continue
            }
            let shape = NativeView.shape(kind: d.kind, mimeType: d.mimeType, fileName: p.item.fileName)
            let reviewed = DocumentFields.values(item: p.item, document: d, allCustodians: p.allCustodians).map(\.1)
                + [d.headerText, d.inReplyTo] + d.references
            if let why = review.reason(url: blobs.url(for: p.item.sha256), shape: shape, reviewed: reviewed,
                                       attachments: attachments[p.key] ?? 0) {
                m[i].dirty = true
                m[i].taint = true
                m[i].heldReason = why
            }
        }
        // A native carries its attachments inside it: whatever keeps a child's content from
        // going out unreviewed keeps every ancestor's native back too.
        for i in m.indices where m[i].taint || m[i].dirty {
            var parent = m[i].parentKey
            while let pk = parent, let j = pos[pk] {
                if !m[j].dirty {
                    m[j].dirty = true
                    m[j].heldReason = "an attachment was redacted, withheld or could not be reviewed; produced as pages"
                }
                parent = m[j].parentKey
            }
        }
    }
}
