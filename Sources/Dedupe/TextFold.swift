import Foundation

/// The one normalisation every text comparison uses (segment fingerprints, thread matching,
/// near-duplicates, and the redaction stage when it looks for the same paragraph in another
/// copy), so that copies which differ only in how a client rendered them compare equal:
/// lowercase; curly quotes, apostrophes, punctuation and `>` quote markers ignored; whitespace and
/// line wrapping folded; link markup (`<http…>`, `<mailto:…>`, `[cid:…]`, a bare `mailto:`) and
/// mobile footers ("Sent from my iPhone", "Get Outlook for iOS", …) dropped.
///
/// A token is a run of letters, digits and combining marks. Apostrophes inside a word are
/// ignored rather than splitting it ("we'd" and "we’d" are both `wed`), because AutoFormat turns
/// one into the other. Han, kana and other unspaced scripts give one token per character, so
/// shingles over them still mean something.
public enum TextFold {
    /// Folded tokens in order.
    public static func tokens(_ s: String) -> [String] {
        scan(s, wantText: true).strings
    }

    /// Folded tokens with the UTF-8 byte range each came from in `s` (`start..<end`), so a
    /// match found on folded text can be mapped back onto the original.
    public static func tokensWithRanges(_ s: String) -> [(token: String, start: Int, end: Int)] {
        let r = scan(s, wantText: true)
        var out: [(token: String, start: Int, end: Int)] = []
        out.reserveCapacity(r.strings.count)
        for i in r.strings.indices { out.append((r.strings[i], r.starts[i], r.ends[i])) }
        return out
    }

    /// The tokens joined by single spaces: what "the folded text" means in the docs.
    public static func folded(_ s: String) -> String { tokens(s).joined(separator: " ") }

    /// A stable 64-bit hash per token (the same in every process: Swift's `Hasher` is seeded
    /// per run and cannot be stored or compared across runs).
    public static func tokenHashes(_ s: String) -> [UInt64] { scan(s, wantText: false).hashes }

    /// Hash of the folded text: equal exactly when the token sequences are equal (up to 64-bit
    /// collisions). 0 is reserved for "no tokens".
    public static func fingerprint(_ s: String) -> UInt64 { fingerprint(tokenHashes: tokenHashes(s)) }

    public static func fingerprint<C: Collection>(tokenHashes: C) -> UInt64 where C.Element == UInt64 {
        if tokenHashes.isEmpty { return 0 }
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for t in tokenHashes { h = mix64(h ^ t) &+ 0x9E37_79B9_7F4A_7C15 }
        let f = mix64(h ^ UInt64(tokenHashes.count))
        return f == 0 ? 1 : f
    }

    /// FNV-1a over bytes, finished with a 64-bit mixer so nearby inputs spread.
    public static func hash<C: Sequence>(bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return mix64(h)
    }

    public static func hash(_ s: String) -> UInt64 { hash(bytes: s.utf8) }

    /// The splitmix64 finaliser.
    @inline(__always)
    public static func mix64(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: scanning

    struct Scan {
        var hashes: [UInt64] = []
        var starts: [Int] = []
        var ends: [Int] = []
        var strings: [String] = []
    }

    private enum ASCIIClass: UInt8 { case separator, word, upper, ignored, angle, bracket }

    private static let asciiClass: [ASCIIClass] = (0..<128).map { b -> ASCIIClass in
        switch UInt8(b) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .word
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return .upper
        case UInt8(ascii: "'"), UInt8(ascii: "`"): return .ignored
        case UInt8(ascii: "<"): return .angle
        case UInt8(ascii: "["): return .bracket
        default: return .separator
        }
    }

    static func scan(_ input: String, wantText: Bool) -> Scan {
        var out = Scan()
        var s = input
        s.withUTF8 { buf in scanBytes(buf, wantText: wantText, into: &out) }
        dropFooters(&out, wantText: wantText)
        return out
    }

