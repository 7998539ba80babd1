import CXML2
import Foundation

/// Reads a large document element by element (libxml2's xmlTextReader) without building a
/// tree: verifying a production of 100,000 documents through the DOM took gigabytes. The same
/// hostile-input options as `XMLElement.parse`: no entities loaded, no network.
public enum XMLStream {
    /// Calls `body` with the name and attributes of each start tag whose name is in `names`.
    public static func elements(_ data: Data, named names: Set<String>,
                                _ body: (String, [String: String]) throws -> Void) throws {
        guard data.count < Int32.max else { throw XMLError.parse("document larger than 2 GiB") }
        let sink = ErrorSink()
        try LibXML.capturing(sink) {
            try data.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: CChar.self).baseAddress else { throw XMLError.parse("empty document") }
                guard let reader = xmlReaderForMemory(base, Int32(raw.count), nil, nil, Int32(XML_PARSE_NONET.rawValue)) else {
                    throw XMLError.parse("cannot read the document")
                }
                defer { xmlFreeTextReader(reader) }
                while true {
                    let r = xmlTextReaderRead(reader)
                    if r == 0 { break }
                    if r < 0 { throw XMLError.parse(sink.messages.first ?? "not well-formed XML") }
                    guard xmlTextReaderNodeType(reader) == 1 else { continue }
                    let name = LibXML.string(xmlTextReaderConstName(reader))
                    guard names.contains(name) else { continue }
                    var attributes: [String: String] = [:]
                    while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                        attributes[LibXML.string(xmlTextReaderConstName(reader))] = LibXML.string(xmlTextReaderConstValue(reader))
                    }
                    xmlTextReaderMoveToElement(reader)
                    try body(name, attributes)
                }
            }
        }
        if let first = sink.messages.first { throw XMLError.parse(first) }
    }
}
