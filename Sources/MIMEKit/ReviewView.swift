import CGMime
import Foundation

/// Everything a person could read in a message's bytes, as text: every header of every entity,
/// multipart preambles and epilogues, and every text leaf decoded (HTML as source, so comments
/// and attributes are there too), including the alternatives a reader never shows. The package
/// stage scans this before a message goes out as a native, because the native carries all of it
/// while review saw only the chosen body.
public struct ReviewView: Sendable {
    public var text: String
    /// Leaves that are not text (attachments, signatures): their content is not in `text`.
    public var binaryLeaves: Int
    public init(text: String, binaryLeaves: Int) { self.text = text; self.binaryLeaves = binaryLeaves }
}

extension MIME {
    /// nil when the bytes do not parse as a message or nest deeper than the parser follows:
    /// then not every byte can be shown to have been read.
    public static func reviewView(_ data: Data) -> ReviewView? {
        _ = initialised
        let session = GMimeSession()
        guard !data.isEmpty, let message = session.construct(RawRepair.prepare(data)) else { return nil }
        defer { g_object_unref(message) }
        var collector = ViewCollector()
        collector.message(message, depth: 0)
        if collector.tooDeep || session.sink.items.contains(where: { $0.hasPrefix("MIME nesting too deep") }) { return nil }
        return ReviewView(text: collector.lines.joined(separator: "\n"), binaryLeaves: collector.binaryLeaves)
    }
}

extension GMimeSession {
    /// The GMime message for bytes already through `RawRepair`; nil when GMime builds none.
    func construct(_ data: Data) -> UnsafeMutablePointer<GMimeMessage>? {
        guard !data.isEmpty else { return nil }
        let stream: UnsafeMutablePointer<GMimeStream> = data.withUnsafeBytes { raw in
            // Copies the bytes: the parser's substreams outlive this closure.
            g_mime_stream_mem_new_with_buffer(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
        let parser = g_mime_parser_new_with_stream(stream)!
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE)
        let message = g_mime_parser_construct_message(parser, options)
        g_object_unref(parser)
        g_object_unref(stream)
        return message
    }
}

private struct ViewCollector {
    var lines: [String] = []
    var binaryLeaves = 0
    var tooDeep = false

    mutating func headers(_ object: UnsafeMutablePointer<GMimeObject>) {
        guard let list = g_mime_object_get_header_list(object) else { return }
        for i in 0..<g_mime_header_list_get_count(list) {
            guard let h = g_mime_header_list_get_header_at(list, i) else { continue }
            let name = cString(g_mime_header_get_name(h)) ?? ""
            let value = cString(g_mime_header_get_value(h)) ?? ""
            let raw = cString(g_mime_header_get_raw_value(h)) ?? ""
            lines.append("\(name): \(clean(value))")
            // Parameters such as name= and filename= are decoded separately by GMime; the raw
            // value keeps each of them, and any encoded word written in a way the decoder skips.
            if raw != value { lines.append(clean(raw).replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "")) }
        }
    }

    mutating func message(_ m: UnsafeMutablePointer<GMimeMessage>, depth: Int) {
        if depth > GMimeSession.maxDepth { tooDeep = true; return }
        headers(disclose_message_as_object(m))
        if let root = g_mime_message_get_mime_part(m) { object(root, depth: depth + 1) }
    }

    mutating func object(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int) {
        if depth > GMimeSession.maxDepth { tooDeep = true; return }
        headers(object)
        if disclose_is_multipart(object) != 0 {
            let mp = disclose_as_multipart(object)!
            if let p = cString(g_mime_multipart_get_prologue(mp)) { lines.append(clean(p)) }
            for i in 0..<max(0, Int(g_mime_multipart_get_count(mp))) {
                if let child = g_mime_multipart_get_part(mp, Int32(i)) { self.object(child, depth: depth + 1) }
            }
            if let e = cString(g_mime_multipart_get_epilogue(mp)) { lines.append(clean(e)) }
        } else if disclose_is_message_part(object) != 0 {
            if let inner = g_mime_message_part_get_message(disclose_as_message_part(object)) {
                message(inner, depth: depth + 1)
            }
        } else if disclose_is_part(object) != 0 {
            guard isText(object) else { binaryLeaves += 1; return }
            let bytes = partBytes(disclose_as_part(object))
            lines.append(Charset.decode(bytes, declared: cString(g_mime_object_get_content_type_parameter(object, "charset"))).text)
        }
    }

    func isText(_ object: UnsafeMutablePointer<GMimeObject>) -> Bool {
        guard let ct = g_mime_object_get_content_type(object) else { return false }
        let type = (cString(g_mime_content_type_get_media_type(ct)) ?? "").lowercased()
        let sub = (cString(g_mime_content_type_get_media_subtype(ct)) ?? "").lowercased()
        return type == "text" || type == "message" || (type == "application" && ["json", "xml", "ics"].contains(sub))
    }
}
