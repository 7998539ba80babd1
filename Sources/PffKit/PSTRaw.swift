import Foundation

/// A second, minimal reader of the PST/OST property layer (MS-PST NDB and LTP), used only for
/// items libpff refuses. libpff rejects a whole item when one property has a type it does not
/// know (writers such as Aspose store PT_UNSPECIFIED values); readpst reads those items, and so
/// must we. This reader gets an item's property context and nothing else: no folders, no tables
/// (recipients, attachments). Every offset and count comes from the file, so every read is
/// bounds-checked and sizes are capped.
public final class PSTRaw {
    let handle: FileHandle
    let size: UInt64
    let unicode: Bool
    let crypt: UInt8
    let nbtRoot: UInt64
    let bbtRoot: UInt64
    /// Named-property map of the file, read on first use.
    private var names: [UInt16: PffNamedKey]?

    static let maxNode = 64 << 20
    static let maxDepth = 16

    public init?(path: String) {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        handle = h
        size = (try? h.seekToEnd()) ?? 0
        guard let head = Self.read(h, at: 0, count: 564), head.count >= 514,
              head.starts(with: Array("!BDN".utf8)) else { try? h.close(); return nil }
        let ver = Int(head[10]) | Int(head[11]) << 8
        switch ver {
        case 14, 15:
            unicode = false
            nbtRoot = UInt64(Self.u32(head, 188))
            bbtRoot = UInt64(Self.u32(head, 196))
            crypt = head[461]
        case 23:
            unicode = true
            nbtRoot = Self.u64(head, 224)
            bbtRoot = Self.u64(head, 240)
            crypt = head[513]
        default:
            // 4 KiB-page OSTs (version 36) and unknown layouts are left to libpff alone.
            try? h.close()
            return nil
        }
        guard crypt <= 1 else { try? h.close(); return nil }  // cyclic encoding not supported
    }

    deinit { try? handle.close() }

    // MARK: bytes

