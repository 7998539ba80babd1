import Foundation

public enum DedupeScope: String, Sendable, Codable {
    case global, custodian, none
}

public enum ProductionMode: String, Sendable, Codable {
    case foia, litigation
}

public struct JobSource: Sendable, Equatable {
    public var path: URL
    /// The path as the job file writes it: what reports show.
    public var spec: String
    public var custodian: String
    /// Passwords to try on encrypted containers in this source.
    public var passwords: [String]
}

public struct BatesConfig: Sendable, Equatable {
    public var prefix: String
    public var start: Int
    public var width: Int

    public func format(_ n: Int) -> String {
        let s = String(n)
        return prefix + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// The width numbers up to `last` need, when `width` is too small for them; nil when it fits.
    /// Wider numbers would still be written, but in mixed widths that sort and match wrongly.
    public func widthNeeded(upTo last: Int) -> Int? {
        let digits = String(last).count
        return digits > width ? digits : nil
    }

    /// The refusal when a production's last number does not fit: names the key and the width.
    public func checkFits(last: Int, jobFile: URL) throws {
        guard let need = widthNeeded(upTo: last) else { return }
        throw DiscloseError.job(path: "\(jobFile.path): bates.width",
            message: "\(width) is too small: this production needs numbers up to \(last); set it to at least \(need)")
    }
}

public struct PageConfig: Sendable, Equatable {
    public var lines: Int
    public var columns: Int
    public init(lines: Int, columns: Int) { self.lines = lines; self.columns = columns }
}

/// A job file (`Pipelines/*.yml`), read strictly; relative paths resolve against its folder.
public struct Job: Sendable {
    public var file: URL
    public var matter: String
    public var production: String
    public var sources: [JobSource]
    public var dedupeScope: DedupeScope
    /// Produce only inclusive emails (the others count as suppressed duplicates).
    public var inclusiveOnly: Bool
    /// Near-duplicate similarity threshold (0…1); 0 turns near-duplicate grouping off.
    public var nearDuplicateThreshold: Double
    /// Apply every decision and detector hit to every copy of the same text (on by default;
    /// off only to demonstrate what the leak audit catches).
    public var propagate: Bool
    /// `foia` (exemption codes, Vaughn index) or `litigation` (privilege tags, privilege log).
    public var mode: ProductionMode
    public var rules: URL?
    public var decisions: URL?
    public var bates: BatesConfig
    public var page: PageConfig
    public var volume: String
    public var confidentiality: String
    public var output: URL

    /// Case store and blobs.
    public var caseDirectory: URL { output.appendingPathComponent("\(production).case") }
    public var productionDirectory: URL { output.appendingPathComponent(production) }
    public var archiveFile: URL { output.appendingPathComponent("\(production).zip") }

    public static func load(_ url: URL, outputOverride: URL? = nil) throws -> Job {
        let url = url.standardizedFileURL
        let y = try YAMLMap.load(url)
        try y.expect(["matter", "production", "sources", "dedupe", "mode", "redaction", "bates", "page", "volume",
                      "confidentiality", "output"])
        let base = url.deletingLastPathComponent()
        func resolve(_ p: String) -> URL {
            p.hasPrefix("/") ? URL(fileURLWithPath: p).standardizedFileURL
                : base.appendingPathComponent(p).standardizedFileURL
        }

        let matter = try y.requiredString("matter")
        let production = try y.requiredString("production")
        guard production.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw y.fail("production", "use letters, digits, '-' and '_' only (it names folders)")
        }
        guard let srcMaps = try y.mapList("sources"), !srcMaps.isEmpty else {
            throw y.fail("sources", "at least one source is required")
        }
        var sources: [JobSource] = []
        for m in srcMaps {
            try m.expect(["path", "custodian", "passwords"])
            let spec = try m.requiredString("path")
            let p = resolve(spec)
            guard FileManager.default.fileExists(atPath: p.path) else {
                throw m.fail("path", "no such file or folder: \(p.path)")
            }
            let c = try m.requiredString("custodian")
            let pw = try m.stringList("passwords") ?? []
            try m.finish()
            sources.append(JobSource(path: p, spec: spec, custodian: c, passwords: pw))
        }

