"""The second wave of SampleData: Outlook .msg, a Slack-format workspace export, WhatsApp
exports, Wickr retention output, Actiance XML, calendar files and e-mails with office/PDF/RTF
attachments.  Every piece lives in a NEW file (existing files never change) and draws its
randomness from its own random.Random or from fixed text, so the first wave's bytes are
untouched.  add() writes the files and returns the `planted` entries; read_back() re-reads them
with the independent readers and returns (decoded texts, counts) for the self-checks."""
import email
from email import policy

from . import (actiance, chat_read, extra_mail, features2, ics, msg_read, office_read, slack, story_msg,
               whatsapp, wickr)

# PII strings that only the second wave introduces: (exact text, kind).
NEW_PII = [
    (whatsapp.LINDQVIST_PERSONAL, "phone"),
    (ics.RUIZ_MOBILE, "phone"),
    (story_msg.PEMBROOK_PHONE, "phone"),
    (extra_mail.CASTELLANOS_PHONE, "phone"),
    (story_msg.SATO_MOBILE, "phone"),
    (wickr.COMPLAINANT_EMAIL, "email"),
]
# The encrypted zip's password must not appear in any new file (it stays an exception).
FORBIDDEN = ["Columbia-2024"]


def add(out, manifest):
    """Write the second-wave files into `out`, add manifest rows for the new .eml files and
    return the `planted` entries describing them."""
    msgs = story_msg.messages()
    for path, m in msgs:
        out[path] = story_msg.msg.to_bytes(m)
    zdata, slack_summary = slack.export()
    out[slack.PATH] = zdata
    out.update(whatsapp.files())
    out[wickr.PATH] = wickr.lines()
    out[actiance.PATH] = actiance.xml_bytes()
    out.update(ics.files())
    new_mail = []
    for path, mail, data in extra_mail.files():
        out[path] = data
        manifest.append((path, "", "custodian05-deputy-director", "Inbox", mail))
        new_mail.append((path, mail))
    by_key = {m.key: (p, m) for p, m in new_mail}

    def att(key, *names):
        p, m = by_key[key]
        return {"path": p, "message_id": m.msgid, "subject": m.subject, "attachments": list(names)}

    return {
        "outlook_msg": {
            "paths": [p for p, _ in msgs], "files": len(msgs),
            "messages_including_embedded": sum(1 + len([a for a in m.attachments if a.message]) for _, m in msgs),
            "unicode": [p for p, m in msgs if m.unicode], "ansi_cp1252": [p for p, m in msgs if not m.unicode],
            "cjk": [p for p, m in msgs if "データ" in m.subject],
            "msg_in_msg": [p for p, m in msgs if any(a.message for a in m.attachments)],
            "file_attachments": sum(1 for _, m in msgs for a in m.attachments if not a.message),
            "message_ids": [m.message_id for _, m in msgs],
        },
        "slack_export": dict(path=slack.PATH, conversation_days=sum(len(c["days"]) for c in
                                                                    slack_summary["conversations"].values()),
                             **slack_summary),
        "whatsapp": whatsapp.summary(),
        "wickr": wickr.summary(),
        "actiance": actiance.summary(),
        "calendar": dict(ics.summary(), email_invite=att("x-invite-statement", "invite.ics")),
        "office_attachments": [
            att("x-dpa-redline", "DPA-redline-v3.docx"),
            att("x-roster", "onboarding-roster-2024-05.xlsx"),
            att("x-whitepaper", "parley-retention-whitepaper.pdf", extra_mail.NO_TEXT_PDF),
            att("x-pembrook-rtf", "letter-to-the-deputy-director.rtf"),
        ],
        "no_text_pdf": dict(att("x-whitepaper", extra_mail.NO_TEXT_PDF),
                            note="image-only page (one image XObject, no font, no text operator): "
                                 "the pipeline must report that it has no extractable text"),
    }


