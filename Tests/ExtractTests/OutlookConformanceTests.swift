import DiscloseCore
import Extract
import Foundation
import MIMEKit
import XCTest

/// Outlook sources against material other projects published with expected results:
/// msgreader's .msg files with JSON, MimeKit's TNEF streams with attachment lists, Aspose's
/// PST/OST files against readpst's counts, and Tika's Outlook files for robustness.
final class OutlookConformanceTests: XCTestCase {

    // MARK: - msgreader: .msg against expected JSON

    struct FieldScore {
        var pass = 0
        var fail = 0
        var failures: [String] = []
        mutating func check(_ ok: Bool, _ what: @autoclosure () -> String) {
            if ok { pass += 1 } else { fail += 1; failures.append(what()) }
        }
    }

    static func norm(_ s: String?) -> String {
        (s ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" }).joined(separator: " ")
    }

    /// Unfolded `NAME;params:value` lines of an iCalendar or vCard text.
    static func contentLines(_ text: String) -> [(name: String, params: String, value: String)] {
        var unfolded: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            if raw.hasPrefix(" "), !unfolded.isEmpty { unfolded[unfolded.count - 1] += raw.dropFirst() } else { unfolded.append(raw) }
        }
        return unfolded.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let head = line[..<colon]
            let name = head.split(separator: ";").first.map(String.init) ?? ""
            let value = String(line[line.index(after: colon)...])
                .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\,", with: ",")
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\\\", with: "\\")
            return (name, String(head), value)
        }
    }

    static func unknown(_ s: String?) -> Bool { s == nil || s == "Unknown" || s == "" }

    /// msgreader decodes 8-bit strings as Latin-1 whatever the code page, so its JSON holds
    /// Shift_JIS bytes as Latin-1 characters for the Japanese non-Unicode files. An expected
    /// value matches when it is ours, or ours after undoing that.
    static func same(_ ours: String?, _ expected: String?) -> Bool {
        guard let ours, let expected else { return ours == expected }
        if ours == expected { return true }
        guard expected.unicodeScalars.allSatisfy({ $0.value < 0x100 }) else { return false }
        let bytes = expected.unicodeScalars.map { UInt8($0.value) }
        return ours == String(data: Data(bytes), encoding: .shiftJIS)
    }

    /// MIMEKit drops the single quotes Outlook puts around some display names.
    static func unquoted(_ s: String) -> String {
        var t = s
        while t.count >= 2, (t.first == "'" && t.last == "'") || (t.first == "\"" && t.last == "\"") { t = String(t.dropFirst().dropLast()) }
        return t
    }

    func testMsgReaderCorpus() throws {
        let folder = try Corpus.folder("msgreader-msg").appendingPathComponent("test")
        let msgs = Corpus.files(folder, extensions: ["msg"])
        XCTAssertGreaterThanOrEqual(msgs.count, 40)
        let h = try OutlookHarness()
        var scores: [String: FieldScore] = [:]
        var readOK = 0, compared = 0, fullyPassed = 0
        var perFile: [String] = []
        for url in msgs {
            let (items, exc) = try h.run(url)
            let top = items.first { $0.parentKey == nil }
            guard let top else {
                perFile.append("\(url.lastPathComponent): NOT READ \(exc.map(\.reason))")
                continue
            }
            readOK += 1
            var fileScores: [String: FieldScore] = [:]
            var hadJSON = false
            let jsonURL = url.deletingPathExtension().appendingPathExtension("json")
            if let jd = try? Data(contentsOf: jsonURL), let json = try JSONSerialization.jsonObject(with: jd) as? [String: Any] {
                hadJSON = true
                try compare(json, item: top, items: items, h: h, into: &fileScores, label: url.lastPathComponent)
            }
            // Embedded messages have their own JSON: "<name>-attachments<N>.json", N counting
            // attachments; nested ones append "-attachments<M>".
            func embedded(_ parent: Item, _ base: String) throws {
                let children = items.filter { $0.parentKey == parent.key }
                for (i, child) in children.enumerated() where child.kind == .email {
                    let sub = base + "-attachments\(i)"
                    if let d = try? Data(contentsOf: URL(fileURLWithPath: sub + ".json")),
                       let j = try JSONSerialization.jsonObject(with: d) as? [String: Any] {
                        hadJSON = true
                        try compare(j, item: child, items: items, h: h, into: &fileScores, label: (sub as NSString).lastPathComponent)
                    }
                    try embedded(child, sub)
                }
            }
            try embedded(top, url.deletingPathExtension().path)
            guard hadJSON else { continue }
            compared += 1
            let failed = fileScores.values.flatMap(\.failures)
            if failed.isEmpty { fullyPassed += 1 }
            perFile.append("\(url.lastPathComponent): \(failed.isEmpty ? "pass" : "FAIL " + failed.joined(separator: "; "))")
            for (k, v) in fileScores {
                scores[k, default: FieldScore()].pass += v.pass
                scores[k, default: FieldScore()].fail += v.fail
            }
        }
        print("msgreader-msg: \(readOK)/\(msgs.count) read, \(compared) with expected JSON, \(fullyPassed) fully matching")
        for k in scores.keys.sorted() { print("  \(k): \(scores[k]!.pass) pass, \(scores[k]!.fail) fail") }
        for line in perFile { print("  " + line) }
        XCTAssertEqual(readOK, msgs.count, "every .msg yields an item")
        XCTAssertGreaterThanOrEqual(fullyPassed, compared - 1)
        for (k, v) in scores { XCTAssertGreaterThanOrEqual(Double(v.pass) / Double(max(1, v.pass + v.fail)), 0.95, k) }
    }

    func compare(_ json: [String: Any], item: Item, items: [Item], h: OutlookHarness,
                 into scores: inout [String: FieldScore], label: String) throws {
        let cls = (json["messageClass"] as? String ?? "IPM.Note").lowercased()
        let subject = json["subject"] as? String
        let body = Self.norm(json["body"] as? String)
        let recipients = json["recipients"] as? [[String: Any]] ?? []
        let jsonAttachments = (json["attachments"] as? [[String: Any]] ?? []).map { a -> String in
            (a["fileName"] as? String) ?? (a["name"] as? String) ?? ((a["innerMsgContentFields"] as? [String: Any])?["subject"] as? String) ?? ""
        }
        let childItems = items.filter { $0.parentKey == item.key }
        let childNames = childItems.map(\.fileName)
        func attachmentsMatch() -> Bool {
            var ours = childNames
            for j in jsonAttachments {
                let clean = MAPIMessage.fileName(j, fallback: "", ext: "x").dropLast(2)
                // Embedded messages are named after their display name plus the extension of
                // what they became (.eml, .ics).
                let found = ours.firstIndex { o in
                    o == j || o == clean || (o as NSString).deletingPathExtension == j
                        || (o as NSString).deletingPathExtension == String(clean)
                }
                if let i = found { ours.remove(at: i) } else { return false }
            }
            return true
        }

        if cls.hasPrefix("ipm.appointment") {
            let lines = Self.contentLines(try h.text(item))
            func value(_ n: String) -> String? { lines.first { $0.name == n }?.value }
            scores["subject", default: FieldScore()].check(value("SUMMARY") == subject || (subject ?? "").isEmpty, "\(label) SUMMARY \(value("SUMMARY") ?? "nil") != \(subject ?? "nil")")
            scores["body", default: FieldScore()].check(Self.norm(value("DESCRIPTION")) == body, "\(label) DESCRIPTION \(Self.norm(value("DESCRIPTION")).prefix(60)) != \(body.prefix(60))")
            for r in recipients where !Self.unknown(r["email"] as? String) {
                let addr = ((r["smtpAddress"] as? String) ?? (r["email"] as? String) ?? "").lowercased()
                let found = lines.contains { $0.name == "ATTENDEE" && $0.value.lowercased().hasSuffix(addr) }
                scores["recipients", default: FieldScore()].check(found, "\(label) attendee \(addr) missing")
            }
            if let loc = json["apptLocation"] as? String, !loc.isEmpty {
                scores["location", default: FieldScore()].check(value("LOCATION") == loc, "\(label) LOCATION \(value("LOCATION") ?? "nil") != \(loc)")
            }
            scores["attachments", default: FieldScore()].check(attachmentsMatch(), "\(label) attachments \(childNames) vs \(jsonAttachments)")
            return
        }
        if cls.hasPrefix("ipm.contact") {
            let lines = Self.contentLines(try h.text(item))
            if let name = json["name"] as? String {
                scores["subject", default: FieldScore()].check(lines.contains { $0.name == "FN" && Self.same($0.value, name) }, "\(label) FN != \(name)")
            }
            if let e = json["email1EmailAddress"] as? String, !e.isEmpty {
                scores["recipients", default: FieldScore()].check(lines.contains { $0.name == "EMAIL" && $0.value == e }, "\(label) EMAIL \(e) missing")
            }
            if let t = json["businessTelephoneNumber"] as? String {
                scores["body", default: FieldScore()].check(lines.contains { $0.name == "TEL" && $0.value == t }, "\(label) TEL \(t) missing")
            }
            return
        }
        if cls.hasPrefix("ipm.stickynote") || cls.hasPrefix("ipm.task") {
            let text = try h.text(item)
            scores["subject", default: FieldScore()].check(text.contains(subject ?? ""), "\(label) subject missing from text")
            scores["body", default: FieldScore()].check(Self.norm(text).contains(body), "\(label) body missing from text")
            return
        }
        // Mail.
        XCTAssertEqual(item.kind, .email, label)
        let m = try h.message(item)
        scores["subject", default: FieldScore()].check(m.subject == (subject ?? ""), "\(label) subject '\(m.subject)' != '\(subject ?? "")'")
        if let sender = json["senderEmail"] as? String, !Self.unknown(sender) {
            let from = m.from.first
            let addr = (from?.address ?? "").lowercased()
            let ok = addr == sender.lowercased() || addr.hasPrefix("\"" + sender.lowercased() + "\"@") || addr.hasPrefix(sender.lowercased() + "@")
            scores["sender", default: FieldScore()].check(ok, "\(label) from address '\(addr)' != '\(sender)'")
            if let n = (json["senderName"] as? String).map(Self.unquoted) {
                scores["sender", default: FieldScore()].check(from?.name == n, "\(label) from name '\(from?.name ?? "")' != '\(n)'")
            }
        }
        for r in recipients {
            let list: [Address]
            switch r["recipType"] as? String {
            case "cc": list = m.cc
            case "bcc": list = m.bcc
            default: list = m.to
            }
            let addr = ((r["smtpAddress"] as? String) ?? (r["email"] as? String) ?? "").lowercased()
            let name = Self.unquoted(r["name"] as? String ?? "")
            let hit = list.first { a in
                let ours = a.address.lowercased()
                return ours == addr || ours.hasPrefix("\"" + addr + "\"@")
            }
            scores["recipients", default: FieldScore()].check(hit != nil && (hit!.name == name || hit!.name.isEmpty && name == hit!.address),
                                                              "\(label) recipient \(name) <\(addr)> not in \(list.map(\.display))")
        }
        if json["body"] != nil {
            let ours = Self.norm(m.bodyText)
            scores["body", default: FieldScore()].check(ours == body, "\(label) body '\(ours.prefix(80))' != '\(body.prefix(80))'")
        }
        scores["attachments", default: FieldScore()].check(attachmentsMatch(), "\(label) attachments \(childNames) vs \(jsonAttachments)")
    }

    // MARK: - PST/OST against readpst

    /// readpst (pst-utils) writing one file per item (-e), deleted-items folder included (-D):
    /// the number of items it gets out of the file, or nil when it cannot read the file.
    static func readpstCount(_ file: URL, scratch: URL) -> Int? {
        let exe = "/usr/bin/readpst"
        guard FileManager.default.isExecutableFile(atPath: exe) else { return nil }
        let out = scratch.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["-D", "-e", "-q", "-o", out.path, file.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        let files = FileManager.default.enumerator(at: out, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
        return files.count
    }

    func testAsposePSTAndOSTAgainstReadpst() throws {
        let folder = try Corpus.folder("aspose-email-net-data")
        let files = Corpus.files(folder, extensions: ["pst", "ost"])
        XCTAssertFalse(files.isEmpty)
        let h = try OutlookHarness()
        let readpstThere = FileManager.default.isExecutableFile(atPath: "/usr/bin/readpst")
        var rows: [String] = []
        var unreadableByBoth = 0
        for url in files {
            let (items, exc) = try h.run(url)
            let top = items.filter { $0.parentKey == nil }
            let live = top.filter { $0.folder != "(recovered)" }.count
            let recovered = top.count - live
            let rp = Self.readpstCount(url, scratch: h.dir)
            let name = url.path.replacingOccurrences(of: folder.path + "/", with: "")
            rows.append([name, rp.map(String.init) ?? "unreadable", String(live), String(recovered), String(items.count - top.count), String(exc.count)]
                .joined(separator: " | "))
            if let rp {
                XCTAssertGreaterThanOrEqual(live, rp, "\(name): readpst gets \(rp) items, we get \(live)")
            } else if readpstThere {
                // A file readpst cannot open must still be accounted for: items or exceptions.
                XCTAssertFalse(items.isEmpty && exc.isEmpty, "\(name): neither items nor exceptions")
                if items.isEmpty { unreadableByBoth += 1 }
            }
        }
        print("PST/OST vs readpst (aspose-email-net-data): file | readpst | ours | ours recovered (deleted) | attachments etc. | exceptions")
        for r in rows { print("  " + r) }
        print("  files neither tool reads: \(unreadableByBoth)")
    }

    func testCorruptPSTGivesExceptionsNotACrash() throws {
        let folder = try Corpus.folder("aspose-email-net-data")
        let url = folder.appendingPathComponent("Examples/Data/Outlook/AddingBulkMessagesWithImprovedPerformance.pst")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("corrupt PST sample not in this snapshot") }
        let h = try OutlookHarness()
        let (items, exc) = try h.run(url)
        XCTAssertEqual(items.count, 0)
        XCTAssertEqual(exc.count, 1)
        XCTAssertTrue(exc.first?.reason.contains("cannot open PST/OST") == true, exc.first?.reason ?? "")
    }

    // MARK: - MimeKit: TNEF streams against their attachment lists

    func testMimeKitTNEFAttachmentLists() throws {
        let folder = try Corpus.folder("MimeKit-TestData").appendingPathComponent("UnitTests/TestData/tnef")
        let streams = Corpus.files(folder, extensions: ["tnef"])
        XCTAssertFalse(streams.isEmpty)
        let h = try OutlookHarness()
        var listed = 0, passed = 0
        var lines: [String] = []
        for url in streams {
            let (items, exc) = try h.run(url)
            XCTAssertFalse(items.isEmpty && exc.isEmpty, "\(url.lastPathComponent): nothing produced")
            let listURL = url.deletingPathExtension().appendingPathExtension("list")
            guard let list = try? String(contentsOf: listURL, encoding: .utf8) else {
                lines.append("\(url.lastPathComponent): \(items.count) item(s), \(exc.count) exception(s), no list")
                continue
            }
            listed += 1
            let expected = list.split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let ours = items.map(\.fileName)
            var missing: [String] = []
            for name in expected {
                let hit: Bool
                switch name {
                // MimeKit names the message body body.rtf / body.html; here it is the family
                // member winmail-body.*, HTML when the RTF only encapsulates HTML.
                case "body.rtf": hit = ours.contains("winmail-body.rtf") || ours.contains("winmail-body.html")
                case "body.html": hit = ours.contains("winmail-body.html")
                default: hit = ours.contains { $0 == name || ($0 as NSString).deletingPathExtension == name }
                }
                if !hit { missing.append(name) }
            }
            if missing.isEmpty { passed += 1 }
            lines.append("\(url.lastPathComponent): \(missing.isEmpty ? "pass" : "missing \(missing)") — ours \(ours), \(exc.count) exception(s)")
        }
        print("MimeKit TNEF: \(passed)/\(listed) streams with a list have every listed attachment (\(streams.count) streams read)")
        for l in lines { print("  " + l) }
        XCTAssertEqual(passed, listed)
    }

    // MARK: - Tika: Outlook files read without failing

    func testTikaOutlookFiles() throws {
        let folder = try Corpus.folder("tika-testdocs")
        let files = Corpus.files(folder, extensions: ["msg", "pst", "ost"])
            + Corpus.files(folder, extensions: ["dat"]).filter { $0.lastPathComponent.lowercased().contains("winmail") }
        XCTAssertFalse(files.isEmpty)
        let h = try OutlookHarness()
        print("tika-testdocs Outlook files: file | items | exceptions | readpst items (PST) vs ours")
        for url in files {
            let (items, exc) = try h.run(url)
            var versus = ""
            if ["pst", "ost"].contains(url.pathExtension.lowercased()), let rp = Self.readpstCount(url, scratch: h.dir) {
                let ours = items.filter { $0.parentKey == nil && $0.folder != "(recovered)" }.count
                versus = " | \(rp) vs \(ours)"
                XCTAssertGreaterThanOrEqual(ours, rp, url.lastPathComponent)
            }
            print("  \(url.lastPathComponent) | \(items.count) | \(exc.count)\(versus)\(exc.isEmpty ? "" : " " + exc.map(\.reason).joined(separator: "; "))")
            XCTAssertFalse(items.isEmpty, url.lastPathComponent)
        }
    }
}
