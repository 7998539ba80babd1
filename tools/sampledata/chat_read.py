"""Independent readers for the chat exports (Slack zip, WhatsApp texts, Wickr JSON lines,
Actiance XML) and iCalendar files, used only by the self-checks.  Each returns
(decoded texts, facts) and raises AssertionError when the file breaks its own format rules."""
import io
import json
import re
import zipfile
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone


def _need(cond, msg):
    if not cond:
        raise AssertionError(msg)


# ---- Slack ------------------------------------------------------------------------------
def slack_markup(text, names):
    text = re.sub(r"<@(U[A-Z0-9]+)>", lambda m: "@" + names[m.group(1)], text)
    text = re.sub(r"<#C[A-Z0-9]+\|([^>]+)>", r"#\1", text)
    text = re.sub(r"<!(channel|here|everyone)>", r"@\1", text)
    text = re.sub(r"<mailto:[^|>]+\|([^>]+)>", r"\1", text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack(data):
    zf = zipfile.ZipFile(io.BytesIO(data))
    raw = {n: zf.read(n) for n in zf.namelist()}
    for n, b in raw.items():
        _need(b.isascii() and b"/" not in b.replace(b"\\/", b""), f"slack {n}: non-ASCII or unescaped '/'")
    js = {n: json.loads(b) for n, b in raw.items()}
    for meta in ("users.json", "channels.json", "groups.json", "dms.json", "mpims.json", "integration_logs.json"):
        _need(meta in js, f"slack export without {meta}")
    names, texts = {}, []
    for u in js["users.json"]:
        names[u["id"]] = u["profile"].get("display_name") or u["real_name"]
        texts += [u["real_name"], u["profile"].get("display_name", ""), u["profile"].get("email", ""),
                  u["profile"].get("phone", ""), u["profile"].get("title", "")]
    folders = {}
    for c in js["channels.json"] + js["groups.json"] + js["mpims.json"]:
        folders[c["name"]] = c
        texts += [c["name"], c["topic"]["value"], c["purpose"]["value"]]
    for d in js["dms.json"]:
        folders[d["id"]] = d
    days, messages, by_ts, subtypes = set(), [], {}, {}
    for n in sorted(js):
        if "/" not in n:
            continue
        folder, day = n.split("/")
        _need(folder in folders and re.fullmatch(r"\d{4}-\d{2}-\d{2}\.json", day), f"slack: stray file {n}")
        days.add(n)
        prev = ""
        for m in js[n]:
            _need(re.fullmatch(r"\d{10}\.\d{6}", m["ts"]) and m["ts"] > prev, f"slack {n}: ts order/format")
            prev = m["ts"]
            when = datetime.fromtimestamp(int(m["ts"].split(".")[0]), timezone.utc)
            _need(f"{when:%Y-%m-%d}.json" == day, f"slack {n}: message {m['ts']} on another UTC day")
            by_ts[(folder, m["ts"])] = m
            messages.append((folder, m))
            st = m.get("subtype", "message")
            subtypes[st] = subtypes.get(st, 0) + 1
            if "text" in m:
                texts.append(slack_markup(m["text"], names))
            if "user_profile" in m:
                texts += [m["user_profile"]["real_name"], m["user_profile"]["display_name"]]
            if "username" in m:
                texts.append(m["username"])
            for f in m.get("files", []):
                texts += [f["name"], f["title"]]
    threads = 0
    for folder, m in messages:
        if "reply_count" in m:
            threads += 1
            kids = [k for (fo, ts), k in sorted(by_ts.items()) if fo == folder and k.get("thread_ts") == m["ts"]
                    and k is not m]
            _need(len(kids) == m["reply_count"] == len(m["replies"]), f"slack {folder}: thread {m['ts']} replies")
            _need([r["ts"] for r in m["replies"]] == [k["ts"] for k in kids], f"slack: thread {m['ts']} reply list")
        if m.get("subtype") == "message_deleted":
            _need((folder, m["deleted_ts"]) in by_ts, "slack: message_deleted points nowhere")
    facts = {"conversation_days": len(days), "messages": len(messages), "subtypes": dict(sorted(subtypes.items())),
             "threads": threads, "edited": sum(1 for _, m in messages if "edited" in m),
             "conversations": len(folders), "private_channels": len(js["groups.json"]),
             "dms": len(js["dms.json"]), "mpims": len(js["mpims.json"])}
    return texts, facts


# ---- WhatsApp ---------------------------------------------------------------------------
IOS_LINE = re.compile(r"^\[(\d\d)/(\d\d)/(\d{4}), (\d\d):(\d\d):(\d\d)\] ([^:]+): (.*)$")
ANDROID_LINE = re.compile(r"^(\d\d)/(\d\d)/(\d\d), (\d{1,2}):(\d\d)\u202f([AP]M) - (.*)$")


def whatsapp(data, form):
    text = data.decode("utf-8")
    if form == "ios":
        _need("\r\n" in text and "\n" not in text.replace("\r\n", ""), "iOS chat must use CRLF")
        lines = text.split("\r\n")[:-1]
    else:
        _need("\r" not in text, "Android chat must use LF")
        lines = text.split("\n")[:-1]
    entries, continuation, prev = [], 0, None
    for line in lines:
        if form == "ios" and (m := IOS_LINE.match(line)):
            d, mo, y, hh, mi, ss, who, body = m.groups()
            t = datetime(int(y), int(mo), int(d), int(hh), int(mi), int(ss))
            system = body.startswith("\u200e") and who == "Press Desk"
            entries.append([t, who.strip("\u202a\u202c"), body.lstrip("\u200e"), system])
        elif form == "android" and (m := ANDROID_LINE.match(line)):
            mo, d, y, hh, mi, ampm, rest = m.groups()
            hour = int(hh) % 12 + (12 if ampm == "PM" else 0)
            t = datetime(2000 + int(y), int(mo), int(d), hour, int(mi))
            who, sep, body = rest.partition(": ")
            system = not sep
            entries.append([t, "" if system else who, rest if system else body, system])
        else:
            _need(entries, "chat starts with a continuation line")
            entries[-1][2] += "\n" + line
            continuation += 1
            continue
        _need(prev is None or t >= prev, "chat lines out of time order")
        prev = t
    texts = [e[1] for e in entries if e[1]] + [e[2] for e in entries]
    facts = {"lines_with_timestamp": len(entries), "messages": sum(1 for e in entries if not e[3]),
             "system_lines": sum(1 for e in entries if e[3]), "continuation_lines": continuation,
             "multiline_messages": sum(1 for e in entries if "\n" in e[2])}
    return texts, facts


# ---- Wickr ------------------------------------------------------------------------------
def wickr(data):
    text = data.decode("utf-8")
    recs = [json.loads(l) for l in text.split("\n") if l]
    ids, texts, by_type, convs = set(), [], {}, {}
    prev = 0.0
    for r in recs:
        for k in ("message_id", "msg_ts", "msgtype", "sender", "vgroupid", "time", "time_iso"):
            _need(k in r, f"wickr record without {k}")
        _need(re.fullmatch(r"\d{10}\.\d{6}", r["msg_ts"]), "wickr msg_ts must be seconds.microseconds")
        ts = float(r["msg_ts"])
        _need(ts >= prev, "wickr records out of order")
        prev = ts
        when = datetime.fromtimestamp(int(r["msg_ts"].split(".")[0]), timezone.utc)
        _need(r["time_iso"] == f"{when:%Y-%m-%d %H:%M:%S}.{r['msg_ts'][-6:-3]}", "wickr time_iso vs msg_ts")
        _need(r["message_id"] not in ids, "duplicate wickr message_id")
        ids.add(r["message_id"])
        one_to_one = not r["vgroupid"].startswith("S")
        _need(("receiver" in r) == one_to_one, "wickr receiver only in 1:1 conversations")
        by_type[str(r["msgtype"])] = by_type.get(str(r["msgtype"]), 0) + 1
        convs[r["vgroupid"]] = convs.get(r["vgroupid"], 0) + 1
        texts += [r["sender"], r.get("receiver", ""), r.get("message", "")]
        texts += [r.get("file", {}).get("filename", ""), r.get("edit", {}).get("text", "")]
        c = r.get("control", {})
        texts += [c.get("title", ""), c.get("description", "")]
        if r["msgtype"] == 9000:
            _need(r["edit"]["originalmessageid"] in ids, "wickr edit of an unknown message")
        if r["msgtype"] == 4011:
            _need(c["msgid"] in ids, "wickr delete of an unknown message")
    return texts, {"records": len(recs), "by_msgtype": dict(sorted(by_type.items())), "conversations": len(convs)}


# ---- Actiance ---------------------------------------------------------------------------
def actiance(data):
    root = ET.fromstring(data)
    _need(root.tag == "FileDump", "Actiance root must be FileDump")
    texts, convs = [], []
    for c in root.iter("Conversation"):
        _need(c.get("Perspective") and c.find("RoomID") is not None, "conversation without Perspective/RoomID")
        start, end = int(c.find("StartTimeUTC").text), int(c.find("EndTimeUTC").text)
        kinds = {}
        for e in c:
            kinds[e.tag] = kinds.get(e.tag, 0) + 1
            if e.find("DateTimeUTC") is not None:
                _need(start <= int(e.find("DateTimeUTC").text) <= end, "Actiance event outside the conversation")
            if e.tag == "ParticipantEntered":
                _need(e.find("DisplayName") is not None and e.find("CorporateEmailID") is not None,
                      "participant without DisplayName/CorporateEmailID")
        texts += [c.get("Perspective")] + [t for t in c.itertext() if t.strip() and not t.strip().isdigit()]
        convs.append(kinds)
    facts = {"conversations": len(convs), "messages": sum(k.get("Message", 0) for k in convs),
             "file_transfers": sum(k.get("FileTransfer", 0) + k.get("FileTransferStarted", 0) for k in convs)}
    return texts, facts


# ---- iCalendar --------------------------------------------------------------------------
def ics(data):
    _need(data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), "ics must use CRLF")
    for line in data.split(b"\r\n"):
        _need(len(line) <= 75, "ics line longer than 75 octets")
        line.decode("utf-8")
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
    texts, events = [], 0
    for line in lines:
        name, _, value = line.partition(":")
        key = name.split(";")[0]
        if line == "BEGIN:VEVENT":
            events += 1
        if key in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            texts.append(re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value))
        if key in ("ORGANIZER", "ATTENDEE"):
            cn = re.search(r';CN=("([^"]*)"|[^;:]*)', name)
            texts += [cn.group(2) or cn.group(1), value.replace("mailto:", "")]
    return texts, {"events": events}


def weekly_occurrences(data):
    """Occurrences of a FREQ=WEEKLY;COUNT=n rule with EXDATEs (local times, one DTSTART)."""
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    lines = lines[lines.index("BEGIN:VEVENT"):]
    get = lambda k: next(l for l in lines if l.split(";")[0].split(":")[0] == k)
    start = datetime.strptime(get("DTSTART").split(":")[1], "%Y%m%dT%H%M%S")
    rule = dict(p.split("=") for p in get("RRULE").split(":")[1].split(";"))
    _need(rule["FREQ"] == "WEEKLY", "only weekly rules are expanded here")
    dates = [start + timedelta(weeks=i) for i in range(int(rule["COUNT"]))]
    ex = {datetime.strptime(v, "%Y%m%dT%H%M%S") for l in lines if l.startswith("EXDATE")
          for v in l.split(":")[1].split(",")}
    return len(dates), [d for d in dates if d not in ex]
