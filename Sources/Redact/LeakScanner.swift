import Foundation

/// One pass of the leak audit over a stream of UTF-8: words are cut as `Fold.tokens` cuts them,
/// fed to the compiled patterns as they end, and a word's findings are reported once the words
/// that can still change them (an allowed phrase covering it, a longer needle, its context) have
/// gone by. Only those last words are kept, so memory does not grow with the text.
struct LeakScanner {
    private let p: LeakPatterns
    // The patterns' hot parts held here, so a word's look-up reads them without reference
    // counting through `p`.
    private let words: ByteKeyTable
    private let singles: ByteKeyTable
    private let automaton: WordAutomaton
    private let squeezer: ByteAutomaton
    private let longestWord: Int
    private let reach: Int
    private let ringMask: Int

    // The word being read, as written.
    private var word: [UInt8] = []
    private var wordASCII = true
    /// Set when the word outgrew `p.longestWord`; `head` keeps its first part for the context.
    private var overlong = false
    private var head: [UInt8] = []

    /// Per position (ring index): where its original form is in `text`, its length, whether an
    /// allowed phrase covers it, and the one-word needle entry it matched (or -1).
    private struct Slot {
        var start = 0
        var length: Int32 = 0
        var single: Int32 = -1
        var covered = false
    }
    private var ring: [Slot]
    /// Original forms of the recent words, `textBase` being the absolute offset of text[0].
    private var text = ByteArena()
    private var textBase = 0
    private var count = 0
    private var nextFinal = 0
    /// Several-word needles found but not yet reported: (start position, needle).
    private var pending: [(Int, Int32)] = []
    private var state: Int32 = 0

    private var squeezeState: Int32 = 0
    private var unspacedFound: [Bool]
    private var unspacedLeft: Int

    private var kinds: [UInt8] = []
    private var farKinds: [UInt32: UInt8] = [:]
    private var folded: [RawWord: [FoldedWord]] = [:]

    /// A word's bytes as a dictionary key hashed in one call, not byte by byte as [UInt8] is.
    private struct RawWord: Hashable {
        var bytes: [UInt8]
        func hash(into h: inout Hasher) { bytes.withUnsafeBytes { h.combine(bytes: $0) } }
    }

    private(set) var findings: [LeakAudit.Finding] = []

    private struct FoldedWord {
        var original: [UInt8]
        var originalKey: [UInt8]
        var lower: [UInt8]
    }

    init(_ p: LeakPatterns) {
        self.p = p
        words = p.words
        singles = p.singles
        automaton = p.automaton
        squeezer = p.squeeze
        longestWord = p.longestWord
        reach = p.reach
        var size = 8
        while size < reach + 4 { size *= 2 }
        ringMask = size - 1
        ring = [Slot](repeating: Slot(), count: size)
        unspacedFound = [Bool](repeating: false, count: p.unspacedName.count)
        unspacedLeft = p.unspacedName.count
        word.reserveCapacity(256)
    }

    /// Bytes of text held: the recent words, the word being read, an overlong word's head.
    var retainedBytes: Int { text.count + word.count + head.count }

    // MARK: Cutting words

