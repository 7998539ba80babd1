"""The Parley pilot's workspace export in Slack's export format (Parley offers a
"Slack-compatible export"), collected from the IT director, who administers the tenant.

Zip layout: users.json, channels.json, groups.json (one private channel), dms.json,
mpims.json, integration_logs.json and one folder per conversation holding YYYY-MM-DD.json day
files (UTC dates).  Public and private channels are named folders, the DM folder is its id,
the group DM folder is its mpdm-… name.  JSON is written the way Slack writes it: 4-space
indent, non-ASCII as \\uXXXX and '/' escaped as '\\/'.  Message text uses Slack markup:
<@U…> mentions, <#C…|name> channel links, <url|label> and <mailto:…|…> links, <!channel>, and
&amp; &lt; &gt; escapes.  Randomness (only the microseconds of each ts) comes from its own
random.Random, so nothing else in the tree shifts."""
import hashlib
import json
import random
from datetime import datetime, timezone

from . import cast
from .attachments import zip_bytes
from .cast import person as P

PATH = "custodian02-it-director/parley-workspace-export.zip"
TEAM = "T05PRLY0DPR"
DAYS = ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]
# user key -> (handle, display name, title, phone shown in the profile)
USERS = {
    "doe": ("records-officer", "Jane", "Records Officer", ""),
    "okafor": ("it-director", "Sam", "Director of IT", "555.014.2298"),
    "lindqvist": ("general-counsel", "Maria", "General Counsel", ""),
    "tanaka": ("investigator", "Hiro", "Senior Investigator", ""),
    "ruiz": ("deputy-director", "Carmen", "Deputy Director", ""),
    "novak": ("foia-officer", "Pete", "FOIA Officer", ""),
    "brennan": ("press-officer", "Siobhan", "Public Information Officer", ""),
    "petrosyan": ("hr-specialist", "Nadia", "HR Specialist", ""),
    "ferreira": ("vendor-support", "Lucian", "Solutions Engineer, Parley Systems", ""),
}
BOTS = {"status": ("B05STATUS01", "Parley Status"), "hold": ("B05LEGALH02", "Parley Legal Hold")}


def _id(prefix, key, n=10):
    return prefix + hashlib.sha1(f"slack/{key}".encode()).hexdigest()[:n].upper()


UID = {k: _id("U0", k, 9) for k in USERS}
CH = {"ann": ("C0" + _id("", "ann", 9), "pilot-announcements"),
      "ret": ("C0" + _id("", "ret", 9), "retention-policy"),
      "hold": ("G0" + _id("", "hold", 9), "legal-hold-coord")}
DM = ("D0" + _id("", "dm", 9), ["doe", "novak"])
MPIM = ("G0" + _id("", "mpim", 9), "mpdm-records-officer--general-counsel--deputy-director-1",
        ["doe", "lindqvist", "ruiz"])


def m(u):
    return f"<@{UID[u]}>"


