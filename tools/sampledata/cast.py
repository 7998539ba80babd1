"""The fictional cast of the SampleData story, and the time-zone rules they live in.

Every person, address and phone number here is invented.  US numbers use the
(555) 014-xxxx fictional form; foreign numbers use ranges reserved for drama
(Ofcom 020 7946 0xxx) or obviously illustrative ones.  Names were chosen so that
no first or last name is an ordinary English word (the PII scanner must not
collide with prose), and public officials' names are never reused for private
people.

Each Person lists the exact *strings* it contributes to the ground truth:
name forms, first names/nicknames, last names used alone, addresses and phone
forms.  truth.py checks that every listed string really occurs in the data.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

AGENCY = "Department of Public Records"
STATE = "State of Columbia"
DOMAIN = "dpr.example.gov"


@dataclass
class Person:
    key: str                 # short internal id, never written to file names
    full: str                # "Jane Doe" — used in prose / signatures / Gmail quotes
    first: str               # first name used alone in greetings
    email: str
    title: str
    org: str
    tz: str                  # key into TZ_RULES
    client: str              # mail client flavour: outlook, gmail, apple, thunderbird, webmail, old
    display: str = ""        # header display name ("Doe, Jane"); defaults to full
    nick: str = ""           # nickname used in sign-offs ("Sam")
    last: str = ""           # surname used alone ("Dear Dr. Okafor")
    phones: list = field(default_factory=list)   # (label, exact string) in signatures
    extra_names: list = field(default_factory=list)  # other scripts, e.g. Cyrillic
    header_charset: str = ""  # RFC 2047 charset for the display name ("" = ASCII)
    header_enc: str = "Q"     # RFC 2047 encoding, Q or B
    custodian: str = ""       # custodian folder, "" for outside/internal non-custodians
    signoff: str = ""         # name used under "Thanks," (nick or first)

    def __post_init__(self):
        self.display = self.display or self.full
        self.signoff = self.signoff or self.nick or self.first


def _p(*a, **k):
    return Person(*a, **k)


# --- custodians (the people whose mailboxes were collected) ----------------------------
CUSTODIANS = [
    _p("doe", "Jane Doe", "Jane", f"jdoe@{DOMAIN}", "Records Officer", AGENCY, "us-pacific",
       "outlook", display="Doe, Jane",
       phones=[("Office", "(555) 014-2231"), ("Mobile", "555-014-2231")],
       custodian="custodian01-records-officer"),
    _p("okafor", "Samuel Okafor", "Samuel", f"sokafor@{DOMAIN}", "Director of Information Technology",
       AGENCY, "us-pacific", "thunderbird", display="Okafor, Samuel", nick="Sam", last="Okafor",
       phones=[("Office", "555.014.2298"), ("Mobile", "+1 555 014 2240")],
       custodian="custodian02-it-director"),
    _p("lindqvist", "Maria Lindqvist", "Maria", f"mlindqvist@{DOMAIN}", "General Counsel", AGENCY,
       "us-pacific", "outlook", display="Lindqvist, Maria", last="Lindqvist",
       phones=[("Direct", "+1-555-014-2267")],
       custodian="custodian03-general-counsel"),
    _p("tanaka", "Hiroshi Tanaka", "Hiroshi", f"htanaka@{DOMAIN}", "Senior Investigator, Office of Investigations",
       AGENCY, "us-pacific", "apple", display="Tanaka, Hiroshi", nick="Hiro",
       phones=[("Desk", "555 014 2275")],
       custodian="custodian04-investigator"),
    _p("ruiz", "Carmen Ruiz", "Carmen", f"cruiz@{DOMAIN}", "Deputy Director", AGENCY, "us-pacific",
       "outlook", display="Ruiz, Carmen", last="Ruiz",
       phones=[("Office", "(555) 014-2203")],
       custodian="custodian05-deputy-director"),
    _p("novak", "Peter Novak", "Peter", f"pnovak@{DOMAIN}", "FOIA Officer", AGENCY, "us-pacific",
       "gmail", display="Novak, Peter", nick="Pete",
       phones=[("Phone", "555-014-2250")],
       custodian="custodian06-foia-officer"),
    _p("brennan", "Siobhan Brennan", "Siobhan", f"sbrennan@{DOMAIN}", "Public Information Officer",
       AGENCY, "us-pacific", "apple", display="Brennan, Siobhan",
       phones=[("Press line", "555.014.2288")],
       custodian="custodian07-public-information-officer"),
]

# --- internal staff who write mail but whose mailboxes were not collected ---------------
INTERNAL = [
    _p("petrosyan", "Nadia Petrosyan", "Nadia", f"npetrosyan@{DOMAIN}", "HR Specialist", AGENCY,
       "us-pacific", "outlook", display="Petrosyan, Nadia", phones=[("Phone", "(555) 014-2209")]),
]

# --- outside correspondents ---------------------------------------------------------------
OUTSIDE = [
    _p("raghunathan", "Priya Raghunathan", "Priya", "priya.raghunathan@parley.example.com",
       "Account Manager, Public Sector", "Parley Systems, Inc.", "in", "gmail",
       phones=[("Mobile", "+1-555-014-2318")]),
    _p("ferreira", "Lucian Ferreira", "Lucian", "lferreira@parley.example.com", "Solutions Engineer",
       "Parley Systems, Inc.", "us-eastern", "outlook", display="Ferreira, Lucian",
       phones=[("Office", "+1 555 014 2331")]),
    _p("sato", "Haruto Sato", "Haruto", "h.sato@parley.example.com", "Platform Engineering Lead",
       "Parley Systems K.K. (Tokyo)", "jp", "thunderbird", display="佐藤 陽翔",
       last="Sato", extra_names=["佐藤 陽翔"], header_charset="utf-8", header_enc="B",
       phones=[("Tel", "+81 3-1234-5678")]),
    _p("whitcombe", "Declan Whitcombe", "Declan", "declan.whitcombe@ledger.example.com",
       "Technology Correspondent", "The Columbia Ledger", "utc", "webmail", last="Whitcombe",
       phones=[("Newsroom", "+44 20 7946 0958")]),
    _p("halvorsen", "Ingrid Halvorsen", "Ingrid", "ingrid.halvorsen@example.org", "", "",
       "eu-central", "gmail", phones=[("Tel.", "+49 30 901820")]),
    _p("faure", "Renée Fauré", "Renée", "renee.faure@archives-recherche.example.org",
       "Chargée de recherche", "Institut d'histoire administrative", "eu-central", "thunderbird",
       last="Fauré", header_charset="iso-8859-1", header_enc="Q",
       phones=[("Tél.", "+33 1 42 68 53 00")]),
    _p("volkov", "Dmitri Volkov", "Dmitri", "dvolkov@mail.example.org", "", "", "eu-central",
       "webmail", extra_names=["Дмитрий Волков"]),
    _p("chen", "Chen Xiaoling", "Xiaoling", "xiaoling.chen@example.com", "", "", "us-pacific",
       "webmail", display="Chen Xiaoling 陈晓玲", extra_names=["陈晓玲"], header_charset="utf-8",
       header_enc="Q"),
    _p("pembrook", "Orville Pembrook", "Orville", "orville@oldmail.example", "", "", "us-eastern",
       "old", display="Orville Pembrook"),
]

# Role mailboxes (not people, but addresses still count as PII-like strings for detectors).
ROLE_ADDRESSES = {
    "records_requests": ("Public Records Requests", f"records-requests@{DOMAIN}"),
    "clips": ("Columbia Clips", "clips@pressclips.example.com"),
    "parley_noreply": ("Parley", "noreply@parley.example.com"),
    "webforms": ("Online Complaint Form", f"webforms@{DOMAIN}"),
}

# People who are named in prose but never write mail.
THIRD_PARTIES = {
    "complainant": "Theo Brandt",            # filed the complaint that started the investigation
    "other_reporter": "Marguerite Oyelaran",  # reporter at another outlet, quoted in prose
    "new_hire": "Ximena Castellanos",         # new FOIA analyst in the HR onboarding mail
}
COMPLAINANT_PHONE = "(555) 014-9876"

# Public officials: released, never redacted.
PUBLIC_OFFICIALS = ["Elena Marsh", "Robert Vance"]
PUBLIC_SHORT = ["Marsh", "Vance"]   # surnames used alone in the article

EVERYONE = CUSTODIANS + INTERNAL + OUTSIDE
BY_KEY = {p.key: p for p in EVERYONE}


def person(key):
    return BY_KEY[key]


# --- time zones -------------------------------------------------------------------------
# Implemented by hand (no zoneinfo) so the output never depends on the host's tzdata.

def _nth_sunday(year, month, n):
    d = datetime(year, month, 1)
    d += timedelta(days=(6 - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def _last_sunday(year, month):
    d = datetime(year, month + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def _us_dst(utc, std_hours):
    start = _nth_sunday(utc.year, 3, 2) + timedelta(hours=2 - std_hours)
    end = _nth_sunday(utc.year, 11, 1) + timedelta(hours=1 - std_hours)
    return start <= utc < end


def _eu_dst(utc):
    return _last_sunday(utc.year, 3) + timedelta(hours=1) <= utc < _last_sunday(utc.year, 10) + timedelta(hours=1)


def offset_for(rule, utc_naive):
    """UTC offset (timedelta) for a tz rule at a naive UTC instant."""
    if rule == "us-pacific":
        return timedelta(hours=-7 if _us_dst(utc_naive, -8) else -8)
    if rule == "us-eastern":
        return timedelta(hours=-4 if _us_dst(utc_naive, -5) else -5)
    if rule == "eu-central":
        return timedelta(hours=2 if _eu_dst(utc_naive) else 1)
    fixed = {"utc": 0, "jp": 9 * 60, "in": 5 * 60 + 30}
    return timedelta(minutes=fixed[rule])


def local_time(rule, utc_naive):
    """Aware datetime in the person's local offset for a naive UTC instant."""
    off = offset_for(rule, utc_naive)
    return (utc_naive + off).replace(tzinfo=timezone(off))
