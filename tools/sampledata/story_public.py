"""Hand-written messages with the outside world: the press clipping (public officials), the
reporter's records request, citizens writing in legacy charsets, the Japanese vendor team."""
from . import attachments, mime, quoting, threads as T
from .cast import person as P, ROLE_ADDRESSES
from .mail import Mail

RR = ROLE_ADDRESSES["records_requests"]
CLIPS = ROLE_ADDRESSES["clips"]
NOREPLY = ROLE_ADDRESSES["parley_noreply"]

ARTICLE_TEXT = (
    "STATE AGENCIES MOVE STAFF CHAT TO PARLEY, RAISING RECORDS QUESTIONS\n"
    "By Declan Whitcombe, The Columbia Ledger\n\n"
    "Governor Elena Marsh's administration is moving state employees onto a commercial chat app, "
    "Parley, and transparency advocates want to know whether those messages will survive long "
    "enough to be requested under the public records act.\n\n"
    "\"Chat is where decisions get made now,\" Senator Robert Vance said on Tuesday. Vance chairs "
    "the oversight committee and has asked the Department of Public Records for its draft "
    "retention schedule. A spokesperson for Marsh said the governor supports keeping substantive "
    "messages for at least three years.\n\n"
    "As Marguerite Oyelaran of the Harbor Tribune first reported, a resident has filed a complaint "
    "alleging that pilot messages were deleted. The department declined to comment on the complaint.\n")


def clipping_html():
    """HTML-only clipping digest: entities (&amp; &eacute; &nbsp;) and a <style> block."""
    paras = ARTICLE_TEXT.split("\n\n")
    body = "".join(f"<p>{p.replace('&', '&amp;').replace(chr(10), '<br>')}</p>\n" for p in paras)
    body = body.replace('"Chat', "&ldquo;Chat").replace('now,"', "now,&rdquo;")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<style type=\"text/css\">\n"
            "body { font-family: Georgia, serif; color: #222; }\n.masthead { font-size: 18px; "
            "letter-spacing: 2px; }\n.footer { color: #888; font-size: 11px; }\n</style></head>\n"
            "<body><div class=\"masthead\">COLUMBIA CLIPS &amp; BRIEFINGS &mdash; Daily "
            "Digest</div>\n<p>Clipping for: Communications&nbsp;Office, Department of Public Records"
            "</p>\n<hr>\n" + body +
            "<p class=\"footer\">Clipped under license. Caf&eacute; Edition &middot; "
            "R&eacute;sum&eacute; of today&rsquo;s coverage&nbsp;follows tomorrow.</p>\n</body></html>\n")


def press():
    clip = Mail("clip-1", CLIPS, [P("brennan")], "Clip: State agencies move staff chat to Parley",
                T.when(P("brennan"), T.utc(2024, 2, 14, 14, 5)), html=clipping_html(), html_only=True,
                cte="quoted-printable", client="webmail")
    fwd_body = T.compose("Carmen, Jane, Maria —", [
        "Today's Ledger piece is below. It names the governor and the senator but not us by "
        "name; the complaint paragraph is the part that will get follow-up calls.",
        "I will draft holding lines this afternoon."], "– Siobhan\n") + "\n" + \
        quoting.forward(Mail("clip-view", CLIPS, [P("brennan")], clip.subject, clip.date,
                             ARTICLE_TEXT, no_msgid=True), P("brennan"), "ios")
    fwd = Mail("clip-fwd", P("brennan"), [P("ruiz"), P("doe"), P("lindqvist")],
               "Fwd: Clip: State agencies move staff chat to Parley",
               T.when(P("brennan"), T.utc(2024, 2, 14, 16, 40)), fwd_body, cte="quoted-printable")
    # The reporter's records request, acknowledged from the shared mailbox "on behalf of".
    req = T.new_mail("prr-1", P("whitcombe"), [RR], "Public records request - Parley messages",
                     T.utc(2024, 2, 20, 9, 12), [
                         "Under the State of Columbia public records act I request all Parley "
                         "messages and emails about the retention schedule for chat messages, "
                         "from January 1, 2023 to the date of this request.",
                         "I prefer electronic copies. You can reach me at +44 20 7946 0958 or by "
                         "reply to this address."], cc=[P("novak"), P("brennan")], greet="Hello,",
                     sig="Regards,\nDeclan Whitcombe\nTechnology Correspondent, The Columbia Ledger\n"
                     "Newsroom: +44 20 7946 0958\n", cte="7bit")
    ack = T.reply(req, "prr-2", RR, [P("whitcombe")], [
        "We received your request on February 20, 2024 and assigned it number PRR-2024-0117.",
        "We expect to respond within ten business days. Please quote the number in any reply."],
        delay_minutes=1500, cc=[P("ruiz")], greet="Dear Mr. Whitcombe,",
        sig="Public Records Requests\nDepartment of Public Records | State of Columbia\n",
        sender_header=P("novak"), client="outlook",
        quote=quoting.outlook(req, P("novak")))
    fw = T.reply(ack, "prr-3", P("ruiz"), [P("lindqvist")], [
        "Maria, this is the Ledger request. Please look at scope before Peter starts the search."],
        delay_minutes=95, forward_=True, greet="", sig="Carmen\n",
        quote=quoting.outlook(ack, P("ruiz"), on_behalf=P("novak")))
    fw.body = fw.body.lstrip("\n")
    return [clip, fwd, req, ack, fw]


