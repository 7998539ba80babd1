import CXML2
import Foundation

/// Small immutable DOM for reading back our own outputs (manifest, EDRM XML). Element and
/// attribute names are as written, prefix included ("edrm:Tag"); namespace declarations are not
/// attributes. Entity references other than the predefined ones are not expanded: input is
/// treated as hostile, so no external entity, DTD or network resource is ever loaded.
///
/// Named like Foundation's macOS-only `XMLElement`; write `XMLKit.XMLElement` where both are imported.
public final class XMLElement: Sendable {
    public let name: String
    public let attributes: [String: String]
    public let children: [XMLElement]
    /// The element's own text and CDATA, concatenated. Whitespace that only indents child
    /// elements is dropped, so a container's text is "".
    public let text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// All elements below this one (not itself) with the name, in document order.
    public func descendants(_ name: String) -> [XMLElement] {
        var result: [XMLElement] = []
        var stack: [XMLElement] = children.reversed()
        while let e = stack.popLast() {
            if e.name == name { result.append(e) }
            stack.append(contentsOf: e.children.reversed())
        }
        return result
    }

    /// Parses without XML_PARSE_NOENT/DTDLOAD and with XML_PARSE_NONET. libxml2's default limits
    /// stay on (nesting depth 256, 10 MB text nodes, entity amplification checks), which also keeps
    /// the recursive conversion below shallow.
    public static func parse(_ data: Data) throws -> XMLElement {
        guard data.count < Int32.max else { throw XMLError.parse("document larger than 2 GiB") }
        let sink = ErrorSink()
        let options = Int32(XML_PARSE_NONET.rawValue)
        let doc: xmlDocPtr? = LibXML.capturing(sink) {
            data.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: CChar.self).baseAddress else { return nil }
                return xmlReadMemory(base, Int32(raw.count), nil, nil, options)
            }
        }
        guard let doc else {
            throw XMLError.parse(sink.messages.first ?? (data.isEmpty ? "empty document" : "not well-formed XML"))
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw XMLError.parse("no root element") }
        return convert(root)
    }

    private static func convert(_ node: xmlNodePtr) -> XMLElement {
        var attributes: [String: String] = [:]
        var attr = node.pointee.properties
        while let a = attr {
            attributes[LibXML.qualifiedName(a.pointee.name, a.pointee.ns)] = textOf(a.pointee.children)
            attr = a.pointee.next
        }
        var children: [XMLElement] = []
        var text = ""
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(convert(c))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += LibXML.string(c.pointee.content)
            default:
                break
            }
            child = c.pointee.next
        }
        if !children.isEmpty && text.allSatisfy(\.isWhitespace) { text = "" }
        return XMLElement(name: LibXML.qualifiedName(node.pointee.name, node.pointee.ns),
                          attributes: attributes, children: children, text: text)
    }

    private static func textOf(_ first: xmlNodePtr?) -> String {
        var s = ""
        var n = first
        while let node = n {
            if node.pointee.type == XML_TEXT_NODE { s += LibXML.string(node.pointee.content) }
            n = node.pointee.next
        }
        return s
    }
}
