import Foundation

// TNEF (winmail.dat, application/ms-tnef, MS-OXTNEF) is read here in Swift rather than through
// libytnef: libytnef 2.0 rejects valid streams with fixed allocation caps ("invalid alloc
// size", seen on 4 of the 19 MimeKit test streams, losing their attachments), and it prints
// its errors to stdout. The format is a flat list of length-prefixed attributes, so a
// bounds-checked reader is short and cannot be made to read outside the buffer.

public struct TNEFError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One MAPI property from an attMAPIProps, attAttachment or recipient row.
public struct TNEFProperty: Sendable, Equatable {
    public var id: UInt16
    /// The MAPI type, including the multi-value bit 0x1000.
    public var type: UInt16
    /// Named properties (id >= 0x8000): the property set GUID as stored, and a LID or a name.
    public var guid: [UInt8]?
    public var lid: UInt32?
    public var name: String?
    /// One byte array per value; single-valued properties have one.
    public var values: [[UInt8]]
}

/// TNEF's own date structure (attDateSent and friends), in the sender's local time.
public struct TNEFDate: Sendable, Equatable {
    public var year, month, day, hour, minute, second: Int
}

public struct TNEFAttachment: Sendable {
    /// attAttachTitle: the 8.3 or display file name, in the OEM code page.
    public var title: [UInt8]?
    /// attAttachData.
    public var data: [UInt8]?
    /// attAttachment: the attachment's MAPI properties (long file name, method, MIME type,
    /// PR_ATTACH_DATA_OBJ for embedded messages and OLE objects).
    public var properties: [TNEFProperty] = []
    public var transportName: [UInt8]?
    public var createDate: TNEFDate?
    public var modifyDate: TNEFDate?
}

/// A parsed TNEF stream. Whatever could be read is here even when `warnings` says the stream
/// was damaged.
public struct TNEFStream: Sendable {
    public var key: UInt16 = 0
    public var messageClass: [UInt8]?
    public var subject: [UInt8]?
    public var body: [UInt8]?
    public var messageID: [UInt8]?
    public var fromName: [UInt8]?
    public var fromAddress: [UInt8]?
    public var dateSent: TNEFDate?
    public var dateReceived: TNEFDate?
    public var dateModified: TNEFDate?
    public var priority: Int?
    public var oemCodePage: Int?
    public var properties: [TNEFProperty] = []
    public var recipients: [[TNEFProperty]] = []
    public var attachments: [TNEFAttachment] = []
    public var warnings: [String] = []
}

public enum TNEF {
    public static let signature: UInt32 = 0x223E_9F78
    public static let signatureBytes: [UInt8] = [0x78, 0x9F, 0x3E, 0x22]

    public static func hasSignature(_ head: [UInt8]) -> Bool { head.starts(with: signatureBytes) }

    enum Attr {
        static let from: UInt32 = 0x0000_8000
        static let subject: UInt32 = 0x0001_8004
        static let dateSent: UInt32 = 0x0003_8005
        static let dateReceived: UInt32 = 0x0003_8006
        static let messageClass: UInt32 = 0x0007_8008
        static let messageID: UInt32 = 0x0001_8009
        static let body: UInt32 = 0x0002_800C
        static let priority: UInt32 = 0x0004_800D
        static let attachData: UInt32 = 0x0006_800F
        static let attachTitle: UInt32 = 0x0001_8010
        static let attachCreateDate: UInt32 = 0x0003_8012
        static let attachModifyDate: UInt32 = 0x0003_8013
        static let dateModified: UInt32 = 0x0003_8020
        static let attachTransportFilename: UInt32 = 0x0006_9001
        static let attachRenderData: UInt32 = 0x0006_9002
        static let mapiProps: UInt32 = 0x0006_9003
        static let recipientTable: UInt32 = 0x0006_9004
        static let attachment: UInt32 = 0x0006_9005
        static let oemCodepage: UInt32 = 0x0006_9007
    }

