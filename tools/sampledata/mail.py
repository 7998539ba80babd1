"""The message model: one Mail = one sent message (one Message-ID).  It renders the same
content into several mailbox *copies* (sender's Sent, each custodian recipient's Inbox)
that differ only in delivery headers (Received / Delivered-To / X-Folder, Bcc)."""
import hashlib
import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from html.entities import codepoint2name

from . import cast, mime
from .cast import Person

MAILERS = {
    "outlook": ("X-Mailer", "Microsoft Outlook 16.0"),
    "thunderbird": ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0"),
    "apple": ("X-Mailer", "iPhone Mail (21D61)"),
    "webmail": ("X-Mailer", "Roundcube Webmail/1.6.5"),
    "old": ("X-Mailer", "QUALCOMM Windows Eudora Version 7.1.0.9"),
}


def stable_rng(*parts):
    """An RNG seeded from text (random.seed(str) hashes with SHA-512: PYTHONHASHSEED-proof)."""
    return random.Random("|".join(str(p) for p in parts))


def addr_fields(x):
    """(display, email, charset, enc) for a Person or a (name, email) tuple."""
    if isinstance(x, Person):
        return x.display, x.email, x.header_charset, x.header_enc
    return x[0], x[1], "", "Q"


def fmt_addrs(items):
    return ", ".join(mime.address(*addr_fields(x)) for x in items)


def to_html(text):
    """Outlook-like HTML for a plain-text body: named entities for non-ASCII, a <style> block
    in <head> (must never surface as text) and &nbsp; in the signature separator."""
    def ent(s):
        out = []
        for ch in html.escape(s, quote=False):
            cp = ord(ch)
            out.append(f"&{codepoint2name[cp]};" if cp > 127 and cp in codepoint2name else
                       (f"&#{cp};" if cp > 127 else ch))
        return "".join(out)
    paras = text.strip("\n").split("\n\n")
    body = "\n".join('<p class="MsoNormal">' + "<br>\n".join(ent(l) or "&nbsp;" for l in p.split("\n"))
                     + "</p>" for p in paras)
    return ("<html><head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
            "<style>\n<!--\np.MsoNormal, li.MsoNormal {margin:0in; font-size:11.0pt; "
            "font-family:\"Calibri\",sans-serif;}\n.MsoChpDefault {mso-style-type:export-only;}\n"
            "-->\n</style>\n</head>\n<body lang=\"EN-US\">\n<div class=\"WordSection1\">\n"
            + body + "\n</div>\n</body></html>\n")


