"""Hand-written internal messages: HR onboarding (SSNs), attachments of every kind (CSV, PNG,
nested zip, HTML, a forwarded message/rfc822 with its own attachment), the legal hold, the
investigation (one message to be withheld in full), a meeting invite quoted as
'-----Original Appointment-----', and the mbox 'From ' traps."""
from . import attachments as A, mime, quoting, threads as T
from .cast import person as P, CUSTODIANS, THIRD_PARTIES, COMPLAINANT_PHONE
from .mail import Mail

ALL = lambda *skip: [p for p in CUSTODIANS if p.key not in skip]


def hr():
    new_hire = THIRD_PARTIES["new_hire"]
    m = T.new_mail("hr-1", P("petrosyan"), [P("okafor")], "New hire account setup - FOIA Analyst II",
                   T.utc(2023, 9, 11, 16, 20), [
                       f"Please set up Parley and network accounts for {new_hire}, who starts on "
                       "September 18 as a FOIA Analyst II on Peter's team.",
                       "Payroll needs the account linked to her SSN, 512-44-1234. The signed "
                       "request form is attached."], cc=[P("novak")], cte="quoted-printable",
                   attachments=[mime.attachment_part("new-employee-request.txt", A.onboarding_txt(),
                                                     "text/plain", charset="utf-8")])
    r = T.reply(m, "hr-2", P("okafor"), [P("petrosyan")], [
        "Done, the accounts are ready for the 18th.",
        "Please do not send SSNs by email again; use the HR portal. I have asked the help desk "
        "to delete the attachment from the ticket."], delay_minutes=140, cc=[P("novak")])
    return [m, r]


def attachments_demo():
    out = []
    launch = Mail("launch", P("okafor"), ALL("okafor"), "Parley pilot is live 🎉",
                  T.when(P("okafor"), T.utc(2023, 3, 6, 16, 0)),
                  T.compose("Hi all,", [
                      "The Parley pilot is live for groups A, B and C as of this morning. 🎉",
                      "Log in with your network account. The badge below marks official "
                      "department channels — résumé of the rules: business messages are records.",
                      "Questions to the help desk or to me directly at 555.014.2298."],
                      "Thanks,\nSam\n"), cte="base64", subject_charset="utf-8", subject_enc="B",
                  attachments=[mime.attachment_part("parley-badge.png", A.tiny_png(), "image/png")])
    out.append(launch)
    out.append(T.new_mail("users-csv", P("okafor"), [P("doe")], "Pilot user list", T.utc(2023, 3, 20, 18, 5),
                          ["Attached is the list of pilot accounts with phone numbers, as you asked "
                           "for the records inventory."], cc=[P("ruiz")],
                          attachments=[mime.attachment_part("pilot-users.csv", A.pilot_users_csv(),
                                                            "text/csv", charset="utf-8")]))
    z = T.new_mail("drafts-zip", P("doe"), [P("lindqvist"), P("ruiz")], "Retention drafts (zip)",
                   T.utc(2023, 6, 12, 21, 30), [
                       "The zip has the current draft schedule and my older notes (the inner zip is "
                       "last year's folder, unchanged).",
                       "Please do not forward outside the department yet."],
                   attachments=[mime.attachment_part("retention-drafts.zip", A.nested_zip(),
                                                     "application/zip")])
    out.append(z)
    out.append(T.reply(z, "drafts-zip-2", P("lindqvist"), [P("doe")], [
        "Received. I will mark up the schedule by Friday."], delay_minutes=75, cc=[P("ruiz")]))
    # Vendor mail with a CSV, then forwarded *as an attachment* (message/rfc822) to investigators.
    inner = T.new_mail("export-inner", P("ferreira"), [P("okafor")], "Pilot account export",
                       T.utc(2024, 1, 10, 15, 45), [
                           "As requested, the account export from the pilot tenant is attached."],
                       attachments=[mime.attachment_part("pilot-accounts-export.csv", A.pilot_users_csv(),
                                                         "text/csv", charset="utf-8")])
    out.append(inner)
    rfc822 = mime.Part("message/rfc822", body=inner.render_copy("Inbox", P("okafor").email),
                       headers=[("Content-Disposition", 'attachment; filename="Pilot account export.eml"')])
    out.append(T.new_mail("export-fwd", P("okafor"), [P("tanaka")], "Fwd: Pilot account export",
                          T.utc(2024, 1, 11, 17, 2), [
                              "Forwarding the vendor's export as an attachment so the headers stay "
                              "intact for your file."], cc=[P("lindqvist")], attachments=[rfc822]))
    # Meeting invite, then quoted as an Outlook appointment.
    inv = T.new_mail("meeting-1", P("ruiz"), [P("doe"), P("lindqvist"), P("novak"), P("okafor")],
                     "Parley retention working session", T.utc(2024, 1, 29, 23, 10), [
                         "Let's settle the open questions on the retention schedule. Agenda attached."],
                     attachments=[mime.attachment_part("agenda.html", A.agenda_html(), "text/html",
                                                       charset="utf-8", cte="quoted-printable")])
    out.append(inv)
    out.append(T.reply(inv, "meeting-2", P("doe"), [P("brennan")], [
        "Siobhan, can you join this one? Press questions about chat retention are on the agenda."],
        delay_minutes=1440, forward_=True, greet="", sig="– Jane\n",
        quote=quoting.appointment(inv, P("doe"),
                                  "Thursday, February 1, 2024 10:00 AM-11:30 AM (UTC-08:00) Pacific Time (US & Canada).",
                                  "Conference Room 4B / Parley video bridge")))
    return out


