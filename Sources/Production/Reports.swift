import DiscloseCore
import Foundation
import Redact
import XMLKit

/// The FOIA office's and counsel's reports: Vaughn index (CSV and XML), redaction log,
/// release summary, privilege log.
enum Reports {
    /// One row of the Vaughn index / privilege log: a document withheld in full, or the portions
    /// of one document redacted under the same codes.
    struct IndexRow {
        var begBates: String
        var endBates: String
        var pages: String
        var date: String
        var author: String
        var recipients: String
        var description: String
        var codes: [String]
        var withheldInFull: Bool
        var portions: Int
        var justification: String
    }

    struct LogRow: Codable {
        var document: String
        var page: String
        var field: String
        var codes: [String]
        var rule: String
        var propagatedFrom: String
    }

    /// Standard wording per exemption, from the statute's terms; the reviewer's reason follows.
    static func justification(_ code: String) -> String {
        switch code {
        case "(b)(1)": return "Classified in the interest of national defense or foreign policy."
        case "(b)(2)": return "Related solely to internal personnel rules and practices of the agency."
        case "(b)(4)": return "Trade secrets or confidential commercial or financial information."
        case "(b)(5)": return "Inter- or intra-agency privileged material: pre-decisional, deliberative discussion whose release would chill frank internal advice."
        case "(b)(6)": return "Personal information whose disclosure would be a clearly unwarranted invasion of personal privacy."
        case "(b)(7)(A)": return "Law-enforcement records whose release could reasonably be expected to interfere with enforcement proceedings."
        case "(b)(7)(B)": return "Law-enforcement records whose release would deprive a person of a fair trial or impartial adjudication."
        case "(b)(7)(C)": return "Law-enforcement records whose release could reasonably be expected to be an unwarranted invasion of personal privacy."
        case "(b)(7)(D)": return "Law-enforcement records that could reasonably be expected to disclose the identity of a confidential source."
        case "(b)(7)(E)": return "Law-enforcement techniques, procedures or guidelines whose release could risk circumvention of the law."
        case "(b)(7)(F)": return "Law-enforcement records whose release could reasonably be expected to endanger life or physical safety."
        case "(b)(8)": return "Related to examination, operating or condition reports of financial institutions."
        case "(b)(9)": return "Geological and geophysical information and data concerning wells."
        case "Attorney-Client": return "Confidential communication between attorney and client for the purpose of legal advice."
        case "Work Product": return "Prepared by or for counsel in anticipation of litigation."
        default:
            if code.hasPrefix("(b)(3)") { return "Exempted from disclosure by statute: \(code.dropFirst(6).trimmingCharacters(in: .whitespaces))." }
            return code
        }
    }

    static func segregability(_ r: IndexRow) -> String {
        r.withheldInFull
            ? "Reviewed line by line; no reasonably segregable non-exempt portion could be released."
            : "Reviewed line by line; all reasonably segregable non-exempt information has been released."
    }

    static let exceptionsHeader = ["control", "custodian", "stage", "path", "reason"]
    static let noTextHeader = ["BEGBATES", "FILENAME", "MIMETYPE", "REASON"]
    static let nativesHeldHeader = ["BEGBATES", "FILENAME", "REASON"]
    static let vaughnHeader = ["BEGBATES", "ENDBATES", "PAGES", "DATE", "AUTHOR", "RECIPIENTS", "DESCRIPTION",
                               "EXEMPTIONS", "WITHHELD", "PORTIONS", "JUSTIFICATION", "SEGREGABILITY"]
    static let privilegeHeader = ["BEGBATES", "ENDBATES", "DATE", "AUTHOR", "RECIPIENTS", "DESCRIPTION", "PRIVILEGE",
                                  "TREATMENT", "BASIS"]
    static let redactionLogHeader = ["DOCUMENT", "PAGE", "FIELD", "CODES", "RULE", "PROPAGATED_FROM"]

    /// One row per exception: control number, custodian, stage, path inside the container, reason.
    static func exceptions(_ rows: [[String]]) -> Data { CSVWriter.data(header: exceptionsHeader, rows: rows) }