# Conversation scripts.  Each row: (day index, "HH:MM" UTC, user key or bot, text, options).
# Options: join, file=(name, title, mimetype, size), edited="HH:MM", thread=id (parent) /
# reply=id, tombstone=id, deleted=id, reactions=[(name, [users])].
SCRIPT = {
    "ann": [
        (0, "16:58", "ferreira", f"{m('ferreira')} has joined the channel", dict(join=True)),
        (0, "17:02", "okafor", "Good morning! Build 4.7.2 goes to pilot groups A and B tonight. Release notes: "
                               "<https://help.parley.example.com/release-notes/4-7-2|4.7.2 release notes>", {}),
        (0, "17:05", "bot:status", "Scheduled maintenance: Tuesday 02:00\u201303:00 UTC. Messages sent during "
                                   "the window are queued.", {}),
        (0, "17:31", "ruiz", f"Thanks {m('okafor')}. Does 4.7.2 include the per-channel retention switch?", {}),
        (0, "17:40", "ferreira", "It does \u2014 the switch is off by default &amp; only admins can change it.",
         dict(reactions=[("+1", ["ruiz", "okafor"])])),
        (0, "18:15", "brennan", "Noted for the press FAQ.", {}),
        (1, "16:20", "bot:status", "Deploy of 4.7.2 to pilot groups A, B completed. 0 errors.", {}),
        (1, "17:10", "okafor", "Updated admin guide for 4.7.2",
         dict(file=("parley-admin-guide-4.7.2.pdf", "Parley admin guide 4.7.2", "application/pdf", 482113))),
        (1, "17:12", "doe", "Thanks Sam \u2014 I'll add it to the records inventory.", {}),
        (1, "18:40", "novak", "Reminder: pilot data is under the legal hold. Please don't delete channels.", {}),
        (1, "19:02", "okafor", "Retention jobs stay paused for every pilot channel until counsel says otherwise.",
         dict(edited="19:06")),
        (2, "17:00", "okafor", f"Heads-up: a thread about export formats is running in <#{CH['ret'][0]}|retention-policy>.", {}),
        (2, "17:45", "petrosyan", f"{m('petrosyan')} has joined the channel", dict(join=True)),
        (2, "17:46", "petrosyan", "Hi all \u2014 HR will use Parley for onboarding questions from next month.", {}),
        (2, "18:05", "brennan", "<!channel> please send press questions about the pilot to me, not to "
                                "reporters directly.", {}),
        (2, "18:20", "ruiz", "Thanks Siobhan. Same for questions from council staff.", {}),
        (2, "18:31", "okafor", "Search is faster in 4.7.2: results &lt; 2 s for 90 days of history.", {}),
        (3, "16:45", "bot:status", "Weekly usage: 212 active accounts, 3,104 messages.", {}),
        (3, "17:30", "ruiz", "Great numbers. Thank you all.", {}),
        (3, "17:32", "ferreira", "Vendor support hours next week: 8\u201317 ET. Urgent: call me at +1 555 014 2331.", {}),
        (3, "18:10", "doe", "Pilot channel list for the records inventory is pinned in <#"
                            f"{CH['ret'][0]}|retention-policy>.", {}),
        (3, "18:12", "okafor", "\U0001F44D", {}),
    ],
    "ret": [
        (0, "17:15", "doe", "Draft transitory rule for chat: keep DMs 90 days, channels 3 years. Comments in "
                            "the thread, please.", dict(thread="t1")),
        (0, "17:22", "lindqvist", "Please hold the 90-day rule until the investigation is closed. Same "
                                  "position as in my email.", dict(reply="t1")),
        (0, "17:30", "novak", "Agreed from the FOIA side; the Ledger request (PRR-2024-0117) covers chat.",
         dict(reply="t1")),
        (0, "17:48", "ruiz", "Decision stands: no change until the investigation closes.", dict(reply="t1")),
        (0, "18:10", "doe", "Current draft",
         dict(file=("retention-schedule-draft-v4.docx", "Retention schedule draft v4",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 24576))),
        (1, "17:05", "okafor", "Setting confirmed unchanged in the admin console.", dict(reply="t1")),
        (1, "17:40", "novak", f"Question from a resident: can they request DMs? {m('doe')} can you take this one?", {}),
        (1, "17:52", "doe", "Yes \u2014 DMs about agency business are records. I'll reply to the resident.", {}),
        (1, "18:30", "lindqvist", "For the file: the complainant, Theo Brandt, called again from "
                                  f"{cast.COMPLAINANT_PHONE}. Route any contact to Hiroshi.", {}),
        (2, "17:10", "USLACKBOT", "This message was deleted.", dict(tombstone="t2")),
        (2, "17:15", "okafor", "Export format: one JSON file per channel per day, like Slack.", dict(reply="t2")),
        (2, "17:20", "brennan", "Thanks, that's what I needed for the FAQ.", dict(reply="t2")),
        (2, "17:26", "brennan", "", dict(deleted="t2")),
        (2, "18:00", "novak", "<https://records.dpr.example.gov/prr/PRR-2024-0117|PRR-2024-0117> is now in review.", {}),
        (3, "17:00", "doe", "Reminder: the State Archives meeting is on Friday.", {}),
        (3, "17:20", "ruiz", f"I'll attend. {m('lindqvist')} can you join?", {}),
        (3, "17:25", "lindqvist", "Yes.", {}),
        (3, "17:40", "novak", "Search terms for the Ledger request",
         dict(file=("prr-2024-0117-search-terms.txt", "Search terms", "text/plain", 612))),
        (3, "17:55", "brennan", "Will the schedule be public before the Archives meeting?", {}),
        (3, "18:02", "doe", "No, only after approval.", {}),
    ],
    "hold": [
        (0, "16:30", "lindqvist", "This channel is for legal hold coordination only. Keep it factual.", {}),
        (0, "16:31", "tanaka", f"{m('tanaka')} has joined the channel", dict(join=True)),
        (0, "16:32", "okafor", f"{m('okafor')} has joined the channel", dict(join=True)),
        (0, "16:33", "ruiz", f"{m('ruiz')} has joined the channel", dict(join=True)),
        (0, "16:50", "tanaka", "Interviews for INV-2024-017 start March 18. Please keep dates out of other channels.", {}),
        (1, "17:00", "okafor", "Audit log export for November is on the investigations share (14 deletion events).", {}),
        (1, "17:05", "tanaka", f"Thanks {m('okafor')}. Did any user delete messages by hand?", {}),
        (1, "17:09", "okafor", "No, all 14 were the retention job.", dict(edited="17:11")),
        (1, "17:30", "lindqvist", f"Hold notices acknowledged by all custodians except HR; {m('ruiz')} will follow up.", {}),
        (2, "17:10", "ruiz", "HR acknowledged. Nadia's number for hold questions: (555) 014-2209.", {}),
        (2, "17:40", "tanaka", "Complainant's email for the record: "
                               "<mailto:theo.brandt@example.net|theo.brandt@example.net>", {}),
        (2, "18:02", "bot:hold", "Legal hold HOLD-2024-003 applied to 7 custodians.", {}),
        (2, "18:20", "lindqvist", "Thanks. Nothing about the interviews in email, please.", {}),
        (3, "17:00", "tanaka", "Vendor statement needed on the 7-day setting.", dict(thread="t3")),
        (3, "17:15", "lindqvist", "I'll ask Lucian for a signed statement.", dict(reply="t3")),
        (3, "17:22", "okafor", "Ticket is PAR-4471.", dict(reply="t3")),
        (3, "17:45", "doe", "Records inventory updated with the pilot channels.", {}),
    ],
    "dm": [
        (1, "20:00", "novak", "Jane, do you have the pilot user list for the search?", {}),
        (1, "20:04", "doe", "Yes, here.", dict(file=("pilot-users.csv", "pilot-users.csv", "text/csv", 402))),
        (1, "20:05", "doe", "Call me at 555-014-2231 if anything is missing.", {}),
        (1, "20:10", "novak", "Got it, thanks.", {}),
    ],
    "mpim": [
        (2, "21:00", "ruiz", "Can we meet Friday about the Archives question?", {}),
        (2, "21:03", "lindqvist", "Friday 10:00 works.", {}),
        (2, "21:05", "doe", "Works for me. Room 4B.", {}),
    ],
}
MEMBERS = {"ann": list(USERS), "ret": ["doe", "lindqvist", "novak", "ruiz", "okafor", "brennan"],
           "hold": ["lindqvist", "tanaka", "okafor", "ruiz", "doe"]}
