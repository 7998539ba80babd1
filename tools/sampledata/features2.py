"""Feature checklist for the second wave (like features.py for the mail): every format
feature docs/sampledata.md promises for the .msg files, chat exports, calendar items and
office attachments must really be in the bytes, so an edit cannot drop one silently."""
import io
import zipfile

from . import cfb_read


def _zip_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"\n".join(zf.read(n) for n in zf.namelist())


def check(out, planted):
    missing = []

    def need(cond, name):
        if not cond:
            missing.append(name)

    # Outlook .msg
    trees = {p: cfb_read.read(out[p]) for p in planted["outlook_msg"]["paths"]}
    streams = {s.rsplit("/", 1)[-1] for t in trees.values() for s in t}
    for s in ("__substg1.0_0037001F", "__substg1.0_1000001F", "__substg1.0_0C1A001F", "__substg1.0_5D01001F",
              "__substg1.0_0C1F001F", "__substg1.0_0E04001F", "__substg1.0_1035001F", "__substg1.0_007D001F",
              "__substg1.0_3001001F", "__substg1.0_39FE001F", "__substg1.0_3707001F", "__substg1.0_37010102",
              "__substg1.0_0037001E", "__substg1.0_1000001E", "__substg1.0_3701000D/"):
        need(s in streams or any(k.endswith(s) for t in trees.values() for k in t), f"msg {s}")
    need(any("\u3000" < c for t in trees.values() for k, v in t.items() if k.endswith("0037001F")
             for c in (v or b"").decode("utf-16-le")), "msg with CJK subject")
    # Slack
    sl = _zip_text(out[planted["slack_export"]["path"]])
    for marker in (b'"channel_join"', b'"bot_message"', b'"file_share"', b'"tombstone"', b'"message_deleted"',
                   b'"edited"', b'"thread_ts"', b'"reply_count"', b'"replies"', b'"files"', b"<@U", b"<#C",
                   b"<!channel>", b"<mailto:", b"&amp;", b"&lt;", b"\\/", b"\\u2014", b"\\ud83d", b'"reactions"'):
        need(marker in sl, f"slack {marker.decode()}")
    sub = planted["slack_export"]["subtypes"]
    need(all(sub.get(k) for k in ("channel_join", "bot_message", "file_share", "tombstone", "message_deleted")),
         "slack subtypes")
    # WhatsApp
    ios = out[planted["whatsapp"]["ios"]["path"]].decode("utf-8")
    android = out[planted["whatsapp"]["android"]["path"]].decode("utf-8")
    for marker in ("\r\n", "\u200eimage omitted", "\u200e<attached: 00000012-PHOTO-", "\u202a+1 (555)",
                   "This message was deleted", "\u200eYou created group"):
        need(marker in ios, f"whatsapp ios {marker!r}")
    for marker in ("\u202fAM - ", "\u202fPM - ", "<Media omitted>", "(file attached)", "<This message was edited>",
                   "This message was deleted", "You created group", " left\n"):
        need(marker in android, f"whatsapp android {marker!r}")
    need(planted["whatsapp"]["ios"]["multiline_messages"] and planted["whatsapp"]["android"]["multiline_messages"],
         "whatsapp multi-line messages")
    # Wickr and Actiance
    need({"1000", "6000", "7000", "9000", "4011", "4001"} <= set(planted["wickr"]["by_msgtype"]), "wickr msgtypes")
    xml = out[planted["actiance"]["path"]]
    for marker in (b"<FileDump>", b"<Conversation Perspective=", b"<RoomID>", b"<StartTimeUTC>", b"<EndTimeUTC>",
                   b"<ParticipantEntered>", b"<ParticipantLeft>", b"<DisplayName>", b"<CorporateEmailID>",
                   b"<InternalFlag>", b"<ConversationID>", b"<FileTransfer>", b"<FileTransferStarted>",
                   b"<FileTransferEnded>", b"<UserFileName>", b"<FileSize>", b"&amp;", b"&lt;"):
        need(marker in xml, f"actiance {marker.decode()}")
    # Calendar
    cal = b"".join(out[p] for p in planted["calendar"]["ics_files"])
    for marker in (b"RRULE:FREQ=WEEKLY", b"EXDATE;TZID=America/New_York:", b"BEGIN:VTIMEZONE",
                   b"DTSTART;TZID=America/New_York:", b"ORGANIZER;CN=", b"ATTENDEE;CN=", b":mailto:", b"LOCATION:",
                   b"DESCRIPTION:", b"\r\n "):
        need(marker in cal, f"ics {marker.decode()!r}")
    invite = out[planted["calendar"]["email_invite"]["path"]]
    need(b"text/calendar" in invite and b"method=REQUEST" in invite, "e-mail with text/calendar; method=REQUEST")
    if missing:
        raise AssertionError(f"second-wave features missing from SampleData: {missing}")
