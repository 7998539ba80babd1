import CPff
import Foundation

public struct PffError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

typealias ErrorPointer = UnsafeMutablePointer<libpff_error_t>?

/// Runs a libpff call and turns a failure into a Swift error carrying libpff's own message.
/// Returns true when the call found the value (1), false when it is absent (0).
@discardableResult
func call(_ what: String, _ body: (UnsafeMutablePointer<ErrorPointer>) -> Int32) throws -> Bool {
    var err: ErrorPointer = nil
    let r = body(&err)
    defer { if err != nil { libpff_error_free(&err) } }
    if r == -1 {
        throw PffError("\(what): \(errorText(err))")
    }
    return r == 1
}

func errorText(_ err: ErrorPointer) -> String {
    guard let err else { return "failed" }
    var buf = [CChar](repeating: 0, count: 2048)
    let n = libpff_error_sprint(err, &buf, buf.count)
    guard n > 0 else { return "failed" }
    // libpff chains the messages of every level; the last line is the most specific.
    let text = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    return lines.last ?? "failed"
}

/// A PST or OST file open through libpff. libpff is not safe to use from two threads on one
/// handle; a reader opens its own.
public final class PffFile {
    let handle: UnsafeMutablePointer<libpff_file_t>

    public init(path: String) throws {
        var h: UnsafeMutablePointer<libpff_file_t>? = nil
        try call("cannot initialise libpff") { libpff_file_initialize(&h, $0) }
        guard let h else { throw PffError("cannot initialise libpff") }
        do {
            try call("cannot open") { libpff_file_open(h, path, libpff_get_access_flags_read(), $0) }
        } catch {
            var hh: UnsafeMutablePointer<libpff_file_t>? = h
            libpff_file_free(&hh, nil)
            throw error
        }
        handle = h
    }

    deinit {
        libpff_file_close(handle, nil)
        var h: UnsafeMutablePointer<libpff_file_t>? = handle
        libpff_file_free(&h, nil)
    }

    /// "SM" files are PST, "SO" files OST, "AB" address books.
    public var contentType: UInt8 {
        var t: UInt8 = 0
        _ = try? call("content type") { libpff_file_get_content_type(handle, &t, $0) }
        return t
    }

    public var isCorrupted: Bool {
        (try? call("corruption check") { libpff_file_is_corrupted(handle, $0) }) ?? false
    }

    public func rootFolder() throws -> PffItem? {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read the root folder", { libpff_file_get_root_folder(handle, &item, $0) }), let item else { return nil }
        return PffItem(item, file: self)
    }

    /// Scans for items that are no longer linked from the folder tree (deleted, orphaned).
    public func recoverItems() throws -> Int {
        try call("item recovery failed") { libpff_file_recover_items(handle, 0, $0) }
        var n: Int32 = 0
        try call("cannot count recovered items") { libpff_file_get_number_of_recovered_items(handle, &n, $0) }
        return Int(n)
    }

    public func recoveredItem(_ i: Int) throws -> PffItem {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read recovered item \(i)", { libpff_file_get_recovered_item_by_index(handle, Int32(i), &item, $0) }), let item else {
            throw PffError("recovered item \(i) not available")
        }
        return PffItem(item, file: self)
    }

    public func orphanCount() throws -> Int {
        var n: Int32 = 0
        try call("cannot count orphan items") { libpff_file_get_number_of_orphan_items(handle, &n, $0) }
        return Int(n)
    }

    public func orphanItem(_ i: Int) throws -> PffItem {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read orphan item \(i)", { libpff_file_get_orphan_item_by_index(handle, Int32(i), &item, $0) }), let item else {
            throw PffError("orphan item \(i) not available")
        }
        return PffItem(item, file: self)
    }
}

/// A named property's identity as libpff resolves it from the name-to-id map.
public struct PffNamedKey: Sendable, Equatable {
    public var guid: [UInt8]
    public var number: UInt32?
    public var name: String?
}

/// One property as stored: tag parts, raw little-endian value bytes (one array per value for
/// multi-valued properties), and the name when the tag is a named property.
public struct PffProperty: Sendable {
    public var id: UInt16
    public var type: UInt16
    public var data: [UInt8]
    public var values: [[UInt8]]
    public var named: PffNamedKey?
}

public enum PffItemType {
    public static let folder = UInt8(LIBPFF_ITEM_TYPE_FOLDER.rawValue)
    public static let attachment = UInt8(LIBPFF_ITEM_TYPE_ATTACHMENT.rawValue)
    public static let recipients = UInt8(LIBPFF_ITEM_TYPE_RECIPIENTS.rawValue)
}

/// A libpff item: folder, message (of any class), attachment or recipient table.
/// Holds its file open while it lives.
public final class PffItem {
    let handle: UnsafeMutablePointer<libpff_item_t>
    let file: PffFile

    init(_ handle: UnsafeMutablePointer<libpff_item_t>, file: PffFile) {
        self.handle = handle; self.file = file
    }

