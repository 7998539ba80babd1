import CXML2
import Foundation

public enum XMLSchema {
    /// Validates an XML document against an XSD given as text. Returns every validation and parse
    /// error as "line N: message" (empty means valid); errors in the XSD itself read
    /// "line N: XSD: message" with N a line of the XSD. Nothing is printed to stderr, and the
    /// network is never used.
    public static func validate(xml: Data, xsd: String) -> [String] {
        validate(xml: xml, xsd: xsd, streaming: false)
    }

    /// The same check read element by element (xmlTextReader), never building the document's
    /// tree: a manifest of a million files validates in the memory of one entry.
    public static func validateStreaming(xml: Data, xsd: String) -> [String] {
        validate(xml: xml, xsd: xsd, streaming: true)
    }

    static func validate(xml: Data, xsd: String, streaming: Bool) -> [String] {
        let sink = ErrorSink()
        let schemaSink = ErrorSink(prefix: "XSD: ")
        let schemaBytes = Array(xsd.utf8)
        guard schemaBytes.count < Int32.max, xml.count < Int32.max else { return ["line 0: document too large"] }

        let schema: xmlSchemaPtr? = LibXML.capturing(schemaSink) {
            guard let parser = schemaBytes.withUnsafeBufferPointer({ buf in
                buf.baseAddress.flatMap { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                        xmlSchemaNewMemParserCtxt($0, Int32(buf.count))
                    }
                }
            }) else { return nil }
            defer { xmlSchemaFreeParserCtxt(parser) }
            xmlSchemaSetParserStructuredErrors(parser, LibXML.structuredHandler,
                                               Unmanaged.passUnretained(schemaSink).toOpaque())
            return xmlSchemaParse(parser)
        }
        guard let schema else {
            return schemaSink.messages.isEmpty ? ["line 0: XSD: schema could not be parsed"] : schemaSink.messages
        }
        defer { xmlSchemaFree(schema) }

        if streaming {
            return LibXML.capturing(sink) {
                guard let validator = xmlSchemaNewValidCtxt(schema) else { return ["line 0: cannot create validator"] }
                defer { xmlSchemaFreeValidCtxt(validator) }
                xmlSchemaSetValidStructuredErrors(validator, LibXML.structuredHandler,
                                                  Unmanaged.passUnretained(sink).toOpaque())
                let failed: Bool = xml.withUnsafeBytes { raw in
                    guard let base = raw.bindMemory(to: CChar.self).baseAddress,
                          let reader = xmlReaderForMemory(base, Int32(raw.count), nil, nil, Int32(XML_PARSE_NONET.rawValue)) else {
                        return true
                    }
                    defer { xmlFreeTextReader(reader) }
                    guard xmlTextReaderSchemaValidateCtxt(reader, validator, 0) == 0 else { return true }
                    var r: Int32 = 1
                    while r == 1 { r = xmlTextReaderRead(reader) }
                    return r < 0 || xmlTextReaderIsValid(reader) != 1
                }
                if failed && sink.messages.isEmpty { sink.add("line 0: document is empty, not XML or not valid") }
                return sink.messages
            }
        }

        return LibXML.capturing(sink) {
            let doc: xmlDocPtr? = xml.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: CChar.self).baseAddress else { return nil }
                return xmlReadMemory(base, Int32(raw.count), nil, nil, Int32(XML_PARSE_NONET.rawValue))
            }
            guard let doc else {
                if sink.messages.isEmpty { sink.add("line 0: document is empty or not XML") }
                return sink.messages
            }
            defer { xmlFreeDoc(doc) }
            guard let validator = xmlSchemaNewValidCtxt(schema) else { return ["line 0: cannot create validator"] }
            defer { xmlSchemaFreeValidCtxt(validator) }
            xmlSchemaSetValidStructuredErrors(validator, LibXML.structuredHandler,
                                              Unmanaged.passUnretained(sink).toOpaque())
            let result = xmlSchemaValidateDoc(validator, doc)
            if result != 0 && sink.messages.isEmpty {
                sink.add("line 0: document is not valid (libxml2 code \(result))")
            }
            return sink.messages
        }
    }
}
