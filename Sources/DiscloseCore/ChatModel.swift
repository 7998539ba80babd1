import Foundation

/// The canonical form of one conversation on one day, whatever the chat source (Slack,
/// WhatsApp, Wickr, compliance XML). Chat readers write it as JSON (sorted keys, so the bytes
/// are stable) into the blob store as the item's content; normalize reads it back.
public struct ChatDay: Codable, Sendable, Equatable {
    public var platform: String
    /// Channel, group or chat name as the source names it.
    public var conversation: String
    /// `YYYY-MM-DD`, in UTC.
    public var day: String
    public var participants: [Address]
    public var messages: [ChatMessage]

    public init(platform: String, conversation: String, day: String, participants: [Address], messages: [ChatMessage]) {
        self.platform = platform; self.conversation = conversation; self.day = day
        self.participants = participants; self.messages = messages
    }

    public func json() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(self)) ?? Data()
    }

    public static func decode(_ data: Data) throws -> ChatDay { try JSONDecoder().decode(ChatDay.self, from: data) }
}

public struct ChatMessage: Codable, Sendable, Equatable {
    public var id: String
    /// UTC ISO 8601.
    public var time: String
    public var sender: Address
    public var text: String
    /// `message`, `join`, `leave`, `file`, `call`, `location`, `system`, `bot`…
    public var type: String
    /// Earlier versions when the message was edited, oldest first.
    public var edits: [ChatEdit]
    public var deleted: Bool
    /// Names of files sent with this message (the files themselves are child items).
    public var attachments: [String]
    /// The message this one replies to, for threads.
    public var threadOf: String

    public init(id: String, time: String, sender: Address, text: String, type: String = "message", edits: [ChatEdit] = [],
                deleted: Bool = false, attachments: [String] = [], threadOf: String = "") {
        self.id = id; self.time = time; self.sender = sender; self.text = text; self.type = type
        self.edits = edits; self.deleted = deleted; self.attachments = attachments; self.threadOf = threadOf
    }
}

public struct ChatEdit: Codable, Sendable, Equatable {
    public var time: String
    public var text: String
    public init(time: String, text: String) { self.time = time; self.text = text }
}
