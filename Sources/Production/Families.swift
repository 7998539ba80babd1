import DiscloseCore
import Foundation
import Redact
import XMLKit

extension PackageStage {
    /// What the second pass keeps of one produced document while its family is open: enough to
    /// decide its native and to link it to its parent and attachments, not its fields.
    struct Member {
        var key: String
        var parentKey: String?
        var item: Item
        var kind: ItemKind
        var textNote: String
        var allCustodians: [String]
        var begBates: String
        var endBates: String
        var withheld: Bool
        var dirty: Bool
        var taint: Bool
        var heldReason = ""
        var nativePath = ""
        var nativeSize: Int64 = 0
        var attachIDs: [String] = []
        var begAttach = ""
        var endAttach = ""
        /// Position in the production, which picks the NATIVES folder.
        var index: Int
        /// The whole document while its family is small; a large family is read again instead.
        var whole: Produced?

        init(_ p: Produced, index: Int) {
            key = p.key; parentKey = p.parentKey; item = p.item; kind = p.document.kind
            textNote = p.document.textNote; allCustodians = p.dedupe.allCustodians
            begBates = p.begBates; endBates = p.endBates; withheld = p.withheld; dirty = p.dirty; taint = p.taint
            heldReason = p.heldReason; self.index = index; whole = p
        }
    }

    /// Pass 2 of the package stage. A family (a top document and everything whose key extends
    /// its key) is the unit: natives, attachment ranges and parent links never reach outside
    /// it, so the load files and reports are written one family at a time, and memory holds
    /// one family's members, never the case.
    struct FamilyWriter {
        let stage: PackageStage
        let work: URL
        let underException: Set<String>
        let review: NativeReview
        let dat: ConcordanceWriter.File
        let edrmFile: XMLWriter
        let edrm: EDRMXML.Writer
        let relationships: Spool<[String]>
        let noText: CSVFile
        let held: CSVFile
        /// Families up to this size keep their documents whole between the two steps.
        static let keepWhole = 64
        private(set) var natives = 0
        private var count = 0
        private var records: [ProducedRecord] = []

        init(stage: PackageStage, work: URL, spoolDir: URL, exceptions: [ExceptionRecord], review: NativeReview) throws {
            self.stage = stage
            self.work = work
            self.review = review
            // Exception keys extend their parent's key, so every ancestor is found by prefix.
            var under = Set<String>()
            for e in exceptions {
                var k = e.parentKey
                while let key = k, under.insert(key).inserted {
                    k = key.lastIndex(of: ".").map { String(key[..<$0]) }
                }
            }
            underException = under
            let vol = stage.job.volume
            dat = try ConcordanceWriter.File(work.appendingPathComponent("\(vol)/DATA/\(vol).dat"), fields: PackageStage.datFields)
            edrmFile = try XMLWriter(path: work.appendingPathComponent("\(vol)/DATA/\(vol).xml").path)
            edrm = try EDRMXML.Writer(edrmFile, batch: stage.job.production)
            relationships = try Spool<[String]>(spoolDir.appendingPathComponent("relationships"))
            noText = try CSVFile(work.appendingPathComponent("REPORTS/no-text.csv"), header: Reports.noTextHeader)
            held = try CSVFile(work.appendingPathComponent("REPORTS/natives-held.csv"), header: Reports.nativesHeldHeader)
        }

        mutating func run(_ spool: Spool<Produced>) throws {
            var members: [Member] = []
            var start: UInt64 = 0
            var root = ""
            try spool.read { offset, p in
                if !members.isEmpty, p.key.hasPrefix(root + ".") {
                    members.append(Member(p, index: count))
                    count += 1
                    // Past the limit the family is read from the spool again, so nothing of it is kept whole.
                    if members.count == Self.keepWhole + 1 { for i in members.indices { members[i].whole = nil } }
                    if members.count > Self.keepWhole + 1 { members[members.count - 1].whole = nil }
                    return
                }
                if !members.isEmpty { try family(&members, spool, from: start, to: offset) }
                members = [Member(p, index: count)]
                count += 1
                start = offset
                root = p.key
            }
            if !members.isEmpty { try family(&members, spool, from: start, to: spool.offset) }
            try stage.store.insert(produced: records)
            records.removeAll()

            try relationships.finishWriting()
            try edrm.startRelationships()
            try relationships.read { _, r in try edrm.addRelationship(type: r[0], parent: r[1], child: r[2]) }
            try edrm.end()
            try edrmFile.close()
            try dat.close()
            try noText.close()
            try held.close()
        }

