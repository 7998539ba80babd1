"""AWS Wickr data-retention bot output for the investigator's Wickr network: one JSON object
per line (keys sorted, UTF-8), in msg_ts order.  Two conversations: a room (vgroupid 'S…')
for interview logistics and a 1:1 between the investigator and counsel (with `receiver`).
msgtypes: 1000 text, 6000 file, 7000 call (start, then completed with a duration), 9000 edit
(`edit{originalmessageid,text}`), 4011 delete (`control{msgid}`), 4001 create room and 4002
members change (`control{members,title}`).  `msg_ts` is seconds.microseconds as a string,
`time` is M/D/YY h:mm AM/PM, `time_iso` is UTC with milliseconds.  The microseconds come from
this module's own random.Random."""
import hashlib
import json
import random
from datetime import datetime, timezone

from . import cast
from .cast import person as P

PATH = "custodian04-investigator/wickr-data-retention-export.json"
COMPLAINANT_EMAIL = "theo.brandt@example.net"


def _hex(key, n):
    return hashlib.sha256(f"wickr/{key}".encode()).hexdigest()[:n]


ROOM = "S" + _hex("room", 63)
ONE_TO_ONE = _hex("1to1", 64)
T, L, O, R = (P(k).email for k in ("tanaka", "lindqvist", "okafor", "ruiz"))

# (key, "YYYY-MM-DD HH:MM:SS" UTC, sender, conversation, msgtype, payload)
RECORDS = [
    ("room", "2024-03-18 15:55:12", T, ROOM, 4001,
     {"control": {"msgtype": 4001, "title": "INV-2024-017 interviews", "description": "Interview logistics only",
                  "members": [T, L, O], "masters": [T], "ttl": "7776000", "bor": "0"}}),
    ("t1", "2024-03-18 15:56:40", T, ROOM, 1000,
     {"message": "Room for interview logistics only. Administrator A at 10:00 tomorrow, Room 3C."}),
    ("t2", "2024-03-18 16:02:05", L, ROOM, 1000, {"message": "I'll sit in on the first one."}),
    ("t3", "2024-03-18 16:10:51", O, ROOM, 1000,
     {"message": "Administrator A confirmed. Administrator B is out until Thursday."}),
    ("f1", "2024-03-18 16:30:00", T, ROOM, 6000,
     {"file": {"filename": "interview-plan-v2.pdf", "guid": _hex("f1-guid", 32), "isvoicememo": False}}),
    ("t4", "2024-03-18 16:41:19", T, ROOM, 1000,
     {"message": f"Complainant's contact for scheduling: Theo Brandt, {cast.COMPLAINANT_PHONE}, {COMPLAINANT_EMAIL}"}),
    ("e1", "2024-03-18 16:44:02", T, ROOM, 9000,
     {"edit": {"originalmessageid": "t4", "text": "Complainant's contact for scheduling: Theo Brandt, "
                                                 f"{cast.COMPLAINANT_PHONE} (email on file)", "type": "text"}}),
    ("d1", "2024-03-18 16:50:30", L, ROOM, 4011, {"control": {"msgtype": 4011, "isrecall": True, "msgid": "t2"}}),
    ("c1", "2024-03-19 17:00:03", L, ONE_TO_ONE, 7000,
     {"call": {"calluri": "198.51.100.60:16450", "meetingid": 0, "participants": [_hex("p-l", 64), _hex("p-t", 64)],
               "status": 0, "version": 2, "versioncheck": True}}),
    ("c2", "2024-03-19 17:06:55", L, ONE_TO_ONE, 7000,
     {"call": {"calluri": "198.51.100.60:16450", "duration": 412, "meetingid": 0,
               "participants": [_hex("p-l", 64), _hex("p-t", 64)], "status": 1, "version": 2,
               "versioncheck": True}}),
    ("t5", "2024-03-19 17:08:31", L, ONE_TO_ONE, 1000,
     {"message": "After the call: keep the vendor statement in the sealed folder."}),
    ("t6", "2024-03-19 17:12:09", T, ONE_TO_ONE, 1000,
     {"message": "Done. The folder password goes by phone only, never in writing."}),
    ("t7", "2024-03-19 18:20:44", O, ROOM, 1000,
     {"message": "Vendor engineer interview moved to March 20, 09:30 PT."}),
    ("f2", "2024-03-19 18:22:10", O, ROOM, 6000,
     {"file": {"filename": "audit-log-nov-2023.jsonl", "guid": _hex("f2-guid", 32), "isvoicememo": False}}),
    ("m1", "2024-03-20 15:05:00", T, ROOM, 4002,
     {"control": {"msgtype": 4002, "addedmembers": [R], "members": [T, L, O, R]}}),
    ("t8", "2024-03-20 15:07:37", R, ROOM, 1000, {"message": "Thanks for adding me. Please keep me posted."}),
    ("t9", "2024-03-21 22:15:02", T, ROOM, 1000,
     {"message": "Both administrators and the vendor engineer interviewed. Summaries go to counsel only."}),
]
RECEIVER = {T: L, L: T}


def _time(dt):
    hour = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt.year % 100:02d} {hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def lines():
    rng = random.Random("wickr-retention/2024-03")
    ids = {key: _hex(f"id/{key}", 32) for key, *_ in RECORDS}
    out = []
    for key, when, sender, conv, mtype, payload in RECORDS:
        dt = datetime.strptime(when, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
        micro = rng.randrange(1000000)
        obj = dict(json.loads(json.dumps(payload)))
        if "edit" in obj:
            obj["edit"]["originalmessageid"] = ids[obj["edit"]["originalmessageid"]]
        if mtype == 4011:
            obj["control"]["msgid"] = ids[obj["control"]["msgid"]]
        obj.update({"message_id": ids[key], "msg_ts": f"{int(dt.timestamp())}.{micro:06d}", "msgtype": mtype,
                    "sender": sender, "sender_type": "normal", "time": _time(dt),
                    "time_iso": f"{dt:%Y-%m-%d %H:%M:%S}.{micro // 1000:03d}", "vgroupid": conv})
        if mtype in (1000, 6000):
            obj.update({"ttl": "7776000", "bor": "0"})
        if conv == ONE_TO_ONE:
            obj["receiver"] = RECEIVER[sender]
        out.append(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def summary():
    by_type = {}
    for _, _, _, _, mtype, _ in RECORDS:
        by_type[str(mtype)] = by_type.get(str(mtype), 0) + 1
    return {"path": PATH, "records": len(RECORDS), "by_msgtype": dict(sorted(by_type.items())),
            "conversations": {"room": ROOM, "one_to_one": ONE_TO_ONE},
            "records_per_conversation": {
                "room": sum(1 for r in RECORDS if r[3] == ROOM),
                "one_to_one": sum(1 for r in RECORDS if r[3] == ONE_TO_ONE)},
            "edited_message_id": _hex("id/t4", 32), "deleted_message_id": _hex("id/t2", 32)}
