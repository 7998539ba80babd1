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
        try w.start("manifest")
        try w.attribute("xmlns", namespace)
        try w.attribute("matter", matter)
        try w.attribute("production", production)
        try w.attribute("volume", volume)
        try w.attribute("hashAlgorithm", "SHA-256")
        try w.attribute("fileCount", String(entries.count))
        try w.attribute("totalBytes", String(entries.reduce(0) { $0 + $1.size }))
        for e in entries {
            try w.start("file")
            try w.attribute("path", e.path)
            try w.attribute("size", String(e.size))
            try w.attribute("sha256", e.sha256)
            try w.end()
        }
        try w.end()
        return try w.finish()
    }

    public static func validate(_ data: Data) -> [String] { XMLSchema.validate(xml: data, xsd: xsd) }

    public static func read(_ data: Data) throws -> [Entry] {
        let root = try XMLElement.parse(data)
        return root.children("file").map {
            Entry(path: $0.attributes["path"] ?? "", size: Int64($0.attributes["size"] ?? "") ?? -1,
                  sha256: $0.attributes["sha256"] ?? "")
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
