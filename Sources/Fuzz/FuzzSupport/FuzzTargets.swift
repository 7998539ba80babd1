import DiscloseCore
import Extract
import Foundation
import MIMEKit
import Normalize
import TNEFKit

/// One entry point per harness. The libFuzzer executables and the regression test both call
/// these, so a stored crash input is replayed through exactly the code that crashed.
/// Errors are the expected outcome for bad input; only a trap, a sanitizer report, a hang or
/// runaway memory counts as a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Every reader's sniff and read, through the standard dispatcher.
    case readers
    /// GMime parsing and the email normalizer.
    case mime
    case rtf
    case tnef
    /// Outlook .msg (OLE compound file + MAPI properties) and PST.
    case mapi
    case printed
    /// WhatsApp, Wickr, Actiance, RSMF and Slack exports.
    case chat
    /// Text extraction for loose files (HTML, PDF, Office, RTF) and calendar items.
    case normalize

    /// Whether the input was read as this target's format (an item extracted, a message or
    /// document produced): the smoke test checks that intact samples get that far.
    @discardableResult
    public func run(_ data: Data) -> Bool {
        let extract = FuzzExtract.shared
        switch self {
        case .readers:
            return extract.run(data, name: "input", readers: Dispatcher.standardReaders)
        case .mime:
            let parsed = (try? MIME.parse(data)).map { m in !(m.subject + m.bodyText + m.bodyHTML).isEmpty } ?? false
            let normalized = (try? Normalizer().document(for: FuzzExtract.item(kind: .email, name: "message.eml"), bytes: data)) != nil
            let extracted = extract.run(data, name: "message.eml", readers: [EmailReader(), MboxReader()])
            return parsed && normalized && extracted
        case .rtf:
            let r = RTF.read([UInt8](data))
            return !TextTidy.tidy(r.text).isEmpty
        case .tnef:
            let parsed = (try? TNEF.parse([UInt8](data))) != nil
            return extract.run(data, name: "winmail.dat", readers: [TNEFReader(), EmailReader()]) && parsed
        case .mapi:
            return extract.run(data, name: "message.msg", readers: [MSGReader(), PSTReader(), TNEFReader(), EmailReader()])
        case .printed:
            return extract.run(data, name: "printed.txt", readers: [PrintedMailReader(), EmailReader()])
        case .chat:
            return extract.run(data, name: "chat.txt", readers: [
                SlackReader(), WhatsAppReader(), WickrReader(), ActianceReader(), RSMFReader(), EmailReader(),
            ])
        case .normalize:
            let normalizer = Normalizer()
            let d = try? normalizer.document(for: FuzzExtract.item(kind: .file, name: "input"), bytes: data)
            // Calendar items are normalized by their own code, reached only through kind .calendar.
            if data.prefix(64).range(of: Data("BEGIN:V".utf8)) != nil {
                let c = try? normalizer.document(for: FuzzExtract.item(kind: .calendar, name: "input.ics"), bytes: data)
                return !(c?.text ?? "").isEmpty
            }
            return !(d?.text ?? "").isEmpty
        }
    }
}
