import Foundation

/// Byte repairs made on the copy GMime parses (the stored native is never changed), for two
/// things GMime reads differently from every mail client:
/// - a NUL byte in a header ends the C string GMime keeps, so a subject or an attachment name
///   loses everything after it; NUL means nothing in a header, so it is dropped;
/// - a message whose lines end in a bare CR (classic Mac OS, some exports) is one long line to
///   GMime, which then sees one header and no body; such lines are given LF endings.
enum RawRepair {
    static func prepare(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        var changed = false
        if endsLinesWithBareCR(bytes) {
            for i in bytes.indices where bytes[i] == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A) {
                bytes[i] = 0x0A
            }
            changed = true
        }
        if bytes.contains(0) {
            let cleaned = droppingHeaderNULs(bytes)
            if cleaned.count != bytes.count { bytes = cleaned; changed = true }
        }
        return changed ? Data(bytes) : data
    }

    /// The first line of the message ends in CR not followed by LF.
    static func endsLinesWithBareCR(_ b: [UInt8]) -> Bool {
        guard let end = b.prefix(64 * 1024).firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) else { return false }
        return b[end] == 0x0D && (end + 1 == b.count || b[end + 1] != 0x0A)
    }

    /// Drops NUL from header lines: the message's own header block, a part's header block (the
    /// lines after a `--` boundary line), and the header block of a message carried inside a
    /// part. Body bytes are left alone: a binary part may hold NULs that matter.
    static func droppingHeaderNULs(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var inHeader = true
        var field = ""
        var declaresMessage = false
        var start = 0
        while start < b.count {
            let end = b[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? b.count
            let line = b[start..<end]
            start = end
            var content = line
            while let l = content.last, l == 0x0A || l == 0x0D { content = content.dropLast() }
            if inHeader {
                if content.isEmpty {
                    // A message/rfc822 part's body is itself a header block and a body.
                    inHeader = declaresMessage
                    declaresMessage = false
                    field = ""
                    out.append(contentsOf: line)
                    continue
                }
                let kept = content.filter { $0 != 0 }
                let isContinuation = kept.first == 0x20 || kept.first == 0x09
                if !isContinuation {
                    guard let name = Sniffer.fieldName(kept) else {
                        // Not a header after all (GMime starts the body here).
                        inHeader = false
                        out.append(contentsOf: line)
                        continue
                    }
                    field = name.lowercased()
                }
                if field == "content-type" {
                    let value = String(decoding: kept, as: UTF8.self).lowercased()
                    if value.contains("message/rfc822") || value.contains("message/global") { declaresMessage = true }
                }
                out.append(contentsOf: line.filter { $0 != 0 })
            } else {
                if content.starts(with: [0x2D, 0x2D]) { inHeader = true; field = ""; declaresMessage = false }
                out.append(contentsOf: line)
            }
        }
        return out
    }
}
