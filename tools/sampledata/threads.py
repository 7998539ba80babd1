"""Building blocks for conversations: greetings, sign-offs, signature blocks, and reply /
forward constructors that quote the parent in the replier's client style and set
In-Reply-To / References (sometimes stripped, like real clients and gateways do)."""
from datetime import datetime, timedelta

from . import cast, quoting
from .cast import Person
from .mail import Mail, addr_fields, stable_rng

HONORIFIC = {"okafor": "Dr.", "lindqvist": "Ms.", "ruiz": "Ms.", "whitcombe": "Mr.",
             "faure": "Ms.", "sato": "Mr."}


def when(sender, utc_naive):
    """Aware send time in the sender's own UTC offset."""
    rule = sender.tz if isinstance(sender, Person) else "us-pacific"
    return cast.local_time(rule, utc_naive)


def utc_of(dt):
    return (dt - dt.utcoffset()).replace(tzinfo=None)


def greeting(sender, to, rng, style=None):
    """'Hi Jane,' / 'Dear Dr. Okafor,' / 'Jane —' / 'All,' depending on who writes to whom."""
    people = [p for p in to if isinstance(p, Person)]
    if not people:
        return "Hello,"
    p = people[0]
    formal = isinstance(sender, Person) and not sender.email.endswith(cast.DOMAIN) and \
        p.email.endswith(cast.DOMAIN)
    if (formal or style == "formal") and p.key in HONORIFIC:
        return f"Dear {HONORIFIC[p.key]} {p.last},"
    if len(people) > 2 and rng.random() < 0.5:
        return rng.choice(["All,", "Hi all,", "Hi everyone,"])
    style = style or rng.choice(["hi", "hi", "hello", "dash", "bare"])
    return {"hi": f"Hi {p.first},", "hello": f"Hello {p.first},", "dash": f"{p.first} —",
            "bare": f"{p.first},"}[style]


def signature(p, rng, full=None):
    """Sign-off plus (sometimes) a full signature block with title, phones and address."""
    if not isinstance(p, Person):
        return "Thanks.\n"
    if full is None:
        full = rng.random() < 0.45
    close = rng.choice(["Thanks,", "Best,", "Regards,", "Thank you,", "Cheers,"])
    if not full:
        return rng.choice([f"{close}\n{p.signoff}\n", f"– {p.first}\n", f"{close}\n{p.signoff}\n"])
    lines = [p.full]
    if p.title:
        lines.append(p.title)
    if p.org:
        lines.append(p.org + (f" | {cast.STATE}" if p.org == cast.AGENCY else ""))
    for label, number in p.phones:
        lines.append(f"{label}: {number}")
    lines.append(p.email)
    sep = "-- \n" if p.client == "thunderbird" else ""
    return f"{close}\n{p.signoff}\n\n{sep}" + "\n".join(lines) + "\n"


def compose(greet, paragraphs, sig):
    return greet + "\n\n" + "\n\n".join(paragraphs) + "\n\n" + sig


def quote_for(parent, sender, rng, forward_=False):
    """Quoted history in the replier's client style."""
    client = sender.client if isinstance(sender, Person) else "webmail"
    if forward_:
        if client == "outlook":
            return quoting.outlook(parent, sender, labels_own_line=rng.random() < 0.15)
        style = {"gmail": "gmail", "apple": rng.choice(["apple", "ios"]),
                 "thunderbird": "gmail"}.get(client, "android")
        return quoting.forward(parent, sender, style)
    if client == "outlook":
        return quoting.outlook(parent, sender, labels_own_line=rng.random() < 0.12)
    style = {"gmail": "gmail", "apple": "apple", "thunderbird": "thunderbird"}.get(client, "gmail")
    return quoting.wrote(parent, sender, style)


def reply(parent, key, sender, to, paragraphs, delay_minutes, cc=(), forward_=False,
          greet=None, sig=None, refs="full", quote=None, **kw):
    """A reply (or forward) to parent.  refs: 'full' | 'irt' (References stripped) | 'none'."""
    rng = stable_rng("reply", key)
    date = when(sender, utc_of(parent.date) + timedelta(minutes=delay_minutes))
    client = kw.get("client") or (sender.client if isinstance(sender, Person) else "webmail")
    subject = quoting.reply_prefix(client, forward_) + quoting.strip_prefix(parent.subject)
    greet = greet if greet is not None else greeting(sender, to, rng)
    sig = sig if sig is not None else signature(sender, rng)
    history = quote if quote is not None else quote_for(parent, sender, rng, forward_)
    body = compose(greet, paragraphs, sig) + "\n" + history
    irt, references = None, []
    if parent.msgid and not forward_ or parent.msgid and client == "outlook":
        if refs in ("full", "irt"):
            irt = parent.msgid
        if refs == "full":
            references = list(parent.references) + [parent.msgid]
    no_msgid = kw.pop("no_msgid", client == "old")
    return Mail(key, sender, list(to), subject, date, body, cc=list(cc), in_reply_to=irt,
                references=references, no_msgid=no_msgid, **kw)


def new_mail(key, sender, to, subject, utc_naive, paragraphs, cc=(), greet=None, sig=None, **kw):
    rng = stable_rng("new", key)
    greet = greet if greet is not None else greeting(sender, to, rng)
    sig = sig if sig is not None else signature(sender, rng)
    client = sender.client if isinstance(sender, Person) else "webmail"
    no_msgid = kw.pop("no_msgid", client == "old")
    return Mail(key, sender, list(to), subject, when(sender, utc_naive),
                compose(greet, paragraphs, sig), cc=list(cc), no_msgid=no_msgid, **kw)


def utc(y, mo, d, h=17, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s)


def first_person(xs):
    for x in xs:
        if isinstance(x, Person):
            return x
    return None


def reply_all(parent, sender):
    """Recipients of a reply-all: the parent's sender plus everyone else, minus the replier."""
    to = [parent.sender] + [x for x in parent.to if addr_fields(x)[1] != addr_fields(sender)[1]
                            and addr_fields(x)[1] != addr_fields(parent.sender)[1]]
    cc = [x for x in parent.cc if addr_fields(x)[1] != addr_fields(sender)[1]]
    return to, cc
