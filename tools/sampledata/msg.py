"""Outlook .msg writer ([MS-OXMSG]): MAPI properties laid out as CFB storages and streams.

A message storage holds `__properties_version1.0` (a header, then one 16-byte entry per
property: tag, flags, and either the fixed-size value or the size of a variable-size value),
one `__substg1.0_TTTTtttt` stream per variable-size property, `__recip_version1.0_#N`
storages, `__attach_version1.0_#N` storages and, at the top level only, the named-property
storage `__nameid_version1.0`.  Property header sizes: 32 bytes for the top-level message,
24 for an embedded message, 8 for recipient and attachment objects.  String sizes in the
property stream count the terminating NUL (2 bytes for PtypString 001F, 1 for PtypString8
001E); the streams themselves hold no terminator."""
import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import cfb

PT_LONG, PT_BOOLEAN, PT_SYSTIME, PT_OBJECT = 0x0003, 0x000B, 0x0040, 0x000D
PT_STRING8, PT_UNICODE, PT_BINARY = 0x001E, 0x001F, 0x0102
FLAGS = 0x00000006            # PROPATTR_READABLE | PROPATTR_WRITABLE
MESSAGE_CLSID = bytes.fromhex("0B0D020000000000C000000000000046")   # {00020D0B-...-46}
STR = object()                # marker: "a string property, typed by the message's charset"

# Property ids used below (name -> id); the type comes with each value.
P = dict(
    MESSAGE_CLASS=0x001A, SUBJECT=0x0037, SUBJECT_PREFIX=0x003D, NORMALIZED_SUBJECT=0x0E1D,
    CONVERSATION_TOPIC=0x0070, BODY=0x1000, SENDER_NAME=0x0C1A, SENDER_EMAIL_ADDRESS=0x0C1F,
    SENDER_ADDRTYPE=0x0C1E, SENDER_SMTP_ADDRESS=0x5D01, SENT_REPRESENTING_NAME=0x0042,
    SENT_REPRESENTING_EMAIL_ADDRESS=0x0065, SENT_REPRESENTING_ADDRTYPE=0x0064,
    SENT_REPRESENTING_SMTP_ADDRESS=0x5D02, DISPLAY_TO=0x0E04, DISPLAY_CC=0x0E03,
    DISPLAY_BCC=0x0E02, INTERNET_MESSAGE_ID=0x1035, IN_REPLY_TO_ID=0x1042,
    TRANSPORT_MESSAGE_HEADERS=0x007D, CLIENT_SUBMIT_TIME=0x0039, MESSAGE_DELIVERY_TIME=0x0E06,
    CREATION_TIME=0x3007, LAST_MODIFICATION_TIME=0x3008, MESSAGE_FLAGS=0x0E07, HASATTACH=0x0E1B,
    MESSAGE_CODEPAGE=0x3FFD, INTERNET_CPID=0x3FDE, STORE_SUPPORT_MASK=0x340D, IMPORTANCE=0x0017,
    SENSITIVITY=0x0036, PRIORITY=0x0026,
    RECIPIENT_TYPE=0x0C15, ROWID=0x3000, DISPLAY_NAME=0x3001, ADDRTYPE=0x3002,
    EMAIL_ADDRESS=0x3003, SMTP_ADDRESS=0x39FE, DISPLAY_TYPE=0x3900, OBJECT_TYPE=0x0FFE,
    ATTACH_NUM=0x0E21, ATTACH_SIZE=0x0E20, ATTACH_METHOD=0x3705, RENDERING_POSITION=0x370B,
    ATTACH_FILENAME=0x3704, ATTACH_LONG_FILENAME=0x3707, ATTACH_EXTENSION=0x3703,
    ATTACH_MIME_TAG=0x370E, ATTACH_DATA=0x3701,
)
STORE_UNICODE_OK = 0x00040000


