import DiscloseCore
import Foundation
import MIMEKit

/// One RFC 5322 message (.eml, a Maildir file, a mailbox member, a message attachment).
/// Its attachments become child items: the family.
public struct EmailReader: Reader {
    public let name = "email"
    public let mediaTypes = ["message/rfc822"]
    /// Messages larger than this are not parsed in memory; they become exceptions.
    public let maxMessageBytes: Int64 = 512 << 20
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        if input.isDirectory { return 0 }
        return MIME.messageConfidence(head: input.head)
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let size = input.data.map { Int64($0.count) }
            ?? ((try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0)
        guard size <= maxMessageBytes else { throw ReadFailure("message of \(size) bytes is over the \(maxMessageBytes)-byte limit") }
        let data = try input.bytes()
        let message: MIMEMessage
        do { message = try MIME.parse(data) } catch { throw ReadFailure("corrupt message: \(error)") }
        let item = try context.emit(&input, kind: .email, format: "email")
        for (i, att) in message.attachments.enumerated() {
            let d = try context.storeBlob(att.data)
            let child = Input(url: context.blobs.url(for: d.sha256), name: att.fileName,
                              path: input.path + "!/" + att.fileName, key: DocKey.child(of: item.key, i + 1),
                              parentKey: item.key, folder: input.folder, digests: d, isDirectory: false,
                              declaredType: att.isMessage ? "message/rfc822" : nil, depth: input.depth + 1, data: att.data)
            try context.dispatch(child)
        }
        for (i, loss) in message.losses.enumerated() {
            try context.exception(key: DocKey.damage(of: item.key, i), parentKey: item.key,
                                  path: input.path + "!/(" + loss.section + ")", reason: loss.reason)
        }
    }
}
