"""Deterministic synthetic mbox for the benchmark: realistic mix of plain, HTML, QP, base64
attachments and legacy charsets, so neither side gets an easy ride."""
import base64
import random
import sys

WORDS = ("retention policy records schedule parley messaging agency review counsel request disclosure "
         "archive backup custodian meeting draft memo budget vendor contract audit deadline report "
         "café naïve résumé über").split()


def body(r, n):
    lines = []
    for _ in range(n):
        lines.append(" ".join(r.choice(WORDS) for _ in range(r.randint(6, 14))))
    return "\n".join(lines)


def message(r, i):
    frm = f"user{r.randint(1, 400)}@dpr.example.gov"
    to = ", ".join(f"user{r.randint(1, 400)}@dpr.example.gov" for _ in range(r.randint(1, 4)))
    day = 1 + i % 28
    head = (f"From: Person {i % 97} <{frm}>\nTo: {to}\nSubject: Item {i} {r.choice(WORDS)}\n"
            f"Date: Tue, {day:02d} Mar 2024 09:{i % 60:02d}:00 +0900\nMessage-ID: <bench{i}@dpr.example.gov>\n"
            "MIME-Version: 1.0\n")
    kind = i % 5
    text = body(r, r.randint(10, 40))
    if kind == 0:
        return head + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + text + "\n"
    if kind == 1:
        html = "<html><body>" + "".join(f"<p>{l}</p>" for l in text.split("\n")) + "</body></html>"
        return (head + 'Content-Type: multipart/alternative; boundary="alt"\n\n--alt\n'
                "Content-Type: text/plain; charset=utf-8\n\n" + text + "\n--alt\nContent-Type: text/html; charset=utf-8\n\n"
                + html + "\n--alt--\n")
    if kind == 2:
        att = base64.encodebytes(bytes(r.getrandbits(8) for _ in range(r.randint(2000, 12000)))).decode()
        return (head + 'Content-Type: multipart/mixed; boundary="mix"\n\n--mix\nContent-Type: text/plain; charset=utf-8\n\n'
                + text + '\n--mix\nContent-Type: application/octet-stream; name="data.bin"\n'
                'Content-Disposition: attachment; filename="data.bin"\nContent-Transfer-Encoding: base64\n\n' + att + "--mix--\n")
    if kind == 3:
        latin = text.encode("iso-8859-1", "replace")
        return head + "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(latin).decode()
    qp = text.replace("=", "=3D")
    return head + "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n" + qp + "\nFrom the desk\n"


def main(path, megabytes):
    r = random.Random(20240305)
    target = megabytes * 1024 * 1024
    written = 0
    i = 0
    with open(path, "wb") as f:
        while written < target:
            m = message(r, i).encode("utf-8", "replace")
            m = b"\n".join(b">" + l if l.startswith(b"From ") else l for l in m.split(b"\n"))
            chunk = b"From bench@dpr.example.gov Tue Mar  5 09:24:00 2024\n" + m + b"\n"
            f.write(chunk)
            written += len(chunk)
            i += 1
    print(i)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
