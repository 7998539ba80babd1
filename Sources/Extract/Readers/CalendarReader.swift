import DiscloseCore
import Foundation
import ICalKit

/// iCalendar (.ics, .vcs 2.0, a text/calendar invitation, an Outlook appointment rendered by the
/// PST/MSG readers). Each event, to-do and journal entry is one calendar item; recurrences are
/// described later by the normaliser, never expanded into more items.
///
/// - One component: the input itself is the item (same key, same bytes), so a loose invite or an
///   invitation attached to an email is one document.
/// - Several: each becomes a stand-alone VCALENDAR (the calendar's own properties, the
///   VTIMEZONEs the component refers to, the component), re-serialised by libical so the same
///   file always gives the same bytes, keyed `DocKey.child(of: input.key, n)` in file order. The
///   .ics itself is walked through, not produced: its components take its place in the family,
///   so their parent is the input's parent (the email that carried the .ics; none for a loose
///   file).
/// - Truncated (a BEGIN never closed), damaged (END without BEGIN), binary or over
///   `ICal.maxBytes` input, or a calendar without any event/to-do/journal: an exception.
public struct CalendarReader: Reader {
    public let name = "calendar"
    public let mediaTypes = ["text/calendar", "application/ics", "text/x-vcalendar"]
    public init() {}

    public func confidence(_ input: inout Input) -> Int {
        guard !input.isDirectory else { return 0 }
        return ICal.looksLikeCalendar(input.head) ? 95 : 0
    }

    public func read(_ input: inout Input, _ context: ExtractContext) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.url.path)[.size] as? Int64) ?? 0
        guard size <= Int64(ICal.maxBytes) else {
            throw ReadFailure("iCalendar file of \(size) bytes is over the \(ICal.maxBytes)-byte limit")
        }
        let data: Data
        do { data = try Data(contentsOf: input.url) } catch { throw ReadFailure("cannot read: \(error.localizedDescription)") }
        let parts: [Data]
        do { parts = try ICal.split(data) } catch { throw ReadFailure("iCalendar: \(error)") }
        guard !parts.isEmpty else { throw ReadFailure("iCalendar file holds no event, to-do or journal entry") }
        if parts.count == 1 {
            try context.emit(&input, kind: .calendar, format: "ical")
            return
        }
        let stem = PathName.deletingExtension(input.name)
        let width = String(parts.count).count
        for (i, part) in parts.enumerated() {
            let n = String(i + 1)
            let name = "\(stem.isEmpty ? "calendar" : stem)-\(String(repeating: "0", count: width - n.count))\(n).ics"
            let d = try context.storeBlob(part)
            var child = Input(url: context.blobs.url(for: d.sha256), name: name, path: input.path + "!/" + name,
                              key: DocKey.child(of: input.key, i + 1), parentKey: input.parentKey,
                              folder: input.folder, digests: d, isDirectory: false, declaredType: "text/calendar",
                              depth: input.depth + 1)
            try context.emit(&child, kind: .calendar, format: "ical")
        }
    }
}