        private mutating func family(_ m: inout [Member], _ spool: Spool<Produced>, from start: UInt64, to end: UInt64) throws {
            var pos: [String: Int] = [:]
            for (i, x) in m.enumerated() { pos[x.key] = i }
            try stage.holdNatives(&m, pos: pos, underException: underException, review: review)
            for i in m.indices {
                if let pk = m[i].parentKey, let j = pos[pk] { m[j].attachIDs.append(m[i].begBates) }
            }
            for i in m.indices where m[i].parentKey == nil || pos[m[i].parentKey!] == nil {
                // The family runs from this top document to the last descendant that follows it.
                var last = i
                while last + 1 < m.count, m[last + 1].key.hasPrefix(m[i].key + ".") { last += 1 }
                if last > i {
                    for k in i...last {
                        m[k].begAttach = m[i].begBates
                        m[k].endAttach = m[last].endBates
                    }
                }
            }
            let fm = FileManager.default
            let vol = stage.job.volume
            for i in m.indices where !m[i].dirty {
                let folder = String(format: "%04d", m[i].index / PackageStage.folderSize + 1)
                let ext = m[i].kind == .email ? "eml" : PackageStage.safeExtension(m[i].item.fileName)
                let rel = "\(vol)/NATIVES/\(folder)/\(m[i].begBates)" + (ext.isEmpty ? "" : ".\(ext)")
                let dest = work.appendingPathComponent(rel)
                do {
                    try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.copyItem(at: stage.blobs.url(for: m[i].item.sha256), to: dest)
                    m[i].nativeSize = (try fm.attributesOfItem(atPath: dest.path)[.size] as? NSNumber)?.int64Value ?? 0
                } catch {
                    throw DiscloseError.io(path: dest.path, message: "cannot copy native: \(error.localizedDescription)")
                }
                m[i].nativePath = rel
                natives += 1
            }

            // The documents again, whole, in the same order: now their rows can be written.
            var i = 0
            func row(_ doc: Produced) throws {
                var p = doc
                let x = m[i]
                i += 1
                p.dirty = x.dirty
                p.heldReason = x.heldReason
                p.nativePath = x.nativePath
                p.attachIDs = x.attachIDs
                p.begAttach = x.begAttach
                p.endAttach = x.endAttach
                let parent = p.parentKey.flatMap { pos[$0] }.map { m[$0].begBates } ?? ""
                let row = stage.datRow(p, parentBates: parent)
                try dat.add(row)
                try edrm.add(stage.edrmDocument(p, row: row, nativeSize: x.nativeSize))
                if !parent.isEmpty { try relationships.append(["Attachment", parent, p.begBates]) }
                if p.document.kind == .file && !p.document.textNote.isEmpty {
                    try noText.add([p.begBates, p.fields[Field.fileName] ?? "", p.document.mimeType, p.document.textNote])
                }
                if p.nativePath.isEmpty && !p.heldReason.isEmpty {
                    try held.add([p.begBates, p.fields[Field.fileName] ?? "", p.heldReason])
                }
                records.append(ProducedRecord(key: p.key, begBates: p.begBates, endBates: p.endBates, pages: p.pages,
                                              redacted: p.redacted, native: !p.nativePath.isEmpty))
            }
            if m.allSatisfy({ $0.whole != nil }) {
                for x in m { try row(x.whole!) }
            } else {
                try spool.read(from: start, to: end) { _, doc in try row(doc) }
            }
            if records.count >= 1000 {
                try stage.store.insert(produced: records)
                records.removeAll(keepingCapacity: true)
            }
        }
    }
}
