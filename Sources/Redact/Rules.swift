import DiscloseCore
import Foundation

/// A rules file: which detectors run with which exemption codes, custom terms and patterns,
/// and an allow-list that is never redacted.
public struct RuleSet: Sendable {
    public struct Term: Sendable {
        public var text: String
        public var codes: [String]
        public init(text: String, codes: [String]) { self.text = text; self.codes = codes }
    }
    public struct Pattern: @unchecked Sendable { public var regex: NSRegularExpression; public var source: String; public var codes: [String] }

    public var name: String
    /// detector name → codes. Detectors: email, phone, ssn, name.
    public var detectors: [String: [String]]
    public var terms: [Term]
    public var patterns: [Pattern]
    public var allow: [String]

    public static let detectorNames = ["email", "phone", "ssn", "name"]

    public init(name: String, detectors: [String: [String]], terms: [Term] = [], patterns: [Pattern] = [], allow: [String] = []) {
        self.name = name; self.detectors = detectors; self.terms = terms; self.patterns = patterns; self.allow = allow
    }

    /// Nothing redacted: a production with no `redaction` section in its job.
    public static let none = RuleSet(name: "none", detectors: [:])

    /// The built-in default for law-enforcement records: personal privacy, (b)(6) and (b)(7)(C).
    public static let foiaLawEnforcement = RuleSet(name: "foia-law-enforcement", detectors: [
        "email": ["(b)(6)", "(b)(7)(C)"], "phone": ["(b)(6)", "(b)(7)(C)"],
        "ssn": ["(b)(6)", "(b)(7)(C)"], "name": ["(b)(6)", "(b)(7)(C)"],
    ])

    public static func load(_ url: URL) throws -> RuleSet {
        let y = try YAMLMap.load(url)
        var rules = RuleSet(name: try y.string("name") ?? url.deletingPathExtension().lastPathComponent, detectors: [:])
        if let d = try y.map("detectors") {
            for n in detectorNames {
                if let codes = try d.stringList(n) {
                    try Codes.validate(codes, at: { d.fail(n, $0) })
                    rules.detectors[n] = codes
                }
            }
            try d.finish()
        }
        for (i, t) in (try y.mapList("terms") ?? []).enumerated() {
            let text = try t.requiredString("text")
            let codes = try t.stringList("codes") ?? []
            guard !codes.isEmpty else { throw t.fail("codes", "at least one code is required") }
            try Codes.validate(codes, at: { t.fail("codes", $0) })
            try t.finish()
            _ = i
            rules.terms.append(Term(text: text, codes: codes))
        }
        for p in try y.mapList("patterns") ?? [] {
            let src = try p.requiredString("regex")
            let codes = try p.stringList("codes") ?? []
            guard !codes.isEmpty else { throw p.fail("codes", "at least one code is required") }
            try Codes.validate(codes, at: { p.fail("codes", $0) })
            let re: NSRegularExpression
            do { re = try NSRegularExpression(pattern: src, options: [.caseInsensitive]) } catch {
                throw p.fail("regex", "not a valid regular expression")
            }
            try p.finish()
            rules.patterns.append(Pattern(regex: re, source: src, codes: codes))
        }
        rules.allow = try y.stringList("allow") ?? []
        try y.finish()
        return rules
    }
}

/// FOIA exemption codes (5 U.S.C. § 552(b)) and litigation privilege tags.
public enum Codes {
    public static let privilege = ["Attorney-Client", "Work Product", "Confidential"]

    public static func isValid(_ c: String) -> Bool {
        if privilege.contains(c) { return true }
        return c.range(of: #"^\(b\)\(([1-6]|8|9)\)$|^\(b\)\(7\)\([A-F]\)$|^\(b\)\(3\)( .+)?$"#, options: .regularExpression) != nil
    }

    static func validate(_ codes: [String], at fail: (String) -> DiscloseError) throws {
        for c in codes where !isValid(c) {
            throw fail("'\(c)' is not a FOIA exemption code like (b)(6) or (b)(7)(C), nor a privilege tag (\(privilege.joined(separator: ", ")))")
        }
    }

    /// Statute order: (b)(1) … (b)(9), (b)(7)(A) … (F) under (b)(7); privilege tags after.
    public static func sorted<S: Sequence>(_ codes: S) -> [String] where S.Element == String {
        Array(Set(codes)).sorted { sortKey($0) < sortKey($1) }
    }

    public static func sortKey(_ c: String) -> String {
        if c.hasPrefix("(b)(") { return "0" + c }
        return "1" + c
    }

    /// The mark burned in at the place of a redaction.
    public static func mark(_ codes: [String]) -> String { "[" + sorted(codes).joined(separator: ", ") + "]" }
}
