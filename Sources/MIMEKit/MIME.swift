import Foundation
import CGMime
import DiscloseCore

public enum MIME {
    /// g_mime_init guards itself with a plain counter, not a lock; a static let's initialiser
    /// is run exactly once however many threads parse at the same time.
    static let initialised: Void = { g_mime_init() }()

    /// Parses one RFC 5322 message. Throws `notAMessage` when the bytes have no header block.
    public static func parse(_ data: Data) throws -> MIMEMessage {
        _ = initialised
        try checkHeaderBlock(data)
        return try GMimeSession().parse(data)
    }

    /// GMime copies a header several times while it unfolds and decodes it: a 50 MB header line
    /// took 1.6 GB. No real header block comes near this size.
    public static let maxHeaderBytes = 4 << 20

    static func checkHeaderBlock(_ data: Data) throws {
        guard data.count > maxHeaderBytes else { return }
        let head = data.prefix(maxHeaderBytes)
        let ends: [[UInt8]] = [[0x0A, 0x0A], [0x0A, 0x0D, 0x0A], [0x0D, 0x0D]]
        if ends.contains(where: { head.range(of: Data($0)) != nil }) { return }
        throw MIMEError.parse("the header block is over \(maxHeaderBytes >> 20) MiB; the message is not parsed")
    }

    /// 0...100: how sure the first bytes (≤ 4 KiB) make us that this is an RFC 5322 message.
    public static func messageConfidence(head: [UInt8]) -> Int {
        Sniffer.confidence(head)
    }
}

/// Parser warnings arrive through a C callback; this box is what its user_data points at.
final class WarningSink {
    private(set) var items: [String] = []
    private var seen: Set<String> = []
    private var perKind: [String: Int] = [:]
    /// Hostile input can raise one warning per part, and GMime re-reports an unparseable address
    /// list once per remaining entry; a bounded list still tells the story.
    private let limit = 50
    private let limitPerKind = 3

    func add(_ text: String, kind: String? = nil) {
        let kind = kind ?? text
        guard items.count < limit, perKind[kind, default: 0] < limitPerKind,
              seen.insert(text).inserted else { return }
        perKind[kind, default: 0] += 1
        items.append(text)
    }
}

/// One parse: owns the parser options (and the warning sink they point at) for as long as any
/// GMime object built with them is alive, because GMime clones the options, callback included,
/// into every header list it creates.
final class GMimeSession {
    static let maxDepth = 100
    let sink = WarningSink()
    let options: OpaquePointer
    /// Serialised inner messages keep the input's line-ending style: GMime writes LF by default.
    var usesCRLF = false

    init() {
        options = g_mime_parser_options_new()
        // Headers with raw 8-bit bytes: UTF-8 first (it rarely decodes by accident), then the
        // legacy charset most mislabelled Western mail really is.
        // GMime copies the list, so these C strings only need to outlive the call.
        let names = [strdup("utf-8"), strdup("windows-1252")]
        defer { names.forEach { free($0) } }
        var charsets: [UnsafePointer<CChar>?] = names.map { UnsafePointer($0) } + [nil]
        charsets.withUnsafeMutableBufferPointer { g_mime_parser_options_set_fallback_charsets(options, $0.baseAddress) }
        g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        g_mime_parser_options_set_allow_addresses_without_domain(options, 1)
        g_mime_parser_options_set_warning_callback(options, { offset, code, item, userData in
            guard let userData else { return }
            let sink = Unmanaged<WarningSink>.fromOpaque(userData).takeUnretainedValue()
            sink.add(parserWarning(code, item: cString(item)), kind: "gmime-\(code.rawValue)")
        }, Unmanaged.passUnretained(sink).toOpaque())
    }

    deinit { g_mime_parser_options_free(options) }

    func parse(_ original: Data) throws -> MIMEMessage {
        guard !original.isEmpty else { throw MIMEError.notAMessage("empty input") }
        let data = RawRepair.prepare(original)
        let constructed = construct(data)

        guard let message = constructed else {
            let firstLine = data.prefix(1024).split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? Data()
            if Sniffer.fieldName(firstLine) != nil {
                throw MIMEError.parse(sink.items.first ?? "GMime could not build a message")
            }
            throw MIMEError.notAMessage("no header block")
        }
        defer { g_object_unref(message) }
        let headers = topLevelHeaders(message)
        // GMime accepts any printable run before a colon as a field name, so a line of JSON or
        // prose with a colon passes its parser; real mail always has token-like names.
        if !headers.contains(where: { Sniffer.isTokenName($0.name) }) {
            throw MIMEError.notAMessage("no header fields before the body")
        }
        usesCRLF = data.prefix(64 * 1024).firstIndex(of: 0x0A).map { $0 > data.startIndex && data[$0 - 1] == 0x0D } ?? false
        return build(message, headers: headers)
    }

