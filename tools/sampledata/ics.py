"""iCalendar (RFC 5545) writers: the deputy director's two exported calendar items and the
invitation carried by one new e-mail.  CRLF line ends, lines folded at 75 octets (never inside
a UTF-8 sequence), TEXT values escaped (\\\\ \\; \\, \\n), parameter values with commas quoted.
Fixed text, no randomness."""
from .cast import person as P

FOLDER = "custodian05-deputy-director/Calendar"
RUIZ_MOBILE = "(555) 014-2204"

VTIMEZONE_NY = [
    "BEGIN:VTIMEZONE", "TZID:America/New_York",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT",
    "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST",
    "DTSTART:19701101T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def text(value):
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def param(value):
    return f'"{value}"' if any(c in value for c in ',;:') else value


def fold(line):
    raw, out = line.encode("utf-8"), []
    limit = 75
    while len(raw) > limit:
        cut = limit
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:     # never split a UTF-8 sequence
            cut -= 1
        out.append(raw[:cut])
        raw = raw[cut:]
        limit = 74                                         # continuation lines start with a space
    out.append(raw)
    return b"\r\n ".join(out)


def calendar(method, body):
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
             f"METHOD:{method}"] + body + ["END:VCALENDAR"]
    return b"".join(fold(l) + b"\r\n" for l in lines)


def person_prop(name, key, extra=""):
    p = P(key)
    return f"{name};CN={param(p.display)}{extra}:mailto:{p.email}"


def attendee(key, partstat="NEEDS-ACTION", rsvp=True):
    return person_prop("ATTENDEE", key, f";ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}"
                                        + (";RSVP=TRUE" if rsvp else ""))


def weekly_checkin():
    """Recurring weekly meeting in America/New_York: 12 dates by RRULE, one EXDATE (the first
    Tuesday after the March DST change), so 11 occurrences."""
    ev = ["BEGIN:VEVENT", "UID:040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F6@parley.example.com",
          "DTSTAMP:20240130T150000Z", "CREATED:20240130T150000Z", "LAST-MODIFIED:20240308T140000Z",
          "DTSTART;TZID=America/New_York:20240206T130000", "DTEND;TZID=America/New_York:20240206T133000",
          "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12",
          "EXDATE;TZID=America/New_York:20240312T130000",
          "SUMMARY:" + text("Parley vendor check-in (weekly)"),
          person_prop("ORGANIZER", "ferreira"),
          attendee("okafor", "ACCEPTED", False), attendee("ruiz", "ACCEPTED", False),
          attendee("raghunathan", "TENTATIVE", False),
          "LOCATION:" + text("Parley video bridge, room 2231"),
          "DESCRIPTION:" + text("Weekly status call for the pilot.\nAgenda: open tickets, release plan, "
                                "retention settings.\nNo call on March 12 (vendor offsite)."),
          "SEQUENCE:2", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "CLASS:PUBLIC", "END:VEVENT"]
    return calendar("PUBLISH", VTIMEZONE_NY + ev)


def briefing_prep():
    """Single event with ORGANIZER, ATTENDEE lines (CN=, mailto:), LOCATION, and a
    DESCRIPTION that carries the deputy director's mobile number."""
    ev = ["BEGIN:VEVENT", "UID:7d2f0c4e-2b1a-4c55-9e1f-3a6b8d9e0f12@dpr.example.gov",
          "DTSTAMP:20240410T170000Z", "DTSTART:20240416T170000Z", "DTEND:20240416T180000Z",
          "SUMMARY:" + text("Oversight committee briefing - prep"),
          person_prop("ORGANIZER", "ruiz"),
          attendee("doe"), attendee("lindqvist"), attendee("brennan"), attendee("novak"),
          "LOCATION:" + text("Conference Room 4B; Parley video bridge as backup"),
          "DESCRIPTION:" + text("Prep for the oversight committee hearing on chat retention.\n"
                                "Bring: the retention decision memo, the Ledger request status, press lines.\n"
                                f"If you are running late, call my mobile: {RUIZ_MOBILE}."),
          "PRIORITY:1", "SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "CLASS:PRIVATE",
          "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT15M", "END:VALARM",
          "END:VEVENT"]
    return calendar("PUBLISH", ev)


def statement_invite():
    """METHOD:REQUEST invitation sent by the vendor (carried by an e-mail)."""
    ev = ["BEGIN:VEVENT", "UID:040000008200E00074C5B7101A82E00800000000F6E5D4C3B2A1@parley.example.com",
          "DTSTAMP:20240322T140500Z", "DTSTART;TZID=America/New_York:20240326T110000",
          "DTEND;TZID=America/New_York:20240326T114500",
          "SUMMARY:" + text("Vendor statement on the retention setting"),
          person_prop("ORGANIZER", "ferreira"),
          attendee("ruiz"), attendee("lindqvist"), attendee("tanaka"),
          "LOCATION:" + text("Parley video bridge"),
          "DESCRIPTION:" + text("Walk-through of change ticket PAR-4471 and the signed statement.\n"
                                "Questions before the call: +1 555 014 2331."),
          "SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    return calendar("REQUEST", VTIMEZONE_NY + ev)


def files():
    return {f"{FOLDER}/parley-vendor-check-in-weekly.ics": weekly_checkin(),
            f"{FOLDER}/oversight-briefing-prep.ics": briefing_prep()}


def summary():
    return {
        "ics_files": sorted(files()),
        "events": 3,
        "recurring": {"path": f"{FOLDER}/parley-vendor-check-in-weekly.ics", "tzid": "America/New_York",
                      "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=12", "exdate": "2024-03-12T13:00 America/New_York",
                      "generated": 12, "occurrences_after_exdate": 11,
                      "first": "2024-02-06T13:00-05:00", "last": "2024-04-23T13:00-04:00"},
        "single": {"path": f"{FOLDER}/oversight-briefing-prep.ics", "attendees": 4, "phone_in_description": RUIZ_MOBILE},
    }
