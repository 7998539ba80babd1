import DiscloseCore
import Foundation

/// Unix mailboxes: mboxo, mboxrd and the Content-Length variant. Read as a stream, one
/// message in memory at a time, so a 20 GB mailbox costs what its largest message costs.
public struct MboxReader: Reader {
    public let name = "mbox"
    public let mediaTypes = ["application/mbox"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        var head = input.head
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        guard head.starts(with: Array("From ".utf8)) else { return 0 }
        let line = head.prefix(while: { $0 != 0x0A })
        // "From sender date": a postmark line has a sender token and usually a year.
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return 0 }
        return text.range(of: "[12][0-9]{3}", options: .regularExpression) != nil ? 95 : 60
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        guard let handle = FileHandle(forReadingAtPath: input.url.path) else { throw ReadFailure("cannot open") }
        defer { try? handle.close() }
        let folder = input.folder.isEmpty ? (PathName.deletingExtension(input.name)) : input.folder
        var splitter = MboxSplitter()
        var ordinal = 0
        let parent = input
        func deliver(_ message: MboxSplitter.Message) throws {
            ordinal += 1
            if message.droppedBytes > 0 {
                try context.exception(key: DocKey.child(of: parent.key, ordinal), parentKey: parent.parentKey,
                                      path: parent.path + "!/message \(ordinal)",
                                      reason: "message is over \(splitter.maxMessageBytes >> 20) MiB "
                                        + "(\((message.droppedBytes + message.bytes.count) >> 20) MiB); it is not read into memory for review")
                return
            }
            let d = try context.storeBlob(message.bytes)
            let child = Input(url: context.blobs.url(for: d.sha256), name: "message-\(ordinal).eml",
                              path: parent.path + "!/message \(ordinal)", key: DocKey.child(of: parent.key, ordinal),
                              parentKey: parent.parentKey, folder: folder, digests: d, isDirectory: false,
                              declaredType: "message/rfc822", depth: parent.depth + 1, data: message.bytes)
            try context.dispatch(child)
        }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ReadFailure("read error after \(ordinal) messages: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            for m in splitter.feed(chunk) { try deliver(m) }
        }
        for m in splitter.finish() { try deliver(m) }
    }
}

/// Splits a byte stream into messages at `From ` postmark lines.
/// - A postmark is `From ` + a sender (an address, `-`, or MAILER-DAEMON-like) + optionally a
///   date; "From Russia with love" in a body is not one. Real exporters (Netscape, Eudora) do not
///   always leave a blank line before it, so none is required.
/// - mboxrd/mboxo: `>From ` (any number of `>`) in a body loses one `>`.
/// - Content-Length: when a message declares its body length, `From ` lines inside that many
///   bytes are body, and nothing is unescaped (such writers do not escape).
public struct MboxSplitter {
    public struct Message {
        public var bytes: Data
        /// Bytes of an oversized message that were not kept (its `bytes` are then empty).
        public var droppedBytes = 0
    }

    /// A message past this is counted, not held: one 2 GB message took 4 GB to split.
    public var maxMessageBytes = Int(Limits.maxItemBytes)
    private var dropped = 0

    private var carry: [UInt8] = []
    private var current: [UInt8] = []
    private var started = false
    private var inHeaders = true
    private var contentLength: Int? = nil
    private var bodyBytes = 0
    private var sawFirstLine = false

    public init() {}

    public mutating func feed(_ data: Data) -> [Message] {
        var out: [Message] = []
        carry.append(contentsOf: data)
        var start = 0
        carry.withUnsafeBufferPointer { buf in
            var i = 0
            let n = buf.count
            while i < n {
                if buf[i] == 0x0A {
                    line(buf[start...i], &out)
                    start = i + 1
                }
                i += 1
            }
        }
        carry.removeFirst(start)
        // A line with no end in sight cannot be a postmark: count it rather than hold it.
        if carry.count > maxMessageBytes {
            if started { dropped += current.count + carry.count; current = [] }
            carry = []
        }
        return out
    }

    /// Ends the stream: the last (possibly unterminated) line, then the last message.
    public mutating func finish() -> [Message] {
        var out: [Message] = []
        if !carry.isEmpty {
            let rest = carry
            carry = []
            line(rest[...], &out)
        }
        if let m = closeCurrent() { out.append(m) }
        started = false
        return out
    }

    private static let fromPrefix: [UInt8] = Array("From ".utf8)

    private mutating func line<C: Collection>(_ l: C, _ out: inout [Message]) where C.Element == UInt8, C.Index == Int {
        if !sawFirstLine {
            sawFirstLine = true
            if l.starts(with: [0xEF, 0xBB, 0xBF]) { line(l.dropFirst(3), &out); return }
        }
        let isFrom = l.count >= 5 && l.starts(with: Self.fromPrefix)
        if isFrom && (contentLength == nil || bodyBytes >= contentLength!) && Self.isPostmark(l) {
            if let m = closeCurrent() { out.append(m) }
            started = true
            inHeaders = true
            contentLength = nil
            bodyBytes = 0
            return
        }
        guard started else { return }  // bytes before the first postmark are not a message
        let blank = l.count == 1 || (l.count == 2 && l[l.startIndex] == 0x0D)
        if dropped > 0 || current.count + l.count > maxMessageBytes {
            dropped += current.count + l.count
            current = []
            if inHeaders && blank { inHeaders = false } else if !inHeaders { bodyBytes += l.count }
            return
        }
        if inHeaders {
            current.append(contentsOf: l)
            if blank {
                inHeaders = false
            } else if l.count > 15, let cl = Self.contentLength(l) {
                contentLength = cl
            }
        } else {
            bodyBytes += l.count
            if contentLength == nil, l.first == 0x3E {
                var j = l.startIndex
                while j < l.endIndex, l[j] == 0x3E { j += 1 }
                if l[j...].starts(with: Self.fromPrefix) {
                    current.append(contentsOf: l.dropFirst())
                    return
                }
            }
            current.append(contentsOf: l)
        }
    }

    private mutating func closeCurrent() -> Message? {
        guard started else { return nil }
        if dropped > 0 {
            defer { dropped = 0 }
            return Message(bytes: Data(), droppedBytes: dropped)
        }
        var bytes = current
        current = []
        // The blank line before the next postmark belongs to the mailbox, not the message.
        if contentLength == nil || bodyBytes > contentLength! {
            if bytes.suffix(2) == [0x0A, 0x0A] { bytes.removeLast() }
            else if bytes.suffix(4) == [0x0D, 0x0A, 0x0D, 0x0A] { bytes.removeLast(2) }
        }
        return Message(bytes: Data(bytes))
    }

    static func isPostmark<C: Collection>(_ l: C) -> Bool where C.Element == UInt8 {
        let text = String(decoding: l.dropFirst(5), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let sender = parts.first else { return true }  // a bare "From " line
        if parts.count == 1 {
            return sender == "-" || sender.contains("@") || !sender.contains(where: { $0.isLowercase })
        }
        let rest = parts.dropFirst().joined(separator: " ")
        return rest.range(of: "[0-9]{1,2}:[0-9]{2}", options: .regularExpression) != nil
            || rest.range(of: "[12][0-9]{3}", options: .regularExpression) != nil
    }

    static func contentLength<C: Collection>(_ l: C) -> Int? where C.Element == UInt8 {
        let s = String(decoding: l, as: UTF8.self)
        guard s.lowercased().hasPrefix("content-length:") else { return nil }
        return Int(s.dropFirst("content-length:".count).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
