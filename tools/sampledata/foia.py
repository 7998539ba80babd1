"""The planted FOIA consistency trap: one long thread whose later messages quote the earlier
ones, plus four slightly different copies of the whole thread held by different custodians
(a reply on top, an iPhone footer, curly quotes, a re-wrapped paragraph).  Every copy carries
the deliberative paragraph and the complainant's phone number; the reviewer decisions name
only one copy each, so a pipeline must propagate them to the others."""
import re
import textwrap

from . import quoting, threads as T
from .cast import person as P, THIRD_PARTIES, COMPLAINANT_PHONE

SUBJECT = "Parley retention - transitory message rule"
PARAGRAPH_START = "My recommendation, before we decide,"
DELIBERATIVE = (
    f"{PARAGRAPH_START} is that we do not adopt the 90-day rule for direct messages until the "
    "investigation into the deleted pilot messages is closed. If we shorten retention now, it "
    "will look like we are destroying evidence, and we'd have a hard time explaining why the "
    "\"transitory\" category was widened in the middle of a complaint. I would rather keep "
    "everything for one more quarter and revisit the rule in July.")


def curly(text):
    """What Outlook's AutoFormat does to straight quotes."""
    out, dq = [], False
    for i, ch in enumerate(text):
        if ch == '"':
            out.append("\u201d" if dq else "\u201c")
            dq = not dq
        elif ch == "'":
            prev = text[i - 1] if i else " "
            out.append("\u2019" if prev.isalnum() else "\u2018")
        else:
            out.append(ch)
    return "".join(out)


def rewrap(text, width=72):
    """Thunderbird 'rewrap': every over-long quoted line (at any '>' depth) is filled again at
    72 columns with its quote prefix repeated.  The phone number is protected so it is never
    split across lines."""
    guard = COMPLAINANT_PHONE.replace(" ", "\u00a0")
    out = []
    for line in text.replace(COMPLAINANT_PHONE, guard).split("\n"):
        m = re.match(r">+ ?", line)
        if m and len(line) > width:
            prefix = m.group(0) if m.group(0).endswith(" ") else m.group(0) + " "
            filled = textwrap.fill(line[m.end():], width - len(prefix), break_on_hyphens=False,
                                   break_long_words=False)
            out.extend(prefix + l for l in filled.split("\n"))
        else:
            out.append(line)
    return "\n".join(out).replace(guard, COMPLAINANT_PHONE)


def thread():
    """Returns (chain, variants, withheld_key) — chain is the 6-message thread."""
    complainant = THIRD_PARTIES["complainant"]
    m1 = T.new_mail("foia-1", P("doe"), [P("lindqvist"), P("ruiz")], SUBJECT, T.utc(2024, 2, 20, 17, 5), [
        "I would like to settle the transitory rule before the schedule goes to the State Archives. "
        "The draft keeps \"transitory\" direct messages for 90 days and everything else for three years.",
        f"One complication: {complainant} called again this morning from {COMPLAINANT_PHONE} "
        "and asked whether his messages fall under the 90-day rule.",
        "Can counsel weigh in before Friday?"], cc=[P("okafor"), P("novak")], sig="Thanks,\nJane\n")
    m2 = T.reply(m1, "foia-2", P("lindqvist"), [P("doe"), P("ruiz")], [DELIBERATIVE,
                 "Happy to discuss at the working session."], delay_minutes=140,
                 cc=[P("okafor"), P("novak"), P("tanaka")], greet="Jane, Carmen —", sig="Maria\n")
    m3 = T.reply(m2, "foia-3", P("okafor"), [P("lindqvist")], [
        "From the IT side: the 90-day rule would be a single setting, so it is easy to delay. "
        "Nothing is deleted while the legal hold is on anyway."], delay_minutes=45,
        cc=[P("doe"), P("ruiz"), P("novak"), P("tanaka")], sig="Sam\n")
    m4 = T.reply(m3, "foia-4", P("novak"), [P("okafor")], [
        "For the records requests we have open, a longer retention is simpler for me too."],
        delay_minutes=200, cc=[P("doe"), P("ruiz"), P("lindqvist"), P("tanaka")], sig="Pete\n")
    m5 = T.reply(m4, "foia-5", P("tanaka"), [P("novak")], [
        "Please keep the complainant's details in this thread to a minimum from now on."],
        delay_minutes=90, cc=[P("doe"), P("ruiz"), P("lindqvist"), P("okafor")], sig="Hiro\n")
    m6 = T.reply(m5, "foia-6", P("ruiz"), [P("doe"), P("lindqvist")], [
        "Decision: we hold the 90-day rule until the investigation is closed. Jane, please note "
        "this in the cover memo."], delay_minutes=310, cc=[P("okafor"), P("novak"), P("tanaka")],
        sig="Carmen\n")
    chain = [m1, m2, m3, m4, m5, m6]

    # (1) another reply on top: Peter forwards the whole thread to the press office.
    v1 = T.reply(m6, "foia-v1", P("novak"), [P("brennan")], [
        "Siobhan, for background only: this is the retention decision. Not for release; the "
        "Ledger request may cover it, so I will review it with counsel first."],
        delay_minutes=1500, forward_=True, sig="Pete\n")
    # (2) iPhone reply with the footer, Apple-style '>' quoting.
    v2 = T.reply(m6, "foia-v2", P("ruiz"), [P("doe")], [
        "Jane, one more thing: please send me the memo before it goes out."],
        delay_minutes=95, greet="", sig="Sent from my iPhone\n", client="apple",
        quote=quoting.wrote(m6, P("ruiz"), "apple"), cte="base64")
    v2.body = v2.body.lstrip("\n")
    # (3) Outlook AutoFormat turned straight quotes into curly ones, windows-1252 body.
    v3 = T.reply(m6, "foia-v3", P("lindqvist"), [P("tanaka")], [
        "Hiroshi, for your file: the thread below is the decision we discussed."],
        delay_minutes=260, greet="", sig="Maria\n", charset="cp1252", charset_label="windows-1252")
    v3.body = curly(v3.body).lstrip("\n")
    # (4) Thunderbird re-wrapped the quoted paragraphs at 72 columns.
    v4 = T.reply(m6, "foia-v4", P("okafor"), [P("doe")], [
        "Noted. I will leave the retention setting unchanged."], delay_minutes=400,
        cc=[P("lindqvist")], greet="Jane,", sig="Sam\n")
    v4.body = rewrap(v4.body)
    for m in chain + [v1, v2, v3, v4]:
        if m.cte not in ("base64",):
            m.cte = "quoted-printable"
    return chain, [v1, v2, v3, v4]
