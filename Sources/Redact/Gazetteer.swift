import Foundation

/// Names of people who never wrote an email (a resident who complained, a reporter) found in
/// prose from the US Census name lists plus capitalisation: a known first name followed by a
/// capitalised word, a capitalised word followed by a known surname, or a title and a name.
public final class Gazetteer: @unchecked Sendable {
    public static let shared = Gazetteer()

    let first: Set<String>
    let last: Set<String>

    init() {
        first = Set(GazetteerData.firstNames.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.lowercased() })
        last = Set(GazetteerData.lastNames.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.lowercased() })
    }

    public func isFirstName(_ w: String) -> Bool { first.contains(w.lowercased()) }
    public func isLastName(_ w: String) -> Bool { last.contains(w.lowercased()) }

    /// Words that begin sentences and headings or name things: never taken as half of a name.
    static let notNames: Set<String> = {
        let words = """
        mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec \
        a about above according across after afternoon again against ago agency agenda all also am among an and annual any \
        april archive archives are as at august back be because been before being below best between bill board both brief \
        but by call can capitol case chair chief city clerk clips columbia commission committee council county court \
        daily data day dear december department deputy desk director do does draft during each east email evening every \
        executive fact february federal few file final first for forward friday from general good governor great group \
        had has have he hello her here hey hi high his hope how i if in information inside into is it its january july \
        june just last late law legal legislature let letter like line mail many march may mayor me meeting memo message \
        messages monday more morning most mr mrs ms much my new news next no north not note november now october of office \
        officer on once one only or order other our out over page parley per please police policy press public quick re \
        record records regards report request requests retention review rule said saturday says see senate senator sent \
        september she should since so some south state states statement still street subject such summer sunday team than \
        thank thanks that the their them then there these they this those through thursday to today tomorrow too tuesday \
        under united until up update us via was we wednesday week west what when where which while who why will winter with \
        would yes yesterday you your
        """
        return Set(words.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }()

    public static let titles: Set<String> = ["mr", "mrs", "ms", "miss", "dr", "prof", "professor", "officer", "detective", "det",
                                      "sgt", "sergeant", "lt", "lieutenant", "capt", "captain", "agent", "judge", "reverend", "rev"]

    /// Hits over a token list; only capitalised tokens count.
    /// `common`: words the case itself writes in lower case somewhere ("session", "working"):
    /// such words are ordinary vocabulary, not halves of names, even when a heading capitalises them.
    public func find(_ tokens: [Token], in text: String, common: Set<String> = []) -> [Hit] {
        let bytes = Array(text.utf8)
        // Words of one name are separated by spaces only ("Dr." may end in a dot): not by "/",
        // ",", or a line break, which separate paths, lists and lines.
        func spaced(_ a: Token, _ b: Token, allowDot: Bool = false) -> Bool {
            guard b.start > a.end, b.start - a.end <= 3 else { return false }
            var gap = bytes[a.end..<b.start]
            if allowDot, gap.first == 0x2E { gap = gap.dropFirst() }
            return !gap.isEmpty && gap.allSatisfy { $0 == 0x20 }
        }
        var hits: [Hit] = []
        var i = 0
        func eligible(_ t: Token) -> Bool {
            t.capitalized && t.lower.count >= 2 && !Self.notNames.contains(t.lower) && !common.contains(t.lower)
                && t.text.first!.isLetter
                && !t.text.allSatisfy({ $0.isUppercase })   // ACRONYMS are not names
        }
        while i + 1 < tokens.count {
            let a = tokens[i], b = tokens[i + 1]
            if spaced(a, b, allowDot: true), Self.titles.contains(a.lower), eligible(b) {
                hits.append(Hit(start: b.start, end: b.end, rule: "gazetteer"))
                i += 2
                continue
            }
            if spaced(a, b), eligible(a), eligible(b), (first.contains(a.lower) || last.contains(b.lower)) {
                // Take a third capitalised word too when it is a surname ("Mary Ann Smith").
                var end = b.end
                var next = i + 2
                if next < tokens.count, spaced(b, tokens[next]), eligible(tokens[next]), last.contains(tokens[next].lower) {
                    end = tokens[next].end
                    next += 1
                }
                hits.append(Hit(start: a.start, end: end, rule: "gazetteer"))
                i = next
                continue
            }
            i += 1
        }
        return hits
    }
}
