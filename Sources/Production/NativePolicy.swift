import DiscloseCore
import Foundation
import Redact

extension PackageStage {
    /// Marks every document whose native may not go out, with the reason. A native goes out
    /// only when every byte of it was read as text, nothing in it was redacted or flagged, and
    /// the same holds for everything it carries inside it: its attachments, and any part that
    /// could not be read (an exception anywhere below it).
    func holdNatives(_ produced: inout [Produced], pos: [String: Int], exceptions: [ExceptionRecord],
                     redactor: Redactor, audit: LeakAudit) throws {
        // Exception keys extend their parent's key, so every ancestor is found by prefix.
        var underException = Set<String>()
        for e in exceptions {
            var k = e.parentKey
            while let key = k, underException.insert(key).inserted {
                k = key.lastIndex(of: ".").map { String(key[..<$0]) }
            }
        }
        var attachments: [String: Int] = [:]
        for p in produced { if let pk = p.parentKey { attachments[pk, default: 0] += 1 } }
        let review = NativeReview(redactor: redactor, audit: audit)

        for i in produced.indices {
            let p = produced[i]
            if p.withheld { produced[i].heldReason = "withheld in full"; continue }
            if p.dirty {
                produced[i].heldReason = p.document.kind == .file && !p.document.textNote.isEmpty
                    ? "no text could be extracted for review" : "redacted"
                continue
            }
            if underException.contains(p.key) {
                produced[i].dirty = true
                produced[i].heldReason = "part of it could not be read (see the exceptions report); produced as pages"
                continue
            }
            // `produced` holds documents without their text; the check needs all of it.
            guard let d = try store.document(p.key) else {
                produced[i].dirty = true
                produced[i].taint = true
                produced[i].heldReason = "its document could not be read back for the check; produced as pages"
                continue
            }
            let shape = NativeView.shape(kind: d.kind, mimeType: d.mimeType, fileName: p.item.fileName)
            let reviewed = DocumentFields.values(item: p.item, document: d, allCustodians: p.dedupe.allCustodians).map(\.1)
                + [d.headerText, d.inReplyTo] + d.references
            if let why = review.reason(url: blobs.url(for: p.item.sha256), shape: shape, reviewed: reviewed,
                                       attachments: attachments[p.key] ?? 0) {
                produced[i].dirty = true
                produced[i].taint = true
                produced[i].heldReason = why
            }
        }
        // A native carries its attachments inside it: whatever keeps a child's content from
        // going out unreviewed keeps every ancestor's native back too.
        for i in produced.indices where produced[i].taint || produced[i].dirty {
            var parent = produced[i].parentKey
            while let pk = parent, let j = pos[pk] {
                if !produced[j].dirty {
                    produced[j].dirty = true
                    produced[j].heldReason = "an attachment was redacted, withheld or could not be reviewed; produced as pages"
                }
                parent = produced[j].parentKey
            }
        }
    }
}
