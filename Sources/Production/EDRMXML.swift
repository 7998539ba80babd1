import Foundation
import XMLKit

/// EDRM XML 1.2 load file: Root → Batch → Documents (Tags, Files, Locations) → Relationships.
public struct EDRMDocument {
    public var docID: String
    public var docType: String
    public var mimeType: String
    /// (name, type, value): type is Text, LongText, DateTime, Boolean, LongInteger or Decimal.
    public var tags: [(String, String, String)]
    /// (FileType, folder path, file name, size, sha256)
    public var files: [(String, String, String, Int64, String)]
    public var custodian: String
    public var location: String

    public init(docID: String, docType: String, mimeType: String, tags: [(String, String, String)],
                files: [(String, String, String, Int64, String)], custodian: String, location: String) {
        self.docID = docID; self.docType = docType; self.mimeType = mimeType; self.tags = tags
        self.files = files; self.custodian = custodian; self.location = location
    }
}

public enum EDRMXML {
    public static func write(batch: String, documents: [EDRMDocument], relationships: [(type: String, parent: String, child: String)]) throws -> Data {
        let w = try XMLWriter(indent: true)
        let x = try Writer(w, batch: batch)
        for d in documents { try x.add(d) }
        try x.startRelationships()
        for r in relationships { try x.addRelationship(type: r.type, parent: r.parent, child: r.child) }
        try x.end()
        return try w.finish()
    }

    /// Writes one document at a time (into memory or a file, as the XMLWriter does), so the
    /// load file of a large production is never assembled in memory. Documents first, then
    /// `startRelationships` and the relationships, then `end`.
    final class Writer {
        let w: XMLWriter

        init(_ w: XMLWriter, batch: String) throws {
            self.w = w
            try w.start("Root")
            try w.attribute("MajorVersion", "1")
            try w.attribute("MinorVersion", "2")
            try w.attribute("Description", "disclose production")
            try w.attribute("Locale", "US")
            try w.attribute("DataInterchangeType", "Update")
            try w.start("Batch")
            try w.attribute("name", batch)
            try w.start("Documents")
        }

        func add(_ d: EDRMDocument) throws {
            try w.start("Document")
            try w.attribute("DocID", d.docID)
            try w.attribute("DocType", d.docType)
            try w.attribute("MimeType", d.mimeType)
            try w.start("Tags")
            for (n, t, v) in d.tags where !v.isEmpty {
                try w.start("Tag")
                try w.attribute("TagName", n)
                try w.attribute("TagDataType", t)
                try w.attribute("TagValue", v)
                try w.end()
            }
            try w.end()
            try w.start("Files")
            for (type, path, name, size, hash) in d.files {
                try w.start("File")
                try w.attribute("FileType", type)
                try w.start("ExternalFile")
                try w.attribute("FilePath", path)
                try w.attribute("FileName", name)
                try w.attribute("FileSize", String(size))
                try w.attribute("Hash", hash)
                try w.attribute("HashType", "SHA-256")
                try w.end()
                try w.end()
            }
            try w.end()
            try w.start("Locations")
            try w.start("Location")
            try w.element("Custodian", text: d.custodian)
            try w.element("LocationURI", text: d.location)
            try w.end()
            try w.end()
            try w.end()
        }

        func startRelationships() throws {
            try w.end()
            try w.start("Relationships")
        }

        func addRelationship(type: String, parent: String, child: String) throws {
            try w.start("Relationship")
            try w.attribute("Type", type)
            try w.attribute("ParentDocId", parent)
            try w.attribute("ChildDocId", child)
            try w.end()
        }

        /// Closes Relationships, Batch and Root.
        func end() throws {
            try w.end()
            try w.end()
            try w.end()
        }
    }
}
