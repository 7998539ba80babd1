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
    /// Text extraction for loose files (HTML, PDF, Office, RTF, calendars).
    case normalize

    public func run(_ data: Data) {
        switch self {
        case .readers:
            FuzzExtract.shared.run(data, name: "input", readers: Dispatcher.standardReaders)
        case .mime:
            if let m = try? MIME.parse(data) { _ = (m.subject, m.bodyText, m.bodyHTML, m.headers.count) }
            _ = try? Normalizer().document(for: FuzzExtract.item(kind: .email, name: "message.eml"), bytes: data)
            FuzzExtract.shared.run(data, name: "message.eml", readers: [EmailReader(), MboxReader()])
        case .rtf:
            let r = RTF.read([UInt8](data))
            _ = TextTidy.tidy(r.text)
        case .tnef:
            _ = try? TNEF.parse([UInt8](data))
            FuzzExtract.shared.run(data, name: "winmail.dat", readers: [TNEFReader(), EmailReader()])
        case .mapi:
            FuzzExtract.shared.run(data, name: "message.msg", readers: [MSGReader(), PSTReader(), TNEFReader(), EmailReader()])
        case .printed:
            FuzzExtract.shared.run(data, name: "printed.txt", readers: [PrintedMailReader(), EmailReader()])
        case .chat:
            FuzzExtract.shared.run(data, name: "chat.txt", readers: [
                SlackReader(), WhatsAppReader(), WickrReader(), ActianceReader(), RSMFReader(), EmailReader(),
            ])
        case .normalize:
            _ = try? Normalizer().document(for: FuzzExtract.item(kind: .file, name: "input"), bytes: data)
        }
    }
}
