"""New e-mails saved in the deputy director's loose Inbox (msg-0074.eml …, CRLF like the rest
of that folder): a calendar invitation (text/calendar; method=REQUEST inside
multipart/alternative, plus invite.ics), and messages carrying a DOCX, an XLSX, a text-layer
PDF with a scanned (image-only) PDF, and an RTF.  Each exists only as this one copy: every
recipient other than the deputy director is outside the collected mailboxes.  Message-IDs and
boundaries derive from keys of their own ("x-…"), so existing bytes never move."""
import base64

from . import containers as C, ics, mime, office, threads as T
from .cast import person as P, THIRD_PARTIES
from .mail import Mail
from .story_msg import PEMBROOK_PHONE

FOLDER = "custodian05-deputy-director/Inbox"
FIRST_NUMBER = 74                      # continues after msg-0073.eml
CASTELLANOS_PHONE = "(555) 014-2296"
NO_TEXT_PDF = "signed-order-form-scan.pdf"


class InviteMail(Mail):
    """multipart/mixed[ multipart/alternative[text/plain, text/calendar], application/ics ]."""
    calendar: bytes = b""

    def mime_tree(self):
        text = mime.text_part(self.body, "plain", "utf-8", "quoted-printable")
        cal = mime.Part("text/calendar", ['charset="utf-8"', "method=REQUEST"],
                        base64.encodebytes(self.calendar), cte="base64")
        alt = mime.Part("multipart/alternative", parts=[text, cal],
                        boundary=mime.boundary_for(self.key + "/alt"), preamble="")
        ics_part = mime.attachment_part("invite.ics", self.calendar, "application/ics")
        return mime.Part("multipart/mixed", parts=[alt, ics_part], boundary=mime.boundary_for(self.key + "/mixed"))


def invite():
    f = P("ferreira")
    m = InviteMail("x-invite-statement", f, [P("ruiz")], "Vendor statement on the retention setting",
                   T.when(f, T.utc(2024, 3, 22, 14, 5)),
                   "When: Tuesday, March 26, 2024 11:00 AM-11:45 AM (UTC-05:00) Eastern Time (US & Canada).\n"
                   "Where: Parley video bridge\n\n"
                   "Walk-through of change ticket PAR-4471 and the signed statement.\n"
                   "Questions before the call: +1 555 014 2331.\n", cte="quoted-printable")
    m.calendar = ics.statement_invite()
    return m


def dpa_redline():
    f = P("ferreira")
    doc = office.docx([
        ("b", "Data Processing Addendum - redline v3"),
        "Between Parley Systems, Inc. and the Department of Public Records, State of Columbia.",
        "Clause 7.2 (Export): at contract end the vendor delivers all messages, edits and deletions "
        "in an open, documented format within 30 days.",
        "Clause 7.3 (Retention): the customer sets retention per channel; the vendor never applies a "
        "template value to a production tenant.",
        "Prepared by Lucian Ferreira, Solutions Engineer, +1 555 014 2331.",
        "Counsel contact: Maria Lindqvist, General Counsel.",
    ], "DPA redline v3", "Lucian Ferreira", "2024-04-18T14:00:00Z")
    return T.new_mail("x-dpa-redline", f, [P("ruiz")], "Data processing addendum - redline v3",
                      T.utc(2024, 4, 18, 15, 20), [
                          "Attached is redline v3 of the addendum with the export and retention clauses "
                          "we discussed. Counsel has seen clause 7.2 already."],
                      greet="Dear Ms. Ruiz,", sig="Best regards,\nLucian Ferreira\n",
                      attachments=[mime.attachment_part("DPA-redline-v3.docx", doc, office.DOCX_TYPE)])


def roster():
    n = P("petrosyan")
    hire = THIRD_PARTIES["new_hire"]
    book = office.xlsx("Roster", [
        ["Name", "Position", "Start date", "Mobile", "SSN", "Parley seats"],
        [hire, "FOIA Analyst II", "2023-09-18", CASTELLANOS_PHONE, "512-44-1234", 1],
        ["Nadia Petrosyan", "HR Specialist", "2019-04-01", "(555) 014-2209", "on file", 1],
    ], "Onboarding roster", "Nadia Petrosyan", "2024-05-06T16:00:00Z", inline={(1, 3)})
    return T.new_mail("x-roster", n, [P("ruiz")], "Onboarding roster for Parley group D",
                      T.utc(2024, 5, 6, 16, 45), [
                          "Attached is the roster you asked for before the group D rollout.",
                          "Sorry about the SSN column; the payroll form still needs it. I will move "
                          "it to the HR portal next time."],
                      greet="Hi Carmen,", sig="Thanks,\nNadia\n",
                      attachments=[mime.attachment_part("onboarding-roster-2024-05.xlsx", book, office.XLSX_TYPE)])


def whitepaper():
    pr = P("raghunathan")
    paper = office.text_pdf([
        "Parley Retention Controls - White Paper (v1.2)",
        "Prepared for: Carmen Ruiz, Deputy Director, Department of Public Records",
        "1. Retention is set per channel (30 days to 10 years) or by legal hold.",
        "2. Deleted items stay in the compliance store for 90 days (configurable).",
        "3. Exports: Slack-compatible JSON, Actiance XML, or per-day PDF.",
        "Contact: Priya Raghunathan (+1-555-014-2318), Account Manager.",
    ], "Parley Retention Controls", "Priya Raghunathan", "20240502090000+05'30'")
    scan = office.scanned_pdf("order-form-scan", "20240502091500+05'30'")
    return T.new_mail("x-whitepaper", pr, [P("ruiz")], "Signed order form and retention white paper",
                      T.utc(2024, 5, 2, 3, 55), [
                          "Please find attached the countersigned order form for group D (scanned) "
                          "and the white paper on retention controls you asked for."],
                      greet="Dear Ms. Ruiz,", sig="Warm regards,\nPriya\n",
                      attachments=[mime.attachment_part("parley-retention-whitepaper.pdf", paper, "application/pdf"),
                                   mime.attachment_part(NO_TEXT_PDF, scan, "application/pdf")])


def pembrook_letter():
    o = P("pembrook")
    letter = office.rtf([
        "Dear Ms. Ruiz,",
        "I enclose my letter about the chat records. Dr. Ren\u00e9e Faur\u00e9 of the Institut d'histoire "
        "administrative writes that chat logs are the \u201cnew memoranda\u201d. I agree.",
        "Please keep every message of the pilot until the complaint is settled.",
        f"You may reach me at {PEMBROOK_PHONE}.",
        "Orville Pembrook",
    ])
    return T.new_mail("x-pembrook-rtf", o, [P("ruiz")], "Letter about the chat records",
                      T.utc(2024, 4, 23, 14, 10), ["My letter is attached (RTF)."],
                      greet="Dear Ms. Ruiz,", sig="Orville Pembrook\n", no_msgid=False,
                      attachments=[mime.attachment_part("letter-to-the-deputy-director.rtf", letter,
                                                        "application/rtf")])


def mails():
    return [invite(), dpa_redline(), roster(), whitepaper(), pembrook_letter()]


def files():
    """[(path, mail, bytes)] in file-name order."""
    out = []
    for i, m in enumerate(mails()):
        path = f"{FOLDER}/msg-{FIRST_NUMBER + i:04d}.eml"
        out.append((path, m, C.crlf(m.render_copy("Inbox", P("ruiz").email))))
    return out