    /// GMime files the message's Content-* fields under its root MIME part, not the message;
    /// the two lists are merged back into file order by their stream offsets.
    private func topLevelHeaders(_ message: UnsafeMutablePointer<GMimeMessage>) -> [MIMEHeader] {
        var rows = headerList(disclose_message_as_object(message))
        if let root = g_mime_message_get_mime_part(message) { rows += headerList(root) }
        // A header without a known offset (-1) keeps its list position after the located ones.
        func key(_ row: (offset: Int, element: (header: MIMEHeader, offset: Int))) -> (Int, Int) {
            (row.element.offset < 0 ? Int.max : row.element.offset, row.offset)
        }
        return rows.enumerated().sorted { key($0) < key($1) }.map { $0.element.header }
    }

    private func build(_ message: UnsafeMutablePointer<GMimeMessage>, headers: [MIMEHeader]) -> MIMEMessage {
        var walker = Walker(session: self)
        if let root = g_mime_message_get_mime_part(message) {
            walker.walk(root, depth: 0)
        }
        func first(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        let inReplyTo = first("In-Reply-To").map { messageIDs($0).first ?? stripBrackets($0) } ?? ""
        return MIMEMessage(
            headers: headers,
            from: addresses(g_mime_message_get_from(message), header: first("From")),
            sender: addresses(g_mime_message_get_sender(message), header: first("Sender")),
            to: addresses(g_mime_message_get_to(message), header: first("To")),
            cc: addresses(g_mime_message_get_cc(message), header: first("Cc")),
            bcc: addresses(g_mime_message_get_bcc(message), header: first("Bcc")),
            replyTo: addresses(g_mime_message_get_reply_to(message), header: first("Reply-To")),
            subject: clean(cString(g_mime_message_get_subject(message)) ?? ""),
            date: first("Date").flatMap(MailDate.parse),
            messageID: cString(g_mime_message_get_message_id(message)) ?? "",
            inReplyTo: inReplyTo,
            references: first("References").map(messageIDs) ?? [],
            bodyText: walker.plain.filter { !isBlank($0) }.joined(separator: "\n\n"),
            bodyHTML: walker.html.filter { !isBlank($0) }.joined(separator: "\n"),
            bodyHTMLWithoutPlain: walker.unpairedHTML.filter { !isBlank($0) }.joined(separator: "\n"),
            attachments: walker.attachments,
            warnings: sink.items,
            losses: walker.losses)
    }

    func headerList(_ object: UnsafeMutablePointer<GMimeObject>) -> [(header: MIMEHeader, offset: Int)] {
        guard let list = g_mime_object_get_header_list(object) else { return [] }
        let count = g_mime_header_list_get_count(list)
        guard count > 0 else { return [] }
        var out: [(header: MIMEHeader, offset: Int)] = []
        out.reserveCapacity(Int(count))
        for i in 0..<count {
            guard let h = g_mime_header_list_get_header_at(list, i) else { continue }
            // get_value is GMime 3's decoded, unfolded value; get_raw_value keeps the encoded words.
            let name = cString(g_mime_header_get_name(h)) ?? ""
            let value = cString(g_mime_header_get_value(h)) ?? ""
            out.append((MIMEHeader(name: name, value: clean(value).trimmingCharacters(in: .whitespacesAndNewlines)),
                        Int(g_mime_header_get_offset(h))))
        }
        return out
    }

    /// The Subject of a message held as bytes, read from its header block alone: building a
    /// whole GMime tree only to name an attachment would double the work for large messages.
    func sniffSubject(_ bytes: [UInt8]) -> String? {
        var raw: [UInt8]?
        var index = 0
        let limit = min(bytes.count, 256 * 1024)
        while index < limit {
            let end = bytes[index..<limit].firstIndex(of: 0x0A) ?? limit
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            index = end + 1
            if line.isEmpty { break }
            if line.first == 0x20 || line.first == 0x09 {
                raw?.append(contentsOf: line)
                continue
            }
            if raw != nil { break }
            if let name = Sniffer.fieldName(line), name.lowercased() == "subject" {
                raw = Array(line[(line.firstIndex(of: 0x3A)! + 1)...])
            }
        }
        guard var raw, !raw.isEmpty else { return nil }
        // A NUL inside would end the C string GMime decodes.
        raw.removeAll { $0 == 0 }
        raw.append(0)
        guard let decoded = raw.withUnsafeBufferPointer({ buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                g_mime_utils_header_decode_text(options, $0)
            }
        }) else { return nil }
        defer { g_free(decoded) }
        let subject = cString(decoded)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return subject.isEmpty ? nil : subject
    }

