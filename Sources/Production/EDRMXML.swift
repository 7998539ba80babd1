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
        try w.start("Root")
        try w.attribute("MajorVersion", "1")
        try w.attribute("MinorVersion", "2")
        try w.attribute("Description", "disclose production")
        try w.attribute("Locale", "US")
        try w.attribute("DataInterchangeType", "Update")
        try w.start("Batch")
        try w.attribute("name", batch)
        try w.start("Documents")
        for d in documents {
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
        try w.end()
        try w.start("Relationships")
        for r in relationships {
            try w.start("Relationship")
            try w.attribute("Type", r.type)
            try w.attribute("ParentDocId", r.parent)
            try w.attribute("ChildDocId", r.child)
            try w.end()
        }
        try w.end()
        try w.end()
        try w.end()
        return try w.finish()
    }
}
