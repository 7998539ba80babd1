"""Traditional PKWARE ("ZipCrypto") encryption, written out by hand because zipfile can only
decrypt.  Spec: APPNOTE.TXT section 6.1.  Deterministic: the 12-byte encryption header uses a
seeded RNG, and the last header byte is the high byte of the CRC (what readers check)."""
import struct
import zlib

from .mail import stable_rng


def _crc_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


CRC_TABLE = _crc_table()


def _crc_byte(crc, b):
    """One step of the raw CRC-32 update (no pre/post inversion), as the key schedule uses."""
    return CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)


class ZipCryptoKeys:
    def __init__(self, password):
        self.k0, self.k1, self.k2 = 0x12345678, 0x23456789, 0x34567890
        for b in password:
            self.update(b)

    def update(self, b):
        self.k0 = _crc_byte(self.k0, b)
        self.k1 = (self.k1 + (self.k0 & 0xFF)) & 0xFFFFFFFF
        self.k1 = (self.k1 * 134775813 + 1) & 0xFFFFFFFF
        self.k2 = _crc_byte(self.k2, self.k1 >> 24)

    def stream_byte(self):
        t = (self.k2 | 2) & 0xFFFF
        return ((t * (t ^ 1)) >> 8) & 0xFF

    def encrypt(self, data):
        out = bytearray()
        for p in data:
            out.append(p ^ self.stream_byte())
            self.update(p)
        return bytes(out)


def _dos_datetime(dt):
    y, mo, d, h, mi, s = dt
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def encrypted_zip(entries, password, seed, date_time=(2024, 3, 19, 9, 30, 0)):
    """Build a zip whose members are deflated and ZipCrypto-encrypted.

    entries: [(name, bytes)].  Returns the archive bytes."""
    rng = stable_rng("zipcrypto", seed)
    dos_time, dos_date = _dos_datetime(date_time)
    local, central = bytearray(), bytearray()
    for name, data in entries:
        fname = name.encode("utf-8")
        crc = zlib.crc32(data) & 0xFFFFFFFF
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = comp.compress(data) + comp.flush()
        keys = ZipCryptoKeys(password)
        header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
        payload = keys.encrypt(header + deflated)
        flags = 0x0001 | (0x0800 if not fname.isascii() else 0)   # encrypted (+ UTF-8 names)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date,
                             crc, len(payload), len(data), len(fname), 0) + fname + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, 8,
                               dos_time, dos_date, crc, len(payload), len(data), len(fname),
                               0, 0, 0, 0, 0o100644 << 16, offset) + fname
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                       len(central), len(local), 0)
    return bytes(local + central + eocd)