    private func messageIDs(_ text: String) -> [String] {
        guard let refs = g_mime_references_parse(options, text) else { return [] }
        defer { g_mime_references_free(refs) }
        var out: [String] = []
        for i in 0..<g_mime_references_length(refs) {
            if let id = cString(g_mime_references_get_message_id(refs, i)), !id.isEmpty { out.append(id) }
        }
        return out
    }

    private func stripBrackets(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>")))
    }

    func addresses(_ list: UnsafeMutablePointer<InternetAddressList>?, header: String?) -> [Address] {
        var out: [Address] = []
        flatten(list, into: &out, depth: 0)
        // GMime drops an address list it cannot parse at all, e.g. the bare names of Exchange
        // exports ("From: Jane Doe"). Who sent a message matters too much to lose; keep the
        // names as written. An empty group ("undisclosed-recipients:;") parses, so is not redone.
        if let header, !isBlank(header), list.map({ internet_address_list_length($0) }) ?? 0 == 0 {
            out = Self.looseAddresses(header)
        }
        return Self.rejoinCommaNames(out)
    }

    /// `From: Smith, John <john.smith@example.com>` with the comma unquoted, as some mailers
    /// and exports write it, splits into "Smith" with no address and "John" with one; the
    /// sender would then be "Smith" and the address would be lost behind it. A part without an
    /// address right before a named part with one is the first half of that name. Only a part
    /// that reads as a name is joined: an X.500 address ("/O=ORG/CN=JSMITH") is a recipient.
    static func rejoinCommaNames(_ list: [Address]) -> [Address] {
        var out: [Address] = []
        for a in list {
            if let prev = out.last, let first = nameFragment(prev), !a.name.isEmpty, a.address.utf8.contains(0x40) {
                out[out.count - 1] = Address(name: first + ", " + a.name, address: a.address)
            } else {
                out.append(a)
            }
        }
        return out
    }