def citizens():
    out = []
    # French researcher: iso-8859-1 body (QP), iso-8859-1 Q subject and display name,
    # attachment with an accented name (RFC 2231).
    fr = Mail("faure-1", P("faure"), [P("doe")], "Question sur la conservation des messages (été 2023)",
              T.when(P("faure"), T.utc(2023, 7, 11, 8, 30)),
              "Madame,\n\nJe prépare une étude sur la conservation des messageries instantanées dans "
              "les administrations. Pourriez-vous m'indiquer si le Département conserve les messages "
              "Parley, et pour quelle durée ?\n\nVous trouverez mes questions détaillées en pièce "
              "jointe.\n\nBien cordialement,\nRenée Fauré\nChargée de recherche\nTél. : +33 1 42 68 53 00\n",
              charset="iso-8859-1", subject_charset="iso-8859-1", subject_enc="Q",
              attachments=[mime.attachment_part("Questions_conservation_été.txt",
                                                attachments.policy_txt_fr(), "text/plain",
                                                charset="utf-8")])
    out.append(fr)
    out.append(T.reply(fr, "faure-2", P("doe"), [P("faure")], [
        "Thank you for your message. The Parley pilot started in 2023 and the retention schedule "
        "is still a draft; I will send it to you once it is approved.",
        "Merci et bonne journée."], delay_minutes=600, greet="Dear Ms. Fauré,", cte="quoted-printable",
        attachments=[mime.attachment_part(
            "Résumé_du_calendrier_de_conservation.txt",
            "Résumé (projet) : messages transitoires conservés 90 jours ; messages substantiels "
            "conservés trois ans, puis versés aux Archives de l'État.\n".encode("utf-8"),
            "text/plain", charset="utf-8", cte="quoted-printable")]))
    # Russian citizen: koi8-r body and koi8-r B-encoded subject.
    ru = Mail("volkov-1", P("volkov"), [RR], "Запрос о хранении сообщений",
              T.when(P("volkov"), T.utc(2023, 10, 3, 7, 45)),
              "Здравствуйте!\n\nПрошу сообщить, как долго Департамент хранит сообщения в Parley "
              "и можно ли запросить их копии.\n\nС уважением,\nДмитрий Волков\n",
              cc=[P("novak")], charset="koi8-r", cte="8bit", subject_charset="koi8-r", subject_enc="B")
    out.append(ru)
    out.append(T.reply(ru, "volkov-2", P("novak"), [P("volkov")], [
        "Thank you for your request. Messages in the pilot are kept under a draft schedule; you may "
        "request copies by replying with a date range."], delay_minutes=1300, greet="Dear Dmitri,",
        cte="base64"))
    # Chinese-speaking resident: gb18030 body, UTF-8 B subject, UTF-8 Q display name.
    zh = Mail("chen-1", P("chen"), [P("novak")], "关于公共记录请求的问题",
              T.when(P("chen"), T.utc(2024, 4, 8, 20, 10)),
              "您好，\n\n我想申请查阅有关 Parley 聊天记录保存政策的文件。请问需要填写哪些表格？\n\n"
              "谢谢！\n陈晓玲\n", charset="gb18030", cte="8bit", subject_charset="utf-8", subject_enc="B")
    out.append(zh)
    out.append(T.reply(zh, "chen-2", P("novak"), [P("chen")], [
        "Thank you for writing. No form is needed: a short description of the records and a "
        "date range is enough. 谢谢 🙏"], delay_minutes=900, greet="Hello Xiaoling,", cte="base64"))
    # Older client: windows-1252 curly quotes, no Message-ID; the reply has no In-Reply-To.
    o1 = Mail("pembrook-1", P("pembrook"), [P("doe")], "Your \"chat\" policy",
              T.when(P("pembrook"), T.utc(2023, 5, 2, 15, 3)),
              "To the Records Officer,\n\nI read that the department will use a \u201cchat\u201d "
              "program. Isn\u2019t that how records get lost? I\u2019d like to know the "
              "\u201cretention period\u201d \u2013 in plain words.\n\nOrville Pembrook\n",
              cc=[P("novak")], charset="cp1252", charset_label="windows-1252", no_msgid=True, client="old")
    out.append(o1)
    o2 = T.reply(o1, "pembrook-2", P("doe"), [P("pembrook")], [
        "Thank you for writing. Chat messages that document agency business are public records "
        "and are kept like email. Our draft schedule keeps them for three years.",
        "If you would like to talk it through, call me at 555-014-2231."],
        delay_minutes=2000, greet="Dear Orville,")
    out.append(o2)
    out.append(T.reply(o2, "pembrook-3", P("pembrook"), [P("doe")], [
        "Thank you, Jane. That is a clear answer. I\u2019ll hold you to the \u201cthree years\u201d."],
        delay_minutes=3000, greet="Dear Jane,", sig="Orville Pembrook\n", charset="cp1252",
        charset_label="windows-1252", client="old"))
    # Berlin resident, Gmail, iso-8859-1 B-encoded subject.
    hv = T.new_mail("halvorsen-1", P("halvorsen"), [P("novak")], "Grüße aus Berlin - request status",
                    T.utc(2023, 11, 20, 9, 0), [
                        "I filed a request in September (PRR-2023-0388) and have not heard back.",
                        "Could you tell me the status? My number is +49 30 901820 if a call is easier."],
                    greet="Dear Peter,", sig="Best regards,\nIngrid Halvorsen\n",
                    subject_charset="iso-8859-1", subject_enc="B")
    out.append(hv)
    out.append(T.reply(hv, "halvorsen-2", P("novak"), [P("halvorsen")], [
        "Sorry for the delay. Your request is in review and I expect to send records by "
        "December 8."], delay_minutes=420, greet="Hi Ingrid,"))
    return out


