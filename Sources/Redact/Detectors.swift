import Foundation

/// A proposed redaction: UTF-8 byte range and the detector or rule that found it.
public struct Hit: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var rule: String
    public init(start: Int, end: Int, rule: String) { self.start = start; self.end = end; self.rule = rule }
}

/// Pattern detectors written as byte scanners over UTF-8: one pass, no regex engine, so
/// throughput is bounded by memory speed rather than backtracking.
public enum Detectors {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { isAlnum(b) || b >= 0x80 || b == 0x5F }

    // MARK: email addresses

    static func isLocal(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D || b == 0x27 }
    static func isDomain(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2D || b == 0x2E }

    public static func emails(_ s: [UInt8]) -> [Hit] {
        var hits: [Hit] = []
        var i = 0
        let n = s.count
        var lastEnd = 0
        while i < n {
            if s[i] == 0x40 {
                var a = i
                while a > lastEnd, isLocal(s[a - 1]) { a -= 1 }
                while a < i, s[a] == 0x2E { a += 1 }
                var e = i + 1
                while e < n, isDomain(s[e]) { e += 1 }
                while e > i + 1, s[e - 1] == 0x2E || s[e - 1] == 0x2D { e -= 1 }
                if a < i, e > i + 1, let dot = s[(i + 1)..<e].lastIndex(of: 0x2E) {
                    let tld = s[(dot + 1)..<e]
                    if tld.count >= 2, tld.allSatisfy(isAlpha) {
                        hits.append(Hit(start: a, end: e, rule: "email"))
                        lastEnd = e
                        i = e
                        continue
                    }
                }
            }
            i += 1
        }
        return hits
    }

    // MARK: SSNs

    /// A number's own separators: one of these between digits joins two digit groups.
    @inline(__always) static func isNumberSep(_ b: UInt8) -> Bool { b == 0x2D || b == 0x2E || b == 0x2F }

    /// A fixed-shape number (SSN, US phone) may touch letters ("ssn601-15-0006", "0005abc"):
    /// its groups already say what it is. It may not continue a longer number: no digit, and no
    /// separator with a digit behind it, right before it.
    static func numberStartOK(_ s: [UInt8], _ i: Int) -> Bool {
        guard i > 0 else { return true }
        let p = s[i - 1]
        if isDigit(p) { return false }
        return !(isNumberSep(p) && i >= 2 && isDigit(s[i - 2]))
    }

    /// The same after the number: no digit, no separator with a digit after it.
    static func numberEndOK(_ s: [UInt8], _ e: Int) -> Bool {
        guard e < s.count else { return true }
        if isDigit(s[e]) { return false }
        return !(isNumberSep(s[e]) && e + 1 < s.count && isDigit(s[e + 1]))
    }

    public static func ssns(_ s: [UInt8]) -> [Hit] {
        var hits: [Hit] = []
        let n = s.count
        var i = 0
        while i + 11 <= n {
            if isDigit(s[i]), numberStartOK(s, i) {
                let sep = s[i + 3]
                if sep == 0x2D, isDigit(s[i + 1]), isDigit(s[i + 2]), isDigit(s[i + 4]), isDigit(s[i + 5]),
                   s[i + 6] == sep, isDigit(s[i + 7]), isDigit(s[i + 8]), isDigit(s[i + 9]), isDigit(s[i + 10]),
                   numberEndOK(s, i + 11) {
                    let area = Int(s[i] - 48) * 100 + Int(s[i + 1] - 48) * 10 + Int(s[i + 2] - 48)
                    let group = Int(s[i + 4] - 48) * 10 + Int(s[i + 5] - 48)
                    let serial = s[(i + 7)...(i + 10)].allSatisfy { $0 == 0x30 }
                    if area != 0, area != 666, group != 0, !serial {
                        hits.append(Hit(start: i, end: i + 11, rule: "ssn"))
                        i += 11
                        continue
                    }
                }
            }
            i += 1
        }
        return hits
    }

    // MARK: phone numbers

    /// US forms: (555) 014-2231, 555-014-2231, 555.014.2231, 555 014 2231, +1 555 014 2231,
    /// 1-555-014-2231. International: + country code then 2+ digit groups, 8–15 digits in all.
    public static func phones(_ s: [UInt8]) -> [Hit] {
        var hits: [Hit] = []
        let n = s.count
        var i = 0
        while i < n {
            let b = s[i]
            if (b == 0x2B || b == 0x28 || isDigit(b)), i == 0 || !(isWordByte(s[i - 1]) || s[i - 1] == 0x2B) {
                if let e = matchPhone(s, i) {
                    hits.append(Hit(start: i, end: e, rule: "phone"))
                    i = e
                    continue
                }
            } else if isDigit(b) || b == 0x28, isAlpha(s[i - 1]), numberStartOK(s, i) {
                // Glued to a word ("tel555-601-0008"): only the fixed US shape counts.
                if let e = matchUS(s, i) {
                    hits.append(Hit(start: i, end: e, rule: "phone"))
                    i = e
                    continue
                }
            }
            i += 1
        }
        return hits
    }