def legal_hold():
    notice = T.new_mail("hold-0", P("lindqvist"), ALL("lindqvist"),
                        "LEGAL HOLD NOTICE - Parley and email records", T.utc(2024, 1, 8, 17, 0), [
                            "You are receiving this notice because you may hold records relevant to "
                            "a pending investigation. Effective immediately, do not delete, edit or "
                            "move any Parley messages, emails or files about the Parley pilot or the "
                            "retention schedule.",
                            "Auto-delete must stay off for every channel you own. Reply to this "
                            "message to acknowledge."], bcc=[P("petrosyan")],
                        extra_headers=[("Importance", "High"), ("X-Priority", "1")],
                        sig="Maria Lindqvist\nGeneral Counsel\nDirect: +1-555-014-2267\n")
    out = [notice]
    for i, p in enumerate(ALL("lindqvist")):
        out.append(T.reply(notice, f"hold-{i + 1}", p, [P("lindqvist")],
                           ["I acknowledge the legal hold and will preserve the records."],
                           delay_minutes=30 + 97 * i, refs="full" if i % 3 else "irt"))
    return out


def investigation():
    complainant = THIRD_PARTIES["complainant"]
    c1 = T.new_mail("inv-1", P("tanaka"), [P("lindqvist")], "Complaint intake - deleted pilot messages",
                    T.utc(2023, 12, 4, 18, 30), [
                        f"A resident, {complainant}, says messages he exchanged with staff in the "
                        "pilot disappeared after a week. He wants to know whether anyone deleted "
                        f"them on purpose. His number is {COMPLAINANT_PHONE}.",
                        "I am opening a preliminary file and will ask IT for audit logs."])
    c2 = T.reply(c1, "inv-2", P("lindqvist"), [P("tanaka")], [
        "Agreed. Please keep the file number off any message to the vendor."], delay_minutes=55)
    logs = T.new_mail("inv-3", P("tanaka"), [P("okafor")], "Audit log request", T.utc(2023, 12, 5, 17, 15), [
        "Could you export the Parley audit log for the pilot tenant, November 1 to today, "
        "including deletions and retention changes?"], cc=[P("lindqvist")])
    logs2 = T.reply(logs, "inv-4", P("okafor"), [P("tanaka")], [
        "Export is on the investigations share. There are 14 deletion events, all by the retention "
        "job, none by a user."], delay_minutes=300, cc=[P("lindqvist")])
    withheld = T.new_mail("inv-withheld", P("tanaka"), [P("lindqvist")],
                          "INV-2024-017 - interview plan and witness list", T.utc(2024, 3, 18, 22, 40), [
                              "Attached plan in short: interview the two pilot administrators first, "
                              "then the vendor's support engineer. Do not tell anyone outside this "
                              "office that interviews are scheduled.",
                              f"{complainant} will be re-interviewed after the administrators. "
                              "Enforcement referral is possible depending on what the logs show."],
                          extra_headers=[("Sensitivity", "Company-Confidential")])
    w2 = T.reply(withheld, "inv-withheld-2", P("lindqvist"), [P("tanaka")], [
        "Plan approved. Keep me posted after the first interviews."], delay_minutes=700)
    return [c1, c2, logs, logs2, withheld, w2]


def mbox_traps():
    """Bodies with lines that begin 'From ' (and '>From ') — the classic mbox hazards."""
    s1 = T.new_mail("trap-from", P("brennan"), [P("ruiz"), P("doe")], "Draft holding statement",
                    T.utc(2024, 2, 15, 0, 20), [
                        "Draft below.",
                        "From the Department's point of view, the pilot is a test of tools, not of "
                        "the records law. Messages about agency business are public records.",
                        "From here on I will route all press questions on this through Carmen."],
                    cc=[P("lindqvist")], greet="Carmen,", sig="Sent from my iPhone\n")
    s2 = T.new_mail("trap-sep", P("okafor"), [P("brennan")], "Bounced copy of the statement",
                    T.utc(2024, 2, 16, 18, 0), [
                        "Here is the raw copy from the gateway quarantine:",
                        "From MAILER-DAEMON Mon Jan 15 10:02:11 2024\nReturn-Path: <>\n"
                        "Subject: Undelivered Mail Returned to Sender",
                        "The statement never reached the newspaper's server; their filter rejected "
                        "the attachment. Please resend without it."], cc=[P("doe")])
    s3 = T.new_mail("trap-gtfrom", P("novak"), [P("doe"), P("lindqvist")], "Old procedure text",
                    T.utc(2023, 8, 3, 20, 0), [
                        "The old manual already covered chat, sort of:",
                        ">From the 2019 manual, section 4: instant messages that document agency "
                        "business are records and follow the email schedule.\n"
                        ">>From section 5: transitory notes may be destroyed when no longer needed.",
                        "Worth quoting in the new policy?"])
    return [s1, s2, s3]
