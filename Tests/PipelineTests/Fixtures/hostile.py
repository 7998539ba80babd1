#!/usr/bin/env python3
"""Writes the hostile end-to-end corpus into the folder named by argv[1].

Each input is one thing a hostile custodian or a careless operator was seen to do (issue 7).
Every string in PLANTED must be redacted wherever it appears and may not be found in any
output file, native or file name. The test reads PLANTED from planted.txt beside the inputs.
"""
import io
import os
import sys
import tarfile
import zipfile

root = sys.argv[1]
src = os.path.join(root, "custodian")
os.makedirs(src, exist_ok=True)
planted = []


def plant(s):
    planted.append(s)
    return s


def write(name, data):
    path = os.path.join(src.encode(), name if isinstance(name, bytes) else name.encode())
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def eml(n, headers, body):
    given = {k.lower() for k, _ in headers}
    base = [("From", f"Clerk {n} <clerk{n}@records.test>"), ("To", "Desk <desk@records.test>"),
            ("Date", f"Mon, 0{1 + n % 9} Apr 2024 10:00:00 +0000"), ("Message-ID", f"<hostile-{n}@mail.test>")]
    base = [(k, v) for k, v in base if k.lower() not in given]
    return "".join(f"{k}: {v}\r\n" for k, v in base + headers) + "\r\n" + body


# 1. A redacted attachment file name must not survive in the parent's native.
ssn1 = plant("301-11-5001")
write("01-attachment-name.eml", eml(1, [
    ("Subject", "records"), ("MIME-Version", "1.0"), ("Content-Type", 'multipart/mixed; boundary="b1"')],
    "--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
    f'--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="ssn {ssn1}.txt"\r\n\r\nnothing here\r\n--b1--\r\n'))

# 2. A zip attachment whose entry name is redacted: the zip native and the email native keep it.
phone2 = plant("555-302-4002")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr(f"phone {phone2}.txt", "call log\n")
import base64
b64 = base64.encodebytes(buf.getvalue()).decode().replace("\n", "\r\n")
write("02-zip-entry-name.eml", eml(2, [
    ("Subject", "logs"), ("MIME-Version", "1.0"), ("Content-Type", 'multipart/mixed; boundary="b2"')],
    "--b2\r\nContent-Type: text/plain\r\n\r\nLogs attached.\r\n"
    f'--b2\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename="logs.zip"\r\n'
    f"Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b2--\r\n"))

# 3. Hidden HTML: a comment and an attribute the text view never shows.
ssn3 = plant("401-22-3003")
mail3 = plant("hidden.person@example.org")
write("03-hidden-html.eml", eml(3, [
    ("Subject", "weekly note"), ("MIME-Version", "1.0"), ("Content-Type", 'multipart/alternative; boundary="b3"')],
    "--b3\r\nContent-Type: text/plain\r\n\r\nThe weekly note is unchanged.\r\n"
    f'--b3\r\nContent-Type: text/html\r\n\r\n<html><body><!-- ssn {ssn3} --><p>The weekly note is '
    f'<a href="mailto:{mail3}">unchanged</a>.</p></body></html>\r\n--b3--\r\n'))

# 4. Content-Type name= that differs from filename=.
ssn4 = plant("401-33-4004")
write("04-name-param.eml", eml(4, [
    ("Subject", "form"), ("MIME-Version", "1.0"), ("Content-Type", 'multipart/mixed; boundary="b4"')],
    "--b4\r\nContent-Type: text/plain\r\n\r\nForm attached.\r\n"
    f'--b4\r\nContent-Type: text/plain; name="ssn {ssn4}.txt"\r\nContent-Disposition: attachment; filename="form.txt"\r\n\r\n'
    "blank form\r\n--b4--\r\n"))

# 5. A number redacted in one message, hidden in another's In-Reply-To and References.
ssn5 = plant("401-44-5005")
write("05a-body.eml", eml(5, [("Subject", "case file")], f"The applicant's number is {ssn5}.\r\n"))
write("05b-reply.eml", eml(6, [("Subject", "Re: case file"), ("In-Reply-To", f"<{ssn5}@mail.test>"),
                               ("References", f"<{ssn5}@mail.test>")], "Noted, thanks.\r\n"))

