"""Which custodian gets which container form, and the writers that turn routed copies into
files.  Each writer adds files to `out` ({relative path: bytes}) and appends one manifest row
per message entry written: (container, entry, custodian, folder, mail)."""
from . import containers as C
from .attachments import zip_bytes

LAYOUT = {
    "custodian01-records-officer": "mboxrd",             # Inbox.mbox / Sent.mbox, mboxrd escaping
    "custodian02-it-director": "maildir",                # Maildir++ with .Sent and .Projects.Parley
    "custodian03-general-counsel": "mboxo",              # classic mboxo escaping
    "custodian04-investigator": "maildir-tgz",           # Maildir inside a .tar.gz
    "custodian05-deputy-director": "eml-crlf",           # loose .eml files, CRLF line endings
    "custodian06-foia-officer": "zip",                   # zip: Inbox.mbox + Sent/*.eml
    "custodian07-public-information-officer": "content-length",  # mbox with Content-Length
}
CORRUPT_INDEX = 7     # 0-based entry index of the garbage entry in the records officer's Inbox


def envelope(mail):
    from .mail import addr_fields
    return addr_fields(mail.sender)[1]


def _mbox(manifest, cu, box, items, flavour, corrupt_at=None, path=None):
    entries, rows = [], []
    for mail, folder, rcpt, data in items:
        if corrupt_at is not None and len(entries) == corrupt_at:
            first = items[max(0, corrupt_at - 1)]
            entries.append((envelope(first[0]), C.copy_time(first[0], first[1], first[2]),
                            C.garbage(cu + box)))
        rows.append((len(entries), mail, folder))
        entries.append((envelope(mail), C.copy_time(mail, folder, rcpt), data))
    path = path or f"{cu}/{box}.mbox"
    for idx, mail, folder in rows:
        manifest.append((path, f"#{idx}", cu, folder, mail))
    return path, C.mbox(entries, flavour)


def write_custodian(out, manifest, cu, boxes):
    form = LAYOUT[cu]
    inbox, sent = boxes.get("Inbox", []), boxes.get("Sent", [])
    if form in ("mboxrd", "mboxo", "content-length"):
        for box, items in (("Inbox", inbox), ("Sent", sent)):
            corrupt = CORRUPT_INDEX if (form == "mboxrd" and box == "Inbox") else None
            path, data = _mbox(manifest, cu, box, items, form, corrupt)
            out[path] = data
    elif form == "maildir":
        files = C.maildir_files(inbox + sent, "mail01", [".Projects.Parley"])
        _maildir_manifest(manifest, f"{cu}/Maildir", None, cu, files, inbox + sent)
        used = {rel.rsplit("/", 1)[0] + "/" for rel, data in files.items() if data is not None}
        for rel, data in files.items():
            if data is None:
                if rel not in used:   # git drops empty dirs; Maildir readers skip dotfiles
                    out[f"{cu}/Maildir/{rel}.gitkeep"] = b""
            else:
                out[f"{cu}/Maildir/{rel}"] = data
    elif form == "maildir-tgz":
        files = C.maildir_files(inbox + sent, "imap02", [])
        files = {f"Maildir/{k}": v for k, v in files.items()}
        files["Maildir/"] = None
        path = f"{cu}/mailbox-export.tar.gz"
        _maildir_manifest(manifest, path, "Maildir/", cu, files, inbox + sent)
        out[path] = C.gzip_bytes(C.tar_bytes(files))
    elif form == "eml-crlf":
        for box, items in (("Inbox", inbox), ("Sent", sent)):
            for i, (mail, folder, rcpt, data) in enumerate(items):
                path = f"{cu}/{box}/msg-{i + 1:04d}.eml"
                out[path] = C.crlf(data)
                manifest.append((path, "", cu, folder, mail))
    elif form == "zip":
        path = f"{cu}/mail-export.zip"
        _, mbox_data = _mbox(manifest, cu, "Inbox", inbox, "mboxrd", path=f"{path}!Inbox.mbox")
        entries = [("Inbox.mbox", mbox_data)]
        for i, (mail, folder, rcpt, data) in enumerate(sent):
            fwd = mail.subject.lower().startswith(("fwd:", "fw:"))
            name = f"Sent/{'Forwarded/' if fwd else ''}msg-{i + 1:04d}.eml"
            entries.append((name, data))
            manifest.append((path, name, cu, folder, mail))
        out[path] = zip_bytes(sorted(entries))
    else:
        raise ValueError(form)


def _maildir_manifest(manifest, container, prefix, cu, files, items):
    """Map Maildir file names back to the copies (by bytes identity) for the manifest."""
    by_bytes = {}
    for mail, folder, rcpt, data in items:
        by_bytes.setdefault(data, []).append((mail, folder))
    for rel in sorted(files):
        data = files[rel]
        if data is None or rel.endswith("maildirfolder"):
            continue
        mail, folder = by_bytes[data].pop(0)
        if prefix is None:
            manifest.append((f"{container}/{rel}", "", cu, folder, mail))
        else:
            manifest.append((container, rel, cu, folder, mail))