    static func read(_ h: FileHandle, at offset: UInt64, count: Int) -> [UInt8]? {
        do {
            try h.seek(toOffset: offset)
            guard let d = try h.read(upToCount: count) else { return nil }
            return [UInt8](d)
        } catch { return nil }
    }

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset < size, UInt64(count) <= size - offset else { return nil }
        return Self.read(handle, at: offset, count: count)
    }

    static func u16(_ b: [UInt8], _ o: Int) -> Int {
        guard o >= 0, o + 2 <= b.count else { return 0 }
        return Int(b[o]) | Int(b[o + 1]) << 8
    }

    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= b.count else { return 0 }
        return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 { UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32 }

    func id(_ b: [UInt8], _ o: Int) -> UInt64 { unicode ? Self.u64(b, o) : UInt64(Self.u32(b, o)) }
    var idSize: Int { unicode ? 8 : 4 }

    // MARK: B-trees

    /// Looks a key up in the NBT or BBT and returns the leaf entry's bytes.
    func lookup(root: UInt64, key: UInt64, mask: UInt64) -> [UInt8]? {
        var page = root
        for _ in 0..<Self.maxDepth {
            guard let p = read(at: page, count: 512) else { return nil }
            let meta = unicode ? 488 : 496
            let count = Int(p[meta]), entrySize = Int(p[meta + 2]), level = Int(p[meta + 3])
            guard entrySize > 0, count * entrySize <= meta else { return nil }
            if level == 0 {
                for i in 0..<count {
                    let e = Array(p[i * entrySize..<(i + 1) * entrySize])
                    if id(e, 0) & mask == key & mask { return e }
                }
                return nil
            }
            var next: UInt64? = nil
            for i in 0..<count {
                let k = id(p, i * entrySize) & mask
                if k <= key & mask { next = id(p, i * entrySize + 2 * idSize) } else { break }
            }
            guard let n = next else { return nil }
            page = n
        }
        return nil
    }

    /// The node's data block and subnode block ids.
    func node(_ nid: UInt32) -> (data: UInt64, sub: UInt64)? {
        guard let e = lookup(root: nbtRoot, key: UInt64(nid), mask: 0xFFFF_FFFF) else { return nil }
        return (id(e, idSize), id(e, 2 * idSize))
    }

    /// A block's bytes, decoded, by block id.
    func block(_ bid: UInt64) -> [UInt8]? {
        guard let e = lookup(root: bbtRoot, key: bid, mask: ~UInt64(1)) else { return nil }
        let offset = id(e, idSize)
        let cb = Self.u16(e, 2 * idSize)
        guard var b = read(at: offset, count: cb) else { return nil }
        if bid & 2 == 0, crypt == 1 { for i in b.indices { b[i] = Self.decode[Int(b[i])] } }
        return b
    }

    /// A node's data as its list of blocks (an XBLOCK / XXBLOCK tree flattened).
    func dataBlocks(_ bid: UInt64, depth: Int = 0, total: inout Int) -> [[UInt8]]? {
        guard depth < 3, let b = block(bid) else { return nil }
        if bid & 2 == 0 {
            total += b.count
            return total <= Self.maxNode ? [b] : nil
        }
        guard b.count >= 8, b[0] == 1 else { return nil }
        let count = Self.u16(b, 2)
        var out: [[UInt8]] = []
        for i in 0..<count {
            let o = 8 + i * idSize
            guard o + idSize <= b.count, let sub = dataBlocks(id(b, o), depth: depth + 1, total: &total) else { return nil }
            out += sub
        }
        return out
    }

    /// Finds a subnode of a node through its SLBLOCK / SIBLOCK tree.
    func subnode(_ sub: UInt64, _ nid: UInt32, depth: Int = 0) -> (data: UInt64, sub: UInt64)? {
        guard sub != 0, depth < 4, let b = block(sub), b.count >= 8, b[0] == 2 else { return nil }
        let level = Int(b[1]), count = Self.u16(b, 2)
        let start = unicode ? 8 : 4
        let entrySize = level == 0 ? 3 * idSize : 2 * idSize
        for i in 0..<count {
            let o = start + i * entrySize
            guard o + entrySize <= b.count else { return nil }
            let k = UInt32(truncatingIfNeeded: id(b, o))
            if level == 0 {
                if k == nid { return (id(b, o + idSize), id(b, o + 2 * idSize)) }
            } else {
                let nextKey = i + 1 < count ? UInt32(truncatingIfNeeded: id(b, o + entrySize)) : UInt32.max
                if nid >= k && (nid < nextKey || i + 1 == count) { return subnode(id(b, o + idSize), nid, depth: depth + 1) }
            }
        }
        return nil
    }

    // MARK: heap-on-node and property context

    struct Heap {
        let blocks: [[UInt8]]
        let clientSig: UInt8
        let userRoot: UInt32

        init?(_ blocks: [[UInt8]]) {
            guard let first = blocks.first, first.count >= 12, first[2] == 0xEC else { return nil }
            self.blocks = blocks
            clientSig = first[3]
            userRoot = PSTRaw.u32(first, 4)
        }

        func item(_ hid: UInt32) -> [UInt8]? {
            guard hid & 0x1F == 0 else { return nil }
            let index = Int((hid >> 5) & 0x7FF), blockIndex = Int(hid >> 16)
            guard index > 0, blockIndex < blocks.count else { return nil }
            let b = blocks[blockIndex]
            let map = PSTRaw.u16(b, 0)
            let allocs = PSTRaw.u16(b, map)
            guard index <= allocs, map + 4 + 2 * (index + 1) <= b.count else { return nil }
            let start = PSTRaw.u16(b, map + 4 + 2 * (index - 1)), end = PSTRaw.u16(b, map + 4 + 2 * index)
            guard start <= end, end <= b.count else { return nil }
            return Array(b[start..<end])
        }
    }

    /// The leaf records of a BTH as (key, data) byte pairs.
    func bthRecords(_ heap: Heap, _ hid: UInt32) -> [([UInt8], [UInt8])]? {
        guard let h = heap.item(hid), h.count >= 8, h[0] == 0xB5 else { return nil }
        let keySize = Int(h[1]), dataSize = Int(h[2]), levels = Int(h[3])
        guard keySize > 0, levels < 8 else { return nil }
        var out: [([UInt8], [UInt8])] = []
        func walk(_ hid: UInt32, _ level: Int) -> Bool {
            if hid == 0 { return true }
            guard let rec = heap.item(hid) else { return false }
            let size = level > 0 ? keySize + 4 : keySize + dataSize
            guard size > 0 else { return false }
            var o = 0
            while o + size <= rec.count {
                if level > 0 {
                    guard walk(PSTRaw.u32(rec, o + keySize), level - 1) else { return false }
                } else {
                    out.append((Array(rec[o..<o + keySize]), Array(rec[o + keySize..<o + size])))
                }
                o += size
                if out.count > 100_000 { return false }
            }
            return true
        }
        guard walk(Self.u32(h, 4), levels) else { return nil }
        return out
    }

    /// Every property of an item (message, contact, appointment...), as libpff would give
    /// them; nil when the item cannot be read this way either.
    public func properties(of nid: UInt32) -> [PffProperty]? {
        guard let (dataBid, subBid) = node(nid) else { return nil }
        var total = 0
        guard let blocks = dataBlocks(dataBid, total: &total), let heap = Heap(blocks), heap.clientSig == 0xBC,
              let records = bthRecords(heap, heap.userRoot) else { return nil }
        let named = nameMap()
        var out: [PffProperty] = []
        for (key, data) in records where key.count == 2 && data.count == 6 {
            let pid = UInt16(Self.u16(key, 0)), type = UInt16(Self.u16(data, 0))
            let raw = Self.u32(data, 2)
            var value: [UInt8]
            let base = type & 0x0FFF
            // Values of four bytes or less sit in the record itself; booleans are one byte, as
            // libpff gives them.
            let single = type & 0x1000 == 0
            let inline: Int? = !single ? nil : base == 0x000B ? 1 : base == 0x0002 ? 2
                : ([0x0003, 0x0004, 0x000A, 0x0000].contains(base) ? 4 : nil)
            if let n = inline {
                value = Array([UInt8(raw & 0xFF), UInt8(raw >> 8 & 0xFF), UInt8(raw >> 16 & 0xFF), UInt8(raw >> 24)].prefix(n))
            } else if raw == 0 {
                value = []
            } else if raw & 0x1F == 0 {
                guard let v = heap.item(raw) else { continue }
                value = v
            } else {
                guard let (d, _) = subnode(subBid, raw) else { continue }
                var t = 0
                guard let parts = dataBlocks(d, total: &t) else { continue }
                value = parts.flatMap { $0 }
            }
            var prop = PffProperty(id: pid, type: type, data: value, values: [], named: nil)
            if type & 0x1000 != 0 { prop.values = Self.multi(type, value) }
            if pid >= 0x8000 { prop.named = named[pid] }
            out.append(prop)
        }
        return out.isEmpty ? nil : out
    }

    /// Whether an item has a given subnode: 0x692 is its recipient table, 0x671 its attachment
    /// table (MS-PST 2.4.4.4).
    public func hasSubnode(of nid: UInt32, _ sub: UInt32) -> Bool {
        guard let (_, subBid) = node(nid) else { return false }
        return subnode(subBid, sub) != nil
    }

    /// Multi-valued data: fixed-size values back to back; variable ones behind a count and
    /// an offset table.
    static func multi(_ type: UInt16, _ v: [UInt8]) -> [[UInt8]] {
        let fixed: [UInt16: Int] = [0x1002: 2, 0x1003: 4, 0x1004: 4, 0x1005: 8, 0x1006: 8, 0x1007: 8, 0x1014: 8, 0x1040: 8, 0x1048: 16]
        if let n = fixed[type] { return stride(from: 0, to: v.count - n + 1, by: n).map { Array(v[$0..<$0 + n]) } }
        let count = Int(u32(v, 0))
        guard count > 0, 4 + count * 4 <= v.count else { return [] }
        var out: [[UInt8]] = []
        for i in 0..<count {
            let s = Int(u32(v, 4 + i * 4)), e = i + 1 < count ? Int(u32(v, 8 + i * 4)) : v.count
            guard s <= e, e <= v.count else { return out }
            out.append(Array(v[s..<e]))
        }
        return out
    }

    /// The file's named-property map (node 0x61): the same three streams as in a .msg.
    func nameMap() -> [UInt16: PffNamedKey] {
        if let names { return names }
        var map: [UInt16: PffNamedKey] = [:]
        defer { names = map }
        guard let (dataBid, subBid) = node(0x61) else { return map }
        var total = 0
        guard let blocks = dataBlocks(dataBid, total: &total), let heap = Heap(blocks),
              let records = bthRecords(heap, heap.userRoot) else { return map }
        func value(_ pid: Int) -> [UInt8] {
            guard let r = records.first(where: { Self.u16($0.0, 0) == pid }), r.1.count == 6 else { return [] }
            let raw = Self.u32(r.1, 2)
            if raw & 0x1F == 0 { return heap.item(raw) ?? [] }
            guard let (d, _) = subnode(subBid, raw) else { return [] }
            var t = 0
            return dataBlocks(d, total: &t)?.flatMap { $0 } ?? []
        }
        let guids = value(0x0002), entries = value(0x0003), strings = value(0x0004)
        let mapi: [UInt8] = [0x28, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]
        let publicStrings: [UInt8] = [0x29, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]
        var o = 0
        while o + 8 <= entries.count {
            let v = Self.u32(entries, o), indexKind = Self.u32(entries, o + 4)
            o += 8
            let guidIndex = Int((indexKind >> 1) & 0x7FFF), propIndex = Int(indexKind >> 16)
            guard propIndex < 0x8000 else { continue }
            let guid: [UInt8]
            switch guidIndex {
            case 1: guid = mapi
            case 2: guid = publicStrings
            case 0: continue
            default:
                let g = (guidIndex - 3) * 16
                guard g >= 0, g + 16 <= guids.count else { continue }
                guid = Array(guids[g..<g + 16])
            }
            if indexKind & 1 == 1 {
                let so = Int(v)
                guard so + 4 <= strings.count else { continue }
                let len = Int(Self.u32(strings, so))
                guard len >= 0, so + 4 + len <= strings.count else { continue }
                var units: [UInt16] = []
                var i = so + 4
                while i + 1 < so + 4 + len { units.append(UInt16(Self.u16(strings, i))); i += 2 }
                map[UInt16(0x8000 + propIndex)] = PffNamedKey(guid: guid, number: nil, name: String(decoding: units, as: UTF16.self))
            } else {
                map[UInt16(0x8000 + propIndex)] = PffNamedKey(guid: guid, number: v, name: nil)
            }
        }
        return map
    }

    // MARK: permutation (MS-PST 5.1)

    /// mpbbR, the encoding half of MS-PST's permutation table; decoding uses its inverse.
    static let encode: [UInt8] = [
        65, 54, 19, 98, 168, 33, 110, 187, 244, 22, 204, 4, 127, 100, 232, 93,
        30, 242, 203, 42, 116, 197, 94, 53, 210, 149, 71, 158, 150, 45, 154, 136,
        76, 125, 132, 63, 219, 172, 49, 182, 72, 95, 246, 196, 216, 57, 139, 231,
        35, 59, 56, 142, 200, 193, 223, 37, 177, 32, 165, 70, 96, 78, 156, 251,
        170, 211, 86, 81, 69, 124, 85, 0, 7, 201, 43, 157, 133, 155, 9, 160,
        143, 173, 179, 15, 99, 171, 137, 75, 215, 167, 21, 90, 113, 102, 66, 191,
        38, 74, 107, 152, 250, 234, 119, 83, 178, 112, 5, 44, 253, 89, 58, 134,
        126, 206, 6, 235, 130, 120, 87, 199, 141, 67, 175, 180, 28, 212, 91, 205,
        226, 233, 39, 79, 195, 8, 114, 128, 207, 176, 239, 245, 40, 109, 190, 48,
        77, 52, 146, 213, 14, 60, 34, 50, 229, 228, 249, 159, 194, 209, 10, 129,
        18, 225, 238, 145, 131, 118, 227, 151, 230, 97, 138, 23, 121, 164, 183, 220,
        144, 122, 92, 140, 2, 166, 202, 105, 222, 80, 26, 17, 147, 185, 82, 135,
        88, 252, 237, 29, 55, 73, 27, 106, 224, 41, 51, 153, 189, 108, 217, 148,
        243, 64, 84, 111, 240, 198, 115, 184, 214, 62, 101, 24, 68, 31, 221, 103,
        16, 241, 12, 25, 236, 174, 3, 161, 20, 123, 169, 11, 255, 248, 163, 192,
        162, 1, 247, 46, 188, 36, 104, 117, 13, 254, 186, 47, 181, 208, 218, 61,
    ]

    static let decode: [UInt8] = {
        var d = [UInt8](repeating: 0, count: 256)
        for (i, e) in encode.enumerated() { d[Int(e)] = UInt8(i) }
        return d
    }()
}
