"""Ground truth and self-checks.  Everything is verified by *reading the generated containers
back* (an independent mini reader), decoding every message and attachment, and scanning the
text: every listed PII/public string must occur, every e-mail / phone / SSN pattern found must
be listed, no cast name may collide with an ordinary lowercase word, and no file or archive
member name may contain PII.  Any failure raises, so a bad tree is never left unnoticed."""
import email
import html
import io
import re
from email import policy

from . import cast, chat_read, extras, features, office_read, readback
from .cast import EVERYONE, THIRD_PARTIES, PUBLIC_OFFICIALS, PUBLIC_SHORT, ROLE_ADDRESSES

EXTRA_PHONES = ["+1 555 014 2295", cast.COMPLAINANT_PHONE]
SSNS = ["512-44-1234", "538-07-4412"]
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
US_PHONE_RE = re.compile(r"(?:\+1[ -])?(?:\(555\) ?|555[-. ])014[-. ]\d{4}")
INTL_PHONE_RE = re.compile(r"\+(?:44|81|49|33)[ \d-]{6,16}\d")
SSN_RE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


def strip_html(text):
    text = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", text)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", text))


def zip_texts(data):
    import zipfile
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            out.append(name)
            inner = zf.read(name)
            out.extend(zip_texts(inner) if name.endswith(".zip") else [inner.decode("utf-8")])
    return out


def message_texts(data):
    """Decoded, human-visible text of one message: address headers, subject, every text part
    (HTML stripped), text attachments, zip attachments (recursively), nested messages."""
    msg = email.message_from_bytes(data, policy=policy.default)
    out = []
    for part in msg.walk():
        for h in ("From", "Sender", "To", "Cc", "Bcc", "Subject"):
            if part.get(h) is not None:
                out.append(str(part[h]))
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        fn = part.get_filename()
        if fn:
            out.append(fn)
        ctype = part.get_content_type()
        if ctype in ("text/calendar", "application/ics"):
            out.extend(chat_read.ics(part.get_payload(decode=True))[0])
        elif ctype in office_read.TYPES:
            out.extend(office_read.texts(ctype, part.get_content()))
        elif ctype.startswith("text/"):
            t = part.get_content()
            out.append(strip_html(t) if ctype == "text/html" else t)
        elif ctype == "application/zip":
            out.extend(zip_texts(part.get_content()))
    return out


def attachment_count(data):
    msg = email.message_from_bytes(data, policy=policy.default)
    return sum(1 for _ in msg.iter_attachments())


def pii_candidates():
    """(text, kind) for every PII string the story intends to use, each once."""
    items = []
    for p in EVERYONE:
        items += [(p.full, "name")]
        items += [(p.display, "name")] if p.display != p.full else []
        items += [(n, "name") for n in p.extra_names]
        items += [(p.first, "first_name")] + ([(p.nick, "first_name")] if p.nick else [])
        items += [(p.last, "last_name")] if p.last else []
        items += [(p.email, "email")] + [(ph, "phone") for _, ph in p.phones]
    items += [(e, "email") for _, e in ROLE_ADDRESSES.values()]
    items += [(ph, "phone") for ph in EXTRA_PHONES] + [(s, "ssn") for s in SSNS]
    items += [(n, "third_party_name") for n in THIRD_PARTIES.values()]
    items += extras.NEW_PII
    seen, out = set(), []
    for text, kind in items:
        if text not in seen:
            seen.add(text)
            out.append({"text": text, "kind": kind})
    return out


def name_tokens():
    toks = []
    for p in EVERYONE:
        toks += p.full.split() + [p.first, p.nick, p.last]
    for n in list(THIRD_PARTIES.values()) + PUBLIC_OFFICIALS:
        toks += n.split()
    return sorted({t for t in toks if t and t.isascii() and t.isalpha()})


def check_corpus(corpus, pii, public):
    missing = [e["text"] for e in pii + public if e["text"] not in corpus]
    if missing:
        raise AssertionError(f"ground-truth strings not found in the data: {missing}")
    listed = {e["text"] for e in pii}
    no_mail = EMAIL_RE.sub(" ", corpus)
    unlisted = sorted({m for rx in (EMAIL_RE, SSN_RE) for m in rx.findall(corpus)} - listed)
    unlisted += sorted({m for rx in (US_PHONE_RE, INTL_PHONE_RE) for m in rx.findall(no_mail)} - listed)
    if unlisted:
        raise AssertionError(f"PII-like strings in the data but not in ground truth: {unlisted}")
    clashes = [t for t in name_tokens() if re.search(rf"(?<![\w.]){t.lower()}(?![\w])", no_mail)]
    if clashes:
        raise AssertionError(f"name tokens also used as ordinary words: {clashes}")


def check_paths(paths):
    toks = {t.lower() for t in name_tokens()}
    for path in paths:
        parts = {w.lower() for w in re.split(r"[^A-Za-z0-9]+", path) if w}
        if parts & toks or EMAIL_RE.search(path):
            raise AssertionError(f"PII in a file name: {path}")


