import ArchiveKit
import DiscloseCore
import Foundation
import Redact
import XMLKit

/// The package stage: Bates numbers, text pages with the codes burned in at each redaction,
/// natives only for families with nothing redacted, DAT and EDRM XML load files, reports, the
/// manifest (validated) and the zip. Written into a temporary folder and moved into place at
/// the end, so an interrupted run never leaves half a production; the output depends only on
/// the case store, so a rerun gives the same bytes.
public struct PackageStage {
    public let job: Job
    public let store: CaseStore
    public let blobs: BlobStore
    public let rules: RuleSet

    public init(job: Job, store: CaseStore, blobs: BlobStore, rules: RuleSet) {
        self.job = job; self.store = store; self.blobs = blobs; self.rules = rules
    }

    public struct Summary {
        public var documents = 0
        public var pages = 0
        public var natives = 0
        public var redactedDocuments = 0
        public var firstBates = ""
        public var lastBates = ""
        public var accounting = Accounting()
        public var redactionsByCode: [String: Int] = [:]
        public var files = 0
    }

    public struct Accounting: Equatable {
        public var found = 0
        public var produced = 0
        public var duplicates = 0
        public var exceptions = 0
        public var balanced: Bool { found == produced + duplicates + exceptions }
        public var line: String {
            "items found \(found) = produced \(produced) + duplicates suppressed \(duplicates) + exceptions \(exceptions)"
        }
    }

    /// One produced document as the load files see it.
    struct Produced: Codable {
        var key: String
        var parentKey: String?
        var item: Item
        var document: Document
        var begBates: String
        var endBates: String
        var pages: Int
        var fields: [String: String]
        var codes: [String]
        var redacted: Bool
        /// This document's own native may not go out.
        var dirty: Bool
        /// Something of this document sits inside its ancestors' natives and was redacted or
        /// withheld there (an attachment's file name, its text), so they may not go out either.
        var taint: Bool
        var heldReason = ""
        var textPath: String
        var textHash: String
        var textSize: Int64
        var nativePath = ""
        var allCustodians: String
        var withheld: Bool
        var dedupe: DedupeRecord
        var attachIDs: [String] = []
        var begAttach = ""
        var endAttach = ""
    }