        var scope = DedupeScope.global
        var inclusiveOnly = false
        var nearThreshold = 0.9
        if let d = try y.map("dedupe") {
            try d.expect(["scope", "inclusive_only", "near_duplicate_threshold"])
            if let s = try d.string("scope") {
                guard let v = DedupeScope(rawValue: s) else {
                    throw d.fail("scope", "expected global, custodian or none, got '\(s)'")
                }
                scope = v
            }
            inclusiveOnly = try d.bool("inclusive_only") ?? false
            if let t = try d.string("near_duplicate_threshold") {
                guard let v = Double(t), v == 0 || (0.5...1).contains(v) else {
                    throw d.fail("near_duplicate_threshold", "expected 0 (off) or a number from 0.5 to 1")
                }
                nearThreshold = v
            }
            try d.finish()
        }
        var mode = ProductionMode.foia
        if let m = try y.string("mode") {
            guard let v = ProductionMode(rawValue: m) else { throw y.fail("mode", "expected foia or litigation, got '\(m)'") }
            mode = v
        }

        var rules: URL? = nil, decisions: URL? = nil
        var propagate = true
        if let r = try y.map("redaction") {
            try r.expect(["propagate", "rules", "decisions"])
            propagate = try r.bool("propagate") ?? true
            if let p = try r.string("rules") {
                rules = resolve(p)
                guard FileManager.default.fileExists(atPath: rules!.path) else {
                    throw r.fail("rules", "no such file: \(rules!.path)")
                }
            }
            if let p = try r.string("decisions") {
                decisions = resolve(p)
                guard FileManager.default.fileExists(atPath: decisions!.path) else {
                    throw r.fail("decisions", "no such file: \(decisions!.path)")
                }
            }
            try r.finish()
        }

        guard let b = try y.map("bates") else { throw y.fail("bates", "required key is missing") }
        try b.expect(["prefix", "start", "width"])
        let bates = BatesConfig(prefix: try b.requiredString("prefix"), start: try b.int("start") ?? 1,
                                width: try b.int("width") ?? 7)
        guard bates.prefix.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw b.fail("prefix", "use letters, digits, '-' and '_' only (Bates numbers name files)")
        }
        guard bates.start >= 0 else { throw b.fail("start", "must be 0 or more") }
        guard (1...12).contains(bates.width) else { throw b.fail("width", "must be between 1 and 12") }
        if let need = bates.widthNeeded(upTo: bates.start) {
            throw b.fail("width", "\(bates.width) is too small for the first number \(bates.start); it needs at least \(need)")
        }
        try b.finish()

        var page = PageConfig(lines: 54, columns: 80)
        if let p = try y.map("page") {
            try p.expect(["lines", "columns"])
            page.lines = try p.int("lines") ?? page.lines
            page.columns = try p.int("columns") ?? page.columns
            guard page.lines >= 10 else { throw p.fail("lines", "must be at least 10") }
            guard page.columns >= 40 else { throw p.fail("columns", "must be at least 40") }
            try p.finish()
        }
        let volume = try y.string("volume") ?? "VOL001"
        guard volume.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw y.fail("volume", "use letters, digits, '-' and '_' only")
        }
        let confidentiality = try y.string("confidentiality") ?? ""
        let outputText = try y.string("output")
        guard let output = outputOverride?.standardizedFileURL ?? outputText.map(resolve) else {
            throw y.fail("output", "required key is missing")
        }
        try y.finish()
        if let clash = OutputFolder.overlap(output: output, sources: sources) {
            throw y.fail("output", clash)
        }

        return Job(file: url, matter: matter, production: production, sources: sources,
                   dedupeScope: scope, inclusiveOnly: inclusiveOnly, nearDuplicateThreshold: nearThreshold,
                   propagate: propagate, mode: mode, rules: rules, decisions: decisions, bates: bates, page: page,
                   volume: volume, confidentiality: confidentiality, output: output)
    }
}