    private static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    private static func scanBytes(_ buf: UnsafeBufferPointer<UInt8>, wantText: Bool, into out: inout Scan) {
        let n = buf.count
        out.hashes.reserveCapacity(n / 5)
        out.starts.reserveCapacity(n / 5)
        out.ends.reserveCapacity(n / 5)
        var tok: [UInt8] = []
        tok.reserveCapacity(64)
        var h = fnvOffset
        var start = -1
        var lastEnd = 0
        var len = 0

        @inline(__always) func emit(_ hash: UInt64, _ s: Int, _ e: Int) {
            out.hashes.append(mix64(hash))
            out.starts.append(s)
            out.ends.append(e)
            if wantText { out.strings.append(String(decoding: tok, as: UTF8.self)) }
        }
        @inline(__always) func flush(dropMailtoAt colon: Bool = false) {
            if start >= 0 {
                // "mailto:" is link markup, not a word of the message.
                let isMailto = colon && len == 6 && h == mailtoRawHash
                if !isMailto { emit(h, start, lastEnd) }
            }
            start = -1
            h = fnvOffset
            len = 0
            if wantText { tok.removeAll(keepingCapacity: true) }
        }
        @inline(__always) func add(_ b: UInt8, at i: Int) {
            if start < 0 { start = i }
            h = (h ^ UInt64(b)) &* fnvPrime
            len += 1
            if wantText { tok.append(b) }
        }

        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                switch asciiClass[Int(b)] {
                case .word:
                    add(b, at: i); lastEnd = i + 1
                case .upper:
                    add(b | 0x20, at: i); lastEnd = i + 1
                case .ignored:
                    break
                case .angle:
                    if let end = linkMarkupEnd(buf, i) { flush(); i = end; continue }
                    flush()
                case .bracket:
                    if let end = cidEnd(buf, i) { flush(); i = end; continue }
                    flush()
                case .separator:
                    flush(dropMailtoAt: b == UInt8(ascii: ":"))
                }
                i += 1
                continue
            }
            // Multi-byte scalar (the buffer is valid UTF-8: it comes from a Swift String).
            let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            var v = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
            for k in 1..<width where i + k < n { v = (v << 6) | (UInt32(buf[i + k]) & 0x3F) }
            let next = min(n, i + width)
            switch v {
            case 0x2018, 0x2019, 0x201B, 0x02BC, 0xFF07, 0x2032:
                break  // apostrophes and primes: ignored like the ASCII one
            case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
                break  // soft hyphen, zero-width characters
            default:
                if isUnspacedScript(v) {
                    flush()
                    start = i
                    for k in i..<next { add(buf[k], at: i) }
                    lastEnd = next
                    flush()
                } else if let scalar = Unicode.Scalar(v), isWordScalar(scalar) {
                    let p = scalar.properties
                    if p.changesWhenLowercased {
                        if start < 0 { start = i }
                        for u in p.lowercaseMapping.utf8 { add(u, at: i) }
                    } else {
                        for k in i..<next { add(buf[k], at: i) }
                    }
                    lastEnd = next
                } else {
                    flush()
                }
            }
            i = next
        }
        flush()
    }

    private static let mailtoRawHash: UInt64 = {
        var h = fnvOffset
        for b in "mailto".utf8 { h = (h ^ UInt64(b)) &* fnvPrime }
        return h
    }()

    @inline(__always)
    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if p.isAlphabetic { return true }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    @inline(__always)
    private static func isUnspacedScript(_ v: UInt32) -> Bool {
        (0x3040...0x30FF).contains(v) || (0x31F0...0x31FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFF66...0xFF9F).contains(v)
            || (0x20000...0x3FFFF).contains(v)
    }

    /// `<http…>`, `<https…>`, `<mailto:…>`, `<www.…>`: the index after the closing `>`, when it
    /// closes within a plausible URL length.
    private static func linkMarkupEnd(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let prefixes: [[UInt8]] = [Array("http".utf8), Array("mailto:".utf8), Array("www.".utf8)]
        let n = buf.count
        var matched = false
        for p in prefixes where i + 1 + p.count <= n {
            var ok = true
            for (k, c) in p.enumerated() where buf[i + 1 + k] | 0x20 != c | 0x20 { ok = false; break }
            if ok { matched = true; break }
        }
        guard matched else { return nil }
        var j = i + 1
        while j < n, j - i < 2048 {
            let c = buf[j]
            if c == UInt8(ascii: ">") { return j + 1 }
            if c == UInt8(ascii: "<") { return nil }
            j += 1
        }
        return nil
    }

    /// `[cid:image001.png@01DA…]`: inline-image placeholders that differ between copies.
    private static func cidEnd(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let p = Array("cid:".utf8)
        let n = buf.count
        guard i + 1 + p.count <= n else { return nil }
        for (k, c) in p.enumerated() where buf[i + 1 + k] | 0x20 != c { return nil }
        var j = i + 1
        while j < n, j - i < 512 {
            if buf[j] == UInt8(ascii: "]") { return j + 1 }
            if buf[j] == 0x0A { return nil }
            j += 1
        }
        return nil
    }

    // MARK: mobile footers

    /// Footer phrases as token sequences; `optional` tokens directly after a phrase go with it.
    private struct Footer { var tokens: [UInt64]; var optional: Set<UInt64> }

    private static func h(_ w: String) -> UInt64 {
        var x = fnvOffset
        for b in w.utf8 { x = (x ^ UInt64(b)) &* fnvPrime }
        return mix64(x)
    }

    private static let footers: [Footer] = {
        let trailing: Set<UInt64> = Set(["phone", "device", "smartphone"].map(h))
        var f: [Footer] = []
        for d in ["iphone", "ipad", "android", "blackberry", "mobile", "smartphone"] {
            f.append(Footer(tokens: ["sent", "from", "my", d].map(h), optional: trailing))
        }
        for d in ["ios", "android"] {
            f.append(Footer(tokens: ["get", "outlook", "for", d].map(h), optional: []))
        }
        f.append(Footer(tokens: ["sent", "from", "mail", "for", "windows"].map(h), optional: Set(["10", "11"].map(h))))
        return f
    }()
    private static let footerFirst: Set<UInt64> = Set(footers.map { $0.tokens[0] })

    private static func dropFooters(_ s: inout Scan, wantText: Bool) {
        let n = s.hashes.count
        guard n >= 4 else { return }
        var drop: [Range<Int>] = []
        var i = 0
        outer: while i < n {
            if footerFirst.contains(s.hashes[i]) {
                for f in footers where i + f.tokens.count <= n {
                    var ok = true
                    for (k, t) in f.tokens.enumerated() where s.hashes[i + k] != t { ok = false; break }
                    if ok {
                        var end = i + f.tokens.count
                        if end < n, f.optional.contains(s.hashes[end]) { end += 1 }
                        drop.append(i..<end)
                        i = end
                        continue outer
                    }
                }
            }
            i += 1
        }
        guard !drop.isEmpty else { return }
        for r in drop.reversed() {
            s.hashes.removeSubrange(r)
            s.starts.removeSubrange(r)
            s.ends.removeSubrange(r)
            if wantText { s.strings.removeSubrange(r) }
        }
    }
}
