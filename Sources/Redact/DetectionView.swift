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
/// - whitespace holding at most one line break after a hyphen that follows a digit, and before
///   a digit, is removed: a hyphenated number split by a folded header or a wrapped line is one
///   number (`321-\r\n 31-5021`).
///
/// Each view byte remembers the original bytes it came from, so a span found in the view covers
/// the original characters, including those removed from inside it. Text that is plain ASCII
/// without a hyphen-wrap is its own view and costs one scan.
public struct DetectionView: Sendable {
    public let text: String
    public let bytes: [UInt8]
    /// Per view byte: the start and end offsets of the original character it came from.
    /// Empty when the view is the original text.
    private let from: [UInt32]
    private let to: [UInt32]

    public var isIdentity: Bool { from.isEmpty }

    public init(_ original: String) {
        let src = Array(original.utf8)
        guard Self.needsWork(src), src.count < Int(UInt32.max) else {
            text = original; bytes = src; from = []; to = []
            return
        }
        var b = Builder(capacity: src.count)
        var off = 0
        for u in original.unicodeScalars {
            let w = UTF8.width(u)
            b.add(u, at: off, width: w)
            off += w
        }
        bytes = b.out
        from = b.from
        to = b.to
        text = String(decoding: b.out, as: UTF8.self)
    }

    /// The original byte range of the view range `start..<end`.
    public func original(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        if from.isEmpty { return (start, end) }
        guard start < end, start < from.count else {
            let s = start < from.count ? Int(from[start]) : (to.last.map { Int($0) } ?? 0)
            return (s, s)
        }
        return (Int(from[start]), Int(to[min(end, to.count) - 1]))
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
                while j < n, j - i <= maxWrap, isBlank(s[j]) { j += 1 }
                if j < n, isDigit(s[j]), wrapOK(s[(i + 1)..<j]) { return true }
            }
            i += 1
        }
        return false
    }

    /// Longest whitespace run taken as a fold or wrap (CRLF plus an indent).
    static let maxWrap = 16

    /// Spaces and tabs with at most one line break: a fold or a wrapped line, not a new paragraph.
    static func wrapOK(_ ws: ArraySlice<UInt8>) -> Bool {
        ws.count <= maxWrap && ws.lazy.filter { $0 == 0x0A }.count <= 1
            && ws.lazy.filter { $0 == 0x0D }.count <= 1
    }

    /// Dash punctuation (Pd) and the minus sign: all read as a hyphen.
    static func isDash(_ u: Unicode.Scalar) -> Bool {
        u.value == 0x2212 || u.properties.generalCategory == .dashPunctuation
    }

    /// Characters that render as nothing.
    static func isIgnorable(_ u: Unicode.Scalar) -> Bool {
        let p = u.properties
        return p.generalCategory == .format || p.isDefaultIgnorableCodePoint
    }

    static func isMark(_ u: Unicode.Scalar) -> Bool {
        let c = u.properties.generalCategory
        return c == .nonspacingMark || c == .enclosingMark || c == .spacingMark
    }

    /// The NFKC form of one character when it differs, e.g. `＠` → `@`, `①` → `1`.
    static func compatibilityForm(_ u: Unicode.Scalar) -> String? {
        let v = u.value
        if v >= 0xFF01 && v <= 0xFF5E { return String(Unicode.Scalar(UInt8(v - 0xFEE0))) }
        // Cheap property test first: most letters of most scripts are already NFKC.
        guard u.properties.changesWhenNFKCCaseFolded else { return nil }
        let s = String(u)
        let k = s.precomposedStringWithCompatibilityMapping
        return k == s ? nil : k
    }

    struct Builder {
        var out: [UInt8] = []
        var from: [UInt32] = []
        var to: [UInt32] = []
        var compat: [UInt32: String?] = [:]

        init(capacity: Int) {
            out.reserveCapacity(capacity)
            from.reserveCapacity(capacity)
            to.reserveCapacity(capacity)
        }

        mutating func add(_ u: Unicode.Scalar, at off: Int, width: Int) {
            let v = u.value
            if v < 0x80 { emit(UInt8(v), off, off + width); return }
            if DetectionView.isIgnorable(u) { return }
            if DetectionView.isMark(u), let last = out.last, last < 0x80, !Detectors.isAlpha(last) { return }
            if DetectionView.isDash(u) { emit(0x2D, off, off + width); return }
            let p = u.properties.generalCategory
            if p == .spaceSeparator { emit(0x20, off, off + width); return }
            if p == .lineSeparator || p == .paragraphSeparator || v == 0x85 { emit(0x0A, off, off + width); return }
            let k: String?
            if let c = compat[v] { k = c } else { k = DetectionView.compatibilityForm(u); compat[v] = k }
            if let k {
                for x in k.unicodeScalars {
                    if x.value < 0x80 { emit(UInt8(x.value), off, off + width) }
                    else if DetectionView.isIgnorable(x) { continue }
                    else if DetectionView.isDash(x) { emit(0x2D, off, off + width) }
                    else if x.properties.generalCategory == .spaceSeparator { emit(0x20, off, off + width) }
                    else { for y in String(x).utf8 { push(y, off, off + width) } }
                }
                return
            }
            for y in String(u).utf8 { push(y, off, off + width) }
        }

        /// One ASCII byte; a digit first closes up a hyphen-wrap before it.
        mutating func emit(_ c: UInt8, _ s: Int, _ e: Int) {
            if DetectionView.isDigit(c), let last = out.last, DetectionView.isBlank(last) {
                var j = out.count
                while j > 0, out.count - j < DetectionView.maxWrap, DetectionView.isBlank(out[j - 1]) { j -= 1 }
                if j >= 2, out[j - 1] == 0x2D, DetectionView.isDigit(out[j - 2]), DetectionView.wrapOK(out[j...]) {
                    out.removeSubrange(j...)
                    from.removeSubrange(j...)
                    to.removeSubrange(j...)
                }
            }
            push(c, s, e)
        }

        @inline(__always) mutating func push(_ c: UInt8, _ s: Int, _ e: Int) {
            out.append(c)
            from.append(UInt32(s))
            to.append(UInt32(e))
        }
    }
}
