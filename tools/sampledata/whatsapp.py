"""WhatsApp "Export chat" texts from two staff phones.

iOS form (press officer's phone), saved as `WhatsApp Chat with Press Desk.txt`:
    [14/02/2024, 08:03:22] Siobhan Brennan: text          (DD/MM/YYYY, 24 h, CRLF lines)
System lines are sent "by" the group and start with U+200E (the phone's owner is "You");
media lines read "image omitted" or "<attached: 00000012-PHOTO-….jpg>" (also after U+200E);
an unsaved contact shows as a phone number wrapped in U+202A … U+202C.
Android form (records officer's phone), unpacked into `WhatsApp Chat - Records Team/` as
`_chat.txt` with the one attached file beside it:
    03/05/24, 9:14 AM - Jane Doe: text                     (MM/DD/YY, 12 h, U+202F before AM/PM)
with "<Media omitted>", "DOC-….txt (file attached)", "This message was deleted" and
"<This message was edited>".  Lines without a timestamp continue the previous message.
Everything is fixed text: no randomness at all."""
from . import cast

IOS_PATH = "custodian07-public-information-officer/Phone export/WhatsApp Chat with Press Desk.txt"
ANDROID_DIR = "custodian01-records-officer/WhatsApp Chat - Records Team"
LINDQVIST_PERSONAL = "+1 (555) 014-2390"
LRM, LRE, PDF_, NNBSP = "\u200e", "\u202a", "\u202c", "\u202f"
UNSAVED = f"{LRE}{LINDQVIST_PERSONAL}{PDF_}"
DOC_NAME = "DOC-20240305-WA0003.txt"

IOS = [
    ("14/02/2024, 07:58:10", "Press Desk", f"{LRM}Messages and calls are end-to-end encrypted. No one outside "
                                           "of this chat, not even WhatsApp, can read or listen to them."),
    ("14/02/2024, 07:58:10", "Press Desk", f"{LRM}You created group \u201cPress Desk\u201d"),
    ("14/02/2024, 07:58:11", "Press Desk", f"{LRM}You added Carmen Ruiz, Jane Doe and {UNSAVED}"),
    ("14/02/2024, 08:03:22", "Siobhan Brennan", "Morning all. The Ledger piece on Parley is out \u2014 clip below."),
    ("14/02/2024, 08:03:40", "Siobhan Brennan", f"{LRM}<attached: 00000012-PHOTO-2024-02-14-08-03-40.jpg>"),
    ("14/02/2024, 08:10:05", "Carmen Ruiz", "Thanks. Holding lines by 10?"),
    ("14/02/2024, 08:11:30", "Siobhan Brennan", "Draft holding lines:\n1. The pilot is a test of tools, not of "
                                                "the records law.\n2. Messages about agency business are public "
                                                "records.\n3. We do not comment on complaints."),
    ("14/02/2024, 08:15:02", UNSAVED, "Line 3 is fine. Please add nothing about the investigation. "
                                      "\u2013 Maria (personal phone)"),
    ("14/02/2024, 08:16:44", "Jane Doe", "Agree with 1 and 2. For 2, say \u201crecords\u201d, not "
                                         "\u201cpublic records\u201d?"),
    ("14/02/2024, 08:17:09", "Jane Doe", f"{LRM}This message was deleted."),
    ("14/02/2024, 08:20:31", "Carmen Ruiz", "Keep \u201cpublic records\u201d. Approved."),
    ("14/02/2024, 08:22:00", "Siobhan Brennan", f"{LRM}image omitted"),
    ("14/02/2024, 08:25:13", "Siobhan Brennan", "Sent to the Ledger at 8:24. Declan will call back."),
    ("15/02/2024, 07:45:10", "Siobhan Brennan", "Follow-up questions came in overnight \U0001F4F0"),
    ("15/02/2024, 07:50:02", "Carmen Ruiz", "Let's talk at 9."),
    ("15/02/2024, 18:02:33", "Press Desk", f"{LRM}Jane Doe left"),
]

