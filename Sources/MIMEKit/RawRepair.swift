import Foundation

/// Byte repairs made on the copy GMime parses (the stored native is never changed), for two
/// things GMime reads differently from every mail client:
/// - a NUL byte in a header ends the C string GMime keeps, so a subject or an attachment name
///   loses everything after it; NUL means nothing in a header, so it is dropped. Hidden in an
///   RFC 2047 encoded word (`=?utf-8?q?401-55=000101?=`) GMime shows it as `?`, which splits a
///   number so that no detector sees it; it is dropped there too;
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
        if bytes.contains(0) || mayHideEncodedNUL(bytes) {
            let cleaned = droppingHeaderNULs(bytes)
            if cleaned != bytes { bytes = cleaned; changed = true }
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
                out.append(contentsOf: withoutEncodedNULs(line.filter { $0 != 0 }))
            } else {
                if content.starts(with: [0x2D, 0x2D]) { inHeader = true; field = ""; declaresMessage = false }
                out.append(contentsOf: line)
            }
        }
        return out
    }
}

extension RawRepair {
    /// An encoded word anywhere: only then can a header hide an encoded NUL.
    static func mayHideEncodedNUL(_ b: [UInt8]) -> Bool {
        var i = b.startIndex
        while let q = b[i...].firstIndex(of: 0x3D) {
            if q + 1 < b.count, b[q + 1] == 0x3F { return true }
            i = q + 1
        }
        return false
    }

    /// Encoded words whose decoded bytes hold a NUL are written again (base64) without it.
    /// UTF-16 and UTF-32 words are left alone: there NUL bytes are part of every character.
    static func withoutEncodedNULs(_ line: [UInt8]) -> [UInt8] {
        guard mayHideEncodedNUL(line) else { return line }
        var out: [UInt8] = []
        var i = 0
        while i < line.count {
            if line[i] == 0x3D, i + 1 < line.count, line[i + 1] == 0x3F, let w = encodedWord(line, at: i) {
                if w.decoded.contains(0), !w.charset.lowercased().hasPrefix("utf-16"), !w.charset.lowercased().hasPrefix("utf-32"),
                   !w.charset.lowercased().hasPrefix("ucs") {
                    out += Array("=?\(w.charset)?B?".utf8) + Array(Data(w.decoded.filter { $0 != 0 }).base64EncodedString().utf8) + [0x3F, 0x3D]
                } else {
                    out += line[i..<w.end]
                }
                i = w.end
                continue
            }
            out.append(line[i])
            i += 1
        }
        return out
    }

    /// `=?charset?Q|B?text?=` starting at `start`.
    static func encodedWord(_ b: [UInt8], at start: Int) -> (charset: String, decoded: [UInt8], end: Int)? {
        var i = start + 2
        guard let q1 = b[i...].firstIndex(of: 0x3F), q1 > i, q1 + 2 < b.count, b[q1 + 2] == 0x3F else { return nil }
        let charset = String(decoding: b[i..<q1], as: UTF8.self)
        let encoding = b[q1 + 1] | 0x20
        i = q1 + 3
        var end = i
        while end + 1 < b.count, !(b[end] == 0x3F && b[end + 1] == 0x3D) {
            if b[end] == 0x20 || b[end] == 0x09 || b[end] == 0x0A || b[end] == 0x0D { return nil }
            end += 1
        }
        guard end + 1 < b.count else { return nil }
        let text = Array(b[i..<end])
        var decoded: [UInt8] = []
        if encoding == 0x71 {  // q
            var k = 0
            while k < text.count {
                if text[k] == 0x5F { decoded.append(0x20); k += 1 }
                else if text[k] == 0x3D, k + 2 < text.count, let v = UInt8(String(decoding: text[(k + 1)...(k + 2)], as: UTF8.self), radix: 16) {
                    decoded.append(v); k += 3
                } else { decoded.append(text[k]); k += 1 }
            }
        } else if encoding == 0x62 {  // b
            var t = String(decoding: text, as: UTF8.self)
            while t.utf8.count % 4 != 0 { t += "=" }
            guard let d = Data(base64Encoded: t) else { return nil }
            decoded = [UInt8](d)
        } else {
            return nil
        }
        return (charset, decoded, end + 2)
    }
}