def read_back(out, planted):
    """Re-read every second-wave file from `out`; check it against what add() promised.
    Returns (texts for the PII scan, counts)."""
    features2.check(out, planted)
    texts, counts = [], {}
    msg_paths = planted["outlook_msg"]["paths"]
    n_msgs = 0
    for p in msg_paths:
        m = msg_read.read(out[p])
        texts += msg_read.texts(m)
        n_msgs += msg_read.count_messages(m)
    _check(n_msgs == planted["outlook_msg"]["messages_including_embedded"], "msg count")
    counts["msg_files"] = len(msg_paths)
    counts["msg_messages_including_embedded"] = n_msgs

    t, f = chat_read.slack(out[slack.PATH])
    texts += t
    sp = planted["slack_export"]
    _check(f["messages"] == sp["messages"] and f["conversation_days"] == sp["conversation_days"], f"slack {f}")
    counts["slack_conversation_days"], counts["slack_messages"] = f["conversation_days"], f["messages"]
    counts["slack_threads"] = f["threads"]

    wa = planted["whatsapp"]
    n_wa = 0
    for form in ("ios", "android"):
        t, f = chat_read.whatsapp(out[wa[form]["path"]], form)
        texts += t
        _check(f["messages"] == wa[form]["messages"], f"whatsapp {form} {f}")
        n_wa += f["messages"]
    texts += [out[wa["android"]["attached_file"]].decode("utf-8")]
    counts["whatsapp_messages"] = n_wa

    t, f = chat_read.wickr(out[wickr.PATH])
    texts += t
    _check(f["records"] == planted["wickr"]["records"] and f["by_msgtype"] == planted["wickr"]["by_msgtype"], "wickr")
    counts["wickr_records"] = f["records"]

    t, f = chat_read.actiance(out[actiance.PATH])
    texts += t
    _check(f["messages"] == planted["actiance"]["messages"], "actiance")
    counts["actiance_messages"] = f["messages"]

    events = 0
    for p in planted["calendar"]["ics_files"]:
        t, f = chat_read.ics(out[p])
        texts += t
        events += f["events"]
    generated, occ = chat_read.weekly_occurrences(out[planted["calendar"]["recurring"]["path"]])
    _check((generated, len(occ)) == (12, planted["calendar"]["recurring"]["occurrences_after_exdate"]), "rrule")

    office = 0
    for entry in planted["office_attachments"] + [planted["calendar"]["email_invite"]]:
        msg = email.message_from_bytes(out[entry["path"]], policy=policy.default)
        for part in msg.iter_attachments():
            fn = part.get_filename()
            _check(fn in entry["attachments"], f"unexpected attachment {fn}")
            if part.get_content_type() in office_read.TYPES:
                office += 1
            if part.get_content_type() == "application/ics":
                events += chat_read.ics(part.get_content())[1]["events"]
    counts["calendar_events"] = events
    counts["office_attachments"] = office

    nt = planted["no_text_pdf"]
    msg = email.message_from_bytes(out[nt["path"]], policy=policy.default)
    scan = next(p for p in msg.iter_attachments() if p.get_filename() == nt["attachments"][0])
    info = office_read.pdf_info(scan.get_content())
    _check(info["text"] == [] and info["images"] == 1 and info["fonts"] == 0, "the scanned PDF has text")
    counts["pdfs_without_text"] = 1

    for p in _new_paths(planted):
        for word in FORBIDDEN:
            _check(word.encode() not in out[p], f"{word!r} appears in {p}")
    _check(not any(w in t for t in texts for w in FORBIDDEN), "the zip password appears in decoded text")
    return texts, counts


def _new_paths(planted):
    paths = list(planted["outlook_msg"]["paths"]) + [slack.PATH, wickr.PATH, actiance.PATH]
    paths += list(whatsapp.files()) + list(ics.files())
    paths += [e["path"] for e in planted["office_attachments"]] + [planted["calendar"]["email_invite"]["path"]]
    return sorted(set(paths))


def _check(cond, what):
    if not cond:
        raise AssertionError(f"second-wave self-check failed: {what}")