# 6. MIME nested past the parser's depth with text at the bottom.
ssn6 = plant("401-55-0101")
depth = 120
body = "".join(f'--d{i}\r\nContent-Type: multipart/mixed; boundary="d{i + 1}"\r\n\r\n' for i in range(depth))
body += f"--d{depth}\r\nContent-Type: text/plain\r\n\r\nSSN {ssn6}\r\n--d{depth}--\r\n"
body += "".join(f"--d{i}--\r\n" for i in reversed(range(depth)))
write("06-deep.eml", eml(7, [("Subject", "deep"), ("MIME-Version", "1.0"),
                             ("Content-Type", 'multipart/mixed; boundary="d0"')], body))

# 7. A form feed in a body (pages vs load file) and a subject past libxml2's attribute limit.
write("07-form-feed.eml", eml(8, [("Subject", "page\x0cbreak")], "first\x0csecond\x0bthird\r\n"))
# The first header block is past what the parser is given (an exception); the second subject is
# past what the load files carry (cut there, whole on the pages).
write("08-long-subject.eml", eml(9, [("Subject", "long " + "subject " * 1_600_000)], "short body\r\n"))
write("08b-subject.eml", eml(17, [("Subject", "long " + "subject " * 6_000)], "short body\r\n"))

# A clean message and a clean text file: these must still go out as natives.
write("00-clean.eml", eml(11, [("Subject", "minutes")], "The minutes are attached to the agenda.\r\n"))
write("00-clean.txt", "Nothing sensitive in this note.\n")

# 8. Archive entries named with one character, and a lone x.gz.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    for name in ["x", ".", "\u00e9", "a/b"]:
        z.writestr(name, f"entry {name}\n")
write("09-odd-names.zip", buf.getvalue())
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w") as t:
    for name in ["y", "\u00e9"]:
        data = f"tar entry {name}\n".encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
write("10-odd-names.tar", tbuf.getvalue())
import gzip
write("x.gz", gzip.compress(b"gzipped text\n", mtime=0))

# 10. Detector evasion: format characters, look-alike dashes, a glued prefix, a fullwidth at
# sign, a number split by a header fold, adjacent encoded-words, an address as a Message-ID.
zw = plant("601\u200b-15-0006")
dash = plant("555\u2011601\u20110008")
glued = plant("ssn601-15-0007")
wide = plant("evader\uff20example.org")
write("14-evasion.eml", eml(12, [("Subject", "numbers"), ("Content-Type", "text/plain; charset=utf-8")],
                            f"SSN {zw}\r\nPhone {dash}x123\r\n{glued}\r\nMail {wide}\r\n"))
plant("31-5021")
write("15-folded.eml", eml(13, [("Subject", "case 321-\r\n 31-5021")], "See subject.\r\n"))
plant("401-66-7007")
write("16-encoded-words.eml", eml(14, [("Subject", "=?utf-8?q?401-66?= =?utf-8?q?-7007?=")], "See subject.\r\n"))
leaky = plant("leaky.person@example.org")
write("17-leaky-sender.eml", eml(15, [("From", f"Leaky <{leaky}>"), ("Subject", "hello")], "Hello.\r\n"))
write("18-leaky-id.eml", eml(16, [("Message-ID", f"<{leaky}>"), ("Subject", "id")], "Plain body.\r\n"))

# 9. A file name that is not UTF-8, a NUL in a header, bare CR line endings.
write(b"11-latin1-\xe9t\xe9.txt", "plain text in a Latin-1 named file\n")
write("12-nul-header.eml", eml(10, [("Subject", "before\x00after")], "body after a NUL subject\r\n"))
write("13-bare-cr.eml", ("From: Clerk 11 <clerk11@records.test>\rTo: Desk <desk@records.test>\r"
                         "Subject: bare cr subject\rDate: Mon, 01 Apr 2024 10:00:00 +0000\r\r"
                         "bare cr body line\r"))

with open(os.path.join(root, "planted.txt"), "w") as f:
    f.write("\n".join(planted) + "\n")

# The rules: the pattern detectors, with the corpus's own staff addresses released so that a
# message is clean unless something hostile is hidden in it (and so may go out as a native).
staff = [f"clerk{n}@records.test" for n in range(1, 12)] + ["desk@records.test"]
with open(os.path.join(root, "rules.yml"), "w") as f:
    f.write("name: hostile\ndetectors:\n")
    for d in ["email", "phone", "ssn"]:
        f.write(f'  {d}: ["(b)(6)"]\n')
    f.write("allow:\n" + "".join(f'  - "{a}"\n' for a in staff))