    /// Documents produced without reviewable text: Bates number, file name, media type, reason.
    static func noText(_ rows: [[String]]) -> Data { CSVWriter.data(header: noTextHeader, rows: rows) }

    /// Natives held back: Bates number, file name, why (so counsel can answer a request for them).
    static func nativesHeld(_ rows: [[String]]) -> Data { CSVWriter.data(header: nativesHeldHeader, rows: rows) }

    static func vaughnRow(_ r: IndexRow) -> [String] {
        [r.begBates, r.endBates, r.pages, r.date, r.author, r.recipients, r.description,
         r.codes.joined(separator: "; "), r.withheldInFull ? "in full" : "in part", String(r.portions),
         r.justification, segregability(r)]
    }

    static func vaughnCSV(_ rows: [IndexRow]) -> Data { CSVWriter.data(header: vaughnHeader, rows: rows.map(vaughnRow)) }

    static func vaughnXML(_ rows: [IndexRow], matter: String, production: String) throws -> Data {
        let w = try XMLWriter(indent: true)
        try startVaughnXML(w, matter: matter, production: production)
        for r in rows { try vaughnEntry(w, r) }
        try w.end()
        return try w.finish()
    }

    static func startVaughnXML(_ w: XMLWriter, matter: String, production: String) throws {
        try w.start("VaughnIndex")
        try w.attribute("matter", matter)
        try w.attribute("production", production)
    }

    static func vaughnEntry(_ w: XMLWriter, _ r: IndexRow) throws {
        try w.start("Entry")
        try w.attribute("begBates", r.begBates)
        try w.attribute("endBates", r.endBates)
        try w.attribute("withheld", r.withheldInFull ? "in full" : "in part")
        try w.element("Pages", text: r.pages)
        try w.element("Date", text: r.date)
        try w.element("Author", text: r.author)
        try w.element("Recipients", text: r.recipients)
        try w.element("Description", text: r.description)
        try w.start("Exemptions")
        for c in r.codes { try w.element("Exemption", text: c) }
        try w.end()
        try w.element("Portions", text: String(r.portions))
        try w.element("Justification", text: r.justification)
        try w.element("Segregability", text: segregability(r))
        try w.end()
    }

    static func privilegeRow(_ r: IndexRow) -> [String] {
        [r.begBates, r.endBates, r.date, r.author, r.recipients, r.description, r.codes.joined(separator: "; "),
         r.withheldInFull ? "Withheld" : "Redacted", r.justification]
    }

    static func privilegeLog(_ rows: [IndexRow]) -> Data { CSVWriter.data(header: privilegeHeader, rows: rows.map(privilegeRow)) }

    static func logRow(_ r: LogRow) -> [String] {
        [r.document, r.page, r.field, r.codes.joined(separator: "; "), r.rule, r.propagatedFrom]
    }

    static func redactionLog(_ rows: [LogRow]) -> Data { CSVWriter.data(header: redactionLogHeader, rows: rows.map(logRow)) }

    struct Release {
        var documents = 0, pages = 0, inFull = 0, inPart = 0, withheld = 0
        var inFullPages = 0, inPartPages = 0, withheldPages = 0
        var byCode: [String: Int] = [:]
    }

    static func releaseSummary(_ r: Release, matter: String, production: String, mode: ProductionMode) -> Data {
        var s = "\(mode == .foia ? "Release" : "Production") summary — \(matter), \(production)\n\n"
        s += "documents reviewed: \(r.documents) (\(r.pages) pages)\n"
        s += "released in full:   \(r.inFull) (\(r.inFullPages) pages)\n"
        s += "released in part:   \(r.inPart) (\(r.inPartPages) pages)\n"
        s += "withheld in full:   \(r.withheld) (\(r.withheldPages) pages)\n\n"
        s += mode == .foia ? "redacted portions per exemption:\n" : "redacted portions per privilege:\n"
        for (c, n) in r.byCode.sorted(by: { Codes.sortKey($0.key) < Codes.sortKey($1.key) }) { s += "  \(c): \(n)\n" }
        return Data(s.utf8)
    }
}
