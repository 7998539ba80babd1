import DiscloseCore
import Foundation
import XMLKit

/// Plain text of an RTF attachment (the converter is `DiscloseCore.RTF`); encapsulated HTML is
/// read with libxml2.
enum RTFText {
    static func text(_ data: Data) -> String {
        let r = RTF.read([UInt8](data))
        return r.isHTML ? HTMLText.text(html: Data(r.text.utf8), charset: "utf-8") : r.text
    }
}
