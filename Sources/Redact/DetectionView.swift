import Foundation

/// The text the detectors read, and the way back to the text that is produced.
///
/// A number or an address can be written so that it looks the same to a reader but not to a
/// byte scanner: a zero-width space, soft hyphen or byte-order mark inside it, a non-breaking
/// hyphen or an en dash between its groups, a non-breaking space, fullwidth digits or a
/// fullwidth `＠`, or a line wrapped after a hyphen. The view undoes all of that:
///
/// - format and other default-ignorable characters (U+200B–U+200D, U+FEFF, U+00AD, U+2060,
///   bidi controls, variation selectors) are removed, and so are combining marks sitting on an
///   ASCII digit or punctuation mark (a struck-through or keycapped digit is still the digit);
/// - dash punctuation and the minus sign become `-`, space separators become a space;
/// - every other character takes its NFKC form (fullwidth, small-form and circled characters);
/// - whitespace holding at most one line break (and, after it, quote markers) after a hyphen
///   that follows a digit, and before a digit, is removed: a hyphenated number split by a folded
///   header or a wrapped line is one number (`321-\r\n 31-5021`, `321-\n> 31-5021`).
///
/// Each view byte remembers the original bytes it came from, so a span found in the view covers
/// the original characters, including those removed from inside it. Text that is plain ASCII
/// without a hyphen-wrap is its own view and costs one scan.
public struct DetectionView: Sendable {
    public let text: String
    public let bytes: [UInt8]
    /// How view bytes map to original bytes, in view order. Empty when the view is the original.
    private let pieces: [Piece]

    /// A run of view bytes copied unchanged from the original (`same`), or the bytes one
    /// original character became.
    struct Piece {
        var view: Int
        var orig: Int
        var viewCount: Int
        var origCount: Int
        var same: Bool
    }

    public var isIdentity: Bool { pieces.isEmpty }

    public init(_ original: String) {
        let src = Array(original.utf8)
        guard Self.needsWork(src) else {
            text = original; bytes = src; pieces = []
            return
        }
        var b = Builder(capacity: src.count)
        src.withUnsafeBufferPointer { b.run($0) }
        bytes = b.out
        pieces = b.pieces
        text = String(decoding: b.out, as: UTF8.self)
    }

    /// The original byte range of the view range `start..<end`: from the first byte of the
    /// character the first view byte came from to the last byte of the character the last one
    /// came from.
    public func original(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        if pieces.isEmpty { return (start, end) }
        guard start < end, start < bytes.count else {
            let s = start < bytes.count ? origStart(start) : (pieces.last.map { $0.orig + $0.origCount } ?? 0)
            return (s, s)
        }
        return (origStart(start), origEnd(min(end, bytes.count) - 1))
    }

