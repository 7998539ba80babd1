import ArgumentParser
import DiscloseCore
import Foundation
import Pipeline
import Production

/// Exit codes (README, "Exit codes"): 0 success, 1 unexpected failure, 2 job file, 3 input or
/// output (a full disk included), 4 integrity (accounting, schema, leak audit), 5 verify found
/// problems, 6 stage order, 7 the case is in use by another disclose process, 64 command-line usage.
struct Disclose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclose",
        abstract: "eDiscovery and FOIA productions from raw message backups.",
        subcommands: [Run.self, ExtractCmd.self, NormalizeCmd.self, DedupeCmd.self, RedactCmd.self, PackageCmd.self,
                      StatusCmd.self, Verify.self, AccuracyCmd.self, Schema.self])
}

struct JobOptions: ParsableArguments {
    @Argument(help: "The job file (YAML), e.g. Pipelines/sample.yml.")
    var job: String

    @Option(name: .long, help: "Output folder; overrides the job's `output`.")
    var out: String?

    func load() throws -> Job {
        try Job.load(URL(fileURLWithPath: job), outputOverride: out.map { URL(fileURLWithPath: $0) })
    }

    func pipeline() throws -> Pipeline { try Pipeline(job: try load()) }
}

/// Runs `body`, turning our errors into one clear line on stderr and the documented exit code.
func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let e as DiscloseError {
        FileHandle.standardError.write(Data("disclose: \(e.description)\n".utf8))
        throw ExitCode(e.exitCode)
    } catch let e as ExitCode {
        throw e
    } catch {
        // A full disk outside a stage (the case folder's bookkeeping) is still exit 3.
        if let e = DiscloseError.outOfSpace(error, path: "output or case folder") {
            FileHandle.standardError.write(Data("disclose: \(e.description)\n".utf8))
            throw ExitCode(e.exitCode)
        }
        FileHandle.standardError.write(Data("disclose: unexpected error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

func printSummary(_ r: Pipeline.Report, _ p: Pipeline, seconds: Double) {
    var out = ""
    if let e = r.extract { out += "extract:   \(e.items) items, \(e.exceptions) exceptions" + (e.skippedSources > 0 ? " (\(e.skippedSources) sources already done)" : "") + "\n" }
    if let n = r.normalize { out += "normalize: \(n.documents) documents, \(n.exceptions) exceptions\n" }
    if let d = r.dedupe { out += "dedupe:    \(d.kept) kept, \(d.duplicates) duplicates (+\(d.familyMembers) family members)\n" }
    if let x = r.redact {
        out += "redact:    \(x.redactions) redactions in \(x.documents) documents"
        out += x.byCode.isEmpty ? "\n" : ": " + x.byCode.keys.sorted().map { "\($0) \(x.byCode[$0]!)" }.joined(separator: ", ") + "\n"
    }
    if let k = r.package {
        out += "package:   \(k.documents) documents, \(k.pages) pages, Bates \(k.firstBates)-\(k.lastBates), \(k.natives) natives, \(k.redactedDocuments) redacted\n"
        out += "accounting: \(k.accounting.line)\n"
        out += "production: \(p.job.productionDirectory.path)\narchive:    \(p.job.archiveFile.path)\n"
    }
    out += String(format: "time:      %.1f s\n", seconds)
    print(out, terminator: "")
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every stage (resuming from what the case store committed).")
    @OptionGroup var options: JobOptions
    func run() throws {
        try guarded {
            let start = Date()
            let p = try options.pipeline()
            let r = try p.run()
            printSummary(r, p, seconds: Date().timeIntervalSince(start))
        }
    }
}

protocol SingleStage: ParsableCommand {
    var options: JobOptions { get }
    static var stage: Stage { get }
}

extension SingleStage {
    func run() throws {
        try guarded {
            let start = Date()
            let p = try options.pipeline()
            printSummary(try p.runSingle(Self.stage), p, seconds: Date().timeIntervalSince(start))
        }
    }
}

struct ExtractCmd: SingleStage {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Open every source, container and attachment.")
    static let stage = Stage.extract
    @OptionGroup var options: JobOptions
}

struct NormalizeCmd: SingleStage {
    static let configuration = CommandConfiguration(commandName: "normalize", abstract: "Build the canonical documents.")
    static let stage = Stage.normalize
    @OptionGroup var options: JobOptions
}

struct DedupeCmd: SingleStage {
    static let configuration = CommandConfiguration(commandName: "dedupe", abstract: "Find duplicates, families kept whole.")
    static let stage = Stage.dedupe
    @OptionGroup var options: JobOptions
}

struct RedactCmd: SingleStage {
    static let configuration = CommandConfiguration(commandName: "redact", abstract: "Propose redactions with their exemption codes.")
    static let stage = Stage.redact
    @OptionGroup var options: JobOptions
}

struct PackageCmd: SingleStage {
    static let configuration = CommandConfiguration(commandName: "package", abstract: "Write the production and its archive.")
    static let stage = Stage.package
    @OptionGroup var options: JobOptions
}

struct StatusCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "Per stage: items, duplicates, exceptions, redactions by code; the progress of a run in another process.")
    @OptionGroup var options: JobOptions
    func run() throws {
        // Not through `pipeline()`: that takes the case lock, which a running `disclose run` holds.
        try guarded { print(try Pipeline.status(job: try options.load()), terminator: "") }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a production against its manifest and load files; with --job, repeat the leak audit.")
    @Argument(help: "The production folder (e.g. out/PROD001).")
    var production: String

    @Option(name: .long, help: "The job that made the production: its case store's redactions are searched for again.")
    var job: String?

    func run() throws {
        try guarded {
            let root = URL(fileURLWithPath: production)
            var problems = Verifier(root: root).verify()
            if let j = job {
                let p = try Pipeline(job: try Job.load(URL(fileURLWithPath: j), outputOverride: root.deletingLastPathComponent()))
                for (file, f) in try p.audit(production: root) {
                    problems.append("\(file): a redacted string (\(f.codes.joined(separator: ", "))) is readable: '\(f.context)'")
                }
            }
            if !problems.isEmpty { throw DiscloseError.verification(problems) }
            print("verified: \(production)" + (job == nil ? "" : " (leak audit passed)"))
        }
    }
}

struct AccuracyCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accuracy",
        abstract: "Recall and precision of each detector against a ground-truth file of planted strings.")
    @OptionGroup var options: JobOptions
    @Option(name: .long, help: "Ground truth JSON: {\"pii\": [{\"text\", \"kind\"}], \"public\": [...]}.")
    var truth: String

    func run() throws {
        try guarded {
            let rows = try options.pipeline().accuracy(truthFile: URL(fileURLWithPath: truth))
            print(Accuracy.table(rows), terminator: "")
            for r in rows where !r.missed.isEmpty { print("missed (\(r.detector)): " + r.missed.prefix(10).joined(separator: " | ")) }
            for r in rows where !r.wrong.isEmpty { print("not planted (\(r.detector)): " + r.wrong.prefix(15).joined(separator: " | ")) }
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the manifest's XML Schema.")
    func run() throws { print(Manifest.xsd, terminator: "") }
}

Disclose.main()