@dataclass
class Mail:
    key: str                       # stable internal id; seeds boundaries and Message-IDs
    sender: object                 # Person, or (name, email) for role/outside senders
    to: list
    subject: str
    date: datetime                 # aware, in the sender's offset
    body: str = ""                 # plain text (LF)
    cc: list = field(default_factory=list)
    bcc: list = field(default_factory=list)
    html: str = None               # explicit HTML alternative (None: derived for Outlook)
    html_only: bool = False
    alternative: bool = None       # None = decide by client
    charset: str = "utf-8"
    charset_label: str = None      # label written in Content-Type, if it differs
    cte: str = "quoted-printable"
    attachments: list = field(default_factory=list)   # mime.Part leaves
    no_msgid: bool = False
    in_reply_to: str = None
    references: list = field(default_factory=list)
    subject_charset: str = ""      # force RFC 2047 for the Subject
    subject_enc: str = "Q"
    sender_header: object = None   # Sender: (delegate sending "on behalf of" From)
    extra_headers: list = field(default_factory=list)
    client: str = None
    msgid: str = None
    maildir_folder: str = None     # optional sub-folder for inbox copies in Maildir custodians
    seen: bool = True

    def __post_init__(self):
        sender_person = self.sender_header or self.sender
        if self.client is None:
            self.client = sender_person.client if isinstance(sender_person, Person) else "webmail"
        if not self.no_msgid and not self.msgid:
            self.msgid = make_msgid(self.key, self.client, addr_fields(self.sender)[1], self.date)
        if self.alternative is None:
            self.alternative = self.client in ("outlook", "apple") and not self.html_only

    # ---- content shared by every copy ----------------------------------------------------
    def mime_tree(self):
        cs, label = self.charset, self.charset_label
        text = mime.text_part(self.body, "plain", cs, self.cte, label=label)
        if self.html_only:
            body = mime.text_part(self.html, "html", cs, self.cte, label=label)
        elif self.alternative:
            h = self.html if self.html is not None else to_html(self.body)
            body = mime.Part("multipart/alternative", parts=[text, mime.text_part(h, "html", cs, self.cte, label=label)],
                             boundary=mime.boundary_for(self.key + "/alt"), preamble="")
        else:
            body = text
        if not self.attachments:
            return body
        return mime.Part("multipart/mixed", parts=[body] + list(self.attachments),
                         boundary=mime.boundary_for(self.key + "/mixed"))

    def common_headers(self, include_bcc):
        """RFC 5322 headers in a client-typical order."""
        subj = (mime.encode_words(self.subject, self.subject_charset or "utf-8", self.subject_enc)
                if self.subject_charset or mime.needs_encoding(self.subject) else self.subject)
        h = [("From", fmt_addrs([self.sender]))]
        if self.sender_header is not None:
            h.append(("Sender", fmt_addrs([self.sender_header])))
        h.append(("To", fmt_addrs(self.to)))
        if self.cc:
            h.append(("Cc", fmt_addrs(self.cc)))
        if include_bcc and self.bcc:
            h.append(("Bcc", fmt_addrs(self.bcc)))
        h.append(("Subject", subj))
        if self.client == "old":
            h.append(("Date", format_datetime(self.date)[5:].lstrip("0")))   # no weekday
        else:
            h.append(("Date", format_datetime(self.date)))
        if self.msgid:
            h.append(("Message-ID", self.msgid))
        if self.in_reply_to:
            h.append(("In-Reply-To", self.in_reply_to))
        if self.references:
            h.append(("References", " ".join(self.references)))
        if self.client in MAILERS:
            h.append(MAILERS[self.client])
        if self.client == "outlook":
            h.append(("Content-Language", "en-US"))
        h.extend(self.extra_headers)
        h.append(("MIME-Version", "1.0"))
        return h

    # ---- mailbox copies ----------------------------------------------------------------
    def copies(self):
        """[(custodian_folder, 'Inbox'|'Sent', delivered_to_email)] for collected mailboxes."""
        out, seen = [], set()
        author = self.sender_header if self.sender_header is not None else self.sender
        if isinstance(author, Person) and author.custodian:
            out.append((author.custodian, "Sent", None))
            seen.add(author.custodian)
        for r in list(self.to) + list(self.cc) + list(self.bcc):
            if isinstance(r, Person) and r.custodian and r.custodian not in seen:
                out.append((r.custodian, "Inbox", r.email))
                seen.add(r.custodian)
        return out

    def delivery_time(self, rcpt):
        delay = stable_rng("delay", self.key, rcpt).randint(2, 95)
        utc = (self.date - self.date.utcoffset()).replace(tzinfo=None) + timedelta(seconds=delay)
        return cast.local_time("us-pacific", utc)

    def render_copy(self, folder, rcpt):
        """Bytes of one mailbox copy (LF line endings)."""
        pre = []
        sender_email = addr_fields(self.sender)[1]
        if folder == "Inbox":
            when = format_datetime(self.delivery_time(rcpt))
            internal = sender_email.endswith("@" + cast.DOMAIN)
            pre.append(("Return-Path", f"<{sender_email}>"))
            pre.append(("Delivered-To", rcpt))
            pre.append(("Received", f"from mail.{cast.DOMAIN} (mail.{cast.DOMAIN} [198.51.100.25]) "
                        f"by mx1.{cast.DOMAIN} with ESMTPS id {self.queue_id(rcpt)} for <{rcpt}>; {when}"))
            if not internal:
                pre.append(("Received", f"from {sender_email.split('@')[1]} (unknown [203.0.113.40]) by "
                            f"mail.{cast.DOMAIN} with ESMTPS; {when}"))
            pre.append(("X-Folder", "Inbox"))
        else:
            pre.append(("X-Folder", "Sent"))
        head = "".join(mime.fold(n, v) for n, v in pre + self.common_headers(folder == "Sent"))
        return head.encode("ascii") + self.mime_tree().render()

    def queue_id(self, rcpt):
        return hashlib.sha1(f"{self.key}/{rcpt}".encode()).hexdigest()[:12].upper()


def make_msgid(key, client, sender_email, date):
    """Client-flavoured Message-IDs built from a stable RNG (never make_msgid/uuid4)."""
    r = stable_rng("msgid", key)
    hx = lambda n: "".join(r.choice("0123456789abcdef") for _ in range(n))
    dom = sender_email.split("@")[1]
    if client == "outlook":
        return f"<{hx(32).upper()}@exch01.{dom}>"
    if client == "gmail":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+"
        return "<CA" + "".join(r.choice(alphabet) for _ in range(44)) + "@mail.gmail.example>"
    if client == "apple":
        return f"<{hx(8).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(12).upper()}@{dom}>"
    if client == "thunderbird":
        return f"<{hx(8)}-{hx(4)}-{hx(4)}-{hx(4)}-{hx(12)}@{dom}>"
    return f"<{date.strftime('%Y%m%d%H%M%S')}.{hx(10)}@webmail.{dom}>"
