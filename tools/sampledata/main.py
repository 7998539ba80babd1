"""Orchestration: build every message, route copies to custodian mailboxes, write containers,
planted files, decisions CSV, custodians.json, then verify and write ground-truth.json."""
import csv
import io
import json
import shutil
import sys
from pathlib import Path

from .mail import addr_fields
from . import bulk, cast, containers as C, evidence, extras, foia, layout, story_internal, story_public, truth

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "SampleData"
BULK_THREADS = 82


def build_mails():
    chain, variants = foia.thread()
    mails = (bulk.bulk_threads(BULK_THREADS) + story_public.press() + story_public.citizens()
             + story_public.vendor_jp() + story_internal.hr() + story_internal.attachments_demo()
             + story_internal.legal_hold() + story_internal.investigation()
             + story_internal.mbox_traps() + chain + variants)
    keys = [m.key for m in mails]
    assert len(keys) == len(set(keys)), "duplicate mail keys"
    ids = [m.msgid for m in mails if m.msgid]
    assert len(ids) == len(set(ids)), "duplicate Message-IDs"
    return mails, chain, variants


def route(mails):
    """{custodian: {'Inbox'|'Sent': [(mail, folder, rcpt, bytes)]}} sorted by copy time."""
    boxes = {cu: {"Inbox": [], "Sent": []} for cu in layout.LAYOUT}
    for m in mails:
        for cu, folder, rcpt in m.copies():
            boxes[cu][folder].append((m, folder, rcpt, m.render_copy(folder, rcpt)))
    for cu in boxes:
        for folder in boxes[cu]:
            boxes[cu][folder].sort(key=lambda t: (C.copy_time(t[0], t[1], t[2]), t[0].key))
    return boxes


def by_key(mails, key):
    return next(m for m in mails if m.key == key)


def decisions_csv(mails, variants):
    """Reviewer decisions that each name only ONE copy — the pipeline must apply them to all."""
    rows = [
        ("doc", "action", "text", "codes", "reason"),
        (variants[1].msgid, "redact", foia.PARAGRAPH_START, "(b)(5)",
         "Deliberative process: counsel's pre-decisional recommendation on the retention rule"),
        (variants[3].msgid, "redact", cast.COMPLAINANT_PHONE, "(b)(6)",
         "Personal phone number of a member of the public"),
        (by_key(mails, "clip-fwd").msgid, "unredact", cast.PUBLIC_OFFICIALS[0], "",
         "Public official named in a published news article"),
        (by_key(mails, "inv-withheld").msgid, "withhold", "", "(b)(7)(A)",
         "Open investigation INV-2024-017; release would interfere with enforcement proceedings"),
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def generate():
    mails, chain, variants = build_mails()
    boxes = route(mails)
    out, manifest = {}, []
    for cu in layout.LAYOUT:
        layout.write_custodian(out, manifest, cu, boxes[cu])

    inv = "custodian04-investigator"
    intake = evidence.intake_mails()
    gz, complete, intake_files = evidence.truncated_intake_archive(intake)
    trunc_path = f"{inv}/case-intake-export.tar.gz"
    out[trunc_path] = gz
    for name, mail in zip(intake_files, intake):
        if name in complete:
            manifest.append((trunc_path, name, inv, "Inbox", mail))
    sealed = evidence.sealed_mails()
    enc_zip, enc_entries = evidence.encrypted_statements(sealed)
    enc_path = f"{inv}/sealed-statements.zip"
    out[enc_path] = enc_zip
    for (name, _), mail in zip(enc_entries, sealed):
        manifest.append((enc_path, name, inv, "Sent", mail))

    out["decisions/reviewer-decisions.csv"] = decisions_csv(mails, variants)
    custodians = {p.custodian: p.display for p in cast.CUSTODIANS}
    out["custodians.json"] = (json.dumps(custodians, indent=2, ensure_ascii=False) + "\n").encode()
    out[".gitattributes"] = b"# Sample data is byte-exact test input: never convert line endings.\n* -text\n"

    planted = {
        "corrupt_message": {"container": "custodian01-records-officer/Inbox.mbox",
                            "index": layout.CORRUPT_INDEX, "index_base": 0},
        "truncated_archive": {"path": trunc_path, "complete_entries": len(complete),
                              "total_entries": len(intake_files)},
        "encrypted_zip": {"path": enc_path, "password": evidence.PASSWORD, "entries": len(enc_entries),
                          "method": "ZipCrypto (traditional PKWARE)"},
        "decisions": "decisions/reviewer-decisions.csv",
        "thread_copies": {"subject": foia.SUBJECT,
                          "paragraph_start": foia.PARAGRAPH_START, "phone": cast.COMPLAINANT_PHONE,
                          "message_ids": [m.msgid for m in chain + variants
                                          if foia.PARAGRAPH_START in m.body],
                          "variant_message_ids": [m.msgid for m in variants],
                          "thread_message_ids": [m.msgid for m in chain]},
        "withheld_message_id": by_key(mails, "inv-withheld").msgid,
        "content_length_mbox": ["custodian07-public-information-officer/Inbox.mbox",
                                "custodian07-public-information-officer/Sent.mbox"],
        "mboxo": ["custodian03-general-counsel/Inbox.mbox", "custodian03-general-counsel/Sent.mbox"],
        "crlf_copies": "custodian05-deputy-director/",
        "messages_without_message_id": [
            {"from": addr_fields(m.sender)[1], "subject": m.subject, "date": m.date.isoformat()}
            for m in mails if not m.msgid],
    }
    planted.update(extras.add(out, manifest))   # second wave: new files only, own randomness
    all_mails = mails + intake + sealed
    gt = truth.ground_truth(out, manifest, all_mails, planted, custodians)
    out["ground-truth.json"] = (json.dumps(gt, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return out


def write_tree(out):
    if OUT.exists():
        shutil.rmtree(OUT)
    for rel in sorted(out):
        path = OUT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out[rel])


def main(argv=None):
    out = generate()
    write_tree(out)
    truth.verify_disk(OUT)
    total = sum(len(v) for v in out.values())
    print(f"wrote {len(out)} files, {total} bytes to {OUT}", file=sys.stderr)
    return 0
