import CXML2
import Foundation

/// Streaming XML writer into memory or straight into a file: UTF-8, `<?xml version="1.0" encoding="UTF-8"?>`, optional
/// 2-space indentation. Text and attribute values are sanitised so that no input string (an email
/// body with stray control characters, say) can make the document ill-formed.
public final class XMLWriter {
    private var buffer: xmlBufferPtr?
    private var writer: xmlTextWriterPtr?
    private var openElements: [String] = []

    public init(indent: Bool = true) throws {
        _ = LibXML.initialized
        guard let buffer = xmlBufferCreate() else { throw XMLError.write("cannot allocate buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XMLError.write("cannot create xmlTextWriter")
        }
        self.buffer = buffer
        self.writer = writer
        try begin(indent: indent)
    }

    /// Writes into the file at `path` as it goes, so a load file of any size never sits in
    /// memory; `close()` ends it.
    public init(path: String, indent: Bool = true) throws {
        _ = LibXML.initialized
        guard let writer = xmlNewTextWriterFilename(path, 0) else { throw XMLError.write("cannot create \(path)") }
        self.buffer = nil
        self.writer = writer
        try begin(indent: indent)
    }

    private func begin(indent: Bool) throws {
        guard let writer else { return }
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            LibXML.withXMLChars("  ") { _ = xmlTextWriterSetIndentString(writer, $0) }
        }
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start document")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
    }

    public func start(_ name: String) throws {
        let w = try active()
        try Self.validate(name)
        try LibXML.withXMLChars(name) { try check(xmlTextWriterStartElement(w, $0), "start <\(name)>") }
        openElements.append(name)
    }

    /// Must follow `start` before any text or child element.
    public func attribute(_ name: String, _ value: String) throws {
        let w = try active()
        try Self.validate(name)
        guard !openElements.isEmpty else { throw XMLError.write("attribute \(name) outside an element") }
        try LibXML.withXMLChars(name) { n in
            try LibXML.withXMLChars(Self.sanitize(value)) { v in
                try check(xmlTextWriterWriteAttribute(w, n, v), "attribute \(name) on <\(openElements.last!)>")
            }
        }
    }

    public func text(_ s: String) throws {
        let w = try active()
        guard !openElements.isEmpty else { throw XMLError.write("text outside the root element") }
        try LibXML.withXMLChars(Self.sanitize(s)) { try check(xmlTextWriterWriteString(w, $0), "text") }
    }

    public func element(_ name: String, text: String) throws {
        try start(name)
        try self.text(text)
        try end()
    }

    public func end() throws {
        let w = try active()
        guard let name = openElements.popLast() else { throw XMLError.write("end() without an open element") }
        try check(xmlTextWriterEndElement(w), "end </\(name)>")
    }

    /// Closes open elements and the document and flushes it into the file (file writers only).
    public func close() throws {
        let w = try active()
        try check(xmlTextWriterEndDocument(w), "end document")
        let flushed = xmlTextWriterFlush(w)
        xmlFreeTextWriter(w)
        writer = nil
        try check(flushed, "flush")
    }

    /// Closes open elements and the document and returns the bytes; the writer is spent afterwards.
    public func finish() throws -> Data {
        let w = try active()
        try check(xmlTextWriterEndDocument(w), "end document")
        // Freeing the writer flushes its output into the buffer.
        xmlFreeTextWriter(w)
        writer = nil
        guard let buffer else { throw XMLError.write("buffer missing") }
        defer {
            xmlBufferFree(buffer)
            self.buffer = nil
        }
        let length = Int(xmlBufferLength(buffer))
        guard length > 0, let content = xmlBufferContent(buffer) else { return Data() }
        return Data(bytes: content, count: length)
    }

    private func active() throws -> xmlTextWriterPtr {
        guard let writer else { throw XMLError.write("writer already finished") }
        return writer
    }

    private func check(_ result: Int32, _ what: String) throws {
        if result < 0 { throw XMLError.write("libxml2 refused \(what)") }
    }

    /// Names come from our code, not from documents, so a bad one is a programming error worth
    /// failing on instead of emitting ill-formed XML.
    static func validate(_ name: String) throws {
        let valid = !name.isEmpty && LibXML.withXMLChars(name) { xmlValidateName($0, 0) == 0 }
        if !valid { throw XMLError.write("invalid XML name \"\(name)\"") }
    }

    /// Replaces characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF)
    /// with U+FFFD. Swift strings cannot hold lone surrogates, so those never get this far; NUL
    /// must go too because the C API would silently truncate at it.
    public static func sanitize(_ s: String) -> String {
        guard !s.unicodeScalars.allSatisfy(isXMLChar) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { out.append(isXMLChar(scalar) ? scalar : "\u{FFFD}") }
        return String(out)
    }

    @inline(__always)
    static func isXMLChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v >= 0x20 { return v != 0xFFFE && v != 0xFFFF }
        return v == 0x09 || v == 0x0A || v == 0x0D
    }
}