    static let folderSize = 1000
    /// Fields that reach the load files but not a native file.
    static let metadataOnlyFields: Set<String> = [Field.custodian, "allcustodians", "folder"]
    /// Whether a redaction in this field shows on the pages (the raw headers and the
    /// Message-ID reach only a native and the load files, so they make no Vaughn portion).
    static func onPages(_ field: String) -> Bool {
        !metadataOnlyFields.contains(field) && field != "headers" && field != Field.messageID
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        guard try store.stageDone(.redact) else { throw DiscloseError.order("run redact before package") }
        let fm = FileManager.default
        let finalDir = job.productionDirectory
        let work = job.output.appendingPathComponent(".\(job.production).partial")
        // What the passes hand each other lives beside the production, never inside it.
        let spoolDir = job.output.appendingPathComponent(".\(job.production).spool")
        try? fm.removeItem(at: work)
        try? fm.removeItem(at: spoolDir)
        defer { try? fm.removeItem(at: spoolDir) }
        let vol = job.volume
        for sub in ["\(vol)/TEXT", "\(vol)/NATIVES", "\(vol)/DATA", "REPORTS"] {
            try fm.createDirectory(at: work.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try fm.createDirectory(at: spoolDir, withIntermediateDirectories: true)
        try store.replaceProduced([])

        let counts = try store.dedupeCounts()
        var summary = Summary()
        var needles = NeedleList()
        // Values that are not document fields (folder names, attachment lists, exception paths)
        // pass through the same rules; whatever they redact joins the leak audit.
        var effective = rules
        effective.allow += try job.decisions.map(Decisions.load)?.filter { $0.action == .unredact }.map(\.text) ?? []
        let lexicon = try store.artifact("lexicon").map(NameLexicon.decode)
            ?? RedactStage(store: store, rules: effective, custodians: job.sources.map(\.custodian)).buildLexicon()
        let redactor = Redactor(rules: effective, lexicon: lexicon)
        func scrub(_ s: String) -> String {
            let spans = redactor.spans(in: s)
            for sp in spans { needles.add(String(decoding: Array(s.utf8)[sp.start..<sp.end], as: UTF8.self), sp.codes) }
            return Redactor.apply(spans.map { ($0.start, $0.end, $0.codes) }, to: s)
        }
        let renderer = PageRenderer(page: job.page)
        var next = job.bates.start
        var index = 0
        var release = Reports.Release()
        let producedSpool = try Spool<Produced>(spoolDir.appendingPathComponent("produced"))
        let logSpool = try Spool<Reports.LogRow>(spoolDir.appendingPathComponent("redaction-log"))
        let indexCSV: CSVFile
        var vaughnXML: XMLWriter? = nil
        if job.mode == .foia {
            indexCSV = try CSVFile(work.appendingPathComponent("REPORTS/vaughn-index.csv"), header: Reports.vaughnHeader)
            let w = try XMLWriter(path: work.appendingPathComponent("REPORTS/vaughn-index.xml").path)
            try Reports.startVaughnXML(w, matter: job.matter, production: job.production)
            vaughnXML = w
        } else {
            indexCSV = try CSVFile(work.appendingPathComponent("REPORTS/privilege-log.csv"), header: Reports.privilegeHeader)
        }
        func addIndexRow(_ r: Reports.IndexRow) throws {
            if let x = vaughnXML {
                try indexCSV.add(Reports.vaughnRow(r))
                try Reports.vaughnEntry(x, r)
            } else {
                try indexCSV.add(Reports.privilegeRow(r))
            }
        }

        // Pass 1, in key order (a family is contiguous: children's keys extend the parent's):
        // pages, the index rows and the redaction log, one document at a time.
        var withheldCodes: [String: [String]] = [:]
        var produced = 0
        try store.forEachDocument { d in
            guard let r = try store.dedupeRecord(d.key), r.status == .kept, let item = try store.item(d.key) else { return }
            // Only ancestors can pass a withholding down; the rest of the case need not be kept.
            if !withheldCodes.isEmpty { withheldCodes = withheldCodes.filter { d.key.hasPrefix($0.key + ".") } }
            var reds = try store.redactions(for: d.key)
            let withholdRecord = reds.first { $0.field == Redaction.withholdField }
            // A withheld parent withholds its whole family.
            var withhold = withholdRecord?.codes
            if withhold == nil, let pk = item.parentKey, let inherited = withheldCodes[pk] { withhold = inherited }
            if let w = withhold { withheldCodes[d.key] = w }
            reds.removeAll { $0.field == Redaction.withholdField }
            let values = DocumentFields.values(item: item, document: d, allCustodians: r.allCustodians)
            var byField: [String: [(index: Int, start: Int, end: Int, codes: [String])]] = [:]
            for (i, x) in reds.enumerated() { byField[x.field, default: []].append((i, x.start, x.end, x.codes)) }
            var fields: [String: String] = [:]
            var pageFields: [String: String] = [:]
            for (name, value) in values {
                let spans = byField[name] ?? []
                fields[name] = Redactor.apply(spans.map { ($0.start, $0.end, $0.codes) }, to: value)
                pageFields[name] = DocumentPages.placeholders(value, spans)
            }
            var codes = Codes.sorted(reds.flatMap(\.codes) + (withhold ?? []))
            for x in reds { needles.add(x.text, x.codes) }
            // What the pages show is redacted; what only the load file carries (custodian) is not
            // "a redacted document", and neither keeps a native back unless the native holds it.
            let visibleRedaction = reds.contains { Self.onPages($0.field) }
            let nativeHoldsRedaction = reds.contains {
                !Self.metadataOnlyFields.contains($0.field) && !(d.kind != .email && $0.field == Field.fileName)
            }
            let noText = d.kind == .file && !d.textNote.isEmpty

            var header: [(String, String)] = []
            var body = pageFields[Field.text] ?? ""
            if let w = withhold {
                header = [("Withheld", Codes.mark(w))]
                body = "This document is withheld in full under \(w.joined(separator: ", ")). It is listed in the "
                    + "\(job.mode == .foia ? "Vaughn index" : "privilege log") with its date and description."
                codes = Codes.sorted(w)
            } else if d.kind == .email {
                header = [("From", pageFields[Field.from] ?? ""),
                          ("Sent", d.dateSent.isEmpty ? "" : DateFormat.local(utcISO: d.dateSent, offset: d.dateOffset)),
                          ("To", pageFields[Field.to] ?? ""), ("CC", pageFields[Field.cc] ?? ""),
                          ("BCC", pageFields[Field.bcc] ?? ""), ("Subject", pageFields[Field.subject] ?? "")]
                let atts = try store.children(of: d.key)
                if !atts.isEmpty {
                    header.append(("Attachments", atts.map { scrub($0.fileName) }.joined(separator: "; ")))
                }
                header.removeAll { $0.1.isEmpty && $0.0 != "Subject" && $0.0 != "From" }
            } else if d.kind == .chat || d.kind == .calendar {
                header = [("Subject", pageFields[Field.subject] ?? "")]
                header += d.properties.map { ($0.name, pageFields["prop:" + $0.name] ?? "") }
                if d.kind == .calendar { header.append(("Organizer", pageFields[Field.from] ?? "")) }
                header.append((d.kind == .chat ? "Participants" : "Attendees", pageFields[Field.to] ?? ""))
                header.removeAll { $0.1.isEmpty && $0.0 != "Subject" }
            } else {
                header = [("File", pageFields[Field.fileName] ?? "")]
                if noText {
                    body = "[No text could be extracted from this \(d.mimeType) document. Its native file is withheld until it has been reviewed.]"
                } else if d.kind == .container {
                    body = "[Container file. Its contents are produced as the documents attached to it.]"
                }
            }
            var marks: [Int: String] = [:]
            for (i, x) in reds.enumerated() { marks[i] = Codes.mark(x.codes) }
            let laid = DocumentPages(renderer: renderer).render(header: header, body: body, marks: withhold == nil ? marks : [:])
            let pages = laid.pages
            let beg = job.bates.format(next)
            let end = job.bates.format(next + pages.count - 1)
            index += 1
            let folder = String(format: "%04d", (index - 1) / Self.folderSize + 1)
            let textRel = "\(vol)/TEXT/\(folder)/\(beg).txt"
            var pageTexts: [String] = []
            for (p, lines) in pages.enumerated() {
                pageTexts.append(renderer.stamp(lines, bates: job.bates.format(next + p), confidentiality: job.confidentiality))
            }
            let textData = Data(pageTexts.joined(separator: "\u{0C}").utf8)
            try write(textData, to: work.appendingPathComponent(textRel))

            // The reviewer's view of what happened here: the redaction log and the index rows.
            if withhold == nil {
                for (i, x) in reds.enumerated() {
                    let page = laid.pageOf[i].map { job.bates.format(next + $0 - 1) } ?? ""
                    try logSpool.append(.init(document: beg, page: page, field: x.field, codes: x.codes, rule: x.rule,
                                              propagatedFrom: x.propagatedFrom))
                    if visibleRedaction && Self.onPages(x.field) {
                        for c in x.codes { release.byCode[c, default: 0] += 1 }
                    }
                }
            } else {
                for c in withhold! { release.byCode[c, default: 0] += 1 }
            }
            let date = d.dateSent.isEmpty ? "" : DateFormat.loadFile(d.dateSent).date
            let author = fields[Field.from] ?? ""
            let recipients = [fields[Field.to], fields[Field.cc]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
            let description = Self.describe(d, subject: fields[Field.subject] ?? "", fileName: fields[Field.fileName] ?? "")
            if let w = withhold {
                let why = withholdRecord?.reason ?? ""
                try addIndexRow(.init(begBates: beg, endBates: end, pages: "\(pages.count)", date: date, author: author,
                                      recipients: recipients, description: description, codes: Codes.sorted(w),
                                      withheldInFull: true, portions: 1,
                                      justification: Self.justify(w, reasons: why.isEmpty ? ["part of a family withheld in full"] : [why])))
            } else if visibleRedaction {
                // Indices into `reds`, which is what `laid.pageOf` is keyed by.
                let onPages = reds.indices.filter { Self.onPages(reds[$0].field) }
                for (codeSet, group) in Dictionary(grouping: onPages, by: { Codes.sorted(reds[$0].codes) })
                    .sorted(by: { $0.key.joined() < $1.key.joined() }) {
                    let pageNumbers = Set(group.compactMap { laid.pageOf[$0] })
                    let pageList = pageNumbers.sorted().map { job.bates.format(next + $0 - 1) }.joined(separator: ", ")
                    let reasons = Array(Set(group.map { reds[$0].reason }.filter { !$0.isEmpty })).sorted()
                    try addIndexRow(.init(begBates: beg, endBates: end, pages: pageList, date: date, author: author,
                                          recipients: recipients, description: description, codes: codeSet,
                                          withheldInFull: false, portions: group.count,
                                          justification: Self.justify(codeSet, reasons: reasons)))
                }
            }
            release.documents += 1
            release.pages += pages.count
            if withhold != nil { release.withheld += 1; release.withheldPages += pages.count }
            else if visibleRedaction { release.inPart += 1; release.inPartPages += pages.count }
            else { release.inFull += 1; release.inFullPages += pages.count }

            next += pages.count
            summary.pages += pages.count
            if visibleRedaction || withhold != nil { summary.redactedDocuments += 1 }
            fields["folder"] = scrub(item.folder)
            if withhold != nil {
                // Nothing of a withheld document's content reaches the load files.
                for f in [Field.subject, Field.from, Field.to, Field.cc, Field.bcc, Field.fileName, Field.messageID] { fields[f] = "" }
            }
            // Text is on the pages now; what later steps need of the document is its metadata.
            var slim = d
            slim.text = ""
            slim.headerText = ""
            fields[Field.text] = nil
            fields["headers"] = nil
            try producedSpool.append(Produced(key: d.key, parentKey: item.parentKey, item: item, document: slim, begBates: beg,
                                              endBates: end, pages: pages.count, fields: fields, codes: codes,
                                              redacted: visibleRedaction || withhold != nil,
                                              dirty: nativeHoldsRedaction || noText || withhold != nil,
                                              taint: withhold != nil || noText || reds.contains { !Self.metadataOnlyFields.contains($0.field) },
                                              textPath: textRel, textHash: Hash.sha256(textData), textSize: Int64(textData.count),
                                              allCustodians: fields["allcustodians"] ?? "", withheld: withhold != nil, dedupe: r))
            produced += 1
            if summary.firstBates.isEmpty { summary.firstBates = beg }
            summary.lastBates = end
            progress?(produced, counts.kept)
        }
        try producedSpool.finishWriting()
        try logSpool.finishWriting()
        try indexCSV.close()
        if let x = vaughnXML {
            try x.end()
            try x.close()
        }

        if produced > 0 { try job.bates.checkFits(last: next - 1, jobFile: job.file) }

        // Exceptions are scrubbed now so that whatever they redact is searched for in natives too.
        let exceptions = try store.exceptions()
        let exceptionsCSV = try CSVFile(work.appendingPathComponent("REPORTS/exceptions.csv"), header: Reports.exceptionsHeader)
        for e in exceptions { try exceptionsCSV.add([e.key, scrub(e.custodian), e.stage, scrub(e.path), scrub(e.reason)]) }
        try exceptionsCSV.close()
        // Every needle is known from here on: no later step scrubs anything.
        let audit = LeakAudit(coded: needles.list, allow: effective.allow)

        // Pass 2, family by family: which natives may go out, then the load files.
        var families = try FamilyWriter(stage: self, work: work, spoolDir: spoolDir, exceptions: exceptions,
                                        review: NativeReview(redactor: redactor, audit: audit))
        try families.run(producedSpool)
        summary.natives = families.natives

        // The redaction log names the copy a redaction was carried from by its Bates number
        // (every kept copy is produced), which only now is known for every document.
        let logCSV = try CSVFile(work.appendingPathComponent("REPORTS/redaction-log.csv"), header: Reports.redactionLogHeader)
        try logSpool.read { _, row in
            var row = row
            if !row.propagatedFrom.isEmpty, let source = try store.producedRecord(row.propagatedFrom) {
                row.propagatedFrom = source.begBates
            }
            try logCSV.add(Reports.logRow(row))
        }
        try logCSV.close()
        summary.redactionsByCode = release.byCode
        try write(Reports.releaseSummary(release, matter: job.matter, production: job.production, mode: job.mode),
                  to: work.appendingPathComponent("REPORTS/release-summary.txt"))

        var acct = Accounting()
        acct.found = try store.itemCount() + exceptions.filter { $0.stage == "extract" }.count
        acct.produced = produced
        acct.duplicates = counts.suppressed
        acct.exceptions = exceptions.count
        summary.accounting = acct
        summary.documents = produced
        var report = "matter: \(job.matter)\nproduction: \(job.production)\nvolume: \(vol)\n"
        report += "\(acct.line)\n"
        report += "documents: \(produced)\npages: \(summary.pages)\nnatives: \(summary.natives)\n"
        report += "documents with redactions: \(summary.redactedDocuments)\n"
        report += "bates: \(summary.firstBates) - \(summary.lastBates)\n"
        for (c, n) in summary.redactionsByCode.sorted(by: { Codes.sortKey($0.key) < Codes.sortKey($1.key) }) {
            report += "redactions \(c): \(n)\n"
        }
        report += "load file encoding: UTF-8 with BOM; DAT delimiters ASCII 20 / U+00FE / U+00AE\n"
        try write(Data(report.utf8), to: work.appendingPathComponent("REPORTS/summary.txt"))
        guard acct.balanced else {
            throw DiscloseError.integrity("accounting does not add up: \(acct.line)")
        }

        // Leak audit over everything written so far, then the manifest.
        let files = try Self.listFiles(work)
        // Natives were checked against these needles through their full text view above.
        let leaks = try audit.scan(folder: work, files: files, skipContentsUnder: "\(vol)/NATIVES/")
        let leakReport = job.output.appendingPathComponent("\(job.production)-leak-audit.csv")
        try? fm.removeItem(at: leakReport)
        if !leaks.isEmpty {
            try write(LeakAudit.report(leaks), to: leakReport)
            throw DiscloseError.integrity("leak audit: \(leaks.count) redacted string(s) found in the production; "
                + "report: \(leakReport.path); first: "
                + leaks.prefix(3).map { "\($0.file): '\($0.finding.context)' \($0.finding.codes.joined(separator: ", "))" }.joined(separator: "; "))
        }

        // The manifest is written entry by entry; its root carries the totals, so sizes come first.
        var totalBytes: Int64 = 0
        for rel in files {
            totalBytes += (try fm.attributesOfItem(atPath: work.appendingPathComponent(rel).path)[.size] as? NSNumber)?.int64Value ?? 0
        }
        let manifestURL = work.appendingPathComponent("manifest.xml")
        let mw = try XMLWriter(path: manifestURL.path)
        try Manifest.start(mw, matter: job.matter, production: job.production, volume: vol, fileCount: files.count,
                           totalBytes: totalBytes)
        for rel in files {
            let (h, size) = try Hash.sha256(file: work.appendingPathComponent(rel))
            try Manifest.add(mw, Manifest.Entry(path: rel, size: size, sha256: h))
        }
        try mw.end()
        try mw.close()
        let problems = Manifest.validate(try Data(contentsOf: manifestURL, options: .alwaysMapped))
        guard problems.isEmpty else {
            throw DiscloseError.integrity("manifest.xml does not validate: " + problems.joined(separator: "; "))
        }
        // What `verify` would reject is not a production: check it before it is put in place.
        let rejected = Verifier(root: work).verify(checkHashes: false)
        guard rejected.isEmpty else {
            throw DiscloseError.integrity("the production does not verify: " + rejected.prefix(5).joined(separator: "; "))
        }
        summary.files = files.count + 1

        // Into place, then the archive of it.
        try? fm.removeItem(at: finalDir)
        try fm.moveItem(at: work, to: finalDir)
        try writeZip(from: finalDir, files: files + ["manifest.xml"])
        try store.setStageDone(.package, true)
        return summary
    }

    static let datFields = ["BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PARENTID", "ATTACHIDS", "PGCOUNT",
                            "CUSTODIAN", "ALLCUSTODIANS", "FROM", "TO", "CC", "BCC", "SUBJECT", "DATESENT", "TIMESENT",
                            "TIMEZONE", "FILENAME", "FILEEXT", "FILESIZE", "MD5HASH", "SHA1HASH", "SHA256HASH",
                            "MESSAGEID", "CONVERSATION", "THREADID", "INCLUSIVE", "INCLUSIVEREASON", "NEARDUPGROUP",
                            "NEARDUPSIMILARITY", "FOLDER", "DOCTYPE", "MIMETYPE", "REDACTED", "WITHHELD", "EXEMPTIONS", "CONFIDENTIALITY",
                            "NATIVEPATH", "TEXTPATH"]

    /// Load-file readers (and libxml2, for attribute values past 10 MB) choke on huge values;
    /// the pages carry every value whole, so the load files carry a bounded copy.
    static let maxLoadFileValue = 32_000

    static func bounded(_ v: String) -> String {
        guard v.utf8.count > maxLoadFileValue else { return v }
        let u = Array(v.utf8.prefix(maxLoadFileValue + 1))
        // u[end] is the first byte left out; a continuation byte there means the cut is inside a
        // character, so it moves back to that character's start.
        var end = maxLoadFileValue
        while end > 0, (u[end] & 0xC0) == 0x80 { end -= 1 }
        return String(decoding: u[..<end], as: UTF8.self) + " [cut at \(maxLoadFileValue) bytes; the whole value is on the pages]"
    }

    func datRow(_ p: Produced, parentBates: String) -> [String: String] {
        datRowWhole(p, parentBates: parentBates).mapValues(Self.bounded)
    }

    func datRowWhole(_ p: Produced, parentBates parent: String) -> [String: String] {
        let d = p.document
        let (date, time) = DateFormat.loadFile(d.dateSent)
        let fileName = p.fields[Field.fileName] ?? ""
        return [
            "BEGBATES": p.begBates, "ENDBATES": p.endBates, "BEGATTACH": p.begAttach, "ENDATTACH": p.endAttach,
            "PARENTID": parent, "ATTACHIDS": p.attachIDs.joined(separator: ";"), "PGCOUNT": String(p.pages),
            "CUSTODIAN": p.fields[Field.custodian] ?? "", "ALLCUSTODIANS": p.allCustodians,
            "FROM": p.fields[Field.from] ?? "", "TO": p.fields[Field.to] ?? "", "CC": p.fields[Field.cc] ?? "",
            "BCC": p.fields[Field.bcc] ?? "", "SUBJECT": p.fields[Field.subject] ?? "",
            "DATESENT": date, "TIMESENT": time, "TIMEZONE": d.dateOffset.isEmpty ? "" : "UTC (sent at \(d.dateOffset))",
            "FILENAME": fileName, "FILEEXT": Self.safeExtension(fileName), "FILESIZE": p.withheld ? "" : String(p.item.size),
            // A withheld document's hashes would let a requester confirm a guessed copy.
            "MD5HASH": p.withheld ? "" : p.item.md5, "SHA1HASH": p.withheld ? "" : p.item.sha1,
            "SHA256HASH": p.withheld ? "" : p.item.sha256,
            "MESSAGEID": p.fields[Field.messageID] ?? "", "FOLDER": p.fields["folder"] ?? "",
            "DOCTYPE": Self.docType(d.kind), "CONVERSATION": p.fields["prop:Conversation"] ?? "",
            "THREADID": p.dedupe.threadID, "INCLUSIVE": p.dedupe.threadID.isEmpty ? "" : (p.dedupe.inclusive ? "Y" : "N"),
            "INCLUSIVEREASON": p.dedupe.threadID.isEmpty ? "" : p.dedupe.inclusiveReason,
            "NEARDUPGROUP": p.dedupe.nearDupGroup,
            "NEARDUPSIMILARITY": p.dedupe.nearDupGroup.isEmpty ? "" : String(format: "%.3f", p.dedupe.nearDupSimilarity),
            "MIMETYPE": d.mimeType, "REDACTED": p.redacted ? "Y" : "N", "WITHHELD": p.withheld ? "Y" : "N",
            "EXEMPTIONS": p.codes.joined(separator: ";"),
            "CONFIDENTIALITY": job.confidentiality, "NATIVEPATH": p.nativePath, "TEXTPATH": p.textPath,
        ]
    }

    /// The text file's hash was taken as it was written; a native is a byte copy of its blob,
    /// whose name is its SHA-256, so neither is read again here.
    func edrmDocument(_ p: Produced, row: [String: String], nativeSize: Int64) -> EDRMDocument {
        var files: [(String, String, String, Int64, String)] = [
            ("Text", PathName.parent(p.textPath), PathName.last(p.textPath), p.textSize, p.textHash),
        ]
        if !p.nativePath.isEmpty {
            files.append(("Native", PathName.parent(p.nativePath), PathName.last(p.nativePath), nativeSize, p.item.sha256))
        }
        let d = p.document
        var tags: [(String, String, String)] = [
            ("#From", "Text", row["FROM"]!), ("#To", "Text", row["TO"]!), ("#CC", "Text", row["CC"]!),
            ("#BCC", "Text", row["BCC"]!), ("#Subject", "Text", row["SUBJECT"]!),
            ("#DateSent", "DateTime", d.dateSent), ("#FileName", "Text", row["FILENAME"]!),
            ("#FileSize", "LongInteger", row["FILESIZE"]!), ("#HashMD5", "Text", row["MD5HASH"]!),
            ("#HashSHA1", "Text", row["SHA1HASH"]!), ("#HashSHA256", "Text", row["SHA256HASH"]!),
            ("#MessageID", "Text", row["MESSAGEID"]!),
        ]
        for f in ["BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PGCOUNT", "ALLCUSTODIANS", "FOLDER", "CONVERSATION",
                  "THREADID", "INCLUSIVE", "INCLUSIVEREASON", "NEARDUPGROUP", "NEARDUPSIMILARITY", "WITHHELD", "EXEMPTIONS",
                  "CONFIDENTIALITY"] {
            let type = f == "PGCOUNT" ? "LongInteger" : f == "NEARDUPSIMILARITY" ? "Decimal" : "Text"
            tags.append((f, type, row[f]!))
        }
        tags.append(("REDACTED", "Boolean", p.redacted ? "true" : "false"))
        return EDRMDocument(docID: p.begBates, docType: d.kind == .email ? "Message" : Self.docType(d.kind),
                            mimeType: d.mimeType.isEmpty ? "application/octet-stream" : d.mimeType, tags: tags, files: files,
                            custodian: row["CUSTODIAN"]!, location: row["FOLDER"]!)
    }

    /// What the index says a document is, without saying what is withheld.
    static func describe(_ d: Document, subject: String, fileName: String) -> String {
        switch d.kind {
        case .email: return "Email" + (subject.isEmpty ? "" : ": \(subject)")
        case .chat: return "Chat conversation-day" + (subject.isEmpty ? "" : ": \(subject)")
        case .calendar: return "Calendar event" + (subject.isEmpty ? "" : ": \(subject)")
        case .container: return "Archive file" + (fileName.isEmpty ? "" : ": \(fileName)")
        case .file: return "Attachment" + (fileName.isEmpty ? "" : ": \(fileName)")
        }
    }

    static func justify(_ codes: [String], reasons: [String]) -> String {
        (codes.map { "\($0): \(Reports.justification($0))" } + reasons).joined(separator: " ")
    }

    static func docType(_ k: ItemKind) -> String {
        switch k {
        case .email: return "Email"
        case .file: return "File"
        case .container: return "Container"
        case .chat: return "Chat"
        case .calendar: return "Calendar"
        }
    }

    func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        try OutputFile.write(data, to: url)
    }

    func writeZip(from dir: URL, files: [String]) throws {
        let tmp = job.archiveFile.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: tmp)
        do {
            let z = try ZipWriter(path: tmp.path)
            for rel in files.sorted(by: Self.byteOrder) {
                try z.addFile(job.production + "/" + rel, from: dir.appendingPathComponent(rel))
            }
            try z.close()
        } catch { throw DiscloseError.io(path: tmp.path, message: "cannot write archive: \(error)") }
        try? FileManager.default.removeItem(at: job.archiveFile)
        try FileManager.default.moveItem(at: tmp, to: job.archiveFile)
    }

    /// Every regular file under `root`, relative, in byte order of the path.
    public static func listFiles(_ root: URL) throws -> [String] {
        var out: [String] = []
        guard let en = FileManager.default.enumerator(atPath: root.path) else { return [] }
        while let rel = en.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(rel).path, isDirectory: &isDir), !isDir.boolValue {
                out.append(rel)
            }
        }
        return out.sorted(by: byteOrder)
    }

    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    static func safeExtension(_ name: String) -> String {
        let e = (name as NSString).pathExtension.lowercased()
        return e.count <= 8 && e.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? e : ""
    }
}