def vendor_jp():
    """Tokyo engineering lead: ISO-2022-JP and Shift_JIS bodies, UTF-8 B display name."""
    jp1 = Mail("sato-1", P("sato"), [P("okafor")], "【Parley】監査ログ出力の仕様について",
               T.when(P("sato"), T.utc(2023, 8, 22, 1, 15)),
               "Okafor様\n\nいつもお世話になっております。\n監査ログのエクスポート形式について、"
               "JSON Lines 形式で出力する予定です。\n\nHi Samuel, short English summary: the audit "
               "export will be JSON Lines, one event per line.\n\n佐藤 陽翔\nHaruto Sato\n"
               "Tel: +81 3-1234-5678\n", charset="iso-2022-jp", cte="7bit",
               subject_charset="iso-2022-jp", subject_enc="B")
    rep = T.reply(jp1, "sato-2", P("okafor"), [P("sato")], [
        "Thank you, this works for us. Please include the device id in each login event. "
        "ありがとうございます。"],
        delay_minutes=480, greet="Sato-san,")
    jp2 = Mail("sato-3", P("sato"), [P("okafor")], "Re: 【Parley】監査ログ出力の仕様について",
               T.when(P("sato"), T.utc(2023, 8, 24, 2, 40)),
               "Okafor様\n\nデバイスIDを追加しました。リリース 4.6.0 に含まれます。\n"
               "(Device id added; ships in 4.6.0.)\n\n佐藤\n",
               charset="shift_jis", cte="base64", in_reply_to=rep.msgid,
               references=[jp1.msgid, rep.msgid])
    news = Mail("vendor-news", NOREPLY, [P("okafor"), P("doe")], "Parley Product Update: exports & retention",
                T.when(P("ferreira"), T.utc(2024, 1, 17, 16, 0)), html_only=True, cte="base64",
                html="<html><head><style>h2{color:#1f5e99} .small{font-size:10px}</style></head><body>"
                     "<h2>Exports &amp; retention controls</h2><p>New in 4.7: per-channel retention "
                     "&amp; legal hold.</p><p>Join our Caf&eacute; webinar&nbsp;on January 30.</p>"
                     "<p class=\"small\">You receive this because you administer a Parley tenant."
                     "</p></body></html>\n", client="webmail")
    return [jp1, rep, jp2, news]
