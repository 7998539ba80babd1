import Foundation

/// Words of a text with their UTF-8 byte ranges. Letters (any script), digits, apostrophes and
/// inner hyphens make a word; a comma is kept as its own token so "Doe, Jane" matches.
public struct Token: Sendable {
    public var start: Int
    public var end: Int
    public var text: Substring
    public var lower: String
    public var capitalized: Bool
}

public enum Tokenizer {
    /// One pass over the UTF-8 bytes: ASCII by table, other scripts by Unicode properties.
    public static func tokens(_ s: String) -> [Token] {
        var s = s
        return s.withUTF8 { tokens(bytes: $0) }
    }

    /// Letters and digits. A comparison, not a table: in a per-byte loop a global table costs a
    /// lazy-initialisation check on every byte.
    @inline(__always) static func isASCIIWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    /// Whether a non-ASCII scalar is part of a word: alphabetic or numeric. The Latin-1 letters
    /// (U+00C0–U+00FF without × and ÷) are answered without a property look-up.
    @inline(__always) static func isWordScalar(_ v: UInt32) -> Bool {
        if v >= 0xC0 && v <= 0xFF { return v != 0xD7 && v != 0xF7 }
        guard let u = Unicode.Scalar(v) else { return false }
        return u.properties.isAlphabetic || u.properties.numericType != nil
    }

    static func tokens(bytes b: UnsafeBufferPointer<UInt8>) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(b.count / 5)
        let n = b.count
        var i = 0
        var start = -1
        var allASCII = true
        func close(_ endRaw: Int) {
            guard start >= 0 else { return }
            var end = endRaw
            // Trailing apostrophes, and a possessive ("Peter's", "Peter’s") that is the name itself.
            while end > start, b[end - 1] == 0x27 { end -= 1 }
            while end - 3 > start, b[end - 3] == 0xE2, b[end - 2] == 0x80, b[end - 1] == 0x99 { end -= 3 }
            if end - start > 2, b[end - 1] | 0x20 == 0x73 {
                if b[end - 2] == 0x27 { end -= 2 } else if end - start > 4, b[end - 4] == 0xE2, b[end - 3] == 0x80, b[end - 2] == 0x99 { end -= 4 }
            }
            if end > start {
                let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
                let cap: Bool
                if allASCII || b[start] < 0x80 {
                    cap = b[start] >= 0x41 && b[start] <= 0x5A
                } else {
                    let f = text.unicodeScalars.first!.properties
                    cap = f.isUppercase || (f.isAlphabetic && !f.isLowercase)
                }
                let lower = Lowercase.of(b, start, end)
                out.append(Token(start: start, end: end, text: Substring(text), lower: lower, capitalized: cap))
            }
            start = -1
            allASCII = true
        }
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if isASCIIWord(c) {
                    if start < 0 { start = i }
                } else if c == 0x27, start >= 0 {
                    // an apostrophe inside a word ("O'Brien", "don't")
                } else {
                    close(i)
                    if c == 0x2C { out.append(Token(start: i, end: i + 1, text: ",", lower: ",", capitalized: false)) }
                }
                i += 1
                continue
            }
            // Decode one scalar.
            var len = 1
            var v = UInt32(c)
            if c & 0xE0 == 0xC0, i + 1 < n { len = 2; v = (UInt32(c & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F) }
            else if c & 0xF0 == 0xE0, i + 2 < n { len = 3; v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F) }
            else if c & 0xF8 == 0xF0, i + 3 < n { len = 4; v = (UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F) }
            if isWordScalar(v) {
                if start < 0 { start = i }
                allASCII = false
            } else if v == 0x2019, start >= 0 {
                allASCII = false  // ’ inside a word
            } else {
                close(i)
            }
            i += len
        }
        close(n)
        return out
    }
}

/// Personal names of the case: every correspondent's display name from the headers, in the
/// forms people write them ("Jane Doe", "Doe, Jane", "Jane", "Ms. Doe"), plus common short
/// forms of first names for sign-offs ("Sam" for Samuel).
public final class NameLexicon: @unchecked Sendable {
    /// Multi-word names, lowercased token sequences, keyed by first token.
    private(set) var phrases: [String: [[String]]] = [:]
    /// Single words matched only when capitalised.
    private(set) var singles = Set<String>()
    public private(set) var names = Set<String>()
    /// Words the case writes in lower case somewhere: ordinary vocabulary (see Gazetteer).
    public var commonWords = Set<String>()

    /// Records the lower-case words of a text into `commonWords`.
    public func learnVocabulary(_ tokens: [Token], in text: String) {
        commonWords.formUnion(Self.vocabulary(tokens, in: text))
    }

