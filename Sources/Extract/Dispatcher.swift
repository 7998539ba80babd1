import DiscloseCore
import Foundation

/// Picks the best reader for each input and records anything that cannot be read.
public struct Dispatcher: Sendable {
    public let readers: [Reader]
    /// Deeper nesting than this is treated as hostile (zip quines, recursive attachments).
    public let maxDepth: Int

    public init(readers: [Reader] = Dispatcher.standardReaders, maxDepth: Int = 24) {
        self.readers = readers
        self.maxDepth = maxDepth
    }

    public static let standardReaders: [Reader] = [
        SlackReader(), WhatsAppReader(), WickrReader(), ActianceReader(), RSMFReader(), DirectoryReader(), CalendarReader(), MboxReader(), PrintedMailReader(), EmailReader(), ArchiveFormatReader(), PSTReader(), MSGReader(), TNEFReader(), FileReader(),
    ]

    public func reader(for input: inout Input) -> (Reader, Int)? {
        var best: (Reader, Int)? = nil
        for r in readers {
            if let t = input.declaredType, !r.mediaTypes.contains(t) { continue }
            let c = r.confidence(&input)
            if c > 0, c > (best?.1 ?? 0) { best = (r, c) }
        }
        return best
    }

    public func dispatch(_ input: Input, _ context: ExtractContext) throws {
        var input = input
        if input.depth > maxDepth {
            try context.exception(input, "nested more than \(maxDepth) levels deep; not opened (possible archive bomb)")
            return
        }
        guard let (reader, _) = reader(for: &input) else {
            let what = input.declaredType == "message/rfc822" ? "corrupt message: no RFC 5322 header block"
                : "unrecognised content for declared type \(input.declaredType ?? "?")"
            try context.exception(input, what)
            return
        }
        do {
            try reader.read(&input, context)
        } catch let e as DiscloseError {
            // Case-store and blob-store failures end the job; they are not the input's fault.
            throw e
        } catch {
            // C libraries name the file they were given; that is this machine's path (a source
            // or a blob), which the report must not show. The input's own path says where.
            var reason = "\(reader.name): \(error)"
            if !input.url.path.isEmpty { reason = reason.replacingOccurrences(of: input.url.path, with: input.path) }
            try context.exception(input, reason)
        }
    }
}
