"""Attachment payloads: a valid tiny PNG, deterministic zips (one nested inside another),
CSV / TXT / HTML documents.  Everything is built from constants or a seeded RNG."""
import io
import struct
import zipfile
import zlib

from . import cast

# Fixed timestamp for every archive member (zip cannot store dates before 1980).
ZIP_DATE = (2024, 6, 28, 17, 0, 0)


def zip_bytes(entries, date_time=ZIP_DATE):
    """Deterministic zip: sorted entry order is the caller's; fixed dates/attributes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3            # "Unix" regardless of host OS
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png(width=16, height=16):
    """A 16x16 RGB PNG: a speech-bubble-ish 'Parley' badge, built with zlib + struct."""
    rows = []
    for y in range(height):
        row = bytearray([0])   # filter type 0 for each scanline
        for x in range(width):
            inside = 2 <= x <= 13 and 2 <= y <= 10 or (4 <= x <= 6 and 11 <= y <= 13 and x - 4 <= 13 - y)
            row += bytes((31, 94, 153)) if inside else bytes((255, 255, 255))
        rows.append(bytes(row))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"".join(rows), 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + \
        _png_chunk(b"IEND", b"")


def nested_zip():
    """retention-drafts.zip: a .txt plus another .zip that holds one more .txt."""
    inner = zip_bytes([
        ("notes-2023.txt",
         "Working notes, retention committee, 2023\n\n"
         "- Chat messages in the pilot are kept for 30 days by default.\n"
         "- Questions for counsel: are reactions and edits records?\n"
         f"- Contact for the vendor escalation: {cast.person('ferreira').email}\n"
         .encode("utf-8")),
    ])
    outer = zip_bytes([
        ("draft-schedule.txt",
         "DRAFT - Records Retention Schedule, Item GRS-6.4 (Parley messages)\n\n"
         "Transitory messages: keep 90 days, then destroy.\n"
         "Substantive messages: keep 3 years, then transfer to the State Archives.\n"
         "Prepared by the Records Officer. Not for distribution.\n".encode("utf-8")),
        ("older/archive-2023.zip", inner),
    ])
    return outer


def pilot_users_csv():
    """CSV export of pilot accounts: names, addresses and phones of custodians (PII in a table)."""
    lines = ["display_name,email,phone,department,pilot_group"]
    rows = [("doe", "(555) 014-2231", "Records", "A"), ("okafor", "555.014.2298", "IT", "A"),
            ("lindqvist", "+1-555-014-2267", "Legal", "B"), ("ruiz", "(555) 014-2203", "Executive", "B"),
            ("novak", "555-014-2250", "FOIA", "A"), ("brennan", "555.014.2288", "Communications", "C")]
    for key, phone, dept, group in rows:
        p = cast.person(key)
        lines.append(f'"{p.display}",{p.email},{phone},{dept},{group}')
    return ("\n".join(lines) + "\n").encode("utf-8")


def onboarding_txt():
    """HR onboarding sheet with a (fictional) SSN — planted PII inside a .txt attachment."""
    name = cast.THIRD_PARTIES["new_hire"]
    return (f"NEW EMPLOYEE ACCOUNT REQUEST\n"
            f"Employee: {name}\n"
            f"Position: FOIA Analyst II (reports to the FOIA Officer)\n"
            f"Start date: 2023-09-18\n"
            f"SSN: 512-44-1234\n"
            f"Previous record (typo, do not use): 538-07-4412\n"
            f"Emergency contact phone: +1 555 014 2295\n"
            f"Systems: Parley (pilot group A), records tracker, shared drive\n").encode("utf-8")


def agenda_html():
    """A standalone HTML attachment (meeting agenda)."""
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Agenda</title>\n"
            "<style>body{font-family:Calibri,sans-serif} h1{color:#1f5e99}</style></head>\n"
            "<body><h1>Parley Retention Working Session</h1>\n<ol>\n"
            "<li>Transitory vs. substantive messages &ndash; definitions</li>\n"
            "<li>Export format for public records requests</li>\n"
            "<li>Legal hold workflow &amp; vendor support</li>\n"
            "</ol>\n<p>Room 4B &middot; bring the draft schedule.</p>\n</body></html>\n").encode("utf-8")


def policy_txt_fr():
    """Attachment with an accented file name and French body (from the French researcher)."""
    return ("Questions sur la politique de conservation des messages instantanés\n\n"
            "1. Les messages éphémères sont-ils considérés comme des documents publics ?\n"
            "2. Quelle est la durée de conservation prévue pour les « réactions » ?\n"
            "3. Un inventaire des canaux Parley sera-t-il publié ?\n").encode("utf-8")