    /// Reads a TNEF stream. Throws only when the bytes are not TNEF at all; damage after the
    /// header ends the parse with a warning and keeps what came before.
    public static func parse(_ b: [UInt8]) throws -> TNEFStream {
        guard b.count >= 6, hasSignature(b) else { throw TNEFError("not a TNEF stream (no signature)") }
        var s = TNEFStream()
        s.key = UInt16(b[4]) | UInt16(b[5]) << 8
        var o = 6
        var current: TNEFAttachment? = nil
        func closeAttachment() {
            if let a = current { s.attachments.append(a) }
            current = nil
        }
        while o < b.count {
            guard o + 9 <= b.count else {
                s.warnings.append("stream truncated: \(b.count - o) stray byte(s) at the end")
                break
            }
            let level = b[o]
            let id = u32(b, o + 1)
            let length = Int(u32(b, o + 5))
            let start = o + 9
            guard level == 1 || level == 2 else {
                s.warnings.append("invalid attribute level \(level) at offset \(o); rest of the stream ignored")
                break
            }
            guard length <= b.count - start, b.count - start - length >= 2 else {
                s.warnings.append("stream truncated in attribute 0x\(String(id, radix: 16)) at offset \(o)")
                break
            }
            let data = Array(b[start..<start + length])
            let checksum = UInt16(b[start + length]) | UInt16(b[start + length + 1]) << 8
            if checksum != UInt16(truncatingIfNeeded: data.reduce(0) { $0 &+ Int($1) }) {
                s.warnings.append("checksum mismatch in attribute 0x\(String(id, radix: 16))")
            }
            o = start + length + 2

            if level == 1 {
                switch id {
                case Attr.messageClass: s.messageClass = cstring(data)
                case Attr.subject: s.subject = cstring(data)
                case Attr.body: s.body = cstring(data)
                case Attr.messageID: s.messageID = cstring(data)
                case Attr.dateSent: s.dateSent = date(data)
                case Attr.dateReceived: s.dateReceived = date(data)
                case Attr.dateModified: s.dateModified = date(data)
                case Attr.priority: if data.count >= 2 { s.priority = Int(u16(data, 0)) }
                case Attr.oemCodepage: if data.count >= 4 { s.oemCodePage = Int(u32(data, 0)) }
                case Attr.from:
                    if let (n, a) = triple(data) { s.fromName = n; s.fromAddress = a }
                case Attr.mapiProps:
                    var w: [String] = []
                    s.properties += propertyList(data, warnings: &w)
                    s.warnings += w
                case Attr.recipientTable:
                    var w: [String] = []
                    s.recipients += recipientTable(data, warnings: &w)
                    s.warnings += w
                default: break
                }
            } else {
                // attAttachRenderData opens each attachment; some writers put data first.
                if id == Attr.attachRenderData {
                    closeAttachment()
                    current = TNEFAttachment()
                    continue
                }
                if current == nil { current = TNEFAttachment() }
                switch id {
                case Attr.attachData: current!.data = data
                case Attr.attachTitle: current!.title = cstring(data)
                case Attr.attachTransportFilename: current!.transportName = cstring(data)
                case Attr.attachCreateDate: current!.createDate = date(data)
                case Attr.attachModifyDate: current!.modifyDate = date(data)
                case Attr.attachment:
                    var w: [String] = []
                    current!.properties += propertyList(data, warnings: &w)
                    s.warnings += w
                default: break
                }
            }
        }
        closeAttachment()
        return s
    }

