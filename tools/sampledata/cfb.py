"""A minimal, correct writer for the OLE2 Compound File Binary format ([MS-CFB], version 3:
512-byte sectors, 64-byte mini sectors, mini stream cutoff 4096).  Used for Outlook .msg.

Layout written (all regular sectors after the 512-byte header):
    [FAT sectors][directory sectors][mini FAT sectors][mini stream sectors][large streams]
No DIFAT sectors (the 109 header slots are enough for files up to ~6.8 MB).  Every sibling
list is stored as a balanced binary search tree in [MS-CFB] order (shorter name first, then
upper-cased UTF-16 code units) and coloured as a valid red-black tree: nodes on the deepest
level red, all others black (a perfect tree is all black).  Timestamps are zero, so the output is byte-stable."""
import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
RED, BLACK = 0, 1
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class Stream:
    def __init__(self, name, data):
        self.name, self.data = name, bytes(data)


class Storage:
    def __init__(self, name, children=(), clsid=b"\0" * 16):
        self.name, self.children, self.clsid = name, list(children), clsid


def sort_key(name):
    """[MS-CFB] 2.6.4: compare by length first, then by upper-cased UTF-16 code units."""
    units = name.upper().encode("utf-16-le")
    return (len(units), [units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)])


def _entries(root):
    """Flatten into [(node, parent_index)] in pre-order; index 0 is the root."""
    out = [(root, None)]
    i = 0
    while i < len(out):
        node, _ = out[i]
        if isinstance(node, Storage):
            names = [c.name for c in node.children]
            assert len(names) == len({n.upper() for n in names}), f"duplicate names in {node.name}"
            for c in sorted(node.children, key=lambda c: sort_key(c.name)):
                out.append((c, i))
        i += 1
    return out


def _tree(ids):
    """Balanced BST over ids (already sorted).  Returns (root, {id: (left, right, colour)})."""
    links = {}

    def build(lo, hi, depth, out_depths):
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        left = build(lo, mid, depth + 1, out_depths)
        right = build(mid + 1, hi, depth + 1, out_depths)
        links[ids[mid]] = [left, right]
        out_depths[ids[mid]] = depth
        return ids[mid]

    depths = {}
    root = build(0, len(ids), 0, depths)
    deepest = max(depths.values(), default=0)
    # A middle-split tree has every level full except the last, so colouring the last level
    # red (when it is not the root's) gives equal black height on every path, no red-red.
    perfect = len(ids) == (1 << (deepest + 1)) - 1
    for i, d in depths.items():
        colour = RED if d == deepest and d > 0 and not perfect else BLACK
        links[i].append(colour)
    return root, links


def _chain(fat, start, count):
    for k in range(count):
        fat[start + k] = start + k + 1 if k < count - 1 else ENDOFCHAIN


def write(root):
    """Bytes of a compound file for the Storage `root` (its name is replaced by 'Root Entry')."""
    flat = _entries(root)
    n = len(flat)
    children = {i: [] for i in range(n)}
    for i, (_, parent) in enumerate(flat):
        if parent is not None:
            children[parent].append(i)
    child_of, links = {}, {}
    for i, kids in children.items():
        if kids:
            r, l = _tree(kids)
            child_of[i] = r
            links.update(l)

    # Stream placement: small streams in the mini stream, large ones in regular sectors.
    mini, big = {}, {}
    mini_data, mini_fat = bytearray(), []
    for i, (node, _) in enumerate(flat):
        if isinstance(node, Stream) and node.data:
            if len(node.data) < CUTOFF:
                start = len(mini_data) // MINI
                count = -(-len(node.data) // MINI)
                mini[i] = start
                mini_data += node.data + b"\0" * (count * MINI - len(node.data))
                mini_fat += [start + k + 1 if k < count - 1 else ENDOFCHAIN for k in range(count)]
            else:
                big[i] = None
    dir_secs = -(-n * 128 // SECTOR)
    mfat_secs = -(-len(mini_fat) * 4 // SECTOR)
    mstream_secs = -(-len(mini_data) // SECTOR)
    big_secs = sum(-(-len(flat[i][0].data) // SECTOR) for i in big)
    rest = dir_secs + mfat_secs + mstream_secs + big_secs
    fat_secs = 1
    while fat_secs * 128 < fat_secs + rest:
        fat_secs += 1
    assert fat_secs <= 109, "file too large for a DIFAT-free compound file"
    total = fat_secs + rest
    fat = [FREESECT] * (fat_secs * 128)
    for k in range(fat_secs):
        fat[k] = FATSECT
    pos = fat_secs
    dir_start = pos
    _chain(fat, pos, dir_secs)
    pos += dir_secs
    mfat_start = pos if mfat_secs else ENDOFCHAIN
    _chain(fat, pos, mfat_secs)
    pos += mfat_secs
    mstream_start = pos if mstream_secs else ENDOFCHAIN
    _chain(fat, pos, mstream_secs)
    pos += mstream_secs
    for i in big:
        count = -(-len(flat[i][0].data) // SECTOR)
        big[i] = pos
        _chain(fat, pos, count)
        pos += count
    assert pos == total

    # Directory entries.
    dirs = bytearray()
    for i, (node, _) in enumerate(flat):
        name = "Root Entry" if i == 0 else node.name
        assert 0 < len(name) <= 31, name
        raw = name.encode("utf-16-le") + b"\0\0"
        left, right, colour = links.get(i, [NOSTREAM, NOSTREAM, BLACK])
        if i == 0:
            kind, start, size, clsid = 5, mstream_start, len(mini_data), node.clsid
        elif isinstance(node, Storage):
            kind, start, size, clsid = 1, 0, 0, node.clsid
        else:
            kind, clsid, size = 2, b"\0" * 16, len(node.data)
            start = mini.get(i, big.get(i, ENDOFCHAIN))
        dirs += raw.ljust(64, b"\0") + struct.pack(
            "<HBBIII16sIQQIQ", len(raw), kind, colour, left, right, child_of.get(i, NOSTREAM),
            clsid, 0, 0, 0, start, size)
    while len(dirs) < dir_secs * SECTOR:   # unallocated entries
        dirs += b"\0" * 64 + struct.pack("<HBBIII16sIQQIQ", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                                         b"\0" * 16, 0, 0, 0, 0, 0)

    difat = list(range(fat_secs)) + [FREESECT] * (109 - fat_secs)
    header = SIGNATURE + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_secs, dir_start, 0,
        CUTOFF, mfat_start, mfat_secs, ENDOFCHAIN, 0) + struct.pack("<109I", *difat)
    assert len(header) == SECTOR
    body = bytearray(struct.pack(f"<{len(fat)}I", *fat))
    body += dirs
    mf = mini_fat + [FREESECT] * (mfat_secs * 128 - len(mini_fat))
    body += struct.pack(f"<{len(mf)}I", *mf)
    body += bytes(mini_data) + b"\0" * (mstream_secs * SECTOR - len(mini_data))
    for i in big:
        data = flat[i][0].data
        body += data + b"\0" * (-len(data) % SECTOR)
    assert len(body) == total * SECTOR
    return header + bytes(body)
