"""Loose Outlook .msg files saved by the General Counsel: a Unicode message with a file
attachment, a forward that carries the original as an embedded message (msg-in-msg), an old
ANSI (PtypString8, code page 1252) message, and a Japanese (CJK) message.  Message-IDs come
from mail.make_msgid with keys of their own, so no existing stream of randomness is touched."""
from datetime import datetime
from email.utils import format_datetime

from . import cast, mime, msg
from .cast import person as P
from .mail import make_msgid

FOLDER = "custodian03-general-counsel/Saved Messages"
PEMBROOK_PHONE = "(555) 014-2377"
SATO_MOBILE = "+81 90-1234-5678"


def _t(rule, *utc):
    return cast.local_time(rule, datetime(*utc))


def _who(p):
    return (p.display, p.email)


def _headers(m, mailer, charset="utf-8", cc=()):
    """RFC 5322 transport headers as Exchange stores them in PR_TRANSPORT_MESSAGE_HEADERS."""
    subj = mime.encode_words(m.subject, "utf-8", "B") if mime.needs_encoding(m.subject) else m.subject
    to = ", ".join(mime.address(n, a) for n, a in m.to)
    lines = [f"Received: from mail.{cast.DOMAIN} (198.51.100.25) by exch01.{cast.DOMAIN} with "
             f"Microsoft SMTP Server; {format_datetime(m.delivered)}",
             f"From: {mime.address(*m.sender, charset='utf-8' if mime.needs_encoding(m.sender[0]) else '', enc='B')}",
             f"To: {to}"]
    if cc:
        lines.append("Cc: " + ", ".join(mime.address(n, a) for n, a in cc))
    lines += [f"Subject: {subj}", f"Date: {format_datetime(m.submit)}", f"Message-ID: {m.message_id}",
              f"X-Mailer: {mailer}", "MIME-Version: 1.0",
              f"Content-Type: text/plain; charset=\"{charset}\"", "Content-Transfer-Encoding: 8bit", "", ""]
    return "\r\n".join(lines)


def dpa():
    f, to, cc = P("ferreira"), [_who(P("lindqvist"))], [_who(P("ruiz"))]
    sent = _t("us-eastern", 2024, 4, 2, 18, 12, 5)
    m = msg.Message(
        subject="Data processing addendum - countersignature page",
        body=("Ms. Lindqvist,\n\nAttached is the countersignature page for the data processing "
              "addendum, signed on our side today. The full PDF follows from our contracts team.\n\n"
              "For questions on the export clause please contact Priya Raghunathan "
              "(priya.raghunathan@parley.example.com) or me directly at +1 555 014 2331.\n\n"
              "Best regards,\nLucian Ferreira\nSolutions Engineer, Parley Systems, Inc.\n"),
        sender=_who(f), to=to, cc=cc, submit=sent, delivered=_t("us-pacific", 2024, 4, 2, 18, 12, 41),
        message_id=make_msgid("x-msg-dpa", "outlook", f.email, sent),
        attachments=[msg.Attachment("DPA-countersignature-page.txt", (
            "DATA PROCESSING ADDENDUM - COUNTERSIGNATURE\n\n"
            "Parley Systems, Inc.\nSigned: Lucian Ferreira, Solutions Engineer (authorised signatory)\n"
            "Date: 2024-04-02\n\nDepartment of Public Records, State of Columbia\n"
            "Signature pending: Maria Lindqvist, General Counsel\n").encode("utf-8"), "text/plain")])
    m.headers = _headers(m, "Microsoft Outlook 16.0", cc=cc)
    return "Data processing addendum - countersignature.msg", m


