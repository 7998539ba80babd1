import DiscloseCore
import Foundation
import OLEKit
import TNEFKit

/// winmail.dat / application/ms-tnef: the Outlook wrapper around attachments (and sometimes
/// the whole rich-text message). Its attachments join the family of the email that carried
/// it; the wrapper itself is an item only when it holds nothing else, so nothing disappears.
public struct TNEFReader: Reader {
    public let name = "tnef"
    public let mediaTypes = ["application/ms-tnef", "application/vnd.ms-tnef"]
    public let maxBytes: Int64 = 512 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        return TNEF.hasSignature(input.head) ? 95 : 0
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0
        guard size <= maxBytes else { throw ReadFailure("TNEF stream of \(size) bytes is over the \(maxBytes)-byte limit") }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: input.url)) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let stream: TNEFStream
        do { stream = try TNEF.parse(bytes) } catch { throw ReadFailure("\(error)") }
        var message = TNEFMessage.convert(stream, depth: 0)
        message.applyCodePage(stream.oemCodePage.flatMap { CodePage.iconvName($0) != nil ? $0 : nil })

        var ordinal = 0
        func nextKey() -> String { ordinal += 1; return DocKey.child(of: input.key, ordinal) }
        var produced = 0
        for (i, a) in message.attachments.enumerated() {
            let key = nextKey()
            let name = MAPIMessage.attachmentName(a, index: i + 1)
            let path = input.path + "!/" + name
            if let inner = a.embedded {
                let r = MAPIMessage.render(inner, depth: 1)
                let d = try context.storeBlob(r.bytes)
                let embedded = MAPIMessage.embeddedName(a, index: i + 1, ext: PathName.fileExtension(r.name))
                try OutlookDispatch.hand(r, Input(url: context.blobs.url(for: d.sha256), name: embedded, path: path, key: key,
                                                  parentKey: input.parentKey, folder: input.folder, digests: d,
                                                  declaredType: r.declaredType, depth: input.depth + 1), context)
                try OutlookDispatch.loose(r, under: key, parentKey: input.parentKey, path: path, folder: input.folder,
                                          depth: input.depth + 1, context)
                produced += 1
            } else if let data = a.data {
                let d = try context.storeBlob(Data(data))
                try context.dispatch(Input(url: context.blobs.url(for: d.sha256), name: name, path: path, key: key,
                                           parentKey: input.parentKey, folder: input.folder, digests: d,
                                           declaredType: nil, depth: input.depth + 1))
                produced += 1
            } else {
                try context.exception(key: key, parentKey: input.parentKey, path: path,
                                      reason: "attachment \"\(name)\" in TNEF: \(a.note ?? "no data")")
            }
        }
        // The body, when the wrapper carries one, is a file of the family too.
        for (name, data) in TNEFMessage.bodies(message) {
            let d = try context.storeBlob(Data(data))
            try context.dispatch(Input(url: context.blobs.url(for: d.sha256), name: name, path: input.path + "!/" + name,
                                       key: nextKey(), parentKey: input.parentKey, folder: input.folder, digests: d,
                                       declaredType: nil, depth: input.depth + 1))
            produced += 1
        }
        let cls = message.messageClass.lowercased()
        if cls.hasPrefix("ipm.microsoft schedule") || cls.hasPrefix("ipm.schedule.meeting") || cls.hasPrefix("ipm.appointment") {
            let ics = ICalendar.render(message, method: cls.contains("canc") ? "CANCEL" : "REQUEST")
            let d = try context.storeBlob(Data(ics.utf8))
            let name = MAPIMessage.fileName(MAPIMessage.subject(message.props), fallback: "meeting", ext: "ics")
            try context.dispatch(Input(url: context.blobs.url(for: d.sha256), name: name, path: input.path + "!/" + name,
                                       key: nextKey(), parentKey: input.parentKey, folder: input.folder, digests: d,
                                       declaredType: nil, depth: input.depth + 1))
            produced += 1
        }
        if produced == 0 {
            try context.emit(&input, kind: .file, format: "tnef")
        }
        for w in stream.warnings + message.warnings {
            try context.exception(key: nextKey(), parentKey: input.parentKey, path: input.path, reason: "TNEF: \(w)")
        }
    }
}

/// TNEF attributes and properties to the shared MAPI model. Down-level attributes (attSubject,
/// attFrom, attBody...) fill in only what the MAPI properties do not already say.
enum TNEFMessage {
    static let iidMessage: [UInt8] = [0x07, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]