    deinit {
        var h: UnsafeMutablePointer<libpff_item_t>? = handle
        libpff_item_free(&h, nil)
    }

    public var identifier: UInt32? {
        var id: UInt32 = 0
        return (try? call("identifier") { libpff_item_get_identifier(handle, &id, $0) }) == true ? id : nil
    }

    public var type: UInt8 {
        var t: UInt8 = 0
        _ = try? call("item type") { libpff_item_get_type(handle, &t, $0) }
        return t
    }

    // MARK: folders

    public var folderName: String? {
        var size = 0
        guard (try? call("folder name size") { libpff_folder_get_utf8_name_size(handle, &size, $0) }) == true,
              size > 0, size < 1 << 20 else { return nil }
        var buf = [UInt8](repeating: 0, count: size)
        guard (try? call("folder name") { libpff_folder_get_utf8_name(handle, &buf, size, $0) }) == true else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self)
    }

    public func subFolderCount() throws -> Int {
        var n: Int32 = 0
        try call("cannot count sub-folders") { libpff_folder_get_number_of_sub_folders(handle, &n, $0) }
        return Int(n)
    }

    public func subFolder(_ i: Int) throws -> PffItem {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read sub-folder \(i)", { libpff_folder_get_sub_folder(handle, Int32(i), &item, $0) }), let item else {
            throw PffError("sub-folder \(i) not available")
        }
        return PffItem(item, file: file)
    }

    public func messageCount() throws -> Int {
        var n: Int32 = 0
        try call("cannot count messages") { libpff_folder_get_number_of_sub_messages(handle, &n, $0) }
        return Int(n)
    }

    public func message(_ i: Int) throws -> PffItem {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read message \(i)", { libpff_folder_get_sub_message(handle, Int32(i), &item, $0) }), let item else {
            throw PffError("message \(i) not available")
        }
        return PffItem(item, file: file)
    }

    // MARK: properties

    public func recordSetCount() throws -> Int {
        var n: Int32 = 0
        try call("cannot count record sets") { libpff_item_get_number_of_record_sets(handle, &n, $0) }
        return Int(n)
    }

    /// Every property of one record set (a message has one; a recipient table one per
    /// recipient). Properties in `skip` and values over `maxValue` bytes are left out; the
    /// second are reported in `oversized`.
    public func properties(set: Int = 0, skip: Set<UInt16> = [], maxValue: Int = 256 << 20,
                           oversized: inout [UInt16]) throws -> [PffProperty] {
        var rs: UnsafeMutablePointer<libpff_record_set_t>? = nil
        guard try call("cannot read record set \(set)", { libpff_item_get_record_set_by_index(handle, Int32(set), &rs, $0) }), let rs else {
            return []
        }
        defer { var r: UnsafeMutablePointer<libpff_record_set_t>? = rs; libpff_record_set_free(&r, nil) }
        var count: Int32 = 0
        try call("cannot count properties") { libpff_record_set_get_number_of_entries(rs, &count, $0) }
        var out: [PffProperty] = []
        out.reserveCapacity(Int(count))
        for i in 0..<Int(max(0, count)) {
            var e: UnsafeMutablePointer<libpff_record_entry_t>? = nil
            guard (try? call("entry", { libpff_record_set_get_entry_by_index(rs, Int32(i), &e, $0) })) == true, let e else { continue }
            defer { var ee: UnsafeMutablePointer<libpff_record_entry_t>? = e; libpff_record_entry_free(&ee, nil) }
            var entryType: UInt32 = 0, valueType: UInt32 = 0
            guard (try? call("entry type", { libpff_record_entry_get_entry_type(e, &entryType, $0) })) == true,
                  (try? call("value type", { libpff_record_entry_get_value_type(e, &valueType, $0) })) == true else { continue }
            let id = UInt16(truncatingIfNeeded: entryType)
            if skip.contains(id) { continue }
            var size = 0
            guard (try? call("data size", { libpff_record_entry_get_data_size(e, &size, $0) })) == true else { continue }
            if size > maxValue { oversized.append(id); continue }
            var data = [UInt8](repeating: 0, count: size)
            if size > 0 {
                guard (try? call("data", { libpff_record_entry_get_data(e, &data, size, $0) })) == true else { continue }
            }
            var prop = PffProperty(id: id, type: UInt16(truncatingIfNeeded: valueType), data: data, values: [], named: nil)
            if valueType & 0x1000 != 0 { prop.values = multiValues(e) }
            if entryType >= 0x8000 { prop.named = namedKey(e) }
            out.append(prop)
        }
        return out
    }

    private func multiValues(_ e: UnsafeMutablePointer<libpff_record_entry_t>) -> [[UInt8]] {
        var mv: UnsafeMutablePointer<libpff_multi_value_t>? = nil
        guard (try? call("multi value", { libpff_record_entry_get_multi_value(e, &mv, $0) })) == true, let mv else { return [] }
        defer { var m: UnsafeMutablePointer<libpff_multi_value_t>? = mv; libpff_multi_value_free(&m, nil) }
        var n: Int32 = 0
        guard (try? call("value count", { libpff_multi_value_get_number_of_values(mv, &n, $0) })) == true, n > 0, n < 1_000_000 else { return [] }
        var out: [[UInt8]] = []
        for i in 0..<Int(n) {
            var type: UInt32 = 0
            var data: UnsafeMutablePointer<UInt8>? = nil
            var size = 0
            guard (try? call("value", { libpff_multi_value_get_value(mv, Int32(i), &type, &data, &size, $0) })) == true else { continue }
            if let data, size > 0 { out.append(Array(UnsafeBufferPointer(start: data, count: size))) } else { out.append([]) }
        }
        return out
    }

    private func namedKey(_ e: UnsafeMutablePointer<libpff_record_entry_t>) -> PffNamedKey? {
        var m: UnsafeMutablePointer<libpff_name_to_id_map_entry_t>? = nil
        guard (try? call("name", { libpff_record_entry_get_name_to_id_map_entry(e, &m, $0) })) == true, let m else { return nil }
        var kind: UInt8 = 0
        guard (try? call("name type", { libpff_name_to_id_map_entry_get_type(m, &kind, $0) })) == true else { return nil }
        var guid = [UInt8](repeating: 0, count: 16)
        _ = try? call("guid") { libpff_name_to_id_map_entry_get_guid(m, &guid, 16, $0) }
        if kind == UInt8(ascii: "s") {
            var size = 0
            guard (try? call("name size", { libpff_name_to_id_map_entry_get_utf8_string_size(m, &size, $0) })) == true,
                  size > 0, size < 1 << 16 else { return nil }
            var buf = [UInt8](repeating: 0, count: size)
            guard (try? call("name", { libpff_name_to_id_map_entry_get_utf8_string(m, &buf, size, $0) })) == true else { return nil }
            return PffNamedKey(guid: guid, number: nil, name: String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self))
        }
        var number: UInt32 = 0
        guard (try? call("number", { libpff_name_to_id_map_entry_get_number(m, &number, $0) })) == true else { return nil }
        return PffNamedKey(guid: guid, number: number, name: nil)
    }

    // MARK: messages

    /// The recipient table: one record set per recipient.
    public func recipientTable() throws -> PffItem? {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read recipients", { libpff_message_get_recipients(handle, &item, $0) }), let item else { return nil }
        return PffItem(item, file: file)
    }

    public func attachmentCount() throws -> Int {
        var n: Int32 = 0
        try call("cannot count attachments") { libpff_message_get_number_of_attachments(handle, &n, $0) }
        return Int(n)
    }

    public func attachment(_ i: Int) throws -> PffItem {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read attachment \(i)", { libpff_message_get_attachment(handle, Int32(i), &item, $0) }), let item else {
            throw PffError("attachment \(i) not available")
        }
        return PffItem(item, file: file)
    }

    // MARK: attachments

    public enum AttachmentKind: Sendable { case data, item, reference, unknown }

    public func attachmentKind() throws -> AttachmentKind {
        var t: Int32 = 0
        try call("cannot read attachment type") { libpff_attachment_get_type(handle, &t, $0) }
        switch UInt8(truncatingIfNeeded: t) {
        case UInt8(ascii: "d"): return .data
        case UInt8(ascii: "i"): return .item
        case UInt8(ascii: "r"): return .reference
        default: return .unknown
        }
    }

    public func attachmentSize() throws -> Int64 {
        var size: size64_t = 0
        guard try call("cannot read attachment size", { libpff_attachment_get_data_size(handle, &size, $0) }) else { return 0 }
        return Int64(clamping: size)
    }

    /// The attachment's bytes, read in chunks; refuses sizes over `limit`.
    public func attachmentData(limit: Int64) throws -> [UInt8] {
        let size = try attachmentSize()
        guard size <= limit else { throw PffError("attachment of \(size) bytes is over the \(limit)-byte limit") }
        guard size > 0 else { return [] }
        try call("cannot seek attachment data") { err -> Int32 in
            libpff_attachment_data_seek_offset(handle, 0, SEEK_SET, err) < 0 ? -1 : 1
        }
        var out = [UInt8]()
        out.reserveCapacity(Int(size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while out.count < Int(size) {
            var err: ErrorPointer = nil
            let want = min(chunk.count, Int(size) - out.count)
            let n = libpff_attachment_data_read_buffer(handle, &chunk, want, &err)
            if n < 0 {
                let m = errorText(err)
                libpff_error_free(&err)
                throw PffError("attachment data damaged after \(out.count) of \(size) bytes: \(m)")
            }
            if err != nil { libpff_error_free(&err) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<min(n, want)])
        }
        return out
    }

    /// The message an attachment embeds (attach method 5).
    public func attachedItem() throws -> PffItem? {
        var item: UnsafeMutablePointer<libpff_item_t>? = nil
        guard try call("cannot read embedded item", { libpff_attachment_get_item(handle, &item, $0) }), let item else { return nil }
        return PffItem(item, file: file)
    }
}
