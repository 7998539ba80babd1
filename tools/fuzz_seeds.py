#!/usr/bin/env python3
"""Builds a seed corpus for one fuzz target from SampleData and the shared corpora.

Usage: fuzz_seeds.py TARGET OUTDIR ROOT...

Seeds are copied into OUTDIR (a temporary folder made by `make fuzz`), never into the repository:
the shared corpora are not ours to redistribute. Selection is deterministic (sorted paths, even
stride) so two runs start from the same corpus.
"""
import hashlib
import os
import sys

MAX_SEED_BYTES = 1 << 20
MAX_SEEDS = 150

MAIL_EXT = {"eml", "mbox", "mhtml", "msg", "txt", ""}
CHAT_EXT = {"json", "txt", "xml", "zip", "rsmf", "eml"}
NORMALIZE_EXT = {"html", "htm", "pdf", "docx", "xlsx", "pptx", "odt", "doc", "rtf", "ics", "vcf", "xml", "txt", "csv"}


def extension(path):
    name = os.path.basename(path)
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def head(path, n=4096):
    with open(path, "rb") as f:
        return f.read(n)


def looks_mime(h):
    # A header block: "Name: value" on the first non-blank line.
    line = h.lstrip(b"\r\n").split(b"\n", 1)[0]
    return b":" in line[:80] and not line.startswith(b"{") and not line.startswith(b"<")


def wanted(target, path):
    ext, h = extension(path), head(path)
    lower = path.lower()
    if target == "readers":
        return True
    if target == "mime":
        return ext in MAIL_EXT - {"msg"} and (looks_mime(h) or h.startswith(b"From "))
    if target == "rtf":
        return ext == "rtf" or h.startswith(b"{\\rtf")
    if target == "tnef":
        return h.startswith(b"\x78\x9f\x3e\x22")
    if target == "mapi":
        return h.startswith(b"\xd0\xcf\x11\xe0") or h.startswith(b"!BDN")
    if target == "printed":
        return ext in {"txt", "pdf"} and (b"From:" in h or b"Subject:" in h or ext == "pdf")
    if target == "chat":
        return ext in CHAT_EXT and any(k in lower for k in ("chat", "slack", "rsmf", "whatsapp", "wickr", "actiance"))
    if target == "normalize":
        return ext in NORMALIZE_EXT
    raise SystemExit(f"unknown target {target}")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    target, out, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
    found = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                if os.path.islink(p) or not 0 < os.path.getsize(p) <= MAX_SEED_BYTES:
                    continue
                if wanted(target, p):
                    found.append(p)
    stride = max(1, -(-len(found) // MAX_SEEDS))
    os.makedirs(out, exist_ok=True)
    kept = 0
    for p in found[::stride]:
        with open(p, "rb") as f:
            data = f.read()
        with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
        kept += 1
    print(f"{target}: {kept} seeds from {len(found)} candidates")


if __name__ == "__main__":
    main()
