"""How clients quote earlier messages in replies and forwards.

Every style the field guide lists is here: Outlook '-----Original Message-----' (inline labels
and the printed variant with the label on its own line, 'On Behalf Of'), Gmail/Apple/Thunderbird
'On ... wrote:' with '>' quoting, Gmail and Apple forwards ('Begin forwarded message:'),
'----- Original message -----', the iOS 'Date: Tuesday, January 4, 2022 at 9:24 AM' form and
'-----Original Appointment-----' with When:/Where:.
"""
from . import cast
from .cast import Person
from .mail import addr_fields

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def in_tz(dt, viewer):
    """The parent's send time as the quoting person's client shows it."""
    rule = viewer.tz if isinstance(viewer, Person) else "us-pacific"
    utc = (dt - dt.utcoffset()).replace(tzinfo=None)
    return cast.local_time(rule, utc)


def hm(dt):
    h = dt.hour % 12 or 12
    return f"{h}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def long_date(dt):       # Tuesday, March 5, 2024
    return f"{DAYS[dt.weekday()]}, {MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def short_date(dt):      # Tue, Mar 5, 2024
    return f"{DAYS[dt.weekday()][:3]}, {MONTHS[dt.month - 1][:3]} {dt.day}, {dt.year}"


def name_of(x, full=False):
    """How a client shows a person: Outlook shows the header display name, others the full name."""
    if isinstance(x, Person):
        return x.full if full else x.display
    return x[0]


def name_addr(x, full=True):
    name, email = name_of(x, full), addr_fields(x)[1]
    return f"{name} <{email}>"


def quote_lines(text, prefix="> "):
    out = []
    for line in text.rstrip("\n").split("\n"):
        if not line:
            out.append(">")
        elif line.startswith(">"):
            out.append(">" + line)
        else:
            out.append(prefix + line)
    return "\n".join(out) + "\n"


def outlook(parent, viewer, labels_own_line=False, on_behalf=None):
    """Outlook desktop: '-----Original Message-----' then From/Sent/To/Cc/Subject."""
    d = in_tz(parent.date, viewer)
    frm = f"{name_of(parent.sender)} <{addr_fields(parent.sender)[1]}>"
    if on_behalf is not None:   # delegate sent it: "From: Delegate On Behalf Of Owner"
        frm = f"{name_of(on_behalf)} <{addr_fields(on_behalf)[1]}> On Behalf Of {name_of(parent.sender)}"
    fields = [("From", frm), ("Sent", f"{long_date(d)} {hm(d)}"),
              ("To", "; ".join(name_of(x) for x in parent.to))]
    if parent.cc:
        fields.append(("Cc", "; ".join(name_of(x) for x in parent.cc)))
    fields.append(("Subject", parent.subject))
    if labels_own_line:
        head = "".join(f"{k}:\n{v}\n" for k, v in fields)
    else:
        head = "".join(f"{k}: {v}\n" for k, v in fields)
    return "-----Original Message-----\n" + head + "\n" + parent.body.rstrip("\n") + "\n"


def appointment(parent, viewer, when, where):
    d = in_tz(parent.date, viewer)
    return ("-----Original Appointment-----\n"
            f"From: {name_of(parent.sender)}\n"
            f"Sent: {long_date(d)} {hm(d)}\n"
            f"To: {'; '.join(name_of(x) for x in parent.to)}\n"
            f"Subject: {parent.subject}\n"
            f"When: {when}\nWhere: {where}\n\n" + parent.body.rstrip("\n") + "\n")


def wrote(parent, viewer, style):
    """'On ... wrote:' attributions followed by '>' quoted text."""
    d = in_tz(parent.date, viewer)
    who = name_addr(parent.sender)
    if style == "gmail":
        line = f"On {short_date(d)} at {hm(d)} {who} wrote:\n"
    elif style == "apple":
        line = f"On {MONTHS[d.month - 1][:3]} {d.day}, {d.year}, at {hm(d)}, {who} wrote:\n\n"
    else:  # thunderbird
        line = f"On {d.month}/{d.day}/{d.year % 100:02d} {hm(d)}, {name_of(parent.sender, True)} wrote:\n"
    return line + quote_lines(parent.body)


def forward(parent, viewer, style):
    """Forward headers: gmail, apple ('Begin forwarded message:'), ios (Outlook mobile date),
    android ('----- Original message -----')."""
    d = in_tz(parent.date, viewer)
    to = ", ".join(name_addr(x) for x in parent.to)
    if style == "gmail":
        head = ("---------- Forwarded message ---------\n"
                f"From: {name_addr(parent.sender)}\nDate: {short_date(d)} at {hm(d)}\n"
                f"Subject: {parent.subject}\nTo: {to}\n")
    elif style == "apple":
        zone = {-8: "PST", -7: "PDT"}.get(int(d.utcoffset().total_seconds() // 3600), "GMT")
        head = ("Begin forwarded message:\n\n"
                f"From: {name_addr(parent.sender)}\nSubject: {parent.subject}\n"
                f"Date: {MONTHS[d.month - 1]} {d.day}, {d.year} at {hm(d)[:-3]}:{d.second:02d} "
                f"{hm(d)[-2:]} {zone}\nTo: {to}\n")
    elif style == "ios":
        head = ("Begin forwarded message:\n\n"
                f"From: {name_addr(parent.sender)}\nDate: {long_date(d)} at {hm(d)}\n"
                f"To: {to}\nSubject: {parent.subject}\n")
    else:  # android / older webmail
        head = ("----- Original message -----\n"
                f"From: {name_addr(parent.sender)}\nDate: {d.month:02d}/{d.day:02d}/{d.year} {hm(d)}\n"
                f"To: {to}\nSubject: {parent.subject}\n")
    return head + "\n" + parent.body.rstrip("\n") + "\n"


def reply_prefix(client, forward_=False):
    if client == "outlook":
        return "FW: " if forward_ else "RE: "
    return "Fwd: " if forward_ else "Re: "


def strip_prefix(subject):
    s = subject
    while s[:4].lower() in ("re: ", "fw: ") or s[:5].lower() == "fwd: ":
        s = s[5:] if s[:5].lower() == "fwd: " else s[4:]
    return s
