"""Everyday threads generated from the topic pools with one seeded RNG: who writes, when,
how replies quote, which copies get Bcc, which References get stripped."""
import random
import textwrap
from datetime import datetime, timedelta

from . import mime, threads as T, topics
from .cast import Person, person, offset_for
from .mail import stable_rng

START, END = datetime(2023, 1, 9), datetime(2024, 6, 21)


def _wrap(text, client):
    """Thunderbird and webmail hard-wrap at 72 columns; Outlook/Apple/Gmail send long lines."""
    if client not in ("thunderbird", "webmail"):
        return text
    return "\n".join(textwrap.fill(p, 72) if p and not p.startswith(">") else p
                     for p in text.split("\n"))


def _business_time(rng, sender):
    """A weekday, 08:00-17:59 in the sender's local time, returned as naive UTC."""
    while True:
        day = START + timedelta(days=rng.randrange((END - START).days))
        if day.weekday() < 5:
            break
    local = day.replace(hour=rng.randint(8, 17), minute=rng.randrange(60), second=rng.randrange(60))
    return local - offset_for(sender.tz, local)


def _cte(rng, body):
    if body.isascii():
        return rng.choices(["7bit", "quoted-printable", "base64"], [4, 4, 2])[0]
    return rng.choices(["quoted-printable", "8bit", "base64"], [6, 25 // 10, 15 // 10])[0]


def _summary_attachment(subject, vals):
    text = (f"Status summary: {subject}\n\nOpen tickets: {vals['ticket']}\n"
            f"Active accounts: {vals['count']}\nAdoption: {vals['pct']} percent\n")
    return mime.attachment_part("status-summary.txt", text.encode(), "text/plain", charset="utf-8",
                                cte="quoted-printable")


def _finish(m, rng, vals):
    """Per-message transfer encoding, wrapping, optional attachment, Maildir sub-folder."""
    m.body = _wrap(m.body, m.client)
    m.cte = _cte(rng, m.body)
    if "attached" in m.body.split("\n>")[0].split("-----Original")[0]:
        m.attachments.append(_summary_attachment(m.subject, vals))
    return m


def one_thread(tid, topic, rng):
    people = [person(k) for k in topic["people"]]
    initiator = rng.choice(people)
    others = [p for p in people if p is not initiator]
    rcpts = rng.sample(others, k=min(len(others), rng.choices([1, 2, 3], [5, 3, 2])[0]))
    to, cc = rcpts[:max(1, len(rcpts) - 1)], rcpts[max(1, len(rcpts) - 1):]
    if not any(p.custodian for p in [initiator] + rcpts):
        cc.append(person("doe"))
    start = _business_time(rng, initiator)
    month = topics.MONTHS[start.month - 1]
    vals = topics.values(rng, month)
    subject = rng.choice(topic["subjects"]).format(**vals)
    paras = [" ".join(s.format(**vals) for s in rng.sample(topic["open"], rng.randint(1, 3)))
             for _ in range(rng.randint(1, 2))]
    bcc = []
    if rng.random() < 0.12:
        spare = [p for p in (person(k) for k in ("ruiz", "lindqvist", "novak", "doe"))
                 if p not in [initiator] + rcpts]
        bcc = spare[:1]
    folder = ".Projects.Parley" if topic["key"] in ("pilot", "security") else None
    key = f"bulk-{tid:03d}-0"
    m = T.new_mail(key, initiator, to, subject, start, paras, cc=cc, bcc=bcc,
                   sig=T.signature(initiator, stable_rng(key), full=rng.random() < 0.7),
                   maildir_folder=folder)
    out = [_finish(m, rng, vals)]
    length = rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6])
    for i in range(1, length):
        parent = out[-1]
        pool = [p for p in parent.to + parent.cc if isinstance(p, Person)]
        sender = rng.choice(pool) if pool else initiator
        forward_ = rng.random() < 0.1
        if forward_:
            fresh = [p for p in people if p is not sender] or [initiator]
            to_, cc_ = [rng.choice(fresh)], []
        else:
            to_, cc_ = T.reply_all(parent, sender)
        if not any(isinstance(p, Person) and p.custodian for p in [sender] + to_ + cc_):
            cc_ = cc_ + [next(p for p in people if p.custodian)]   # keep it in a collected mailbox
        text = [" ".join(s.format(**vals) for s in rng.sample(topic["reply"], rng.randint(1, 2)))]
        refs = rng.choices(["full", "irt", "none"], [80, 12, 8])[0]
        m = T.reply(parent, f"bulk-{tid:03d}-{i}", sender, to_, text,
                    delay_minutes=rng.randint(12, 2880), cc=cc_, forward_=forward_, refs=refs,
                    maildir_folder=folder)
        out.append(_finish(m, rng, vals))
    return out


def bulk_threads(n_threads, seed=20240601):
    rng = random.Random(seed)
    mails = []
    for tid in range(n_threads):
        mails.extend(one_thread(tid, topics.TOPICS[tid % len(topics.TOPICS)], rng))
    return mails
