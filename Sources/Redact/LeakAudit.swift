import DiscloseCore
import Foundation

/// Searches produced text for strings that were redacted anywhere. Both sides are reduced to
/// tokens of letters and digits, so "(555) 014-2231" also finds "555.014.2231" and a name split
/// over a line break; one-word needles (first names) match only with the same capitalisation,
/// longer ones in any case. The needles are compiled once into automata (`LeakPatterns`), so a
/// scan costs the same per byte however many strings were redacted, and files are read in chunks.
public struct LeakAudit: Sendable {
    let patterns: LeakPatterns
    public let needleCount: Int
    /// Bytes read from a file at a time; small in tests, to put matches across the seams.
    var chunkSize = 1 << 20

    public init(needles: [String], allow: [String] = []) {
        self.init(coded: needles.map { ($0, []) }, allow: allow)
    }

    public init(coded needles: [(String, [String])], allow: [String] = []) {
        let allowed = Set(allow.map { Self.tokens($0, lower: true).joined(separator: " ") })
        let allowedPhrases = allow.map { Self.tokens($0, lower: true) }.filter { !$0.isEmpty }
        var multiSeen = Set<[String]>()
        var multi: [[String]] = []
        var singles: [String: String] = [:]
        var codesOf: [String: [String]] = [:]
        var unspaced: [String] = []
        var unspacedSeen = Set<String>()
        var seen = Set<String>()
        var count = 0
        func single(_ original: String, _ lower: String) {
            if singles[original] == nil { singles[original] = lower }
        }
        for (n, codes) in needles where seen.insert(n).inserted {
            let lower = Self.tokens(n, lower: true)
            let folded = lower.joined(separator: " ")
            codesOf[folded] = Codes.sorted((codesOf[folded] ?? []) + codes)
            if n.contains(where: { $0.isLetter && !$0.isUppercase && !$0.isLowercase }) {
                let joined = lower.joined()
                if joined.count >= 2, unspacedSeen.insert(joined).inserted { unspaced.append(joined) }
            }
            guard !lower.isEmpty, !allowed.contains(lower.joined(separator: " ")) else { continue }
            if lower.count == 1 {
                // A lone number fragment or a one-letter token is not evidence of anything.
                guard lower[0].count >= 2 else { continue }
                single(Self.tokens(n, lower: false)[0], lower[0])
            } else if multiSeen.insert(lower).inserted {
                multi.append(lower)
                if let j = Fold.joinedNumber(lower) {
                    single(j, j)
                    codesOf[j] = Codes.sorted((codesOf[j] ?? []) + codes)
                }
            }
            count += 1
        }
        needleCount = count
        patterns = LeakPatterns(singles: singles.map { ($0.key, $0.value) }, multi: multi, allowed: allowedPhrases,
                                unspaced: unspaced, codes: { codesOf[$0] ?? [] })
    }

    public struct Finding: Equatable, Sendable {
        public var needle: String
        public var context: String
        public var codes: [String] = []
    }

    /// The findings in `text`: substring needles first, then the rest in the order of the text.
    public func scan(_ text: String) -> [Finding] {
        var s = LeakScanner(patterns)
        var text = text
        _ = text.withUTF8 { s.feed($0, final: true) }
        return s.end()
    }

    /// The findings in one file, read `chunkSize` bytes at a time.
    public func scan(file url: URL) throws -> [Finding] {
        let h = try FileHandle(forReadingFrom: url)
        defer { try? h.close() }
        var s = LeakScanner(patterns)
        // A character cut by the end of a chunk is carried to the front of the next.
        var carry: [UInt8] = []
        while true {
            let chunk = try h.read(upToCount: chunkSize) ?? Data()
            let final = chunk.isEmpty
            if carry.isEmpty {
                let used = chunk.withUnsafeBytes { s.feed($0.bindMemory(to: UInt8.self), final: final) }
                carry = Array(chunk[(chunk.startIndex + used)...])
            } else {
                let joined = carry + chunk
                let used = joined.withUnsafeBufferPointer { s.feed($0, final: final) }
                carry = Array(joined[used...])
            }
            if final { return s.end() }
        }
    }

    public static func tokens(_ s: String, lower: Bool) -> [String] {
        Fold.tokens(s).map { lower ? $0.lower : $0.original }
    }
}

extension LeakAudit {
    /// Every finding in a production folder: file names, and the contents of every file that is
    /// text (natives are checked by the caller from their decoded text where it has it).
    public func scan(folder root: URL, files: [String], skipContentsUnder skip: String? = nil) throws -> [(file: String, finding: Finding)] {
        var out: [(String, Finding)] = []
        for rel in files {
            for f in scan(rel) { out.append((rel + " (file name)", f)) }
            if let s = skip, rel.hasPrefix(s) { continue }
            for f in try scan(file: root.appendingPathComponent(rel)) { out.append((rel, f)) }
        }
        return out
    }

    /// The report a reviewer works from: where, what, under which codes. It names the redacted
    /// strings, so it is written beside the production, never inside it.
    public static func report(_ leaks: [(file: String, finding: Finding)]) -> Data {
        CSVWriter.data(header: ["FILE", "STRING", "CODES", "CONTEXT"],
                       rows: leaks.map { [$0.file, $0.finding.needle, $0.finding.codes.joined(separator: "; "), $0.finding.context] })
    }
}
