import Foundation

/// Sniffing works on raw bytes, without GMime: it runs on every file of a collection, most of them
/// not mail, and must not allocate parser objects for each.
enum Sniffer {
    /// Header names whose presence (with a plausible value) makes a header block mail rather than
    /// some other "key: value" format such as YAML or HTTP.
    private static let strong: Set<String> = ["from", "date", "message-id", "received", "mime-version", "return-path"]

    static func confidence(_ headIn: [UInt8]) -> Int {
        var head = ArraySlice(headIn.prefix(4096))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        let lines = splitLines(head, bareCR: RawRepair.endsLinesWithBareCR(Array(head)))
        guard let first = lines.first, fieldName(first.bytes) != nil else { return 0 }

        var fields = 0
        var sawBroken = false
        var strongSeen = Set<String>()
        var subjectSeen = false
        var anyCapital = false
        var current: (name: String, value: [UInt8])?

        func finish() {
            guard let (name, value) = current else { return }
            let lower = name.lowercased()
            if name.first.map({ $0.isUppercase }) == true { anyCapital = true }
            if strong.contains(lower), plausible(lower, value) { strongSeen.insert(lower) }
            if lower == "subject" { subjectSeen = true }
            current = nil
        }

        for line in lines {
            // The last line of a full 4 KiB window is usually cut off; judge only complete lines.
            if !line.complete && headIn.count >= 4096 { break }
            let bytes = line.bytes
            if bytes.isEmpty { break }
            if bytes.first == 0x20 || bytes.first == 0x09 {
                if current == nil { sawBroken = true; break }
                current!.value.append(contentsOf: bytes)
                continue
            }
            finish()
            guard let name = fieldName(bytes) else { sawBroken = true; break }
            let colon = bytes.firstIndex(of: 0x3A)!
            current = (name, Array(bytes[bytes.index(after: colon)...]))
            fields += 1
        }
        finish()

        if fields == 0 { return 0 }
        let known = strongSeen.count + (subjectSeen ? 1 : 0)
        var score: Int
        if !strongSeen.isEmpty || (subjectSeen && anyCapital) {
            score = min(100, 88 + 2 * known + (fields >= 3 ? 2 : 0))
            score = max(score, 90)
        } else {
            // Valid fields but nothing that says "mail": a MIME part, an HTTP dump, YAML.
            score = 40
        }
        if sawBroken { score = min(score, strongSeen.isEmpty ? 20 : 60) }
        return score
    }

    private static func plausible(_ name: String, _ value: [UInt8]) -> Bool {
        let v = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        switch name {
        case "from", "return-path", "message-id": return v.utf8.contains(0x40) || v.utf8.contains(0x3C)
        case "mime-version": return v.first?.isNumber == true
        case "date": return v.contains(where: { $0.isNumber }) && v.contains(where: { $0.isLetter })
        case "received": return v.utf8.contains(0x3B) || v.lowercased().hasPrefix("from") || v.lowercased().hasPrefix("by")
        default: return true
        }
    }

    /// A field name as mail software writes it: RFC 5322 allows any printable ASCII, but real
    /// names are letters, digits and `-`/`_`/`.`, which keeps JSON (`{"From":`), HTML and prose
    /// out. Optional blanks before the colon are obsolete syntax still seen in old mail. An mbox
    /// "From " line fails because of the space inside the name.
    static func fieldName<C: Collection>(_ line: C) -> String? where C.Element == UInt8 {
        var name: [UInt8] = []
        var idx = line.startIndex
        while idx != line.endIndex {
            let b = line[idx]
            guard isTokenByte(b) else { break }
            name.append(b)
            idx = line.index(after: idx)
        }
        if name.isEmpty || name.count > 76 { return nil }
        while idx != line.endIndex, line[idx] == 0x20 || line[idx] == 0x09 { idx = line.index(after: idx) }
        guard idx != line.endIndex, line[idx] == 0x3A else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
    }

    static func isTokenName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isTokenByte)
    }

    private struct Line { var bytes: ArraySlice<UInt8>; var complete: Bool }

    private static func splitLines(_ data: ArraySlice<UInt8>, bareCR: Bool) -> [Line] {
        var lines: [Line] = []
        var start = data.startIndex
        var i = data.startIndex
        while i < data.endIndex {
            // GMime is handed such messages with LF endings (RawRepair).
            if bareCR, data[i] == 0x0D, i + 1 < data.endIndex, data[i + 1] != 0x0A {
                lines.append(Line(bytes: data[start..<i], complete: true))
                start = i + 1
            } else if data[i] == 0x0A {
                var end = i
                if end > start, data[end - 1] == 0x0D { end -= 1 }
                lines.append(Line(bytes: data[start..<end], complete: true))
                start = i + 1
            }
            i += 1
        }
        if start < data.endIndex { lines.append(Line(bytes: data[start..<data.endIndex], complete: false)) }
        return lines
    }
}
