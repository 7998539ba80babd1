/// Lower-casing a word cut out of UTF-8 text, as `String.lowercased()` does it but without a
/// second String on the way: the tokenizers call this once per word of every document.
enum Lowercase {
    /// The lower-case form of the valid UTF-8 bytes `b[start..<end]`. ASCII and the Latin-1
    /// letters (U+00C0–U+00FF, whose lower-case forms are one code point, 0x20 above the
    /// capitals) are mapped byte by byte; anything else goes through the standard library.
    static func of(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var k = start
        var changes = false
        while k < end {
            let c = b[k]
            if c < 0x80 {
                if c >= 0x41 && c <= 0x5A { changes = true }
                k += 1
            } else if c == 0xC3, k + 1 < end, b[k + 1] >= 0x80, b[k + 1] <= 0xBF {
                if isLatin1Capital(b[k + 1]) { changes = true }
                k += 2
            } else {
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).lowercased()
            }
        }
        if !changes { return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self) }
        return String(unsafeUninitializedCapacity: end - start) { out in
            var i = start, j = 0
            while i < end {
                let c = b[i]
                if c >= 0x41 && c <= 0x5A {
                    out[j] = c | 0x20
                } else if c == 0xC3, isLatin1Capital(b[i + 1]) {
                    out[j] = c
                    out[j + 1] = b[i + 1] + 0x20
                    i += 2; j += 2
                    continue
                } else {
                    out[j] = c
                }
                i += 1; j += 1
            }
            return j
        }
    }

    /// The second byte of À–Þ in UTF-8 (C3 80–9E), without × (C3 97).
    @inline(__always) static func isLatin1Capital(_ second: UInt8) -> Bool {
        second >= 0x80 && second <= 0x9E && second != 0x97
    }
}