CREATED = {"ann": ("okafor", 1678118400), "ret": ("doe", 1680278400), "hold": ("lindqvist", 1704729600)}
TOPICS = {"ann": "Announcements about the Parley pilot", "ret": "Retention schedule for chat messages",
          "hold": "Legal hold coordination (restricted)"}


def _epoch(day, hhmm):
    d = datetime.strptime(f"{DAYS[day]} {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
    return int(d.timestamp())


def _profile(u):
    p = P(u)
    handle, display, title, phone = USERS[u]
    return {"real_name": p.full, "display_name": display, "name": handle, "team": TEAM,
            "is_restricted": u == "ferreira", "is_ultra_restricted": False}


def _messages(conv, rng):
    rows = SCRIPT[conv]
    ts_of, out = {}, []
    for day, hhmm, who, text, opt in rows:
        ts = f"{_epoch(day, hhmm)}.{rng.randrange(1, 999999):06d}"
        out.append([ts, day, who, text, opt])
        for k in ("thread", "tombstone"):
            if k in opt:
                ts_of[opt[k]] = ts
    replies = {}
    for ts, day, who, text, opt in out:
        if "reply" in opt:
            replies.setdefault(opt["reply"], []).append((who, ts))
    msgs = []
    for ts, day, who, text, opt in out:
        o = {}
        if who.startswith("bot:"):
            bot_id, name = BOTS[who[4:]]
            o = {"type": "message", "subtype": "bot_message", "text": text, "ts": ts, "username": name,
                 "bot_id": bot_id}
        elif "deleted" in opt:
            o = {"type": "message", "subtype": "message_deleted", "hidden": True,
                 "deleted_ts": ts_of[opt["deleted"]], "ts": ts, "event_ts": ts}
        elif "tombstone" in opt:
            key = opt["tombstone"]
            o = {"type": "message", "subtype": "tombstone", "text": text, "user": "USLACKBOT", "hidden": True,
                 "ts": ts, "thread_ts": ts}
            _thread_fields(o, replies.get(key, []))
        else:
            o = {"type": "message"}
            if "join" in opt:
                o["subtype"] = "channel_join"
            elif "file" in opt:
                o["subtype"] = "file_share"
            o.update({"text": text, "user": UID[who], "ts": ts, "team": TEAM, "user_team": TEAM,
                      "user_profile": _profile(who)})
            if "edited" in opt:
                o["edited"] = {"user": UID[who], "ts": f"{_epoch(day, opt['edited'])}.000000"}
            if "file" in opt:
                name, title, mime, size = opt["file"]
                fid = _id("F0", f"{conv}/{name}", 9)
                o["files"] = [{"id": fid, "created": int(float(ts)), "timestamp": int(float(ts)), "name": name,
                               "title": title, "mimetype": mime, "filetype": name.rsplit(".", 1)[1],
                               "pretty_type": name.rsplit(".", 1)[1].upper(), "user": UID[who], "size": size,
                               "mode": "hosted", "is_external": False, "is_public": conv in ("ann", "ret"),
                               "url_private": f"https://files.parley.example.com/files-pri/{TEAM}-{fid}/{name}"}]
                o["upload"] = True
            if "thread" in opt:
                o["thread_ts"] = ts
                _thread_fields(o, replies.get(opt["thread"], []))
            if "reply" in opt:
                parent = next(r for r in out if r[4].get("thread") == opt["reply"] or r[4].get("tombstone") == opt["reply"])
                o["thread_ts"] = parent[0]
                o["parent_user_id"] = "USLACKBOT" if "tombstone" in parent[4] else UID[parent[2]]
            if "reactions" in opt:
                o["reactions"] = [{"name": n, "users": [UID[u] for u in us], "count": len(us)}
                                  for n, us in opt["reactions"]]
        msgs.append((DAYS[day], o))
    return msgs


def _thread_fields(o, reps):
    o["reply_count"] = len(reps)
    o["reply_users_count"] = len({w for w, _ in reps})
    o["latest_reply"] = reps[-1][1] if reps else o["ts"]
    o["reply_users"] = list(dict.fromkeys(UID[w] for w, _ in reps))
    o["replies"] = [{"user": UID[w], "ts": t} for w, t in reps]
    o["is_locked"] = False
    o["subscribed"] = False


def dumps(obj):
    """Slack's JSON: 4-space indent, ASCII only, escaped slashes."""
    return (json.dumps(obj, indent=4, ensure_ascii=True).replace("/", "\\/") + "\n").encode("ascii")


def _users():
    out = []
    for u, (handle, display, title, phone) in USERS.items():
        p = P(u)
        out.append({"id": UID[u], "team_id": TEAM, "name": handle, "deleted": False, "real_name": p.full,
                    "tz": "America/New_York" if p.tz == "us-eastern" else "America/Los_Angeles",
                    "profile": {"title": title, "phone": phone, "real_name": p.full,
                                "real_name_normalized": p.full, "display_name": display, "email": p.email,
                                "team": TEAM},
                    "is_admin": u == "okafor", "is_owner": u == "okafor", "is_bot": False,
                    "is_restricted": u == "ferreira", "is_ultra_restricted": False, "updated": 1709251200})
    for key, (bot_id, name) in BOTS.items():
        out.append({"id": _id("U0", "bot/" + key, 9), "team_id": TEAM, "name": name.lower().replace(" ", "-"),
                    "deleted": False, "real_name": name, "profile": {"real_name": name, "display_name": "",
                                                                   "bot_id": bot_id, "team": TEAM},
                    "is_bot": True, "is_app_user": False, "updated": 1706745600})
    return out


def _channel(key):
    cid, name = CH[key]
    creator, created = CREATED[key]
    return {"id": cid, "name": name, "created": created, "creator": UID[creator], "is_archived": False,
            "is_general": key == "ann", "members": [UID[u] for u in MEMBERS[key]],
            "topic": {"value": TOPICS[key], "creator": UID[creator], "last_set": created},
            "purpose": {"value": TOPICS[key], "creator": UID[creator], "last_set": created}}


def export():
    """(zip bytes, summary dict) for the workspace export."""
    rng = random.Random("slack-export/2024-03")
    files = {
        "users.json": dumps(_users()),
        "channels.json": dumps([_channel("ann"), _channel("ret")]),
        "groups.json": dumps([_channel("hold")]),
        "dms.json": dumps([{"id": DM[0], "created": 1709665200, "members": [UID[u] for u in DM[1]]}]),
        "mpims.json": dumps([{"id": MPIM[0], "name": MPIM[1], "created": 1709758800, "creator": UID["ruiz"],
                              "is_archived": False, "members": [UID[u] for u in MPIM[2]],
                              "topic": {"value": "", "creator": "", "last_set": 0},
                              "purpose": {"value": "Group messaging", "creator": UID["ruiz"],
                                          "last_set": 1709758800}}]),
        "integration_logs.json": dumps({"logs": [
            {"user_id": UID["lindqvist"], "user_name": "general-counsel", "bot_id": BOTS["hold"][0],
             "date": "1704729600", "change_type": "added", "service_type": "Parley Legal Hold",
             "scope": "chat:write", "channel": "legal-hold-coord"},
            {"user_id": UID["okafor"], "user_name": "it-director", "bot_id": BOTS["status"][0],
             "date": "1706745600", "change_type": "added", "service_type": "Parley Status",
             "scope": "chat:write,channels:read", "channel": "pilot-announcements"}]}),
    }
    folders = {"ann": CH["ann"][1], "ret": CH["ret"][1], "hold": CH["hold"][1], "dm": DM[0], "mpim": MPIM[1]}
    summary = {"conversations": {}, "messages": 0, "subtypes": {}}
    for conv in ("ann", "ret", "hold", "dm", "mpim"):
        by_day = {}
        for day, o in _messages(conv, rng):
            by_day.setdefault(day, []).append(o)
        for day in sorted(by_day):
            msgs = sorted(by_day[day], key=lambda o: o["ts"])
            files[f"{folders[conv]}/{day}.json"] = dumps(msgs)
            summary["messages"] += len(msgs)
            for o in msgs:
                st = o.get("subtype", "message")
                summary["subtypes"][st] = summary["subtypes"].get(st, 0) + 1
        summary["conversations"][folders[conv]] = {"days": sorted(by_day),
                                                    "messages": sum(len(v) for v in by_day.values())}
    return zip_bytes(sorted(files.items())), summary
