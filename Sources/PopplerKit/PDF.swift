import CPoppler
import Foundation

/// The text layer of a PDF, page by page.
public struct PDFText: Sendable, Equatable {
    /// Text of each page in page order, as poppler lays it out in reading order ("\n" line ends).
    public var pages: [String]
    /// Total pages in the document (more than `pages.count` when the page cap was reached).
    public var pageCount: Int
    /// 1-based numbers of pages with no text that do show at least one image: scanned pages.
    public var imageOnlyPages: [Int]
    /// The page or character cap was reached; `pages` holds what came before it.
    public var truncated: Bool

    public init(pages: [String], pageCount: Int, imageOnlyPages: [Int], truncated: Bool) {
        self.pages = pages; self.pageCount = pageCount; self.imageOnlyPages = imageOnlyPages; self.truncated = truncated
    }

    /// No page has any text (whitespace aside).
    public var hasNoText: Bool {
        pages.allSatisfy { $0.unicodeScalars.allSatisfy { CharacterSet.whitespacesAndNewlines.contains($0) } }
    }
}

public enum PDFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Encrypted and the password (none, or the one given) does not open it.
    case encrypted
    /// poppler cannot open it (not a PDF, damaged beyond repair).
    case unreadable(String)

    public var description: String {
        switch self {
        case .encrypted: return "encrypted PDF"
        case .unreadable(let m): return "unreadable PDF: \(m)"
        }
    }
}

/// poppler-glib behind a value API. Documents are opened from memory (no temporary files),
/// each call opens and frees its own document, so calls on different threads do not share state
/// except poppler's global parameters, whose lazy creation is serialised here.
public enum PDF {
    private static let openLock = NSLock()

    /// Text of every page. Stops after `maxPages` pages or `maxCharacters` characters of text
    /// (hostile or enormous files) and says so with `truncated`.
    public static func text(_ data: Data, password: String? = nil, maxPages: Int = 20_000,
                            maxCharacters: Int = 64 << 20) throws -> PDFText {
        guard !data.isEmpty else { throw PDFError.unreadable("empty file") }
        guard data.count < Int32.max else { throw PDFError.unreadable("larger than 2 GiB") }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> PDFText in
            guard let base = raw.baseAddress else { throw PDFError.unreadable("empty file") }
            // Static bytes: poppler reads the caller's buffer in place; everything that refers to
            // it is released before this closure returns.
            guard let bytes = g_bytes_new_static(base, gsize(raw.count)) else { throw PDFError.unreadable("out of memory") }
            defer { g_bytes_unref(bytes) }
            var error: UnsafeMutablePointer<GError>? = nil
            openLock.lock()
            let document = poppler_document_new_from_bytes(bytes, password, &error)
            openLock.unlock()
            guard let doc = document else {
                var message = "not a PDF or damaged"
                var encrypted = false
                if let e = error {
                    if e.pointee.domain == poppler_error_quark(), e.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                        encrypted = true
                    }
                    if let m = e.pointee.message { message = String(cString: m) }
                    g_error_free(e)
                }
                throw encrypted ? PDFError.encrypted : PDFError.unreadable(message)
            }
            defer { g_object_unref(UnsafeMutableRawPointer(doc)) }
            let count = Int(poppler_document_get_n_pages(doc))
            var pages: [String] = []
            var imageOnly: [Int] = []
            var characters = 0
            var truncated = false
            for i in 0..<max(0, count) {
                if i >= maxPages || characters >= maxCharacters { truncated = true; break }
                guard let page = poppler_document_get_page(doc, Int32(i)) else {
                    pages.append("")
                    continue
                }
                var text = ""
                if let t = poppler_page_get_text(page) {
                    text = String(cString: t)
                    g_free(t)
                }
                if text.unicodeScalars.allSatisfy({ CharacterSet.whitespacesAndNewlines.contains($0) }) {
                    text = ""
                    if let images = poppler_page_get_image_mapping(page) {
                        if g_list_length(images) > 0 { imageOnly.append(i + 1) }
                        poppler_page_free_image_mapping(images)
                    }
                }
                g_object_unref(UnsafeMutableRawPointer(page))
                characters += text.utf8.count
                pages.append(text)
            }
            return PDFText(pages: pages, pageCount: max(0, count), imageOnlyPages: imageOnly, truncated: truncated)
        }
    }
}
