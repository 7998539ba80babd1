import DiscloseCore
import Foundation
import XMLKit

/// `manifest.xml`: every file of the production with its size and SHA-256, written with libxml2
/// and validated against `Manifest.xsd` (also kept as `schemas/manifest.xsd`) before a job
/// reports success.
public enum Manifest {
    public static let namespace = "urn:disclose:manifest:1"

    public struct Entry: Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String
        public init(path: String, size: Int64, sha256: String) { self.path = path; self.size = size; self.sha256 = sha256 }
    }

    public static func write(matter: String, production: String, volume: String, entries: [Entry]) throws -> Data {
        let w = try XMLWriter(indent: true)
        try start(w, matter: matter, production: production, volume: volume, fileCount: entries.count,
                  totalBytes: entries.reduce(0) { $0 + $1.size })
        for e in entries { try add(w, e) }
        try w.end()
        return try w.finish()
    }

    /// The root element; the counts come first, so a streamed manifest needs them before its entries.
    static func start(_ w: XMLWriter, matter: String, production: String, volume: String, fileCount: Int, totalBytes: Int64) throws {
        try w.start("manifest")
        try w.attribute("xmlns", namespace)
        try w.attribute("matter", matter)
        try w.attribute("production", production)
        try w.attribute("volume", volume)
        try w.attribute("hashAlgorithm", "SHA-256")
        try w.attribute("fileCount", String(fileCount))
        try w.attribute("totalBytes", String(totalBytes))
    }

    static func add(_ w: XMLWriter, _ e: Entry) throws {
        try w.start("file")
        try w.attribute("path", e.path)
        try w.attribute("size", String(e.size))
        try w.attribute("sha256", e.sha256)
        try w.end()
    }

    public static func validate(_ data: Data) -> [String] { XMLSchema.validateStreaming(xml: data, xsd: xsd) }

    public static func read(_ data: Data) throws -> [Entry] {
        var out: [Entry] = []
        try forEachEntry(data) { out.append($0) }
        return out
    }

    /// Each entry in turn, read without building the document's tree.
    public static func forEachEntry(_ data: Data, _ body: (Entry) throws -> Void) throws {
        try XMLStream.elements(data, named: ["file"]) { _, a in
            try body(Entry(path: a["path"] ?? "", size: Int64(a["size"] ?? "") ?? -1, sha256: a["sha256"] ?? ""))
        }
    }

    public static let xsd = """
    <?xml version="1.0" encoding="UTF-8"?>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
               xmlns:m="urn:disclose:manifest:1"
               targetNamespace="urn:disclose:manifest:1"
               elementFormDefault="qualified">
      <xs:simpleType name="sha256">
        <xs:restriction base="xs:string">
          <xs:pattern value="[0-9a-f]{64}"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="relativePath">
        <xs:restriction base="xs:string">
          <xs:minLength value="1"/>
          <xs:pattern value="[^/].*"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:element name="manifest">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="file" minOccurs="0" maxOccurs="unbounded">
              <xs:complexType>
                <xs:attribute name="path" type="m:relativePath" use="required"/>
                <xs:attribute name="size" type="xs:nonNegativeInteger" use="required"/>
                <xs:attribute name="sha256" type="m:sha256" use="required"/>
              </xs:complexType>
            </xs:element>
          </xs:sequence>
          <xs:attribute name="matter" type="xs:string" use="required"/>
          <xs:attribute name="production" type="xs:string" use="required"/>
          <xs:attribute name="volume" type="xs:string" use="required"/>
          <xs:attribute name="hashAlgorithm" type="xs:string" fixed="SHA-256" use="required"/>
          <xs:attribute name="fileCount" type="xs:nonNegativeInteger" use="required"/>
          <xs:attribute name="totalBytes" type="xs:nonNegativeInteger" use="required"/>
        </xs:complexType>
        <xs:unique name="uniquePath">
          <xs:selector xpath="m:file"/>
          <xs:field xpath="@path"/>
        </xs:unique>
      </xs:element>
    </xs:schema>

    """
}