    private func piece(_ i: Int) -> Piece {
        var lo = 0, hi = pieces.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pieces[mid].view <= i { lo = mid } else { hi = mid - 1 }
        }
        return pieces[lo]
    }

    private func origStart(_ i: Int) -> Int {
        let p = piece(i)
        return p.same ? p.orig + (i - p.view) : p.orig
    }

    private func origEnd(_ i: Int) -> Int {
        let p = piece(i)
        return p.same ? p.orig + (i - p.view) + 1 : p.orig + p.origCount
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Whether anything in `s` would change in the view: a non-ASCII byte, or a hyphen-wrap.
    static func needsWork(_ s: [UInt8]) -> Bool {
        let n = s.count
        var i = 0
        while i < n {
            let c = s[i]
            if c >= 0x80 { return true }
            if c == 0x2D, i > 0, i + 1 < n, isDigit(s[i - 1]), isBlank(s[i + 1]) {
                var j = i + 1
                while j < n, j - i <= maxWrap, isWrap(s[j]) { j += 1 }
                if j < n, isDigit(s[j]), wrapOK(s[(i + 1)..<j]) { return true }
            }
            i += 1
        }
        return false
    }

    /// Longest whitespace run taken as a fold or wrap (CRLF plus an indent).
    static let maxWrap = 16

    @inline(__always) static func isWrap(_ b: UInt8) -> Bool { isBlank(b) || b == 0x3E }

    /// Spaces and tabs with at most one line break, and quote markers (`>`) only after it: a
    /// fold, a wrapped line or a wrapped quoted line, not a new paragraph.
    static func wrapOK(_ ws: ArraySlice<UInt8>) -> Bool {
        guard ws.count <= maxWrap, ws.first.map(isBlank) == true else { return false }
        var lf = 0, cr = 0
        for b in ws {
            if b == 0x0A { lf += 1 } else if b == 0x0D { cr += 1 } else if b == 0x3E, lf == 0 { return false }
        }
        return lf <= 1 && cr <= 1
    }

    /// What the view does with one character.
    enum Kind: UInt8 {
        case keep, drop, mark, dash, space, newline, compat
    }

    /// Unicode property lookups cost about 100 ns each, so the kinds of the Basic Multilingual
    /// Plane are worked out once per process (some tens of milliseconds) and read from a table.
    static let bmp: (kinds: [Kind], forms: [UInt32: [UInt8]]) = {
        var kinds = [Kind](repeating: .keep, count: 0x10000)
        var forms: [UInt32: [UInt8]] = [:]
        for v in 0x80..<0x10000 {
            guard let u = Unicode.Scalar(UInt32(v)) else { continue }
            kinds[v] = classify(u)
            if kinds[v] == .compat {
                if let f = compatibilityForm(u) { forms[UInt32(v)] = f } else { kinds[v] = .keep }
            }
        }
        return (kinds, forms)
    }()

    static func kind(_ u: Unicode.Scalar) -> Kind {
        if u.value < 0x80 { return .keep }
        if u.value < 0x10000 { return bmp.kinds[Int(u.value)] }
        let k = classify(u)
        return k == .compat && compatibilityForm(u) == nil ? .keep : k
    }

    static func classify(_ u: Unicode.Scalar) -> Kind {
        let p = u.properties
        switch p.generalCategory {
        case .format: return .drop
        case .nonspacingMark, .enclosingMark, .spacingMark: return p.isDefaultIgnorableCodePoint ? .drop : .mark
        case .otherLetter, .unassigned: if p.isDefaultIgnorableCodePoint { return .drop }
        case .dashPunctuation: return .dash
        case .spaceSeparator: return .space
        case .lineSeparator, .paragraphSeparator: return .newline
        default:
            if u.value == 0x2212 { return .dash }
            if u.value == 0x85 { return .newline }
        }
        return (u.value >= 0xFF01 && u.value <= 0xFF5E) || p.changesWhenNFKCCaseFolded ? .compat : .keep
    }

    /// Characters that render as nothing.
    static func isIgnorable(_ u: Unicode.Scalar) -> Bool { kind(u) == .drop }

    static func isMark(_ u: Unicode.Scalar) -> Bool { kind(u) == .mark }

    /// The view bytes of one character's NFKC form when it differs (`＠` → `@`, `①` → `1`,
    /// `﹘` → `-`), nil when NFKC keeps it.
    static func compatibilityForm(_ u: Unicode.Scalar) -> [UInt8]? {
        let s = String(u)
        let k = s.precomposedStringWithCompatibilityMapping
        guard k != s else { return nil }
        var out: [UInt8] = []
        for x in k.unicodeScalars {
            switch x.value < 0x80 ? .keep : classify(x) {
            case .drop: continue
            case .dash: out.append(0x2D)
            case .space: out.append(0x20)
            default: out += Array(String(x).utf8)
            }
        }
        return out
    }

    /// The view bytes of a character of kind `.compat`.
    static func form(_ u: Unicode.Scalar) -> [UInt8] {
        if u.value < 0x10000 { return bmp.forms[u.value] ?? Array(String(u).utf8) }
        return compatibilityForm(u) ?? Array(String(u).utf8)
    }

    struct Builder {
        var out: [UInt8] = []
        var pieces: [Piece] = []
        /// Where the last character emitted starts, in the view and in the original.
        var lastView = 0
        var lastOrig = 0
        var composed: [UInt64: [UInt8]?] = [:]

        init(capacity: Int) { out.reserveCapacity(capacity) }

        mutating func run(_ b: UnsafeBufferPointer<UInt8>) {
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if DetectionView.isDigit(c) { closeWrap() }
                    lastView = out.count
                    lastOrig = i
                    copy(c, at: i)
                    i += 1
                    continue
                }
                var w = 1
                var v = UInt32(c)
                if c & 0xE0 == 0xC0, i + 1 < n { w = 2; v = (UInt32(c & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F) }
                else if c & 0xF0 == 0xE0, i + 2 < n { w = 3; v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F) }
                else if c & 0xF8 == 0xF0, i + 3 < n { w = 4; v = (UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F) }
                if let u = Unicode.Scalar(v) { add(u, b, at: i, width: w) } else { for k in i..<(i + w) { copy(b[k], at: k) } }
                i += w
            }
        }

        mutating func add(_ u: Unicode.Scalar, _ b: UnsafeBufferPointer<UInt8>, at off: Int, width: Int) {
            let kind = DetectionView.kind(u)
            if kind == .mark {
                // A struck-through or keycapped digit is the digit.
                if let last = out.last, last < 0x80, !Detectors.isAlpha(last) { return }
                if compose(u, at: off, width: width) { return }
            } else if kind != .drop {
                lastView = out.count
                lastOrig = off
            }
            switch kind {
            case .keep, .mark: for j in off..<(off + width) { copy(b[j], at: j) }
            case .drop: return
            case .dash: replace([0x2D], off, width)
            case .space: replace([0x20], off, width)
            case .newline: replace([0x0A], off, width)
            case .compat:
                let bytes = DetectionView.form(u)
                if bytes.first.map(DetectionView.isDigit) == true { closeWrap(); lastView = out.count }
                replace(bytes, off, width)
            }
        }

        /// A Latin, Greek or Cyrillic letter and a combining diacritic that NFC composes into one
        /// character become that character (`e` + U+0301 → `é`), so a name typed decomposed
        /// (as macOS file names are) is the name. Returns false when they do not compose.
        mutating func compose(_ mark: Unicode.Scalar, at off: Int, width: Int) -> Bool {
            guard (0x300...0x36F).contains(mark.value), lastView < out.count else { return false }
            let base = String(decoding: out[lastView...], as: UTF8.self).unicodeScalars
            guard base.count == 1, let b = base.first, b.value < 0x530 || (0x1E00...0x1FFF).contains(b.value), b.properties.isAlphabetic else { return false }
            let key = UInt64(b.value) << 32 | UInt64(mark.value)
            let form: [UInt8]?
            if let f = composed[key] { form = f } else {
                let c = (String(b) + String(mark)).precomposedStringWithCanonicalMapping
                form = c.unicodeScalars.count == 1 ? Array(c.utf8) : nil
                composed[key] = form
            }
            guard let form else { return false }
            truncate(to: lastView)
            replace(form, lastOrig, off + width - lastOrig)
            return true
        }

        /// One byte kept as it is; runs of them share one piece.
        @inline(__always) mutating func copy(_ c: UInt8, at off: Int) {
            if let last = pieces.last, last.same, last.orig + last.origCount == off, last.view + last.viewCount == out.count {
                pieces[pieces.count - 1].viewCount += 1
                pieces[pieces.count - 1].origCount += 1
            } else {
                pieces.append(Piece(view: out.count, orig: off, viewCount: 1, origCount: 1, same: true))
            }
            out.append(c)
        }

        mutating func replace(_ bytes: [UInt8], _ off: Int, _ width: Int) {
            guard !bytes.isEmpty else { return }
            pieces.append(Piece(view: out.count, orig: off, viewCount: bytes.count, origCount: width, same: false))
            out += bytes
        }

        /// Before a digit: drops a hyphen-wrap (digit, hyphen, blanks with at most one line
        /// break) at the end of the view so far.
        mutating func closeWrap() {
            guard let last = out.last, DetectionView.isWrap(last) else { return }
            var j = out.count
            while j > 0, out.count - j < DetectionView.maxWrap, DetectionView.isWrap(out[j - 1]) { j -= 1 }
            guard j >= 2, out[j - 1] == 0x2D, DetectionView.isDigit(out[j - 2]), DetectionView.wrapOK(out[j...]) else { return }
            truncate(to: j)
        }

        /// Drops view bytes from `j` on, and their map.
        mutating func truncate(to j: Int) {
            out.removeSubrange(j...)
            while let p = pieces.last, p.view + p.viewCount > j {
                if p.view >= j { pieces.removeLast(); continue }
                let keep = j - p.view
                pieces[pieces.count - 1].viewCount = keep
                if p.same { pieces[pieces.count - 1].origCount = keep }
            }
        }
    }
}
