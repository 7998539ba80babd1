import XCTest
import DiscloseCore
@testable import MIMEKit

/// Apache James mime4j's published test messages, read in place (never copied into the repo).
final class Mime4jCorpusTests: XCTestCase {

    static let corpus: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/james-mime4j-testmsgs")

    private func messages() throws -> [URL] {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else {
            throw XCTSkip("mime4j corpus not found at \(Self.corpus.path); conformance run skipped")
        }
        let walker = FileManager.default.enumerator(at: Self.corpus, includingPropertiesForKeys: nil)!
        let found = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "msg" }
        return found.sorted { $0.path < $1.path }
    }

    /// Header names of the first header block, read the way a person would: up to the first
    /// blank line, continuation lines skipped.
    private func topHeaderNames(_ data: Data) -> [String] {
        var names: [String] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let l = line.last == 0x0D ? line.dropLast() : line
            if l.isEmpty { break }
            if l.first == 0x20 || l.first == 0x09 { continue }
            if let name = Sniffer.fieldName(l) { names.append(name.lowercased()) }
        }
        return names
    }

    func testEveryMessageParsesAndKeepsItsSender() throws {
        let files = try messages()
        XCTAssertGreaterThan(files.count, 50)
        var parsed = 0
        var rejected: [String] = []
        for file in files {
            let data = try Data(contentsOf: file)
            let message: MIMEMessage
            do {
                message = try MIME.parse(data)
            } catch MIMEError.notAMessage {
                rejected.append(file.lastPathComponent)
                continue
            }
            parsed += 1
            if topHeaderNames(data).contains("from") {
                XCTAssertFalse(message.from.isEmpty, "\(file.lastPathComponent): From header but no address")
            }
            // Every attachment that is a message must itself parse.
            for a in message.attachments where a.isMessage && !a.data.isEmpty {
                XCTAssertNoThrow(try MIME.parse(a.data), "\(file.lastPathComponent): inner \(a.fileName)")
            }
        }
        // Only the files that are headerless by design may be refused.
        XCTAssertEqual(Set(rejected), ["malformedHeader-noheader.msg", "malformedHeaderStartsBody-noheader.msg"],
                       "refused: \(rejected)")
        XCTAssertEqual(parsed + rejected.count, files.count)
    }

    /// For single-part text/plain messages, mime4j's expected output is the transfer-decoded body
    /// (`*_decoded_1.txt`, still in the message's charset). Ours must match it after charset decoding.
    func testSimpleTextBodiesMatchExpectedOutput() throws {
        let files = try messages()
        var compared = 0
        for file in files {
            // mime4j's expected output for these comes from its non-default "a malformed header
            // line starts the body" mode; GMime, like mime4j's default, drops the bad line.
            if file.lastPathComponent.hasPrefix("malformedHeaderStartsBody") { continue }
            let base = file.deletingPathExtension().path
            guard let xml = try? String(contentsOfFile: base + "_decoded.xml", encoding: .utf8),
                  xml.components(separatedBy: "<text-body").count == 2,
                  !xml.contains("<multipart"), xml.components(separatedBy: "<message").count == 2,
                  let expectedBytes = try? Data(contentsOf: URL(fileURLWithPath: base + "_decoded_1.txt")),
                  let message = try? MIME.parse(Data(contentsOf: file)),
                  message.attachments.isEmpty else { continue }
            let contentType = message.header("Content-Type")?.lowercased() ?? "text/plain"
            guard contentType.hasPrefix("text/plain") else { continue }
            let charset = contentType.components(separatedBy: "charset=").dropFirst().first?
                .components(separatedBy: ";").first
            let expected = normaliseNewlines(Charset.decode(Array(expectedBytes), declared: charset).text)
            XCTAssertEqual(message.bodyText, expected, file.lastPathComponent)
            compared += 1
        }
        print("mime4j corpus: compared \(compared) text/plain bodies with expected output")
        XCTAssertGreaterThanOrEqual(compared, 10)
    }

    /// Real mailing-list, S/MIME, TNEF and Exchange-export mail from the other corpora: whatever
    /// the sniffer calls a message must parse, and a From header must yield a sender.
    func testOtherCorporaParseWhatTheSnifferAccepts() throws {
        let root = Self.corpus.deletingLastPathComponent()
        let folders = ["notmuch-corpora", "MimeKit-TestData", "tika-testdocs", "aspose-email-net-data"]
            .map { root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        if folders.isEmpty { throw XCTSkip("no mail corpora under \(root.path); sweep skipped") }
        var accepted = 0
        for folder in folders {
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])!
            for case let url as URL in walker {
                let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
                guard values.isRegularFile == true, (values.fileSize ?? 0) < 8 << 20,
                      let data = try? Data(contentsOf: url) else { continue }
                guard MIME.messageConfidence(head: Array(data.prefix(4096))) >= 90 else { continue }
                accepted += 1
                do {
                    let m = try MIME.parse(data)
                    if topHeaderNames(data).contains("from") {
                        XCTAssertFalse(m.from.isEmpty, "\(url.path): From header but no address")
                    }
                } catch {
                    XCTFail("\(url.path): \(error)")
                }
            }
        }
        print("other corpora: \(accepted) files sniffed as mail and parsed")
        XCTAssertGreaterThan(accepted, 0)
    }
}
