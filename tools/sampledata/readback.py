"""A small independent reader for the generated tree, used only to verify it: it splits the
mboxes (mboxrd / mboxo / Content-Length), walks Maildirs, opens .eml, zip (with the password
when encrypted) and tar.gz (tolerating the truncated one), and classifies each entry as a
message or as corrupt."""
import io
import re
import tarfile
import zipfile
import zlib

from . import evidence, layout

HEADER_RE = re.compile(rb"^[!-9;-~]+:")


def _flavour(path):
    cu = path.split("/", 1)[0]
    form = layout.LAYOUT.get(cu, "mboxrd")
    return form if form in ("mboxrd", "mboxo", "content-length") else "mboxrd"


def split_mbox(data, flavour):
    """Entries of an mbox, unescaped.  Content-Length mboxes are read by length only, because
    their bodies may contain unescaped 'From ' lines."""
    entries = []
    if flavour == "content-length":
        pos = 0
        while pos < len(data):
            assert data.startswith(b"From ", pos), "mbox entry does not start with From_"
            start = data.index(b"\n", pos) + 1
            head_end = data.index(b"\n\n", start) + 2
            length = int(re.search(rb"\nContent-Length: (\d+)\n", b"\n" + data[start:head_end]).group(1))
            entries.append(data[start:head_end + length])
            pos = head_end + length + 1            # skip the blank separator line
        return entries
    chunks = re.split(rb"(?:^|\n)From [^\n]*\n", data)
    for chunk in chunks[1:]:
        if flavour == "mboxrd":
            chunk = re.sub(rb"(?m)^>(>*From )", rb"\1", chunk)
        else:
            chunk = re.sub(rb"(?m)^>From ", b"From ", chunk)
        entries.append(chunk[:-1] if chunk.endswith(b"\n\n") else chunk)
    return entries


def _add_mbox(container, data, flavour, msgs, corrupt):
    for i, entry in enumerate(split_mbox(data, flavour)):
        if HEADER_RE.match(entry):
            msgs.append((container, f"#{i}", entry))
        else:
            corrupt.append((container, i, len(entry)))


def _is_maildir_msg(path):
    parts = path.split("/")
    return len(parts) >= 2 and parts[-2] in ("cur", "new") and not parts[-1].startswith(".")


def read_all(files):
    """files: {relative path: bytes}.  Returns (messages, corrupt entries, archive member names)."""
    msgs, corrupt, members = [], [], []
    for path in sorted(files):
        data = files[path]
        if path.endswith(".mbox"):
            _add_mbox(path, data, _flavour(path), msgs, corrupt)
        elif path.endswith(".eml") or _is_maildir_msg(path):
            msgs.append((path, "", data))
        elif path.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    members.append(info.filename)
                    if info.flag_bits & 1:
                        zf.setpassword(evidence.PASSWORD.encode())
                    body = zf.read(info)
                    if info.filename.endswith(".mbox"):
                        _add_mbox(f"{path}!{info.filename}", body, _flavour(path), msgs, corrupt)
                    elif info.filename.endswith(".eml"):
                        msgs.append((path, info.filename, body))
        elif path.endswith(".tar.gz"):
            for name, body in tar_members(data):
                members.append(name)
                if name.endswith(".eml") or _is_maildir_msg(name):
                    msgs.append((path, name, body))
    return msgs, corrupt, members


def tar_members(gz):
    """Complete file members of a possibly truncated .tar.gz."""
    raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gz)
    out = []
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tf:
            for m in tf:
                if m.isfile() and m.offset_data + m.size <= len(raw):
                    out.append((m.name, raw[m.offset_data:m.offset_data + m.size]))
    except (tarfile.TarError, EOFError):
        pass   # the truncated archive ends mid-entry: keep what was complete
    return out
