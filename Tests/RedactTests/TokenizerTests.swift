import DiscloseCore
import Foundation
@testable import Redact
import XCTest

/// The tokenizers lower-case words without going through `String.lowercased()` for ASCII and
/// Latin-1; these tests hold them to exactly what the String path gives.
final class TokenizerTests: XCTestCase {
    static let tricky = [
        "Jane DOE", "ÀÉÎÕÜ àéîõü ÞÐ þð ßẞ ÿŸ ×÷ µ ªº ¹²³ ¼½¾", "Ærøskøbing ÆØÅ", "İstanbul ıI Iİ",
        "ΣΟΦΙΑ σοφία Ωmega", "ПЕТРОВ Иван", "佐藤 陽翔 東京都", "ｆｕｌｌｗｉｄｔｈ ＡＢＣ１２３", "Ǆemal ǅ ǆ",
        "cafe\u{301} CAFE\u{301} Zo\u{308}e", "zero\u{200B}width soft\u{AD}hyphen", "O'Brien O’BRIEN Peter's",
        "emoji 👍🏽 mixed Ünïcode123 x²", "ＭＡＲＩＡ ＬＩＮＤＱＶＩＳＴ", "mIxEd CaSe ÀbC àBc",
        String(repeating: "Über naïve RÉSUMÉ café ", count: 200) + "SAMUEL okafor",
    ]

    func testLowercaseMatchesTheStandardLibrary() {
        for text in Self.tricky {
            for word in text.split(separator: " ") {
                var w = String(word)
                let fast = w.withUTF8 { Lowercase.of($0, 0, $0.count) }
                XCTAssertEqual(Array(fast.utf8), Array(w.lowercased().utf8), "\(w)")
            }
        }
    }

    func testTokenizerLowerIsTheLowercasedText() {
        for text in Self.tricky {
            for t in Tokenizer.tokens(text) {
                XCTAssertEqual(Array(t.lower.utf8), Array(String(t.text).lowercased().utf8), "\(t.text) in \(text)")
                let f = t.text.unicodeScalars.first!.properties
                XCTAssertEqual(t.capitalized, f.isUppercase || (f.isAlphabetic && !f.isLowercase), "\(t.text)")
            }
        }
    }

    func testFoldedTokensAreCanonicalAndLowercased() {
        for text in Self.tricky {
            let b = Array(text.utf8)
            for t in Fold.tokens(text) {
                let o = Fold.canonical(String(decoding: b[t.start..<t.end], as: UTF8.self))
                XCTAssertEqual(Array(t.original.utf8), Array(o.utf8), "\(o) in \(text)")
                XCTAssertEqual(Array(t.lower.utf8), Array(o.lowercased().utf8), "\(o) in \(text)")
            }
        }
    }

    func testFoldedTokensOfAccentedWords() {
        let t = Fold.tokens("Über RÉSUMÉ, cafe\u{301}: Ǆemal")
        // Ǆ has a compatibility form (D + Ž): the word takes it, as it did through `canonical`.
        XCTAssertEqual(t.map(\.lower), ["über", "résumé", "café", "džemal"])
        XCTAssertEqual(t.map(\.original), ["Über", "RÉSUMÉ", "café", "DŽemal"])
    }
}

/// The lexicon reads a text a second time for the gazetteer only when the gazetteer finds
/// something in it with no vocabulary at all: the case's vocabulary can only take hits away.
final class GazetteerVocabularyTests: XCTestCase {
    func testVocabularyOnlyTakesHitsAway() {
        let texts = [
            "Met with Mary Ann Smith and Dr. Okafor about the Records Session.",
            "Working Session notes: Grace Park said Officer Brown would call.",
            "the quick brown fox", "Thanks,\nJames\n", "ACRONYM HEAVY TEXT FROM IT DEPT",
            "Haruto Sato (佐藤 陽翔) and Zoë Ångström wrote to José García.",
        ]
        let vocabularies: [Set<String>] = [[], ["session", "working"], ["mary", "smith", "okafor"], ["grace", "park", "brown"]]
        for text in texts {
            let toks = Tokenizer.tokens(text)
            let open = Gazetteer.shared.find(toks, in: text)
            for v in vocabularies {
                let hits = Gazetteer.shared.find(toks, in: text, common: v)
                if open.isEmpty { XCTAssertTrue(hits.isEmpty, "\(text) with \(v)") }
                XCTAssertLessThanOrEqual(hits.count, open.count, "\(text) with \(v)")
            }
        }
        XCTAssertFalse(Gazetteer.shared.find(Tokenizer.tokens(texts[0]), in: texts[0]).isEmpty)
    }
}

final class ItemCursorTests: XCTestCase {
    func testCursorGivesWhatTheStoreGivesAcrossPagesGapsAndDisorder() throws {
        let store = MemoryStore()
        for n in stride(from: 0, to: 5000, by: 2) {
            store.add(Document(key: String(format: "0001.%08d", n), kind: .email))
        }
        var cursor = ItemCursor(store: store)
        // In order with gaps (odd keys have no item), past the 2,000-item page, then out of order.
        let keys = (0..<4200).map { String(format: "0001.%08d", $0) } + ["0001.00000010", "0002.00000000", "0000.1"]
        for k in keys {
            XCTAssertEqual(try cursor.item(k)?.key, try store.item(k)?.key, k)
        }
    }
}
