"""Feature checklist: every format feature the SampleData promises must really be present in
the generated tree.  Random choices (quoting variants, greetings) could otherwise silently drop
one after an edit, so the generator fails loudly instead."""
import re

# Decoded-text markers: quoting styles, greetings and sign-offs.
TEXT_MARKERS = {
    "outlook original message": "-----Original Message-----\nFrom: ",
    "outlook labels on own line": "-----Original Message-----\nFrom:\n",
    "on behalf of": " On Behalf Of ",
    "begin forwarded message": "Begin forwarded message:",
    "android original message": "----- Original message -----",
    "gmail forward": "---------- Forwarded message ---------",
    "original appointment": "-----Original Appointment-----",
    "appointment when": "\nWhen: ",
    "appointment where": "\nWhere: ",
    "iphone footer": "Sent from my iPhone",
    "formal greeting": "Dear Dr. Okafor,",
    "hi greeting": "Hi Jane,",
    "dash greeting": "Jane —",
    "nickname sign-off": "Thanks,\nSam",
    "dash sign-off": "– Jane",
}
TEXT_PATTERNS = {
    "gmail wrote": r"On \w{3}, \w{3} \d+, \d{4} at \d+:\d\d [AP]M [^\n]+ <[^>\n]+> wrote:",
    "apple wrote": r"On \w{3} \d+, \d{4}, at \d+:\d\d [AP]M, [^\n]+ wrote:",
    "thunderbird wrote": r"On \d+/\d+/\d\d \d+:\d\d [AP]M, [^\n]+ wrote:",
    "ios date line": r"Date: \w+day, \w+ \d+, \d{4} at \d+:\d\d [AP]M",
    "quoted lines": r"\n> \w",
}
# Raw-byte markers: encodings, MIME structure, time zones.
RAW_MARKERS = [
    b"=?UTF-8?Q?", b"=?UTF-8?B?", b"=?ISO-8859-1?Q?", b"=?ISO-8859-1?B?", b"filename*=UTF-8''",
    b'charset="iso-8859-1"', b'charset="windows-1252"', b'charset="koi8-r"', b'charset="iso-2022-jp"',
    b'charset="gb18030"', b'charset="shift_jis"', b"Content-Transfer-Encoding: quoted-printable",
    b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: 8bit", b"multipart/alternative",
    b"message/rfc822", b"application/zip", b"image/png", b"text/csv", b"text/html", b"\nBcc: ",
    b"\nIn-Reply-To: ", b"\nReferences: ", b"\nSender: ",
    b" -0800\n", b" -0700\n", b" -0500\n", b" +0000\n", b" +0100\n", b" +0900\n", b" +0530\n",
]


def check(msgs, corpus):
    """msgs: [(container, entry, bytes)] as read back; corpus: decoded text of all of them."""
    missing = [k for k, v in TEXT_MARKERS.items() if v not in corpus]
    missing += [k for k, rx in TEXT_PATTERNS.items() if not re.search(rx, corpus)]
    raw = b"\n".join(data.replace(b"\r\n", b"\n") for _, _, data in msgs)
    missing += [m.decode() for m in RAW_MARKERS if m not in raw]
    if not any(b"\r\n" in data for _, _, data in msgs):
        missing.append("CRLF copy")
    if not any(b"Message-ID" not in data.split(b"\n\n")[0] for _, _, data in msgs):
        missing.append("message without Message-ID")
    if not any(b"In-Reply-To" in d.split(b"\n\n")[0] and b"References" not in d.split(b"\n\n")[0]
               for _, _, d in msgs):
        missing.append("reply with stripped References")
    if missing:
        raise AssertionError(f"features missing from SampleData: {missing}")