    /// The text of a part that has no address and is only a name (GMime files a bare word as
    /// the address, the loose parser as the name), or nil.
    private static func nameFragment(_ a: Address) -> String? {
        let text: String
        if a.address.isEmpty { text = a.name } else if a.name.isEmpty { text = a.address } else { return nil }
        let nameish = text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0 == " " || $0 == "." || $0 == "'" || $0 == "-" || $0 == "\u{2019}"
        }
        return nameish && text.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) ? text : nil
    }

    /// Comma-separated entries, each `Name <addr>`, `addr` or a bare name.
    static func looseAddresses(_ text: String) -> [Address] {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false, inAngle = false
        for ch in text {
            switch ch {
            case "\"": inQuotes.toggle()
            case "<" where !inQuotes: inAngle = true
            case ">" where !inQuotes: inAngle = false
            case ",", ";":
                if !inQuotes && !inAngle { pieces.append(current); current = ""; continue }
            default: break
            }
            current.append(ch)
        }
        pieces.append(current)
        let trim = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'<>"))
        return pieces.compactMap { raw in
            let piece = collapseWhitespace(raw)
            if piece.isEmpty { return nil }
            if let open = piece.lastIndex(of: "<"), let close = piece[open...].firstIndex(of: ">") {
                let addr = piece[piece.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
                let name = piece[..<open].trimmingCharacters(in: trim)
                if addr.utf8.contains(0x40) { return Address(name: name, address: addr) }
            }
            let bare = piece.trimmingCharacters(in: trim)
            if bare.isEmpty { return nil }
            if bare.utf8.contains(0x40) && !bare.utf8.contains(0x20) { return Address(name: "", address: bare) }
            return Address(name: bare, address: "")
        }
    }

    private func flatten(_ list: UnsafeMutablePointer<InternetAddressList>?, into out: inout [Address], depth: Int) {
        // Groups cannot nest in RFC 5322, but the parser is lenient; bound it anyway.
        guard let list, depth < 8 else { return }
        let n = internet_address_list_length(list)
        guard n > 0 else { return }
        for i in 0..<n {
            guard let ia = internet_address_list_get_address(list, i) else { continue }
            if disclose_is_group(ia) != 0 {
                flatten(internet_address_group_get_members(disclose_as_group(ia)), into: &out, depth: depth + 1)
            } else if disclose_is_mailbox(ia) != 0 {
                let name = displayName(cString(internet_address_get_name(ia)) ?? "")
                let addr = (cString(internet_address_mailbox_get_addr(disclose_as_mailbox(ia))) ?? "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if name.isEmpty && addr.isEmpty { continue }
                out.append(Address(name: name, address: addr))
            }
        }
    }

    /// Outlook writes names like `'Jane Doe'` and some senders double-quote inside an encoded word.
    private func displayName(_ raw: String) -> String {
        var s = collapseWhitespace(clean(raw))
        while s.count >= 2, let f = s.first, let l = s.last, (f == "\"" && l == "\"") || (f == "'" && l == "'") {
            s = String(s.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return s
    }
}

/// Walks the MIME tree, sorting leaves into body text, body HTML and attachments.
struct Walker {
    let session: GMimeSession
    var plain: [String] = []
    var html: [String] = []
    /// HTML body parts no text/plain part stands in for (a mixed message with a plain and an
    /// HTML body): their words are not in the plain text.
    var unpairedHTML: [String] = []
    var attachments: [MIMEAttachment] = []
    /// Parts below the depth limit: not read, so never silently gone (see `losses`).
    private var tooDeep = 0
    private var firstTooDeep: [Int] = []

    init(session: GMimeSession) { self.session = session }

    /// Content the walk could not read. Each becomes an exception under the message, so a
    /// family with unread parts is never produced as if it were complete.
    var losses: [MIMELoss] {
        guard tooDeep > 0 else { return [] }
        return [MIMELoss(section: MIMELoss.label(firstTooDeep),
                         reason: "MIME tree nested deeper than \(GMimeSession.maxDepth) levels: \(tooDeep) part(s) at that depth, with all they hold, not read")]
    }

    /// `section` numbers the part as IMAP does (1.2 is the second child of the first).
    /// `paired`: inside a multipart/alternative that also offers text/plain, so an HTML part
    /// here is another rendering of that text rather than text of its own.
    mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>, depth: Int, section: [Int] = [], paired: Bool = false) {
        if depth > GMimeSession.maxDepth {
            if tooDeep == 0 {
                session.sink.add("MIME tree deeper than \(GMimeSession.maxDepth) levels; deeper parts skipped")
                firstTooDeep = section
            }
            tooDeep += 1
            return
        }
        let (type, subtype) = mediaType(object)
        if disclose_is_multipart(object) != 0 {
            let mp = disclose_as_multipart(object)!
            let children = (0..<max(0, Int(g_mime_multipart_get_count(mp)))).compactMap {
                g_mime_multipart_get_part(mp, Int32($0))
            }
            switch subtype {
            case "signed":
                // The second child is the signature: proof of origin, not content.
                // Anything else a sender put there (RFC 1847 allows only the two) is still read.
                for (i, child) in children.enumerated() where !(i == 1 && Self.isSignature(mediaType(child))) {
                    walk(child, depth: depth + 1, section: section + [i + 1], paired: paired)
                }
            case "encrypted":
                session.sink.add("PGP/MIME encrypted content cannot be decrypted; kept as attachment")
                // The first child only states the protocol version; if it is anything else, it
                // is kept like the rest.
                for (i, child) in children.enumerated() {
                    if i == 0, children.count > 1, mediaType(child) == ("application", "pgp-encrypted") { continue }
                    addAttachment(child, defaultName: "encrypted.asc")
                }
            case "alternative":
                var tookPlain = false, tookHTML = false
                let offersPlain = paired || children.contains { bodyKind($0) == "plain" }
                for (i, child) in children.enumerated() {
                    switch bodyKind(child) {
                    case "plain"?:
                        if !tookPlain { plain.append(bodyText(child)); tookPlain = true }
                    case "html"?:
                        // A second HTML version with no plain one beside it is not known to
                        // say the same as the first.
                        if !tookHTML || !offersPlain { addHTML(bodyText(child), paired: offersPlain); tookHTML = true }
                    default:
                        walk(child, depth: depth + 1, section: section + [i + 1], paired: offersPlain)
                    }
                }
            default:
                for (i, child) in children.enumerated() { walk(child, depth: depth + 1, section: section + [i + 1], paired: paired) }
            }
            return
        }
        if disclose_is_part(object) != 0 {
            switch bodyKind(object) {
            case "plain"?: plain.append(bodyText(object)); return
            case "html"?: addHTML(bodyText(object), paired: paired); return
            default: break
            }
            if type == "application", subtype == "pkcs7-mime" || subtype == "x-pkcs7-mime" {
                session.sink.add("S/MIME encrypted or opaque-signed content cannot be decoded; kept as attachment")
            }
        }
        addAttachment(object)
    }

    private mutating func addHTML(_ text: String, paired: Bool) {
        html.append(text)
        if !paired { unpairedHTML.append(text) }
    }

    /// "plain" or "html" when the part is message body rather than a file: an explicit
    /// attachment disposition or any file name makes it a file.
    private func bodyKind(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        guard disclose_is_part(object) != 0 else { return nil }
        let (type, subtype) = mediaType(object)
        guard type == "text", subtype == "plain" || subtype == "html" else { return nil }
        if let disposition = cString(g_mime_object_get_disposition(object)),
           disposition.trimmingCharacters(in: .whitespaces).lowercased() == "attachment" { return nil }
        if let name = cString(g_mime_part_get_filename(disclose_as_part(object))),
           !name.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
        return subtype
    }

    private func bodyText(_ object: UnsafeMutablePointer<GMimeObject>) -> String {
        let bytes = partBytes(disclose_as_part(object))
        var charset = cString(g_mime_object_get_content_type_parameter(object, "charset"))
        if charset == nil, mediaType(object).1 == "html" { charset = Charset.htmlMetaCharset(bytes) }
        let decoded = Charset.decode(bytes, declared: charset)
        if let w = decoded.warning { session.sink.add(w) }
        return normaliseNewlines(decoded.text)
    }

    private mutating func addAttachment(_ object: UnsafeMutablePointer<GMimeObject>,
                                        defaultName: String? = nil) {
        let (type, subtype) = mediaType(object)
        let contentType = "\(type)/\(subtype)"
        let index = attachments.count + 1
        let disposition = cString(g_mime_object_get_disposition(object))?
            .trimmingCharacters(in: .whitespaces).lowercased()
        let contentID = cString(g_mime_object_get_content_id(object)) ?? ""
        // Without a disposition, a part referenced by Content-ID is shown inside the HTML.
        let isInline = disposition == "inline" || (disposition == nil && !contentID.isEmpty)

        var name: String?
        let data: Data
        var isMessage = false
        if disclose_is_message_part(object) != 0 {
            isMessage = true
            name = parameterFileName(object)
            if let inner = g_mime_message_part_get_message(disclose_as_message_part(object)) {
                data = serialise(disclose_message_as_object(inner), crlf: session.usesCRLF)
                if name == nil, let subject = cString(g_mime_message_get_subject(inner)) {
                    let base = subjectFileName(subject)
                    if !base.isEmpty { name = base + ".eml" }
                }
            } else {
                data = Data()
            }
            if name == nil { name = "attachment-\(index).eml" }
        } else if disclose_is_part(object) != 0 {
            let part = disclose_as_part(object)!
            name = cString(g_mime_part_get_filename(part)).map { sanitiseFileName(clean($0)) }
            let bytes = partBytes(part)
            // A message/rfc822 body with a base64 or quoted-printable transfer encoding (not
            // allowed, but sent) is left as a plain part by GMime; decoded, it is the message.
            if type == "message", Self.messageSubtypes.contains(subtype) {
                isMessage = true
                if name?.isEmpty ?? true, let subject = session.sniffSubject(bytes) {
                    let base = subjectFileName(subject)
                    if !base.isEmpty { name = base + ".eml" }
                }
            }
            data = Data(bytes)
        } else {
            // A multipart kept whole (e.g. the payload of multipart/encrypted).
            name = parameterFileName(object)
            data = serialise(object, crlf: session.usesCRLF)
        }
        if name?.isEmpty ?? true { name = defaultName ?? "attachment-\(index)" + Self.extensionFor(contentType) }
        attachments.append(MIMEAttachment(fileName: name!, contentType: contentType, isMessage: isMessage,
                                          isInline: isInline, contentID: contentID, data: data))
    }

    /// Content-Disposition filename, else Content-Type name; GMime decodes RFC 2231 and 2047 in both.
    private func parameterFileName(_ object: UnsafeMutablePointer<GMimeObject>) -> String? {
        let raw = cString(g_mime_object_get_content_disposition_parameter(object, "filename"))
            ?? cString(g_mime_object_get_content_type_parameter(object, "name"))
        guard let raw else { return nil }
        let name = sanitiseFileName(clean(raw))
        return name.isEmpty ? nil : name
    }

    private func mediaType(_ object: UnsafeMutablePointer<GMimeObject>) -> (String, String) {
        guard let ct = g_mime_object_get_content_type(object) else { return ("application", "octet-stream") }
        let type = (cString(g_mime_content_type_get_media_type(ct)) ?? "").lowercased()
        let subtype = (cString(g_mime_content_type_get_media_subtype(ct)) ?? "").lowercased()
        if type.isEmpty || subtype.isEmpty { return ("application", "octet-stream") }
        return (type, subtype)
    }

    static let messageSubtypes: Set<String> = ["rfc822", "global", "news"]

    static func isSignature(_ t: (String, String)) -> Bool {
        t.0 == "application" && ["pgp-signature", "pkcs7-signature", "x-pkcs7-signature"].contains(t.1)
    }

    static func extensionFor(_ contentType: String) -> String {
        if let ext = extensions[contentType] { return ext }
        if contentType.hasPrefix("text/") { return ".txt" }
        return ".bin"
    }

    private static let extensions: [String: String] = [
        "application/pdf": ".pdf", "application/zip": ".zip", "application/x-zip-compressed": ".zip",
        "application/msword": ".doc", "application/rtf": ".rtf", "text/rtf": ".rtf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
        "application/vnd.ms-excel": ".xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
        "application/vnd.ms-powerpoint": ".ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
        "application/vnd.ms-outlook": ".msg", "application/ms-tnef": ".dat", "application/vnd.ms-tnef": ".dat",
        "application/pkcs7-mime": ".p7m", "application/x-pkcs7-mime": ".p7m",
        "application/pkcs7-signature": ".p7s", "application/x-pkcs7-signature": ".p7s",
        "application/pgp-encrypted": ".asc", "application/pgp-signature": ".asc",
        "application/octet-stream": ".bin", "application/json": ".json", "application/xml": ".xml",
        "application/gzip": ".gz", "application/x-gzip": ".gz", "application/x-tar": ".tar",
        "application/x-7z-compressed": ".7z", "application/x-rar-compressed": ".rar",
        "application/vnd.oasis.opendocument.text": ".odt",
        "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png",
        "image/gif": ".gif", "image/bmp": ".bmp", "image/tiff": ".tif", "image/webp": ".webp",
        "image/svg+xml": ".svg", "image/heic": ".heic",
        "audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav", "video/mp4": ".mp4",
        "video/quicktime": ".mov",
        "text/plain": ".txt", "text/html": ".html", "text/csv": ".csv", "text/calendar": ".ics",
        "text/xml": ".xml", "text/enriched": ".txt", "text/vcard": ".vcf", "text/x-vcard": ".vcf",
        "message/rfc822": ".eml", "message/global": ".eml", "message/partial": ".eml",
        "message/delivery-status": ".txt", "message/disposition-notification": ".txt",
    ]
}

// MARK: - byte helpers

/// GMime strings are UTF-8 in practice, but hostile input can still smuggle invalid bytes through;
/// decoding with replacement keeps Swift from trapping or dropping the whole value.
func cString(_ p: UnsafePointer<CChar>?) -> String? {
    guard let p else { return nil }
    let len = strlen(p)
    return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
}

/// Transfer-decoded content (base64, quoted-printable, uuencode) of a leaf part.
func partBytes(_ part: UnsafeMutablePointer<GMimePart>?) -> [UInt8] {
    guard let part, let wrapper = g_mime_part_get_content(part) else { return [] }
    let array = g_byte_array_new()!
    // The stream owns the array and frees it with itself.
    let mem = g_mime_stream_mem_new_with_byte_array(array)!
    defer { g_object_unref(mem) }
    g_mime_data_wrapper_write_to_stream(wrapper, mem)
    guard let bytes = array.pointee.data, array.pointee.len > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: bytes, count: Int(array.pointee.len)))
}