    static func digits(_ s: [UInt8], _ i: Int, _ count: Int) -> Bool {
        guard i + count <= s.count else { return false }
        for k in i..<(i + count) where !isDigit(s[k]) { return false }
        return true
    }

    static func isSep(_ b: UInt8) -> Bool { b == 0x20 || b == 0x2D || b == 0x2E }

    static func endOK(_ s: [UInt8], _ e: Int) -> Bool {
        e == s.count || !(isDigit(s[e]) || isAlpha(s[e]) || (s[e] == 0x2D && e + 1 < s.count && isDigit(s[e + 1])))
    }

    static func matchPhone(_ s: [UInt8], _ start: Int) -> Int? {
        var i = start
        let n = s.count
        if s[i] == 0x2B {
            i += 1
            // "+1" followed by a US number.
            if i < n, s[i] == 0x31, i + 1 < n, isSep(s[i + 1]) || s[i + 1] == 0x28, let e = matchUS(s, i + (isSep(s[i + 1]) ? 2 : 1)) {
                return e
            }
            var cc = 0
            while i < n, isDigit(s[i]), cc < 3 { i += 1; cc += 1 }
            guard cc > 0 else { return nil }
            var total = cc, groups = 0
            var lastGood: Int? = nil
            while i < n {
                var j = i
                if isSep(s[j]) { j += 1 }
                var paren = false
                if j < n, s[j] == 0x28 { paren = true; j += 1 }
                var d = 0
                while j < n, isDigit(s[j]), d < 6 { j += 1; d += 1 }
                if paren { guard j < n, s[j] == 0x29 else { break }; j += 1 }
                guard d > 0, j > i + d - 1 else { break }
                if j == i + d && groups > 0 { break }  // a group needs a separator before it
                total += d
                groups += 1
                i = j
                if total > 15 { return nil }
                if total >= 8, groups >= 2, endOK(s, i) { lastGood = i }
            }
            return lastGood
        }
        if s[i] == 0x31, i + 1 < n, s[i + 1] == 0x2D || s[i + 1] == 0x20, let e = matchUS(s, i + 2) { return e }
        return matchUS(s, i)
    }

    static func matchUS(_ s: [UInt8], _ start: Int) -> Int? {
        var i = start
        let n = s.count
        if i < n, s[i] == 0x28 {
            guard digits(s, i + 1, 3), i + 4 < n, s[i + 4] == 0x29 else { return nil }
            i += 5
            if i < n, s[i] == 0x20 || s[i] == 0x2D { i += 1 }
        } else {
            guard digits(s, i, 3), i + 3 < n, isSep(s[i + 3]) else { return nil }
            i += 4
        }
        guard digits(s, i, 3), i + 3 < n, isSep(s[i + 3]) else { return nil }
        i += 4
        guard digits(s, i, 4) else { return nil }
        i += 4
        // Extensions stay with the number: "x204", "ext. 204".
        if let e = extensionEnd(s, i) { return e }
        guard numberEndOK(s, i) else { return nil }
        return i
    }

    /// The end of an extension right after a number: `x123`, ` x 123`, `, ext. 123`,
    /// ` extension 123`, `#123`.
    static func extensionEnd(_ s: [UInt8], _ start: Int) -> Int? {
        let n = s.count
        var i = start
        if i < n, s[i] == 0x2C { i += 1 }
        if i < n, s[i] == 0x20 { i += 1 }
        guard i < n else { return nil }
        func word(_ w: String) -> Bool {
            let u = Array(w.utf8)
            guard i + u.count <= n else { return false }
            for k in 0..<u.count where s[i + k] | 0x20 != u[k] { return false }
            return true
        }
        if word("extension") { i += 9 }
        else if word("ext") { i += 3 }
        else if s[i] | 0x20 == 0x78 || s[i] == 0x23 { i += 1 }
        else { return nil }
        if i < n, s[i] == 0x2E || s[i] == 0x3A { i += 1 }
        if i < n, s[i] == 0x20 { i += 1 }
        var d = 0
        while i < n, isDigit(s[i]), d < 7 { i += 1; d += 1 }
        guard d >= 1, d <= 6, i == n || !isAlnum(s[i]) else { return nil }
        return i
    }
}
