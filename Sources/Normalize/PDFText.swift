import DiscloseCore
import Foundation
import PopplerKit

/// Text of a PDF through poppler-glib: every page's text layer in reading order, pages
/// separated by a blank line. A PDF that cannot give its text says why in the note, so the
/// package stage slip-sheets it and holds the native for review instead of producing a blank:
///
/// - encrypted (no password opens it): "encrypted PDF"
/// - no page has a text layer: "no text layer (scanned image?)"
/// - some pages have only images: the text is kept and the note lists those pages, because the
///   produced text would silently miss what they show
/// - damaged beyond poppler's repair: "unreadable PDF: …"
enum PDFText {
    struct Result {
        var text: String
        var note: String
    }

    static func extract(_ data: Data) -> Result {
        let pdf: PopplerKit.PDFText
        do {
            pdf = try PDF.text(data)
        } catch PDFError.encrypted {
            return Result(text: "", note: "encrypted PDF")
        } catch {
            return Result(text: "", note: "\(error)")
        }
        if pdf.pageCount == 0 { return Result(text: "", note: "PDF without pages") }
        let pages = pdf.pages.map { OfficeText.tidy($0.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\u{0C}", with: "\n")) }
        let text = pages.filter { !$0.isEmpty }.joined(separator: "\n\n")
        if pdf.hasNoText || text.isEmpty {
            return Result(text: "", note: "no text layer (scanned image?)")
        }
        var notes: [String] = []
        if !pdf.imageOnlyPages.isEmpty {
            let list = pdf.imageOnlyPages.prefix(20).map(String.init).joined(separator: ", ")
                + (pdf.imageOnlyPages.count > 20 ? " and \(pdf.imageOnlyPages.count - 20) more" : "")
            notes.append("page\(pdf.imageOnlyPages.count == 1 ? "" : "s") \(list) of \(pdf.pageCount) ha\(pdf.imageOnlyPages.count == 1 ? "s" : "ve") no text layer (scanned image?)")
        }
        if pdf.truncated {
            notes.append("text truncated after \(pdf.pages.count) of \(pdf.pageCount) pages")
        }
        return Result(text: text, note: notes.joined(separator: "; "))
    }
}
