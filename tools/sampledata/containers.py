"""Mailbox containers: mbox (mboxrd, mboxo, Content-Length), Maildir(++), loose .eml, zip and
tar.gz.  Every writer returns bytes or writes files in a fixed order, and reports the message
entries it wrote so the ground truth can count and scan them."""
import gzip
import io
import re
import tarfile
from datetime import timezone

from .mail import stable_rng

FIXED_MTIME = 1719594000          # 2024-06-28T17:00:00Z for every tar member
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def copy_time(mail, folder, rcpt):
    return mail.delivery_time(rcpt) if folder == "Inbox" else mail.date


def from_line(envelope, dt):
    """mbox separator 'From sender Tue Mar  5 09:24:00 2024' (asctime, UTC)."""
    u = dt.astimezone(timezone.utc)
    return (f"From {envelope} {DAYS[u.weekday()]} {MONTHS[u.month - 1]} {u.day:2d} "
            f"{u.hour:02d}:{u.minute:02d}:{u.second:02d} {u.year}\n").encode("ascii")


_RD = re.compile(rb"^(>*From )", re.M)
_O = re.compile(rb"^From ", re.M)


def escape(msg, flavour):
    """mboxrd quotes any '>*From ' line with one more '>'; mboxo only quotes 'From ' lines
    (so an existing '>From ' becomes ambiguous); Content-Length mboxes quote nothing."""
    if flavour == "mboxrd":
        return _RD.sub(rb">\1", msg)
    if flavour == "mboxo":
        return _O.sub(b">From ", msg)
    return msg


def add_content_length(msg):
    head, body = msg.split(b"\n\n", 1)
    return head + b"\nContent-Length: %d\n\n" % len(body) + body


def mbox(entries, flavour):
    """entries: [(envelope_sender, datetime, message_bytes or raw garbage)] in file order."""
    out = io.BytesIO()
    for envelope, dt, msg in entries:
        out.write(from_line(envelope, dt))
        if flavour == "content-length":
            msg = add_content_length(msg)
        else:
            msg = escape(msg, flavour)
        out.write(msg if msg.endswith(b"\n") else msg + b"\n")
        out.write(b"\n")
    return out.getvalue()


def garbage(seed, size=700):
    """Binary junk standing in for a corrupt message: no header line, no ':' at all,
    and no line that could look like an mbox separator."""
    r = stable_rng("garbage", seed)
    data = bytearray()
    while len(data) < size:
        b = r.randrange(256)
        if b in (0x3A, 0x0A, 0x0D) or (not data and b < 0x80):
            continue
        data.append(b)
        if r.random() < 0.02:
            data += bytes([0x80 + r.randrange(0x7F)]) + b"\n"
    return bytes(data) + b"\n"


def maildir_name(mail, folder, rcpt, host, seen=True, flags="S"):
    """'1700000000.M123456P4567.host:2,S' — delivery second, microseconds, pid, host, flags."""
    r = stable_rng("maildir", mail.key, folder, rcpt)
    epoch = int(copy_time(mail, folder, rcpt).timestamp())
    base = f"{epoch}.M{r.randrange(1000000):06d}P{r.randint(1000, 99999)}.{host}"
    return base + (f":2,{flags}" if seen else "")


def maildir_files(copies, host, subfolders, unseen=3):
    """Maildir++ tree as {relative_path: bytes}.  copies: [(mail, folder, rcpt, bytes)].
    The newest `unseen` Inbox messages sit unread in new/; everything else is in cur/."""
    files = {}
    boxes = {"": [], ".Sent": []}
    for sub in subfolders:
        boxes[sub] = []
    for mail, folder, rcpt, data in copies:
        box = ".Sent" if folder == "Sent" else (mail.maildir_folder if mail.maildir_folder in boxes else "")
        boxes[box].append((copy_time(mail, folder, rcpt), mail, folder, rcpt, data))
    for box, items in boxes.items():
        items.sort(key=lambda t: (t[0], t[1].key))
        prefix = box + "/" if box else ""
        if box:
            files.setdefault(prefix, None)                # the sub-folder itself
        for d in ("cur", "new", "tmp"):
            files.setdefault(prefix + d + "/", None)     # directory marker
        if box:
            files[prefix + "maildirfolder"] = b""
        for i, (_, mail, folder, rcpt, data) in enumerate(items):
            is_new = box == "" and i >= len(items) - unseen
            flags = "RS" if mail.subject.startswith(("Re:", "RE:")) and i % 4 == 0 else \
                ("FS" if i % 11 == 5 else "S")
            name = maildir_name(mail, folder, rcpt, host, seen=not is_new, flags=flags)
            files[prefix + ("new/" if is_new else "cur/") + name] = data
    return files


def tar_bytes(files):
    """Uncompressed, deterministic tar of {path: bytes or None (directory)} in sorted order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for path in sorted(files):
            data = files[path]
            info = tarfile.TarInfo(path.rstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = FIXED_MTIME, 1000, 1000, "", ""
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tf.addfile(info)
            else:
                info.size, info.mode = len(data), 0o600
                tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gzip_bytes(data):
    """gzip with mtime=0 and no embedded file name, so the bytes never change."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def crlf(data):
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def tar_member_spans(tar_data):
    """[(name, data_end_offset)] for each member of an uncompressed tar."""
    spans = []
    with tarfile.open(fileobj=io.BytesIO(tar_data), mode="r:") as tf:
        for m in tf.getmembers():
            spans.append((m.name, m.offset_data + m.size))
    return spans
