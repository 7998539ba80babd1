import DiscloseCore
import Foundation
import GRDB

/// The embedded case store: one SQLite file in the case folder, through GRDB.
/// Stages write from one thread; `transaction` makes a unit of work atomic, so a kill -9
/// leaves the file at the last committed unit (SQLite's journal does the rest).
public final class SQLiteStore: CaseStore, @unchecked Sendable {
    private let queue: DatabaseQueue
    private var current: Database?
    private let readOnly: Bool
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    public init(path: String) throws {
        var config = Configuration()
        config.journalMode = .wal
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw DiscloseError.io(path: path, message: "cannot open case store: \(error)")
        }
        readOnly = false
        encoder.outputFormatting = [.sortedKeys]
        try migrate()
    }

    /// For reading a case while another process runs a stage in it: no migration and no write
    /// transaction, so it neither waits for the run's writes nor delays them.
    public init(readingOnly path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw DiscloseError.io(path: path, message: "cannot open case store: \(error)")
        }
        readOnly = true
    }

    private func migrate() throws {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE stage (name TEXT PRIMARY KEY, done INTEGER NOT NULL);
                CREATE TABLE source (idx INTEGER PRIMARY KEY, sha256 TEXT, size INTEGER);
                CREATE TABLE item (key TEXT PRIMARY KEY, parentKey TEXT, source INTEGER NOT NULL,
                    custodian TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL, path TEXT NOT NULL,
                    fileName TEXT NOT NULL, folder TEXT NOT NULL, size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL, sha1 TEXT NOT NULL, md5 TEXT NOT NULL);
                CREATE INDEX item_source ON item(source);
                CREATE TABLE exception (key TEXT PRIMARY KEY, parentKey TEXT, source INTEGER NOT NULL,
                    custodian TEXT NOT NULL, stage TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL);
                CREATE INDEX exception_source ON exception(source);
                CREATE TABLE document (key TEXT PRIMARY KEY, json BLOB NOT NULL);
                CREATE TABLE dedupe (key TEXT PRIMARY KEY, json BLOB NOT NULL);
                CREATE TABLE redaction (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, json BLOB NOT NULL);
                CREATE INDEX redaction_key ON redaction(key);
                CREATE TABLE produced (key TEXT PRIMARY KEY, json BLOB NOT NULL);
                """)
        }
        m.registerMigration("v2-artifacts") { db in
            try db.execute(sql: "CREATE TABLE artifact (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        }
        m.registerMigration("v3-source-fingerprint") { db in
            try db.execute(sql: "ALTER TABLE source ADD COLUMN fingerprint TEXT")
        }
        m.registerMigration("v4-item-parent") { db in
            // The package stage lists an email's attachments by parent, one email at a time.
            try db.execute(sql: "CREATE INDEX item_parent ON item(parentKey)")
        }
        do { try m.migrate(queue) } catch {
            throw DiscloseError.io(path: queue.path, message: "cannot prepare case store: \(error)")
        }
    }

    private func db<T>(_ body: (Database) throws -> T) throws -> T {
        if let c = current { return try body(c) }
        if readOnly { return try queue.read { try body($0) } }
        return try queue.write { try body($0) }
    }

    /// One query outside a transaction runs in SQLite's autocommit mode: a write transaction
    /// around every look-up (GRDB's `write`) cost the package stage a tenth of its time.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let c = current { return try body(c) }
        if readOnly { return try queue.read { try body($0) } }
        return try queue.inDatabase { try body($0) }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if current != nil { return try body() }
        return try queue.write { db in
            current = db
            defer { current = nil }
            return try body()
        }
    }

    private func encode<T: Encodable>(_ v: T) throws -> Data { try encoder.encode(v) }
    private func decode<T: Decodable>(_ t: T.Type, _ d: Data) throws -> T { try decoder.decode(t, from: d) }

    // MARK: stages

    public func stageDone(_ stage: Stage) throws -> Bool {
        try read { try Int.fetchOne($0, sql: "SELECT done FROM stage WHERE name = ?", arguments: [stage.rawValue]) == 1 }
    }

    public func setStageDone(_ stage: Stage, _ done: Bool) throws {
        try db {
            try $0.execute(sql: "INSERT OR REPLACE INTO stage(name, done) VALUES (?, ?)",
                           arguments: [stage.rawValue, done ? 1 : 0])
        }
    }

    public func resetStage(_ stage: Stage) throws {
        try transaction {
            try db { db in
                var s: Stage? = stage
                var later: [Stage] = []
                while let x = s {
                    later.append(x)
                    s = Stage.allCases.firstIndex(of: x).flatMap { $0 + 1 < Stage.allCases.count ? Stage.allCases[$0 + 1] : nil }
                }
                for x in later {
                    try db.execute(sql: "DELETE FROM stage WHERE name = ?", arguments: [x.rawValue])
                    switch x {
                    case .extract:
                        try db.execute(sql: "DELETE FROM source; DELETE FROM item; DELETE FROM exception;")
                    case .normalize:
                        try db.execute(sql: "DELETE FROM document; DELETE FROM exception WHERE stage = 'normalize';")
                    case .dedupe: try db.execute(sql: "DELETE FROM dedupe")
                    case .redact: try db.execute(sql: "DELETE FROM redaction; DELETE FROM artifact;")
                    case .package: try db.execute(sql: "DELETE FROM produced")
                    }
                }
            }
        }
    }

    // MARK: extract

    public func sourceDone(_ index: Int) throws -> Bool {
        try db { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM source WHERE idx = ?", arguments: [index]) == 1 }
    }

    public func markSourceDone(_ index: Int, digests: Digests?) throws {
        try db {
            try $0.execute(sql: "INSERT OR REPLACE INTO source(idx, sha256, size) VALUES (?, ?, ?)",
                           arguments: [index, digests?.sha256, digests?.size])
        }
    }

    public func sourceFingerprint(_ index: Int) throws -> String? {
        try db { try String.fetchOne($0, sql: "SELECT fingerprint FROM source WHERE idx = ?", arguments: [index]) }
    }

    public func setSourceFingerprint(_ index: Int, _ fingerprint: String) throws {
        try db { try $0.execute(sql: "UPDATE source SET fingerprint = ? WHERE idx = ?", arguments: [fingerprint, index]) }
    }

    public func clearSource(_ index: Int) throws {
        try db {
            try $0.execute(sql: "DELETE FROM item WHERE source = ?; DELETE FROM exception WHERE source = ?; DELETE FROM source WHERE idx = ?",
                           arguments: [index, index, index])
        }
    }

    public func insert(items: [Item]) throws {
        try db { db in
            let st = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO item(key, parentKey, source, custodian, kind, format, path, fileName, folder, size, sha256, sha1, md5)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            for i in items {
                try st.execute(arguments: [i.key, i.parentKey, i.source, i.custodian, i.kind.rawValue, i.format, i.path,
                                           i.fileName, i.folder, i.size, i.sha256, i.sha1, i.md5])
            }
        }
    }

    public func insert(exceptions: [ExceptionRecord]) throws {
        try db { db in
            let st = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO exception(key, parentKey, source, custodian, stage, path, reason) VALUES (?,?,?,?,?,?,?)
                """)
            for e in exceptions {
                try st.execute(arguments: [e.key, e.parentKey, e.source, e.custodian, e.stage, e.path, e.reason])
            }
        }
    }

    public func itemCount() throws -> Int {
        try db { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM item") ?? 0 }
    }

    private func item(from r: Row) -> Item {
        Item(key: r["key"], parentKey: r["parentKey"], source: r["source"], custodian: r["custodian"],
             kind: ItemKind(rawValue: r["kind"]) ?? .file, format: r["format"], path: r["path"],
             fileName: r["fileName"], folder: r["folder"], size: r["size"], sha256: r["sha256"],
             sha1: r["sha1"], md5: r["md5"])
    }

    public func items(after afterKey: String?, limit: Int) throws -> [Item] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM item WHERE key > ? ORDER BY key LIMIT ?",
                             arguments: [afterKey ?? "", limit]).map(item(from:))
        }
    }

    public func item(_ key: String) throws -> Item? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM item WHERE key = ?", arguments: [key]).map(item(from:))
        }
    }

    public func children(of key: String) throws -> [Item] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM item WHERE parentKey = ? ORDER BY key", arguments: [key]).map(item(from:))
        }
    }

    public func exceptions() throws -> [ExceptionRecord] {
        try db { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exception ORDER BY key").map { r in
                ExceptionRecord(key: r["key"], parentKey: r["parentKey"], source: r["source"], custodian: r["custodian"],
                                stage: r["stage"], path: r["path"], reason: r["reason"])
            }
        }
    }

    // MARK: normalize

    public func save(documents: [Document]) throws {
        try db { db in
            let st = try db.makeStatement(sql: "INSERT OR REPLACE INTO document(key, json) VALUES (?, ?)")
            for d in documents { try st.execute(arguments: [d.key, try encode(d)]) }
        }
    }

    public func unnormalizedKeys(limit: Int) throws -> [String] {
        try db { db in
            try String.fetchAll(db, sql: """
                SELECT i.key FROM item i
                WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.key = i.key)
                  AND NOT EXISTS (SELECT 1 FROM exception e WHERE e.key = i.key)
                ORDER BY i.key LIMIT ?
                """, arguments: [limit])
        }
    }

    public func document(_ key: String) throws -> Document? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM document WHERE key = ?", arguments: [key])
                .map { try decode(Document.self, $0) }
        }
    }

    public func documents(after afterKey: String?, limit: Int) throws -> [Document] {
        try read { db in
            try Data.fetchAll(db, sql: "SELECT json FROM document WHERE key > ? ORDER BY key LIMIT ?",
                              arguments: [afterKey ?? "", limit]).map { try decode(Document.self, $0) }
        }
    }

    public func documentCount() throws -> Int {
        try db { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM document") ?? 0 }
    }

    // MARK: dedupe

    public func replaceDedupe(_ records: [DedupeRecord]) throws {
        try transaction {
            try db { db in
                try db.execute(sql: "DELETE FROM dedupe")
                let st = try db.makeStatement(sql: "INSERT INTO dedupe(key, json) VALUES (?, ?)")
                for r in records { try st.execute(arguments: [r.key, try encode(r)]) }
            }
        }
    }

    public func dedupeRecords() throws -> [DedupeRecord] {
        try db { db in
            try Data.fetchAll(db, sql: "SELECT json FROM dedupe ORDER BY key").map { try decode(DedupeRecord.self, $0) }
        }
    }

    public func dedupeRecord(_ key: String) throws -> DedupeRecord? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM dedupe WHERE key = ?", arguments: [key]).map { try decode(DedupeRecord.self, $0) }
        }
    }

    public func dedupeCounts() throws -> (kept: Int, suppressed: Int) {
        struct Status: Decodable { var status: DedupeStatus }
        return try db { db in
            var kept = 0, suppressed = 0
            let rows = try Data.fetchCursor(db, sql: "SELECT json FROM dedupe")
            while let json = try rows.next() {
                if try decode(Status.self, json).status == .kept { kept += 1 } else { suppressed += 1 }
            }
            return (kept, suppressed)
        }
    }

    // MARK: redact

    public func replaceRedactions(for keys: [String], with redactions: [Redaction]) throws {
        try transaction {
            try db { db in
                let del = try db.makeStatement(sql: "DELETE FROM redaction WHERE key = ?")
                for k in keys { try del.execute(arguments: [k]) }
                let ins = try db.makeStatement(sql: "INSERT INTO redaction(key, json) VALUES (?, ?)")
                for r in redactions { try ins.execute(arguments: [r.key, try encode(r)]) }
            }
        }
    }

    public func redactions(for key: String) throws -> [Redaction] {
        try read { db in
            try Data.fetchAll(db, sql: "SELECT json FROM redaction WHERE key = ? ORDER BY id", arguments: [key])
                .map { try decode(Redaction.self, $0) }
        }
    }

    public func allRedactions() throws -> [Redaction] {
        try db { db in
            try Data.fetchAll(db, sql: "SELECT json FROM redaction ORDER BY key, id").map { try decode(Redaction.self, $0) }
        }
    }

    public func setArtifact(_ name: String, _ data: Data) throws {
        try db { try $0.execute(sql: "INSERT OR REPLACE INTO artifact(name, data) VALUES (?, ?)", arguments: [name, data]) }
    }

    public func artifact(_ name: String) throws -> Data? {
        try read { try Data.fetchOne($0, sql: "SELECT data FROM artifact WHERE name = ?", arguments: [name]) }
    }

    // MARK: package

    public func replaceProduced(_ records: [ProducedRecord]) throws {
        try transaction {
            try db { db in
                try db.execute(sql: "DELETE FROM produced")
                let st = try db.makeStatement(sql: "INSERT INTO produced(key, json) VALUES (?, ?)")
                for r in records { try st.execute(arguments: [r.key, try encode(r)]) }
            }
        }
    }

    public func insert(produced records: [ProducedRecord]) throws {
        try transaction {
            try db { db in
                let st = try db.makeStatement(sql: "INSERT INTO produced(key, json) VALUES (?, ?)")
                for r in records { try st.execute(arguments: [r.key, try encode(r)]) }
            }
        }
    }

    public func producedRecord(_ key: String) throws -> ProducedRecord? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT json FROM produced WHERE key = ?", arguments: [key])
                .map { try decode(ProducedRecord.self, $0) }
        }
    }

    public func producedRecords() throws -> [ProducedRecord] {
        try db { db in
            try Data.fetchAll(db, sql: "SELECT json FROM produced ORDER BY key").map { try decode(ProducedRecord.self, $0) }
        }
    }
}