    /// The lower-case words of a text that count as vocabulary (see `commonWords`).
    static func vocabulary(_ tokens: [Token], in text: String) -> [String] {
        let b = Array(text.utf8)
        // Parts of addresses, URLs and file names ("haruto.sato@…") are not vocabulary.
        func technical(_ x: UInt8) -> Bool { x == 0x40 || x == 0x2E || x == 0x2F || x == 0x5F || x == 0x3A || x == 0x3D }
        var out: [String] = []
        for t in tokens where !t.capitalized && t.lower.count >= 2 {
            if t.start > 0, technical(b[t.start - 1]) { continue }
            if t.end < b.count, technical(b[t.end]), t.end + 1 < b.count, b[t.end + 1] > 0x20 { continue }
            out.append(t.lower)
        }
        return out
    }

    public init() {}

    private struct Stored: Codable {
        var phrases: [String: [[String]]]
        var singles: [String]
        var names: [String]
        var commonWords: [String]
        var unspacedNames: [String]
    }

    /// Sorted JSON: the same lexicon gives the same bytes.
    public func encoded() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let s = Stored(phrases: phrases, singles: singles.sorted(), names: names.sorted(), commonWords: commonWords.sorted(),
                       unspacedNames: unspacedNames.sorted())
        return (try? e.encode(s)) ?? Data()
    }

    public static func decode(_ data: Data) throws -> NameLexicon {
        let s = try JSONDecoder().decode(Stored.self, from: data)
        let l = NameLexicon()
        l.phrases = s.phrases
        l.singles = Set(s.singles)
        l.names = Set(s.names)
        l.commonWords = Set(s.commonWords)
        l.unspacedNames = Set(s.unspacedNames)
        return l
    }

    static let titles: Set<String> = ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "rev", "hon", "sgt", "det", "lt", "capt", "officer", "agent", "judge"]
    /// First names that are also everyday words are not matched alone (too many false hits);
    /// the full name still is.
    static let commonWords: Set<String> = ["will", "may", "mark", "grace", "hope", "bill", "joy", "faith", "rose", "june", "april",
                                           "august", "art", "pat", "sue", "max", "ray", "dawn", "gene", "rich", "frank", "chase",
                                           "drew", "guy", "jack", "lane", "long", "young", "page", "park", "hall", "king", "brown",
                                           "white", "black", "green", "wood", "summer", "sunny", "major", "case", "office", "team",
                                           "records", "public", "state", "department", "director", "officer", "the", "and", "all"]
    static let shortForms: [String: [String]] = [
        "samuel": ["sam", "sammy"], "robert": ["rob", "bob", "bobby"], "william": ["bill", "billy", "liam"],
        "elizabeth": ["liz", "beth", "lizzie"], "katherine": ["kate", "kathy", "katie"], "catherine": ["cathy", "cat"],
        "michael": ["mike", "mikey"], "peter": ["pete"], "jennifer": ["jen", "jenny"], "christopher": ["chris"],
        "daniel": ["dan", "danny"], "thomas": ["tom", "tommy"], "james": ["jim", "jimmy", "jamie"],
        "margaret": ["maggie", "meg", "peggy"], "richard": ["rick", "dick"], "joseph": ["joe", "joey"],
        "benjamin": ["ben"], "alexander": ["alex"], "alexandra": ["alex", "sasha"], "nicholas": ["nick"],
        "jonathan": ["jon"], "matthew": ["matt"], "andrew": ["andy", "drew"], "anthony": ["tony"],
        "patricia": ["pat", "patty", "trish"], "rebecca": ["becky", "becca"], "victoria": ["vicky", "tori"],
        "theodore": ["theo", "ted"], "frederick": ["fred"], "gregory": ["greg"], "stephen": ["steve"],
        "steven": ["steve"], "susan": ["sue"], "deborah": ["deb", "debbie"], "abigail": ["abby"],
        "edward": ["ed", "eddie", "ted"], "charles": ["charlie", "chuck"], "timothy": ["tim"],
        "kimberly": ["kim"], "jessica": ["jess"], "samantha": ["sam"], "natalia": ["natasha", "talia"],
        "francisco": ["paco", "frank"], "josé": ["pepe"], "hiroshi": ["hiro"], "johannes": ["hans"],
    ]

    /// Adds a display name as written in a header: "Jane Doe", "Doe, Jane", "Jane Q. Doe (DPR)".
    public func add(displayName raw: String) {
        var s = raw
        if let p = s.firstIndex(of: "(") { s = String(s[..<p]) }
        if let p = s.firstIndex(of: "<") { s = String(s[..<p]) }
        if let p = s.firstIndex(of: "[") { s = String(s[..<p]) }
        s = s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        guard !s.isEmpty, !s.contains("@") else { return }
        var parts: [String]
        if let comma = s.firstIndex(of: ",") {
            let last = s[..<comma].trimmingCharacters(in: .whitespaces)
            let first = s[s.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            parts = first.split(separator: " ").map(String.init) + last.split(separator: " ").map(String.init)
        } else {
            parts = s.split(separator: " ").map(String.init)
        }
        parts = parts.filter { !Self.titles.contains($0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))) }
        let words = parts.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".,")) }.filter { !$0.isEmpty }
        guard words.count >= 1, words.allSatisfy({ $0.first?.isLetter == true }) else { return }
        // An all-lowercase "name" is usually a mailbox label ("records", "noreply"); a name with
        // an organisation word is a service or a role mailbox ("Public Records Requests").
        guard words.contains(where: { $0.first!.isUppercase || !$0.first!.isLowercase }) else { return }
        guard !words.contains(where: { Self.organisationWords.contains($0.lowercased()) }) else { return }
        // A lone word is a person only when it is a known first name ("Parley" is the app).
        if words.count == 1, !Gazetteer.shared.isFirstName(words[0]), !Self.hasUncasedLetters(words[0]) { return }
        add(name: words)
    }

    static let organisationWords: Set<String> = ["support", "team", "notifications", "notification", "noreply", "no-reply",
        "office", "department", "dept", "records", "requests", "request", "service", "services", "desk", "admin",
        "administrator", "info", "news", "alerts", "alert", "digest", "newsletter", "bot", "system", "mailer", "daemon",
        "calendar", "helpdesk", "hr", "it", "foia", "public", "press", "media", "communications", "committee", "council",
        "board", "group", "agency", "inc", "llc", "ltd", "corp", "clips", "clipping", "updates", "billing", "accounts",
        "reception", "security", "compliance", "legal", "payroll", "the", "of", "and", "status", "monitor",
        "monitoring", "automated", "mailbox", "inbox", "newsroom", "digest"]

    static func hasUncasedLetters(_ w: String) -> Bool { w.contains { $0.isLetter && !$0.isUppercase && !$0.isLowercase } }

    /// Names written in scripts without spaces between words (Chinese, Japanese) are found by
    /// substring, since the tokenizer cannot cut them out of a sentence.
    public private(set) var unspacedNames = Set<String>()

    public func add(name rawWords: [String]) {
        // Hyphenated parts are words of their own, matching the tokenizer.
        let words = rawWords.flatMap { $0.split(separator: "-").map(String.init) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { return }
        for w in words where Self.hasUncasedLetters(w) && w.count >= 2 { unspacedNames.insert(w) }
        if words.count >= 2, words.allSatisfy(Self.hasUncasedLetters) { unspacedNames.insert(words.joined()) }
        let lower = words.map { $0.lowercased() }
        names.insert(words.joined(separator: " "))
        if lower.count >= 2 {
            let first = lower.first!, last = lower.last!
            addPhrase(lower)                                  // Jane Q Doe / Jane Doe
            addPhrase([first, last])
            addPhrase([last, ",", first])                     // Doe, Jane
            addPhrase([String(first.prefix(1)), last])        // J. Doe (the dot is not a token)
            for t in Self.titles { addPhrase([t, last]) }     // Ms. Doe
            addSingle(last)
            addSingle(first)
            for short in Self.shortForms[first] ?? [] { addSingle(short) }
        } else {
            addSingle(lower[0])
        }
    }

    private func addPhrase(_ p: [String]) {
        guard p.count >= 2 else { return }
        if !(phrases[p[0]]?.contains(p) ?? false) { phrases[p[0], default: []].append(p) }
    }

    private func addSingle(_ w: String) {
        guard w.count >= 2, !Self.commonWords.contains(w) else { return }
        singles.insert(w)
    }

    /// Name hits in a text: full names in any case, single names only when capitalised.
    public func find(_ tokens: [Token]) -> [Hit] {
        var hits: [Hit] = []
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            var matched = false
            if let cands = phrases[t.lower] {
                var best = 0
                for p in cands where p.count > best && i + p.count <= tokens.count {
                    var ok = true
                    for k in 0..<p.count where tokens[i + k].lower != p[k] { ok = false; break }
                    if ok { best = p.count }
                }
                if best > 0 {
                    hits.append(Hit(start: t.start, end: tokens[i + best - 1].end, rule: "name"))
                    i += best
                    matched = true
                }
            }
            if !matched {
                if t.capitalized, singles.contains(t.lower) {
                    hits.append(Hit(start: t.start, end: t.end, rule: "name"))
                }
                i += 1
            }
        }
        return hits
    }
}