/// An entity as GMime writes it back: raw header values and undecoded content are reused, so
/// for a parsed message this reproduces the original bytes up to line-ending style.
func serialise(_ object: UnsafeMutablePointer<GMimeObject>?, crlf: Bool) -> Data {
    guard let object else { return Data() }
    let format = g_mime_format_options_new()
    defer { g_mime_format_options_free(format) }
    g_mime_format_options_set_newline_format(format, crlf ? GMIME_NEWLINE_FORMAT_DOS : GMIME_NEWLINE_FORMAT_UNIX)
    let array = g_byte_array_new()!
    let mem = g_mime_stream_mem_new_with_byte_array(array)!
    defer { g_object_unref(mem) }
    g_mime_object_write_to_stream(object, format, mem)
    guard let bytes = array.pointee.data, array.pointee.len > 0 else { return Data() }
    return Data(bytes: bytes, count: Int(array.pointee.len))
}

/// NUL cannot be stored in most downstream text sinks (XML, load files) and carries no meaning
/// in mail text.
func clean(_ s: String) -> String {
    // A byte test first: Foundation's String.contains(String) is a locale-aware search and
    // costs more than the parse itself on short header values.
    s.utf8.contains(0) ? String(s.unicodeScalars.filter { $0.value != 0 }.map(Character.init)) : s
}