ANDROID = [
    ("03/05/24, 9:10\u202fAM", None, "Messages and calls are end-to-end encrypted. No one outside of this "
                                     "chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
    ("03/05/24, 9:10\u202fAM", None, "You created group \"Records Team\""),
    ("03/05/24, 9:10\u202fAM", None, "You added Peter Novak"),
    ("03/05/24, 9:11\u202fAM", None, "You added Samuel Okafor"),
    ("03/05/24, 9:14\u202fAM", "Jane Doe", "Quick channel for the Ledger request search. Nothing sensitive "
                                           "here, please \u2014 this phone is not on the legal hold list."),
    ("03/05/24, 9:16\u202fAM", "Samuel Okafor", "Understood. The export from the pilot is running now."),
    ("03/05/24, 9:20\u202fAM", "Peter Novak", f"{DOC_NAME} (file attached)\nCallback list for Friday"),
    ("03/05/24, 9:22\u202fAM", "Jane Doe", "<Media omitted>"),
    ("03/05/24, 9:23\u202fAM", "Jane Doe", "That was the screenshot of the search screen."),
    ("03/05/24, 9:31\u202fAM", "Samuel Okafor", "Export finished: 3,104 messages, 18 channels.\nI will put it "
                                                "on the investigations share.\nChecksum in the ticket."),
    ("03/05/24, 10:02\u202fAM", "Peter Novak", "This message was deleted"),
    ("03/05/24, 10:03\u202fAM", "Peter Novak", "Thanks both. Meeting moved to 2 PM <This message was edited>"),
    ("03/05/24, 1:58\u202fPM", "Jane Doe", "On my way \U0001F6B6"),
    ("03/06/24, 8:45\u202fAM", "Samuel Okafor", "Share path is in the ticket PAR-4471 comments."),
    ("03/06/24, 8:47\u202fAM", None, "Samuel Okafor left"),
]


def doc_attachment():
    return ("Callback list (Friday)\n"
            f"- Theo Brandt, {cast.COMPLAINANT_PHONE}, re: deleted pilot messages\n"
            "- Ingrid Halvorsen, +49 30 901820, request status (PRR-2023-0388)\n").encode("utf-8")


def ios_text():
    lines = [f"[{ts}] {who}: {text}" for ts, who, text in IOS]
    return ("\r\n".join(l.replace("\n", "\r\n") for l in lines) + "\r\n").encode("utf-8")


def android_text():
    lines = [f"{ts} - {who}: {text}" if who else f"{ts} - {text}" for ts, who, text in ANDROID]
    return ("\n".join(lines) + "\n").encode("utf-8")


def files():
    return {IOS_PATH: ios_text(), f"{ANDROID_DIR}/_chat.txt": android_text(),
            f"{ANDROID_DIR}/{DOC_NAME}": doc_attachment()}


def summary():
    ios_msgs = sum(1 for _, who, _ in IOS if who != "Press Desk")
    and_msgs = sum(1 for _, who, _ in ANDROID if who)
    return {
        "ios": {"path": IOS_PATH, "form": "iOS [DD/MM/YYYY, HH:MM:SS] Sender: text, CRLF",
                "lines_with_timestamp": len(IOS), "messages": ios_msgs, "system_lines": len(IOS) - ios_msgs,
                "multiline_messages": sum(1 for _, _, t in IOS if "\n" in t),
                "unsaved_contact_sender": LINDQVIST_PERSONAL,
                "media_lines": ["image omitted", "<attached: 00000012-PHOTO-2024-02-14-08-03-40.jpg>"],
                "deleted_messages": 1},
        "android": {"path": f"{ANDROID_DIR}/_chat.txt", "attached_file": f"{ANDROID_DIR}/{DOC_NAME}",
                    "form": "Android MM/DD/YY, h:mm\u202fAM - Sender: text, LF",
                    "lines_with_timestamp": len(ANDROID), "messages": and_msgs,
                    "system_lines": len(ANDROID) - and_msgs,
                    "multiline_messages": sum(1 for _, _, t in ANDROID if "\n" in t),
                    "deleted_messages": 1, "edited_messages": 1, "media_omitted": 1},
    }