def container_group(container, entry):
    """Loose files are grouped by their folder (Maildir root, .eml folder); archives and mbox
    files are their own group."""
    if "/Maildir/" in container:
        return container.split("/Maildir/")[0] + "/Maildir"
    if container.endswith(".eml"):
        return container.rsplit("/", 1)[0] + "/"
    return container


def check_wellformed(container, entry, data, msg):
    """Every message must parse without MIME defects and keep lines within RFC 5322 limits."""
    for part in msg.walk():
        if part.defects:
            raise AssertionError(f"MIME defects in {container} {entry}: {part.defects}")
    longest = max(len(l) for l in data.split(b"\n"))
    if longest > 998:
        raise AssertionError(f"line over 998 bytes in {container} {entry}")
    for h in ("From", "Date", "Subject", "MIME-Version"):
        if msg.get(h) is None:
            raise AssertionError(f"{container} {entry}: missing {h}")


def ground_truth(out, manifest, mails, planted, custodians):
    msgs, corrupt, members = readback.read_all(out)
    if len(msgs) != len(manifest):
        raise AssertionError(f"read back {len(msgs)} messages, wrote {len(manifest)}")
    if len(corrupt) != 1 or corrupt[0][:2] != (planted["corrupt_message"]["container"],
                                               planted["corrupt_message"]["index"]):
        raise AssertionError(f"unexpected corrupt entries: {corrupt}")
    check_paths(list(out) + members)
    corpus = "\n\x00\n".join(t for _, _, data in msgs for t in message_texts(data))
    second_texts, second_counts = extras.read_back(out, planted)
    corpus += "\n\x00\n" + "\n\x00\n".join(t for t in second_texts if t)
    pii = pii_candidates()
    public = [{"text": t, "kind": "public_name"} for t in PUBLIC_OFFICIALS + PUBLIC_SHORT]
    check_corpus(corpus, pii, public)
    features.check(msgs, corpus)
    by_container, ids, distinct, atts, distinct_atts = {}, set(), {}, 0, {}
    for container, entry, data in msgs:
        group = container_group(container, entry)
        by_container[group] = by_container.get(group, 0) + 1
        msg = email.message_from_bytes(data, policy=policy.default)
        check_wellformed(container, entry, data, msg)
        mid = msg.get("Message-ID")
        key = mid or f"{msg.get('From')}|{msg.get('Date')}|{msg.get('Subject')}"
        if mid:
            ids.add(mid)
        n = attachment_count(data)
        atts += n
        distinct_atts[key] = n
        distinct[key] = True
    return {
        "pii": pii,
        "public": public,
        "planted": planted,
        "counts": {
            "message_copies": len(msgs),
            "distinct_message_ids": len(ids),
            "distinct_messages": len(distinct),
            "messages_without_message_id": sum(1 for k in distinct if not k.startswith("<")),
            "attachments": atts,
            "attachments_in_distinct_messages": sum(distinct_atts.values()),
            "custodians": len(custodians),
            "corrupt_entries": len(corrupt),
            "message_copies_by_container": dict(sorted(by_container.items())),
            **second_counts,
        },
        "notes": {
            "message_copies": "well-formed messages in every container, including the complete "
                              "entries of the truncated archive and the entries of the encrypted zip "
                              "(with the password); the corrupt mbox entry is not counted",
            "attachments": "top-level attachment parts summed over all message copies (a forwarded "
                           "message/rfc822 counts as one; parts inside it are not counted)",
            "corrupt_message.index": "0-based position of the entry among the mbox's From_ entries",
            "second_wave": "msg_* … pdfs_without_text count the .msg files, Slack export, WhatsApp "
                           "texts, Wickr output, Actiance XML, calendar items and office attachments "
                           "added in the second wave (see planted); the five new .eml files are also "
                           "counted in message_copies and attachments",
            "msg_messages_including_embedded": "top-level .msg messages plus the message embedded in "
                                               "one of them (attach method 5)",
            "slack_messages": "message objects in the day files, every subtype included "
                              "(joins, bot messages, the tombstone and the message_deleted record)",
            "whatsapp_messages": "timestamped lines with a sender, both chats; system lines excluded",
            "wickr_records": "JSON lines of every msgtype (texts, files, calls, edit, delete, room changes)",
            "calendar_events": "VEVENTs in the two .ics files plus the invite.ics attachment (the same "
                               "event is also inline as text/calendar in that e-mail and not counted twice)",
            "office_attachments": "DOCX, XLSX, PDF (2) and RTF attachments of the new e-mails",
        },
    }


def verify_disk(root):
    """Read the written tree back from disk and compare the count with ground-truth.json."""
    import json
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    msgs, corrupt, _ = readback.read_all(files)
    gt = json.loads(files["ground-truth.json"])
    if len(msgs) != gt["counts"]["message_copies"] or len(corrupt) != 1:
        raise AssertionError("tree on disk does not match ground truth")
    _, second = extras.read_back(files, gt["planted"])
    if any(gt["counts"].get(k) != v for k, v in second.items()):
        raise AssertionError("second-wave files on disk do not match ground truth")