def change_ticket():
    f, o, l, t = P("ferreira"), P("okafor"), P("lindqvist"), P("tanaka")
    sent = _t("us-eastern", 2024, 3, 20, 15, 40, 0)
    inner = msg.Message(
        subject="Change ticket PAR-4471 - retention job setting",
        body=("Samuel,\n\nHere is what the change log for ticket PAR-4471 shows: the 7-day retention "
              "value came from the test-tenant template and was copied to your pilot tenant on "
              "November 6 during the 4.6.0 upgrade. It was reverted on November 20.\n\n"
              "Nobody at the Department changed it. Call me at +1 555 014 2331 if counsel needs a "
              "signed statement.\n\nLucian\n"),
        sender=_who(f), to=[_who(o)], cc=[_who(l)], submit=sent,
        delivered=_t("us-pacific", 2024, 3, 20, 15, 40, 37),
        message_id=make_msgid("x-msg-ticket-inner", "outlook", f.email, sent))
    inner.headers = _headers(inner, "Microsoft Outlook 16.0", cc=[_who(l)])
    fw_sent = _t("us-pacific", 2024, 3, 21, 16, 5, 12)
    outer = msg.Message(
        subject="FW: Change ticket PAR-4471 - retention job setting", prefix="FW: ",
        body=("Hiroshi,\n\nThe vendor's explanation is attached as the original message, so the "
              "headers stay intact for your file. It matches what administrator A told you.\n\n"
              "Maria Lindqvist\nGeneral Counsel\nDirect: +1-555-014-2267\n"),
        sender=_who(l), to=[_who(t)], submit=fw_sent, delivered=fw_sent,
        message_id=make_msgid("x-msg-ticket-fw", "outlook", l.email, fw_sent),
        attachments=[msg.Attachment(inner.subject, message=inner)])
    return "FW Change ticket PAR-4471.msg", outer


def pembrook_ansi():
    o, l = P("pembrook"), P("lindqvist")
    sent = _t("us-eastern", 2024, 4, 9, 13, 2, 0)
    m = msg.Message(
        subject="Formal complaint about chat retention",
        body=("To the General Counsel,\n\nI read in the Ledger that the department\u2019s chat "
              "\u201cpilot\u201d lost a resident\u2019s messages. I wish to file a formal complaint: "
              "the records law applies to chat \u2013 no matter what the caf\u00e9 talk at City Hall "
              f"says.\n\nPlease call me at {PEMBROOK_PHONE} or write to this address.\n\n"
              "Orville Pembrook\n"),
        sender=_who(o), to=[_who(l)], submit=sent, delivered=_t("us-pacific", 2024, 4, 9, 13, 3, 2),
        message_id=make_msgid("x-msg-pembrook", "old", o.email, sent),
        unicode=False, codepage=1252)
    m.headers = _headers(m, "QUALCOMM Windows Eudora Version 7.1.0.9", charset="windows-1252")
    return "Formal complaint about chat retention.msg", m


def sato_cjk():
    s, l, o = P("sato"), P("lindqvist"), P("okafor")
    sent = _t("jp", 2024, 4, 15, 1, 30, 0)
    m = msg.Message(
        subject="【Parley】データ保存場所についてのご回答 / Data residency answer",
        body=("Lindqvist様\n\nいつもお世話になっております。\n"
              "ご質問いただいたデータ保存場所について回答いたします。パイロット環境のメッセージと添付"
              "ファイルは、すべて米国西部リージョンに保存されています。削除済みメッセージはコンプライアンス"
              "ストアに90日間保持されます。\n\n"
              "English summary: all pilot messages and attachments are stored in the US West region; "
              "deleted messages stay in the compliance store for 90 days.\n\n"
              f"佐藤 陽翔\nHaruto Sato\nTel: +81 3-1234-5678\n携帯: {SATO_MOBILE}\n"),
        sender=_who(s), to=[_who(l)], cc=[_who(o)], submit=sent,
        delivered=_t("us-pacific", 2024, 4, 15, 1, 30, 48),
        message_id=make_msgid("x-msg-sato", "thunderbird", s.email, sent))
    m.headers = _headers(m, "Mozilla Thunderbird 115.9.1", cc=[_who(o)])
    return "Parley data residency - Tokyo answer.msg", m


def messages():
    """[(relative path, Message)] for every saved .msg."""
    return [(f"{FOLDER}/{name}", m) for name, m in (dpa(), change_ticket(), pembrook_ansi(), sato_cjk())]


def files():
    return {path: msg.to_bytes(m) for path, m in messages()}