/// Folded names keep the fold's tab; a name is shown on one line with single spaces.
func collapseWhitespace(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
}

func isBlank(_ s: String) -> Bool {
    s.allSatisfy { $0.isWhitespace }
}

/// A subject is prose, not a path: its slashes are kept visible rather than cut at.
func subjectFileName(_ subject: String) -> String {
    sanitiseFileName(clean(subject).replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_"))
}

func normaliseNewlines(_ s: String) -> String {
    var t = clean(s)
    if t.utf8.contains(0x0D) {
        t = t.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
    return t
}

/// Keeps the name a sender chose but never lets it act as a path: only its last component, no
/// control characters, bounded length.
func sanitiseFileName(_ raw: String) -> String {
    var name = raw
    if let cut = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = String(name[name.index(after: cut)...]) }
    name = String(String.UnicodeScalarView(name.unicodeScalars.map {
        $0.value < 0x20 || $0.value == 0x7F ? " " : $0
    }))
    name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    if name == "." || name == ".." { return "" }
    if name.count > 200 { name = String(name.prefix(200)) }
    return name
}

func parserWarning(_ code: GMimeParserWarning, item: String?) -> String {
    var detail = item.map { collapseWhitespace(clean($0)) } ?? ""
    if detail.count > 80 { detail = String(detail.prefix(80)) + "…" }
    let what: String
    switch code {
    case GMIME_WARN_DUPLICATED_HEADER: what = "duplicated header"
    case GMIME_WARN_DUPLICATED_PARAMETER: what = "duplicated parameter"
    case GMIME_WARN_UNENCODED_8BIT_HEADER: what = "unencoded 8-bit header"
    case GMIME_WARN_INVALID_CONTENT_TYPE: what = "invalid content type, read as application/octet-stream"
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: what = "invalid RFC 2047 header value"
    case GMIME_WARN_MALFORMED_MULTIPART: what = "multipart without child parts"
    case GMIME_WARN_TRUNCATED_MESSAGE: what = "message truncated"
    case GMIME_WARN_MALFORMED_MESSAGE: what = "malformed message"
    case GMIME_CRIT_INVALID_HEADER_NAME: what = "invalid header name"
    case GMIME_CRIT_CONFLICTING_HEADER: what = "conflicting header"
    case GMIME_CRIT_CONFLICTING_PARAMETER: what = "conflicting parameter"
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: what = "multipart without boundary"
    case GMIME_WARN_INVALID_PARAMETER: what = "invalid header parameter"
    case GMIME_WARN_INVALID_ADDRESS_LIST: what = "invalid address list"
    case GMIME_CRIT_NESTING_OVERFLOW: what = "MIME nesting too deep; deeper parts not parsed"
    case GMIME_WARN_PART_WITHOUT_CONTENT: what = "part without content"
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: what = "part without headers or content"
    default: what = "parser warning \(code.rawValue)"
    }
    return detail.isEmpty ? what : "\(what): \(detail)"
}