/// First names in greetings ("Hi Jane,", "Dear Dr. Okafor,") and sign-offs ("Thanks,\nSam",
/// "– Jane"): the place where people who are not in any header still get named.
public enum SalutationDetector {
    static let greetings: Set<String> = ["hi", "hello", "dear", "hey", "morning", "afternoon", "evening", "greetings", "thanks", "thank"]
    public static let closings: Set<String> = ["thanks", "thank you", "thanks!", "best", "best regards", "regards", "kind regards",
                                        "cheers", "sincerely", "warm regards", "respectfully", "all the best", "thx", "v/r",
                                        "many thanks", "best wishes", "talk soon", "yours", "yours truly", "cordially",
                                        "с уважением", "спасибо", "谢谢", "谢谢！", "此致", "敬礼", "よろしくお願いします", "敬具",
                                        "saludos", "atentamente", "gracias", "cordialement", "merci", "bien à vous",
                                        "mit freundlichen grüßen", "viele grüße", "grüße", "danke", "obrigado", "abraços",
                                        "un saludo", "distinti saluti", "cordiali saluti", "grazie", "met vriendelijke groet"]
    static let notNames: Set<String> = ["all", "team", "everyone", "folks", "there", "both", "you", "again", "sir", "madam",
                                        "colleagues", "friends", "good", "morning", "afternoon", "evening", "in", "advance",
                                        "so", "much", "for", "the", "and", "update", "note", "quick", "question", "again",
                                        "ok", "okay", "yes", "no", "sent", "from", "my", "iphone", "get", "outlook", "on",
                                        "mobile", "phone", "dpr", "office", "hr", "it", "foia", "legal"]