def filetime(dt):
    """FILETIME (100 ns ticks since 1601-01-01 UTC) for an aware datetime."""
    epoch = datetime(1601, 1, 1, tzinfo=timezone.utc)
    delta = dt.astimezone(timezone.utc) - epoch
    return (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


@dataclass
class Attachment:
    filename: str                     # long file name, or the display name of an embedded msg
    data: bytes = b""
    mime: str = "application/octet-stream"
    message: "Message" = None         # set for attach method 5 (embedded message)


@dataclass
class Message:
    subject: str
    body: str
    sender: tuple                     # (display name, smtp address)
    to: list
    submit: datetime
    delivered: datetime
    message_id: str
    cc: list = field(default_factory=list)
    prefix: str = ""                  # "FW: " / "RE: "
    headers: str = ""                 # transport headers (received items only)
    attachments: list = field(default_factory=list)
    unicode: bool = True              # False: PtypString8 strings in `codepage`
    codepage: int = 1252
    read: bool = True


class _Props:
    def __init__(self, unicode, codepage):
        self.unicode, self.codepage, self.fixed, self.streams = unicode, codepage, [], []

    def add(self, name, ptype, value):
        pid = P[name]
        if ptype is STR:
            ptype = PT_UNICODE if self.unicode else PT_STRING8
        tag = pid << 16 | ptype
        if ptype in (PT_UNICODE, PT_STRING8, PT_BINARY):
            if ptype == PT_UNICODE:
                raw = value.encode("utf-16-le")
                size = len(raw) + 2
            elif ptype == PT_STRING8:
                raw = value.encode(f"cp{self.codepage}")
                size = len(raw) + 1
            else:
                raw = value
                size = len(raw)
            self.streams.append(cfb.Stream(f"__substg1.0_{tag:08X}", raw))
            self.fixed.append((tag, struct.pack("<IIII", tag, FLAGS, size, 0)))
        elif ptype == PT_OBJECT:
            self.fixed.append((tag, struct.pack("<IIII", tag, FLAGS, 0xFFFFFFFF, 0)))
        else:
            val = {PT_LONG: lambda v: struct.pack("<I", v & 0xFFFFFFFF).ljust(8, b"\0"),
                   PT_BOOLEAN: lambda v: struct.pack("<B", 1 if v else 0).ljust(8, b"\0"),
                   PT_SYSTIME: lambda v: struct.pack("<Q", filetime(v))}[ptype](value)
            self.fixed.append((tag, struct.pack("<II", tag, FLAGS) + val))

    def stream(self, header):
        return cfb.Stream("__properties_version1.0",
                          header + b"".join(e for _, e in sorted(self.fixed)))


def _recipient(i, rtype, name, addr, m):
    p = _Props(m.unicode, m.codepage)
    p.add("RECIPIENT_TYPE", PT_LONG, rtype)
    p.add("ROWID", PT_LONG, i)
    p.add("OBJECT_TYPE", PT_LONG, 6)          # MAPI_MAILUSER
    p.add("DISPLAY_TYPE", PT_LONG, 0)         # DT_MAILUSER
    p.add("DISPLAY_NAME", STR, name)
    p.add("ADDRTYPE", STR, "SMTP")
    p.add("EMAIL_ADDRESS", STR, addr)
    p.add("SMTP_ADDRESS", STR, addr)
    return cfb.Storage(f"__recip_version1.0_#{i:08X}", [p.stream(b"\0" * 8)] + p.streams)


def _short_name(filename):
    stem, _, ext = filename.rpartition(".")
    stem = "".join(c for c in stem.upper() if c.isalnum())[:6] or "ATTACH"
    return f"{stem}~1.{ext.upper()[:3]}" if ext else f"{stem}~1"


def _attachment(i, a, m):
    p = _Props(m.unicode, m.codepage)
    p.add("ATTACH_NUM", PT_LONG, i)
    p.add("OBJECT_TYPE", PT_LONG, 7)          # MAPI_ATTACH
    p.add("RENDERING_POSITION", PT_LONG, -1)
    p.add("DISPLAY_NAME", STR, a.filename)
    extra = []
    if a.message is None:
        p.add("ATTACH_METHOD", PT_LONG, 1)    # afByValue
        p.add("ATTACH_SIZE", PT_LONG, len(a.data))
        p.add("ATTACH_LONG_FILENAME", STR, a.filename)
        p.add("ATTACH_FILENAME", STR, _short_name(a.filename))
        p.add("ATTACH_EXTENSION", STR, "." + a.filename.rpartition(".")[2])
        p.add("ATTACH_MIME_TAG", STR, a.mime)
        p.add("ATTACH_DATA", PT_BINARY, a.data)
    else:
        p.add("ATTACH_METHOD", PT_LONG, 5)    # afEmbeddedMessage
        p.add("ATTACH_MIME_TAG", STR, "message/rfc822")
        p.add("ATTACH_DATA", PT_OBJECT, None)
        inner = _message_children(a.message, top=False)
        extra.append(cfb.Storage(f"__substg1.0_{P['ATTACH_DATA'] << 16 | PT_OBJECT:08X}", inner,
                                 clsid=MESSAGE_CLSID))
    return cfb.Storage(f"__attach_version1.0_#{i:08X}", [p.stream(b"\0" * 8)] + p.streams + extra)


def _message_children(m, top):
    p = _Props(m.unicode, m.codepage)
    normalized = m.subject[len(m.prefix):] if m.prefix and m.subject.startswith(m.prefix) else m.subject
    p.add("MESSAGE_CLASS", STR, "IPM.Note")
    p.add("SUBJECT", STR, m.subject)
    p.add("SUBJECT_PREFIX", STR, m.prefix)
    p.add("NORMALIZED_SUBJECT", STR, normalized)
    p.add("CONVERSATION_TOPIC", STR, normalized)
    p.add("BODY", STR, m.body.replace("\n", "\r\n"))
    name, addr = m.sender
    for pre in ("SENDER", "SENT_REPRESENTING"):
        p.add(f"{pre}_NAME", STR, name)
        p.add(f"{pre}_EMAIL_ADDRESS", STR, addr)
        p.add(f"{pre}_ADDRTYPE", STR, "SMTP")
        p.add(f"{pre}_SMTP_ADDRESS", STR, addr)
    p.add("DISPLAY_TO", STR, "; ".join(n for n, _ in m.to))
    p.add("DISPLAY_CC", STR, "; ".join(n for n, _ in m.cc))
    p.add("DISPLAY_BCC", STR, "")
    p.add("INTERNET_MESSAGE_ID", STR, m.message_id)
    if m.headers:
        p.add("TRANSPORT_MESSAGE_HEADERS", STR, m.headers.replace("\r\n", "\n").replace("\n", "\r\n"))
    p.add("CLIENT_SUBMIT_TIME", PT_SYSTIME, m.submit)
    p.add("MESSAGE_DELIVERY_TIME", PT_SYSTIME, m.delivered)
    p.add("CREATION_TIME", PT_SYSTIME, m.delivered)
    p.add("LAST_MODIFICATION_TIME", PT_SYSTIME, m.delivered)
    p.add("MESSAGE_FLAGS", PT_LONG, (1 if m.read else 0) | (0x10 if m.attachments else 0))
    p.add("HASATTACH", PT_BOOLEAN, bool(m.attachments))
    p.add("IMPORTANCE", PT_LONG, 1)
    p.add("PRIORITY", PT_LONG, 0)
    p.add("SENSITIVITY", PT_LONG, 0)
    p.add("MESSAGE_CODEPAGE", PT_LONG, 65001 if m.unicode else m.codepage)
    p.add("INTERNET_CPID", PT_LONG, 65001 if m.unicode else m.codepage)
    p.add("STORE_SUPPORT_MASK", PT_LONG, 0x00040E79 if m.unicode else 0x00000E79)
    rcpts = [(1, n, a) for n, a in m.to] + [(2, n, a) for n, a in m.cc]
    header = b"\0" * 8 + struct.pack("<IIII", len(rcpts), len(m.attachments), len(rcpts), len(m.attachments))
    if top:
        header += b"\0" * 8
    kids = [p.stream(header)] + p.streams
    kids += [_recipient(i, t, n, a, m) for i, (t, n, a) in enumerate(rcpts)]
    kids += [_attachment(i, a, m) for i, a in enumerate(m.attachments)]
    if top:
        kids.append(cfb.Storage("__nameid_version1.0", [
            cfb.Stream("__substg1.0_00020102", b""), cfb.Stream("__substg1.0_00030102", b""),
            cfb.Stream("__substg1.0_00040102", b"")]))
    return kids


def to_bytes(m):
    return cfb.write(cfb.Storage("Root Entry", _message_children(m, top=True), clsid=MESSAGE_CLSID))
