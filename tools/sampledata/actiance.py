"""The Parley vendor's compliance archive for November 2023, in Actiance (Vantage) export XML,
pulled by the FOIA officer for the Ledger request.  It holds the very conversation the
complainant says was deleted (kept by the compliance store), and a vendor-support chat about
the 7-day retention setting.

<FileDump> → <Conversation Perspective=…> → <RoomID>, <StartTimeUTC>, <ParticipantEntered>
(LoginName, DisplayName, CorporateEmailID, DateTimeUTC, InternalFlag, ConversationID),
<Message> (LoginName, DateTimeUTC, Content), <FileTransfer> in one conversation and the
<FileTransferStarted>/<FileTransferEnded> pair in the other, <ParticipantLeft>, <EndTimeUTC>.
All times are epoch seconds (UTC).  Fixed text, no randomness."""
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from . import cast
from .cast import person as P
from .wickr import COMPLAINANT_EMAIL

PATH = "custodian06-foia-officer/parley-compliance-archive-2023-11.xml"
THEO = ("Theo Brandt", COMPLAINANT_EMAIL, False)


def _who(key):
    p = P(key)
    return (p.display, p.email, p.email.endswith("@" + cast.DOMAIN))


def _epoch(s):
    return int(datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp())


CONVERSATIONS = [
    {"perspective": "Parley pilot - permits-help", "room": "permits-help:7f3a9c21",
     "start": "2023-11-06 17:00:00", "end": "2023-11-06 18:10:00", "filemode": "single",
     "people": {"theo": THEO, "doe": _who("doe")},
     "events": [
         ("enter", "2023-11-06 17:00:00", "theo"),
         ("enter", "2023-11-06 17:01:12", "doe"),
         ("msg", "2023-11-06 17:02:30", "theo", "Hello, I am asking about my permit file for the "
                                                "garage on Alder Street. Who decided it?"),
         ("msg", "2023-11-06 17:05:02", "doe", "Good morning. I can help you find the records. Do you have "
                                               "the permit number?"),
         ("msg", "2023-11-06 17:09:47", "theo", f"It is BP-2023-1182. You can reach me at {cast.COMPLAINANT_PHONE} "
                                                "if chat is easier for you than phone \u2014 or the other way round."),
         ("file", "2023-11-06 17:12:10", "theo", "permit-letter-scan.jpg", 184320),
         ("msg", "2023-11-06 17:20:41", "doe", "Thank you. The file is with Permits & Inspections; I will ask "
                                               "them to send you the decision letter."),
         ("msg", "2023-11-06 17:24:03", "theo", "Thanks. Please keep this chat <for my records>."),
         ("leave", "2023-11-06 18:05:00", "theo"),
         ("leave", "2023-11-06 18:10:00", "doe"),
     ]},
    {"perspective": "Parley pilot - vendor-support", "room": "vendor-support:51c0e8d4",
     "start": "2023-11-20 19:30:00", "end": "2023-11-20 20:15:00", "filemode": "pair",
     "people": {"okafor": _who("okafor"), "ferreira": _who("ferreira")},
     "events": [
         ("enter", "2023-11-20 19:30:00", "okafor"),
         ("enter", "2023-11-20 19:31:40", "ferreira"),
         ("msg", "2023-11-20 19:33:05", "okafor", "The retention job in our pilot tenant is deleting items "
                                                  "older than 7 days. Our test plan said 30. Can you check?"),
         ("msg", "2023-11-20 19:41:27", "ferreira", "Confirmed: the 4.6.0 upgrade copied the test-tenant "
                                                    "template (7 days). Reverting to 30 days now."),
         ("file", "2023-11-20 19:44:58", "ferreira", "retention-job-config.json", 2048),
         ("msg", "2023-11-20 19:52:11", "okafor", "Thanks. Were any items deleted with retention < 30 days?"),
         ("msg", "2023-11-20 19:58:36", "ferreira", "Yes, from November 6 to today. The compliance store "
                                                    "still has copies for 90 days."),
         ("leave", "2023-11-20 20:14:00", "ferreira"),
         ("leave", "2023-11-20 20:15:00", "okafor"),
     ]},
]


def _el(tag, value, ind):
    return f"{ind}<{tag}>{escape(str(value))}</{tag}>"


def xml_bytes():
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<FileDump>"]
    for c in CONVERSATIONS:
        ind, ind2 = "    ", "      "
        out.append(f'  <Conversation Perspective="{escape(c["perspective"], {chr(34): "&quot;"})}">')
        out.append(_el("RoomID", c["room"], ind))
        out.append(_el("StartTimeUTC", _epoch(c["start"]), ind))
        for ev in c["events"]:
            kind, when, who = ev[:3]
            name, login, internal = c["people"][who]
            t = _epoch(when)
            if kind in ("enter", "leave"):
                tag = "ParticipantEntered" if kind == "enter" else "ParticipantLeft"
                out.append(f"{ind}<{tag}>")
                out.append(_el("LoginName", login, ind2))
                if kind == "enter":
                    out.append(_el("DisplayName", name, ind2))
                    out.append(_el("CorporateEmailID", login, ind2))
                out.append(_el("DateTimeUTC", t, ind2))
                out.append(_el("InternalFlag", "true" if internal else "false", ind2))
                out.append(_el("ConversationID", c["room"], ind2))
                out.append(f"{ind}</{tag}>")
            elif kind == "msg":
                out += [f"{ind}<Message>", _el("LoginName", login, ind2), _el("DateTimeUTC", t, ind2),
                        _el("Content", ev[3], ind2), f"{ind}</Message>"]
            else:
                fname, size = ev[3], ev[4]
                tags = ["FileTransfer"] if c["filemode"] == "single" else ["FileTransferStarted", "FileTransferEnded"]
                for k, tag in enumerate(tags):
                    out += [f"{ind}<{tag}>", _el("LoginName", login, ind2), _el("DateTimeUTC", t + 3 * k, ind2),
                            _el("UserFileName", fname, ind2), _el("FileSize", size, ind2)]
                    if tag == "FileTransferEnded":
                        out.append(_el("Status", "Completed", ind2))
                    out.append(f"{ind}</{tag}>")
        out.append(_el("EndTimeUTC", _epoch(c["end"]), ind))
        out.append("  </Conversation>")
    out.append("</FileDump>")
    return ("\n".join(out) + "\n").encode("utf-8")


def summary():
    convs = []
    for c in CONVERSATIONS:
        evs = c["events"]
        convs.append({"perspective": c["perspective"], "room_id": c["room"],
                      "participants": len(c["people"]),
                      "messages": sum(1 for e in evs if e[0] == "msg"),
                      "file_transfers": sum(1 for e in evs if e[0] == "file"),
                      "file_transfer_elements": "FileTransfer" if c["filemode"] == "single"
                      else "FileTransferStarted + FileTransferEnded (one transfer)",
                      "participant_entered": sum(1 for e in evs if e[0] == "enter"),
                      "participant_left": sum(1 for e in evs if e[0] == "leave")})
    return {"path": PATH, "conversations": convs,
            "messages": sum(c["messages"] for c in convs),
            "file_transfers": sum(c["file_transfers"] for c in convs)}