    /// 1 for ASCII letters and digits, as `Fold` and the tokenizer count them.
    private static let asciiWord: [UInt8] = (0..<128).map { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) ? 1 : 0
    }
    private static let letter: UInt8 = 1, joiner: UInt8 = 2, separator: UInt8 = 3

    /// Reads `b`; with `final` false, a character cut off at the end is left unread and the
    /// number of bytes read is returned, so the caller hands it in again with what follows.
    mutating func feed(_ b: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
        let n = b.count
        var i = 0
        Self.asciiWord.withUnsafeBufferPointer { ascii in
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    guard ascii[Int(c)] != 0 else {
                        if !word.isEmpty || overlong { closeWord() }
                        i += 1
                        continue
                    }
                    var j = i + 1
                    while j < n, b[j] < 0x80, ascii[Int(b[j])] != 0 { j += 1 }
                    if word.isEmpty, !overlong, j < n, b[j] < 0x80, j - i <= longestWord {
                        // The common case: a whole ASCII word ending in ASCII, read in place.
                        plainWord(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[i..<j])))
                    } else {
                        append(UnsafeBufferPointer(rebasing: b[i..<j]))
                    }
                    i = j
                    continue
                }
                let (len, v) = Self.decode(b, i)
                if len == 0 {
                    if !final { return }
                    if !word.isEmpty || overlong { closeWord() }
                    i += 1
                    continue
                }
                if len < 0 {
                    // Not UTF-8: read as U+FFFD would be, which ends a word.
                    if !word.isEmpty || overlong { closeWord() }
                    i += 1
                    continue
                }
                switch kind(v) {
                case Self.letter:
                    append(UnsafeBufferPointer(rebasing: b[i..<(i + len)]))
                    wordASCII = false
                case Self.joiner where !word.isEmpty || overlong:
                    append(UnsafeBufferPointer(rebasing: b[i..<(i + len)]))
                    wordASCII = false
                case Self.joiner:
                    break
                default:
                    if !word.isEmpty || overlong { closeWord() }
                }
                i += len
            }
        }
        if final, !word.isEmpty || overlong { closeWord() }
        return i
    }

    /// The length and value of the character at `i`: 0 when it is cut off by the end of `b`,
    /// -1 when the bytes are not UTF-8.
    @inline(__always)
    private static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, UInt32) {
        let c = b[i]
        let len: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: len = 2
        case 0xE0: len = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED: len = 3; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4: len = 4; hi = 0x8F
        default: return (-1, 0)
        }
        var v = UInt32(c) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
        for k in 1..<len {
            guard i + k < b.count else { return (0, 0) }
            let d = b[i + k]
            if k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF) { return (-1, 0) }
            v = v << 6 | UInt32(d & 0x3F)
        }
        return (len, v)
    }

    /// What `Fold.tokens` does with a character, asked of `Fold.tokens` itself once per
    /// character so the two cannot drift apart.
    private mutating func kind(_ v: UInt32) -> UInt8 {
        if v < 0x10000 {
            if kinds.isEmpty { kinds = [UInt8](repeating: 0, count: 0x10000) }
            let k = kinds[Int(v)]
            if k != 0 { return k }
            let m = Self.probe(v)
            kinds[Int(v)] = m
            return m
        }
        if let k = farKinds[v] { return k }
        let m = Self.probe(v)
        farKinds[v] = m
        return m
    }

    private static func probe(_ v: UInt32) -> UInt8 {
        guard let u = Unicode.Scalar(v) else { return separator }
        var alone = String()
        alone.unicodeScalars.append(u)
        if Fold.tokens(alone).count == 1 { return letter }
        var between = "a"
        between.unicodeScalars.append(u)
        between += "b"
        return Fold.tokens(between).count == 1 ? joiner : separator
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if word.count + bytes.count > longestWord { spill() }
        word.append(contentsOf: bytes)
        if bytes.contains(where: { $0 >= 0x80 }) { wordASCII = false }
    }

    /// A word longer than any needle's can match none; its parts still run into the substring
    /// search, and its first part stands for it in the context.
    private mutating func spill() {
        for f in fold() {
            if !overlong { head += f.original }
            f.lower.withUnsafeBytes { squeeze($0, fold: 0) }
            overlong = true
        }
        word.removeAll(keepingCapacity: true)
        wordASCII = true
    }

    private mutating func fold() -> [FoldedWord] {
        guard !word.isEmpty else { return [] }
        if wordASCII {
            let lower = word.map { $0 | 0x20 }
            return [FoldedWord(original: word, originalKey: word, lower: lower)]
        }
        if let f = folded[RawWord(bytes: word)] { return f }
        let f = Fold.tokens(String(decoding: word, as: UTF8.self)).map {
            FoldedWord(original: Array($0.original.utf8), originalKey: LeakPatterns.nfc($0.original), lower: LeakPatterns.nfc($0.lower))
        }
        if folded.count >= 4096 { folded.removeAll(keepingCapacity: true) }
        folded[RawWord(bytes: word)] = f
        return f
    }

    private mutating func closeWord() {
        if overlong {
            spill()
            head.withUnsafeBytes { position(original: $0, lookup: nil, originalKey: $0, fold: 0) }
            head.removeAll()
            overlong = false
            return
        }
        if wordASCII {
            word.withUnsafeBytes { plainWord($0) }
        } else {
            for f in fold() {
                f.original.withUnsafeBytes { o in
                    f.lower.withUnsafeBytes { l in
                        f.originalKey.withUnsafeBytes { k in
                            squeeze(l, fold: 0)
                            position(original: o, lookup: l, originalKey: k, fold: 0)
                        }
                    }
                }
            }
        }
        word.removeAll(keepingCapacity: true)
        wordASCII = true
    }

    @inline(__always)
    private mutating func plainWord(_ w: UnsafeRawBufferPointer) {
        squeeze(w, fold: 0x20)
        position(original: w, lookup: w, originalKey: w, fold: 0x20)
    }

    @inline(__always)
    private mutating func squeeze(_ lower: UnsafeRawBufferPointer, fold: UInt8) {
        guard unspacedLeft > 0 else { return }
        // Needles searched as substrings hold letters of scripts without case, which are not
        // ASCII; ASCII text at the root can only start one if a needle begins with ASCII.
        if squeezeState == 0, fold == 0x20, !squeezer.asciiStarts { return }
        for b in lower {
            if squeezeState == 0 {
                // Most bytes start no needle: one table read.
                squeezeState = squeezer.start(b | fold)
                if squeezeState == 0 { continue }
            } else {
                squeezeState = squeezer.step(squeezeState, b | fold)
            }
            var o = squeezer.firstOut[Int(squeezeState)]
            while o != 0 {
                let k = Int(squeezer.pattern[Int(o)])
                if !unspacedFound[k] { unspacedFound[k] = true; unspacedLeft -= 1 }
                o = squeezer.nextOut[Int(o)]
            }
        }
    }

    // MARK: Matching words

    /// One word of text. `lookup` is its lower-cased form (the ASCII original when `fold` is
    /// 0x20), nil for an overlong word, which matches nothing.
    @inline(__always)
    private mutating func position(original: UnsafeRawBufferPointer, lookup: UnsafeRawBufferPointer?,
                          originalKey: UnsafeRawBufferPointer, fold: UInt8) {
        let pos = count
        count += 1
        var slot = Slot(start: textBase + text.count, length: Int32(original.count))
        text.append(original)
        let w = lookup.map { words.lookup($0, fold: fold) } ?? ByteKeyTable.Hit()
        if w.index >= 0 {
            if w.single, singles.find(originalKey) >= 0 { slot.single = w.index }
            state = w.id < 0 ? 0 : state == 0 ? w.root : automaton.step(state, w.id)
        } else {
            state = 0
        }
        ring[pos & ringMask] = slot
        if state != 0 { matched(at: pos) }
        if pos >= reach {
            let at = pos - reach
            nextFinal = at + 1
            if ring[at & ringMask].single >= 0 || !pending.isEmpty { report(at) }
            if text.count > 1 << 16 { compact(at) }
        }
    }

    private mutating func matched(at pos: Int) {
        var o = automaton.states[Int(state)].firstOut
        while o != 0 {
            let st = automaton.states[Int(o)]
            let from = pos - Int(st.depth) + 1
            if st.needle >= 0 { pending.append((from, st.needle)) }
            if st.allowed { for k in from...pos { ring[k & ringMask].covered = true } }
            o = st.nextOut
        }
    }

    /// Reports position `at`: nothing later can change it.
    private mutating func report(_ at: Int) {
        let r = at & ringMask
        var here: [Int32] = []
        if !pending.isEmpty {
            here = pending.filter { $0.0 == at }.map(\.1).sorted()
            if !here.isEmpty { pending.removeAll { $0.0 == at } }
        }
        if !ring[r].covered {
            if ring[r].single >= 0 {
                findings.append(LeakAudit.Finding(needle: String(decoding: original(at), as: UTF8.self),
                                                  context: context(at, 1), codes: p.singleCodes[Int(ring[r].single)]))
            }
            for k in here {
                findings.append(LeakAudit.Finding(needle: p.multiName[Int(k)], context: context(at, Int(p.multiLength[Int(k)])),
                                                  codes: p.multiCodes[Int(k)]))
            }
        }
    }

    /// Drops the words before at - 2, which are no one's context any more.
    private mutating func compact(_ at: Int) {
        let keep = at - 2
        if keep > 0 {
            let cut = ring[keep & ringMask].start - textBase
            if cut >= text.count / 2 {
                text.removeFirst(cut)
                textBase += cut
            }
        }
    }

    private func original(_ pos: Int) -> [UInt8] {
        let slot = ring[pos & ringMask]
        let s = slot.start - textBase
        return text.slice(s, Int(slot.length))
    }

    private func context(_ at: Int, _ n: Int) -> String {
        var out: [UInt8] = []
        let from = max(0, at - 3)
        for k in from..<min(count, at + n + 3) {
            if k > from { out.append(0x20) }
            out += original(k)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The findings, once the whole text has been fed: substring needles first, as the audit
    /// has always listed them, then every word's in the order of the text.
    mutating func end() -> [LeakAudit.Finding] {
        if !word.isEmpty || overlong { closeWord() }
        for at in nextFinal..<max(nextFinal, count) { report(at) }
        var out: [LeakAudit.Finding] = []
        for k in unspacedFound.indices where unspacedFound[k] {
            out.append(LeakAudit.Finding(needle: p.unspacedName[k], context: p.unspacedName[k], codes: p.unspacedCodes[k]))
        }
        return out + findings
    }
}