    static func convert(_ s: TNEFStream, depth: Int) -> MAPIMessageData {
        var p = props(s.properties)
        func setString(_ id: UInt16, _ b: [UInt8]?) {
            guard let b, !b.isEmpty, p.value(id) == nil else { return }
            p.set(id, MAPIValue(type: MAPIType.string8, bytes: b))
        }
        setString(Tag.subject, s.subject)
        setString(Tag.messageClass, s.messageClass.map(Self.messageClass))
        setString(Tag.body, s.body)
        if p.value(Tag.sentRepresentingName) == nil && p.value(Tag.senderName) == nil {
            setString(Tag.senderName, s.fromName)
            if let a = s.fromAddress, !a.isEmpty {
                setString(Tag.senderEmail, a)
                setString(Tag.senderAddrType, Array("SMTP".utf8))
            }
        }
        if p.value(Tag.clientSubmitTime) == nil, let d = s.dateSent { p.set(Tag.clientSubmitTime, filetime(d)) }
        if p.value(Tag.deliveryTime) == nil, let d = s.dateReceived { p.set(Tag.deliveryTime, filetime(d)) }
        if p.value(Tag.importance) == nil, let pr = s.priority {
            let imp: UInt32 = pr == 1 ? 2 : (pr == 3 ? 0 : 1)
            p.set(Tag.importance, MAPIValue(type: MAPIType.int32, bytes: le32(imp)))
        }
        var m = MAPIMessageData(props: p, recipients: s.recipients.map(props), warnings: [])
        for a in s.attachments {
            var ap = props(a.properties)
            if ap.value(Tag.attachFilename) == nil, ap.value(Tag.attachLongFilename) == nil, let t = a.title, !t.isEmpty {
                ap.set(Tag.attachFilename, MAPIValue(type: MAPIType.string8, bytes: t))
            }
            var att = MAPIAttachmentData(props: ap)
            let method = ap.int(Tag.attachMethod) ?? 1
            if let obj = ap.value(Tag.attachData), obj.type == MAPIType.object || method == 5 || method == 6 {
                // PR_ATTACH_DATA_OBJ: an interface id, then the object.
                let body = obj.bytes.count >= 16 ? Array(obj.bytes.dropFirst(16)) : obj.bytes
                if TNEF.hasSignature(body) {
                    if depth + 1 > MAPIMessage.maxDepth {
                        att.note = "embedded message nested deeper than \(MAPIMessage.maxDepth) levels; not read"
                    } else if let inner = try? TNEF.parse(body) {
                        att.embedded = convert(inner, depth: depth + 1)
                        m.warnings += inner.warnings.map { "embedded message: \($0)" }
                    } else {
                        att.data = body
                    }
                } else {
                    att.data = body
                }
            } else if let data = a.data {
                att.data = data
            } else if let v = ap.value(Tag.attachData) {
                att.data = v.bytes
            }
            att.props.values[Tag.attachData] = nil
            m.attachments.append(att)
        }
        return m
    }

    /// TNEF's down-level class names ("IPM.Microsoft Mail.Note") to MAPI's.
    static func messageClass(_ b: [UInt8]) -> [UInt8] {
        let s = String(decoding: b, as: UTF8.self)
        switch s {
        case "IPM.Microsoft Mail.Note": return Array("IPM.Note".utf8)
        case "IPM.Microsoft Mail.Read Receipt": return Array("Report.IPM.Note.IPNRN".utf8)
        case "IPM.Microsoft Mail.Non-Delivery": return Array("Report.IPM.Note.NDR".utf8)
        case "IPM.Microsoft Schedule.MtgReq": return Array("IPM.Schedule.Meeting.Request".utf8)
        case "IPM.Microsoft Schedule.MtgRespP": return Array("IPM.Schedule.Meeting.Resp.Pos".utf8)
        case "IPM.Microsoft Schedule.MtgRespN": return Array("IPM.Schedule.Meeting.Resp.Neg".utf8)
        case "IPM.Microsoft Schedule.MtgRespA": return Array("IPM.Schedule.Meeting.Resp.Tent".utf8)
        case "IPM.Microsoft Schedule.MtgCncl": return Array("IPM.Schedule.Meeting.Canceled".utf8)
        default: return b
        }
    }

    static func props(_ list: [TNEFProperty]) -> MAPIProps {
        var p = MAPIProps()
        for e in list {
            let multi = e.type & MAPIType.multi != 0
            let v = MAPIValue(type: e.type, bytes: e.values.first ?? [], values: multi ? e.values : [])
            if e.id >= 0x8000 {
                guard let g = e.guid else { continue }
                let guid = MAPIName.guidString(g)
                if let lid = e.lid { p.set(MAPIName(guid: guid, lid: lid), v) }
                else if let n = e.name { p.set(MAPIName(guid: guid, name: n), v) }
            } else {
                p.set(e.id, v)
            }
        }
        return p
    }

    /// The body files the wrapper contributes: HTML when it has HTML (its own or de-encapsulated
    /// from the RTF), the RTF when that is real RTF, the plain text only when there is neither.
    static func bodies(_ m: MAPIMessageData) -> [(String, [UInt8])] {
        let p = m.props
        var out: [(String, [UInt8])] = []
        var html: [UInt8]? = nil
        if let v = p.value(Tag.html) {
            html = v.type == MAPIType.binary ? Email.trimNul(v.bytes) : p.decodeString(v).map { Array($0.utf8) }
        }
        var rtf: [UInt8]? = nil
        if let c = p.binary(Tag.rtfCompressed), let r = CompressedRTF.decompress(c), !r.isEmpty {
            if case .html(let h) = RTFBody.body(r) {
                if html == nil { html = Array(h.utf8) }
            } else {
                rtf = r
            }
        }
        if let h = html, !h.isEmpty { out.append(("winmail-body.html", h)) }
        if let r = rtf { out.append(("winmail-body.rtf", r)) }
        if out.isEmpty, let t = p.string(Tag.body), !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out.append(("winmail-body.txt", Array(t.utf8)))
        }
        return out
    }

    static func filetime(_ d: TNEFDate) -> MAPIValue {
        var days = 0
        // Days from 1601-01-01 to the date (proleptic Gregorian).
        let y = d.year - (d.month <= 2 ? 1 : 0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        days = era * 146_097 + doe - 719_468  // days since 1970-01-01
        let secs = Int64(days) * 86400 + Int64(d.hour * 3600 + d.minute * 60 + d.second)
        let ft = UInt64(max(0, (secs + 11_644_473_600) * 10_000_000))
        return MAPIValue(type: MAPIType.systime, bytes: (0..<8).map { UInt8(truncatingIfNeeded: ft >> (8 * UInt64($0))) })
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
}
