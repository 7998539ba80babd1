"""An independent, strict reader for compound files ([MS-CFB] v3/v4), used only to verify what
cfb.py wrote.  It checks the header, follows the DIFAT/FAT/mini FAT, refuses cycles, sectors
used twice, chains that do not match stream sizes, sibling trees out of [MS-CFB] order, broken
red-black colouring and unreachable or doubly-linked directory entries.  Returns the tree as
{path: bytes} for streams and {path + '/': None} for storages ('/' separates levels)."""
import struct

FREESECT, ENDOFCHAIN, FATSECT, DIFSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF


class CFBError(ValueError):
    pass


def _need(cond, msg):
    if not cond:
        raise CFBError(msg)


def _key(name):
    units = name.upper().encode("utf-16-le")
    return (len(units), [units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)])


class Reader:
    def __init__(self, data):
        _need(len(data) >= 512 and data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"), "bad signature")
        minor, major, order, sshift, mshift = struct.unpack_from("<HHHHH", data, 24)
        _need(order == 0xFFFE, "byte order mark")
        _need((major, sshift) in ((3, 9), (4, 12)) and mshift == 6, "version/sector shift")
        (ndir, nfat, dir_start, _, cutoff, mfat_start, nmfat, difat_start,
         ndifat) = struct.unpack_from("<IIIIIIIII", data, 40)
        _need(cutoff == 4096, "mini stream cutoff")
        _need(major == 4 or ndir == 0, "directory sector count must be 0 in v3")
        self.data, self.ss = data, 1 << sshift
        _need((len(data) - self.ss) % self.ss == 0 or major == 3 and (len(data) - 512) % 512 == 0,
              "file is not a whole number of sectors")
        self.nsec = (len(data) - self.ss) // self.ss
        difat = list(struct.unpack_from("<109I", data, 76))
        sec, seen = difat_start, set()
        for _ in range(ndifat):
            _need(sec < self.nsec and sec not in seen, "bad DIFAT chain")
            seen.add(sec)
            vals = struct.unpack_from(f"<{self.ss // 4}I", self.sector(sec))
            difat += vals[:-1]
            sec = vals[-1]
        fat_secs = [s for s in difat if s != FREESECT]
        _need(len(fat_secs) == nfat, f"header says {nfat} FAT sectors, DIFAT lists {len(fat_secs)}")
        self.fat = []
        for s in fat_secs:
            self.fat += struct.unpack_from(f"<{self.ss // 4}I", self.sector(s))
        _need(len(self.fat) >= self.nsec, "FAT shorter than the file")
        for s in fat_secs:
            _need(self.fat[s] == FATSECT, f"FAT sector {s} not marked FATSECT")
        self.used = {s: "fat" for s in fat_secs}
        self.dirdata = self.chain(dir_start, None, "directory")
        self.mfat = list(struct.unpack(f"<{len(b) // 4}I", b)) if (
            b := self.chain(mfat_start, None, "minifat") if nmfat else b"") else []
        _need(nmfat == 0 or len(self.mfat) == nmfat * self.ss // 4, "mini FAT size")
        self.entries = [self.entry(i) for i in range(len(self.dirdata) // 128)]
        root = self.entries[0]
        _need(root["type"] == 5, "entry 0 is not the root")
        self.ministream = self.chain(root["start"], root["size"], "ministream") if root["size"] else b""
        self.mini_used = set()
        self.tree = {}
        self.reached = {0}
        self.walk(0, "")
        for i, e in enumerate(self.entries):
            if e["type"] != 0:
                _need(i in self.reached, f"directory entry {i} ({e['name']}) is unreachable")
        for s in range(self.nsec):
            if self.fat[s] not in (FREESECT,) and s not in self.used:
                raise CFBError(f"sector {s} is allocated in the FAT but used by nothing")

    def sector(self, s):
        off = self.ss + s * self.ss
        return self.data[off:off + self.ss]

    def chain(self, start, size, what):
        out, s, seen = bytearray(), start, set()
        while s != ENDOFCHAIN:
            _need(s < self.nsec, f"{what}: sector {s:#x} out of range")
            _need(s not in seen, f"{what}: cycle")
            _need(s not in self.used, f"{what}: sector {s} already used by {self.used.get(s)}")
            seen.add(s)
            self.used[s] = what
            out += self.sector(s)
            s = self.fat[s]
        if size is not None:
            _need(len(out) >= size and len(out) - size < self.ss, f"{what}: chain length vs size {size}")
            return bytes(out[:size])
        return bytes(out)

    def minichain(self, start, size, what):
        out, s, seen = bytearray(), start, set()
        while s != ENDOFCHAIN:
            _need(s < len(self.mfat) and (s + 1) * 64 <= len(self.ministream), f"{what}: mini sector range")
            _need(s not in seen and s not in self.mini_used, f"{what}: mini sector reused")
            seen.add(s)
            self.mini_used.add(s)
            out += self.ministream[s * 64:(s + 1) * 64]
            s = self.mfat[s]
        _need(len(out) >= size and len(out) - size < 64, f"{what}: mini chain length vs size")
        return bytes(out[:size])

    def entry(self, i):
        raw = self.dirdata[i * 128:(i + 1) * 128]
        nlen, kind, colour, left, right, child = struct.unpack_from("<HBBIII", raw, 64)
        start, size = struct.unpack_from("<IQ", raw, 116)
        if kind == 0:
            return {"type": 0, "name": ""}
        _need(nlen % 2 == 0 and 2 <= nlen <= 64 and raw[nlen - 2:nlen] == b"\0\0", f"entry {i}: name length")
        name = raw[:nlen - 2].decode("utf-16-le")
        _need(kind in (1, 2, 5) and colour in (0, 1), f"entry {i}: type/colour")
        return {"type": kind, "name": name, "colour": colour, "left": left, "right": right,
                "child": child, "start": start, "size": size & 0xFFFFFFFF}

    def siblings(self, top, path):
        """In-order list of a sibling tree; checks BST order and red-black rules."""
        order = []

        def visit(i, lo, hi, parent_red):
            if i == NOSTREAM:
                return 1
            _need(i < len(self.entries) and i not in self.reached, f"{path}: entry {i} linked twice")
            self.reached.add(i)
            e = self.entries[i]
            _need(e["type"] in (1, 2), f"{path}: bad sibling entry {i}")
            k = _key(e["name"])
            _need((lo is None or lo < k) and (hi is None or k < hi), f"{path}: siblings out of order at {e['name']}")
            red = e["colour"] == 0
            _need(not (red and parent_red), f"{path}: red node {e['name']} under a red parent")
            bl = visit(e["left"], lo, k, red)
            order.append(i)
            br = visit(e["right"], k, hi, red)
            _need(bl == br, f"{path}: unequal black height under {e['name']}")
            return bl + (0 if red else 1)

        if top != NOSTREAM:
            _need(self.entries[top]["colour"] == 1, f"{path}: sibling tree root is red")
        visit(top, None, None, False)
        return order

    def walk(self, i, path):
        for c in self.siblings(self.entries[i]["child"], path or "/"):
            e = self.entries[c]
            p = f"{path}/{e['name']}" if path else e["name"]
            if e["type"] == 1:
                _need(e["start"] == 0 and e["size"] == 0, f"{p}: storage with data")
                self.tree[p + "/"] = None
                self.walk(c, p)
            elif e["size"] == 0:
                _need(e["start"] in (ENDOFCHAIN, 0), f"{p}: empty stream with a start sector")
                self.tree[p] = b""
            elif e["size"] < 4096:
                self.tree[p] = self.minichain(e["start"], e["size"], p)
            else:
                self.tree[p] = self.chain(e["start"], e["size"], p)


def read(data):
    return Reader(data).tree