    // MARK: pieces

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }

    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= b.count else { return 0 }
        return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    /// Attribute strings end with a NUL (or not); what follows it is padding.
    static func cstring(_ d: [UInt8]) -> [UInt8] {
        if let z = d.firstIndex(of: 0) { return Array(d[0..<z]) }
        return d
    }

    static func date(_ d: [UInt8]) -> TNEFDate? {
        guard d.count >= 12 else { return nil }
        let v = (0..<6).map { Int(u16(d, $0 * 2)) }
        guard v[0] > 1600, v[0] < 4500, (1...12).contains(v[1]), (1...31).contains(v[2]) else { return nil }
        return TNEFDate(year: v[0], month: v[1], day: v[2], hour: v[3], minute: v[4], second: v[5])
    }

    /// attFrom's TRP structure: type, sizes, then display name and address as ANSI strings.
    static func triple(_ d: [UInt8]) -> ([UInt8], [UInt8])? {
        guard d.count >= 8 else { return nil }
        let nameLen = Int(u16(d, 4)), addrLen = Int(u16(d, 6))
        guard 8 + nameLen <= d.count, 8 + nameLen + addrLen <= d.count else { return nil }
        let name = cstring(Array(d[8..<8 + nameLen]))
        let addr = cstring(Array(d[8 + nameLen..<8 + nameLen + addrLen]))
        return (name, addr)
    }

    static func recipientTable(_ d: [UInt8], warnings: inout [String]) -> [[TNEFProperty]] {
        guard d.count >= 4 else { return [] }
        let rows = Int(u32(d, 0))
        var o = 4
        var out: [[TNEFProperty]] = []
        for _ in 0..<min(rows, d.count / 4) {
            guard o + 4 <= d.count else { warnings.append("recipient table truncated"); break }
            let count = Int(u32(d, o))
            o += 4
            guard let props = properties(d, &o, count: count, warnings: &warnings) else { break }
            out.append(props)
        }
        return out
    }

    static func propertyList(_ d: [UInt8], warnings: inout [String]) -> [TNEFProperty] {
        guard d.count >= 4 else { return [] }
        var o = 4
        return properties(d, &o, count: Int(u32(d, 0)), warnings: &warnings) ?? []
    }

    /// Reads `count` properties from `o`; on damage returns what was read before it (nil if
    /// the damage is at the first).
    static func properties(_ d: [UInt8], _ o: inout Int, count: Int, warnings: inout [String]) -> [TNEFProperty]? {
        var out: [TNEFProperty] = []
        // Every property takes at least four bytes, so a larger count is a lie.
        let limit = min(count, (d.count - o) / 4 + 1)
        for _ in 0..<max(0, limit) {
            guard let p = property(d, &o) else {
                warnings.append("MAPI property list damaged after \(out.count) of \(count) properties")
                return out.isEmpty ? nil : out
            }
            out.append(p)
        }
        return out
    }

    static func property(_ d: [UInt8], _ o: inout Int) -> TNEFProperty? {
        guard o + 4 <= d.count else { return nil }
        let type = u16(d, o), id = u16(d, o + 2)
        o += 4
        var p = TNEFProperty(id: id, type: type, guid: nil, lid: nil, name: nil, values: [])
        if id >= 0x8000 {
            guard o + 20 <= d.count else { return nil }
            p.guid = Array(d[o..<o + 16])
            let kind = u32(d, o + 16)
            o += 20
            if kind == 0 {
                guard o + 4 <= d.count else { return nil }
                p.lid = u32(d, o)
                o += 4
            } else {
                guard o + 4 <= d.count else { return nil }
                let len = Int(u32(d, o))
                o += 4
                guard len <= d.count - o else { return nil }
                var units: [UInt16] = []
                var i = o
                while i + 1 < o + len { units.append(u16(d, i)); i += 2 }
                while units.last == 0 { units.removeLast() }
                p.name = String(decoding: units, as: UTF16.self)
                o += padded(len)
                guard o <= d.count else { return nil }
            }
        }
        let base = type & 0x0FFF
        let multi = type & 0x1000 != 0
        let variable = [0x001E, 0x001F, 0x0102, 0x000D].contains(base)
        var valueCount = 1
        if multi || variable {
            guard o + 4 <= d.count else { return nil }
            valueCount = Int(u32(d, o))
            o += 4
            guard valueCount <= (d.count - o) / 4 + 1 else { return nil }
        }
        for _ in 0..<valueCount {
            if variable {
                guard o + 4 <= d.count else { return nil }
                let len = Int(u32(d, o))
                o += 4
                guard len <= d.count - o else { return nil }
                p.values.append(Array(d[o..<o + len]))
                o += padded(len)
                if o > d.count { o = d.count }
            } else {
                let size: Int
                switch base {
                case 0x0002, 0x000B: size = 2
                case 0x0003, 0x0004, 0x000A: size = 4
                case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: size = 8
                case 0x0048: size = 16
                case 0x0001: size = 0
                default: return nil
                }
                guard o + size <= d.count else { return nil }
                p.values.append(Array(d[o..<o + size]))
                o += padded(size)
                if o > d.count { o = d.count }
            }
        }
        return p
    }

    static func padded(_ n: Int) -> Int { (n + 3) & ~3 }
}
