"""The investigator's side archives: a complaint-intake export cut off mid-entry (truncated
.tar.gz) and a password-protected zip of witness-statement summaries (ZipCrypto)."""
import zlib

from . import containers, threads as T, zipcrypto
from .cast import person as P, THIRD_PARTIES, COMPLAINANT_PHONE, ROLE_ADDRESSES
from .mail import Mail

WEBFORM = ROLE_ADDRESSES["webforms"]
PASSWORD = "Columbia-2024"

COMPLAINTS = [
    (f"Name: {THIRD_PARTIES['complainant']}\nPhone: {COMPLAINANT_PHONE}\n"
     "Category: Records / deleted messages\nDetails: I exchanged messages with department staff "
     "through the new chat pilot about my permit. A week later the conversation was gone on "
     "their side. I want to know whether it was deleted on purpose."),
    ("Name: (not given)\nCategory: Records / response time\nDetails: My records request has "
     "been open for four months without an answer."),
    ("Name: (not given)\nCategory: Conduct\nDetails: A staff member told me that chat messages "
     "are not public records. Is that the department's position?"),
    ("Name: (not given)\nCategory: Records / fees\nDetails: The fee estimate for my request seems "
     "far too high for a few emails."),
    ("Name: (not given)\nCategory: Other\nDetails: Please publish the retention schedule for the "
     "chat system before it is adopted, so the public can comment."),
]


def intake_mails():
    out = []
    for i, text in enumerate(COMPLAINTS):
        # Padding of form-log lines makes each entry a few KB so the cut lands inside one.
        log = "\n".join(f"form-log step {j:02d}: field validated, checksum {zlib.crc32(f'{i}/{j}'.encode()):08x}"
                        for j in range(40))
        out.append(Mail(f"intake-{i + 1}", WEBFORM, [P("tanaka")],
                        f"Complaint form submission #{2023120 + i}",
                        T.when(P("tanaka"), T.utc(2023, 12, 1 + i, 16, 4 + i)),
                        f"A new complaint was submitted through the website.\n\n{text}\n\n"
                        f"-- submission log --\n{log}\n", cte="7bit", client="webmail"))
    return out


def truncated_intake_archive(mails):
    """tar.gz of intake-000N.eml cut at ~60% of its compressed bytes.

    Returns (archive_bytes, complete_entry_names).  The cut is nudged (deterministically) until
    it falls strictly inside an entry, never on an entry boundary."""
    files = {f"intake-export/intake-{i + 1:04d}.eml": m.render_copy("Inbox", P("tanaka").email)
             for i, m in enumerate(mails)}
    tar = containers.tar_bytes(files)
    gz = containers.gzip_bytes(tar)
    spans = containers.tar_member_spans(tar)
    for pct in (60, 61, 59, 62, 58, 63, 57):
        cut = len(gz) * pct // 100
        recovered = len(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gz[:cut]))
        complete = [n for n, end in spans if end <= recovered]
        starts = [0] + [end for _, end in spans]
        # mid-entry: recovered bytes end after an entry's header but before its data ends
        mid = any(s < recovered < e for (_, e), s in zip(spans, starts)) and 0 < len(complete) < len(spans)
        if mid:
            return gz[:cut], complete, files
    raise AssertionError("could not place the truncation inside an entry")


def sealed_mails():
    m1 = T.new_mail("sealed-1", P("tanaka"), [P("lindqvist")], "Statement summary - administrator A",
                    T.utc(2024, 3, 19, 16, 0), [
                        "Administrator A confirmed that the retention job ran with a 7-day setting "
                        "for two weeks in November, longer than the approved test window.",
                        "Nobody deleted messages by hand according to the logs."], sig="Hiro\n")
    m2 = T.new_mail("sealed-2", P("tanaka"), [P("lindqvist")], "Statement summary - vendor engineer",
                    T.utc(2024, 3, 20, 17, 30), [
                        "The vendor engineer says the 7-day setting was a default in the test "
                        "tenant and was never meant for production.",
                        "I will ask for the change ticket."], sig="Hiro\n")
    return [m1, m2]


def encrypted_statements(mails):
    entries = [(f"statement-summary-{i + 1:02d}.eml", m.render_copy("Sent", None))
               for i, m in enumerate(mails)]
    return zipcrypto.encrypted_zip(entries, PASSWORD.encode(), seed="sealed"), entries