    /// The names found, as word groups ("Haruto", "Haruto Sato"): the lexicon learns them so the
    /// same name is redacted in prose and in every other copy, not only where it was greeted.
    public static func names(_ text: String, tokens: [Token]? = nil) -> [[String]] {
        let bytes = Array(text.utf8)
        var groups: [[String]] = []
        var lastEnd = -10
        for h in find(text, tokens: tokens ?? Tokenizer.tokens(text)) {
            let word = String(decoding: bytes[h.start..<h.end], as: UTF8.self)
            let gap = h.start - lastEnd
            if gap >= 0, gap <= 2, !groups.isEmpty, bytes[lastEnd..<h.start].allSatisfy({ $0 == 0x20 }) {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
            lastEnd = h.end
        }
        return groups
    }

    public static func find(_ text: String) -> [Hit] { find(text, tokens: Tokenizer.tokens(text)) }

    /// Line by line over tokens already cut from the whole text (no second tokenisation).
    public static func find(_ text: String, tokens toks: [Token]) -> [Hit] {
        var hits: [Hit] = []
        let b = Array(text.utf8)
        var previousClosing = false
        var ti = 0
        var lineStart = 0
        while lineStart <= b.count {
            var lineEnd = lineStart
            while lineEnd < b.count, b[lineEnd] != 0x0A { lineEnd += 1 }
            // Quoted copies ("> Thanks,") are read without their quote marks.
            var content = lineStart
            while content < lineEnd, b[content] == 0x3E || b[content] == 0x20 || b[content] == 0x09 { content += 1 }
            while ti < toks.count, toks[ti].start < lineStart { ti += 1 }
            var tj = ti
            while tj < toks.count, toks[tj].start < lineEnd { tj += 1 }
            let line = toks[ti..<tj]
            let dash = content < lineEnd && (b[content] == 0x2D && !(content + 1 < lineEnd && b[content + 1] == 0x2D)
                || (content + 2 < lineEnd && b[content] == 0xE2 && b[content + 1] == 0x80 && (b[content + 2] == 0x93 || b[content + 2] == 0x94)))
            if let first = line.first, greetings.contains(first.lower), line.count >= 2, line.count <= 8 {
                // "Hi Jane," / "Good morning Dr. Okafor —": capitalised words up to the comma or dash.
                for t in line.dropFirst() {
                    if t.lower == "," { break }
                    if t.capitalized, !notNames.contains(t.lower), !NameLexicon.titles.contains(t.lower) {
                        hits.append(Hit(start: t.start, end: t.end, rule: "name"))
                    }
                }
            } else if previousClosing || dash {
                // A short line of capitalised words right after "Thanks," or after a dash.
                let words = line.filter { $0.lower != "," }
                if !words.isEmpty, words.count <= 3, words.allSatisfy({ $0.capitalized && !notNames.contains($0.lower) }) {
                    for t in words { hits.append(Hit(start: t.start, end: t.end, rule: "name")) }
                }
            }
            if content < lineEnd {
                // Closings are short; only short lines are compared.
                if line.count <= 5, lineEnd - content <= 60 {
                    let raw = String(decoding: b[content..<lineEnd], as: UTF8.self)
                    let lowerTrim = raw.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \t\r,.!:;，！。"))
                    previousClosing = closings.contains(lowerTrim)
                } else {
                    previousClosing = false
                }
            }
            lineStart = lineEnd + 1
        }
        return hits
    }
}
