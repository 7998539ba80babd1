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
    public static func tokens(_ s: String) -> [Token] {
        var out: [Token] = []
        let utf8 = s.utf8
        var offset = 0
        var wordStart: String.Index? = nil
        var wordStartOffset = 0
        func close(_ idx: String.Index, _ off: Int) {
            if let ws = wordStart {
                var sub = s[ws..<idx]
                var endOff = off
                while let last = sub.last, last == "'" || last == "’" || last == "-" {
                    endOff -= String(last).utf8.count
                    sub = sub.dropLast()
                }
                if !sub.isEmpty {
                    out.append(Token(start: wordStartOffset, end: endOff, text: sub, lower: sub.lowercased(),
                                     capitalized: sub.first!.isUppercase))
                }
                wordStart = nil
            }
        }
        var idx = s.startIndex
        for ch in s.unicodeScalars {
            let len = String(ch).utf8.count
            let isWord = CharacterSet.letters.contains(ch) || CharacterSet.decimalDigits.contains(ch)
                || ((ch == "'" || ch == "’" || ch == "-") && wordStart != nil)
            if isWord {
                if wordStart == nil { wordStart = idx; wordStartOffset = offset }
            } else {
                close(idx, offset)
                if ch == "," {
                    out.append(Token(start: offset, end: offset + 1, text: s[idx..<s.unicodeScalars.index(after: idx)],
                                     lower: ",", capitalized: false))
                }
            }
            offset += len
            idx = s.unicodeScalars.index(after: idx)
        }
        close(s.endIndex, offset)
        _ = utf8
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

    public init() {}

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
        // An all-lowercase "name" is usually a mailbox label ("records", "noreply").
        guard words.contains(where: { $0.first!.isUppercase }) else { return }
        add(name: words)
    }

    public func add(name words: [String]) {
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
    static let closings: Set<String> = ["thanks", "thank you", "thanks!", "best", "best regards", "regards", "kind regards",
                                        "cheers", "sincerely", "warm regards", "respectfully", "all the best", "thx", "v/r",
                                        "many thanks", "best wishes", "talk soon", "yours", "yours truly", "cordially"]
    static let notNames: Set<String> = ["all", "team", "everyone", "folks", "there", "both", "you", "again", "sir", "madam",
                                        "colleagues", "friends", "good", "morning", "afternoon", "evening", "in", "advance",
                                        "so", "much", "for", "the", "and", "update", "note", "quick", "question", "again",
                                        "ok", "okay", "yes", "no", "sent", "from", "my", "iphone", "get", "outlook", "on",
                                        "mobile", "phone", "dpr", "office", "hr", "it", "foia", "legal"]

    public static func find(_ text: String) -> [Hit] {
        var hits: [Hit] = []
        var offset = 0
        var previousClosing = false
        for lineSub in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(lineSub)
            let len = line.utf8.count
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let lowerTrim = trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",.!:;"))
            let toks = Tokenizer.tokens(line)
            if let first = toks.first, greetings.contains(first.lower), toks.count >= 2, toks.count <= 8 {
                // "Hi Jane," / "Good morning Dr. Okafor —": capitalised words up to the comma or dash.
                for t in toks.dropFirst() {
                    if t.lower == "," { break }
                    if t.capitalized, !notNames.contains(t.lower), !NameLexicon.titles.contains(t.lower) {
                        hits.append(Hit(start: offset + t.start, end: offset + t.end, rule: "name"))
                    }
                }
            } else if previousClosing || trimmed.hasPrefix("–") || trimmed.hasPrefix("—") || trimmed.hasPrefix("-") {
                // A short line of capitalised words right after "Thanks," or after a dash.
                let words = toks.filter { $0.lower != "," }
                if !words.isEmpty, words.count <= 3, words.allSatisfy({ $0.capitalized && !notNames.contains($0.lower) }),
                   !trimmed.hasPrefix("--") {
                    for t in words { hits.append(Hit(start: offset + t.start, end: offset + t.end, rule: "name")) }
                }
            }
            if !trimmed.isEmpty { previousClosing = closings.contains(lowerTrim) }
            offset += len + 1
        }
        return hits
    }
}
