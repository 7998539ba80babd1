"""Low-level MIME writing: RFC 2047 encoded words, RFC 2231 parameters, header folding,
transfer encodings and a tiny MIME tree renderer.

We do not use email.generator on purpose: it picks random boundaries and re-folds
headers its own way.  Writing the bytes ourselves keeps the output deterministic and
lets us plant exactly the encodings we want (Q vs B, iso-8859-1 vs UTF-8, ...).
All output uses LF line endings; containers convert a copy to CRLF when wanted.
"""
import base64
import binascii
import hashlib
from urllib.parse import quote

# Characters that may stay literal inside a Q-encoded word used in a phrase (RFC 2047 5(3)).
_Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def _q(data):
    out = []
    for b in data:
        if b == 0x20:
            out.append("_")
        elif b in _Q_SAFE:
            out.append(chr(b))
        else:
            out.append("=%02X" % b)
    return "".join(out)


def encode_words(text, charset="utf-8", enc="Q"):
    """Encode text as one or more RFC 2047 encoded words (each <= 75 chars), space separated.

    Chunks are cut on character boundaries and each chunk is encoded on its own, which
    also keeps stateful charsets (iso-2022-jp) self-contained per word.
    """
    label = charset.upper()

    def word(chunk):
        raw = chunk.encode(charset)
        payload = _q(raw) if enc == "Q" else base64.b64encode(raw).decode("ascii")
        return f"=?{label}?{enc}?{payload}?="

    words, chunk = [], ""
    for ch in text:
        if chunk and len(word(chunk + ch)) > 75:
            words.append(word(chunk))
            chunk = ""
        chunk += ch
    if chunk:
        words.append(word(chunk))
    return " ".join(words)


def needs_encoding(text):
    return any(ord(c) > 126 for c in text)


def phrase(name, charset="", enc="Q"):
    """A display name as it appears in an address header."""
    if charset or needs_encoding(name):
        return encode_words(name, charset or "utf-8", enc)
    if any(c in name for c in ',.;:@"()<>[]'):
        return '"' + name.replace('"', '\\"') + '"'
    return name


def address(name, email, charset="", enc="Q"):
    if not name:
        return email
    return f"{phrase(name, charset, enc)} <{email}>"


def rfc2231(filename, charset="UTF-8"):
    """filename*=UTF-8''R%C3%A9sum%C3%A9.txt (RFC 2231 extended parameter)."""
    return f"{charset}''" + quote(filename.encode(charset.lower()), safe="")


def fold(name, value, width=76):
    """Fold 'Name: value' at spaces (never inside a quoted string) to keep lines short."""
    line = f"{name}: "
    out = []
    tokens, cur, in_quote = [], "", False
    for ch in value:
        if ch == '"':
            in_quote = not in_quote
        if ch == " " and not in_quote:
            tokens.append(cur)
            cur = ""
        else:
            cur += ch
    tokens.append(cur)
    first = True
    for tok in tokens:
        if first:
            line += tok
            first = False
        elif len(line) + 1 + len(tok) > width:
            out.append(line)
            line = "\t" + tok
        else:
            line += " " + tok
    out.append(line)
    return "\n".join(out) + "\n"


def encode_body(data, cte):
    """Apply a Content-Transfer-Encoding to bytes (LF newlines in, LF newlines out)."""
    if cte == "base64":
        return base64.encodebytes(data)
    if cte == "quoted-printable":
        enc = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
        return enc if enc.endswith(b"\n") else enc + b"\n"
    return data if data.endswith(b"\n") else data + b"\n"


def boundary_for(seed):
    """Deterministic MIME boundary derived from a stable seed string."""
    h = hashlib.sha1(seed.encode("utf-8")).hexdigest()
    return f"----=_Part_{h[:8]}_{h[8:20]}"


class Part:
    """One MIME entity.  Leaf parts carry already-encoded body bytes; multiparts carry children.

    params are preformatted strings (e.g. 'charset="utf-8"', "filename*=UTF-8''x.txt") so the
    caller controls quoting exactly.
    """

    def __init__(self, ctype, params=(), body=b"", parts=None, cte=None, headers=(),
                 boundary=None, preamble="This is a multi-part message in MIME format.\n"):
        self.ctype = ctype
        self.params = list(params)
        self.body = body
        self.parts = parts
        self.cte = cte
        self.headers = list(headers)   # (name, value) pairs after Content-Type
        self.boundary = boundary
        self.preamble = preamble

    def header_bytes(self):
        params = list(self.params)
        if self.parts is not None:
            params.append(f'boundary="{self.boundary}"')
        ct = self.ctype + "".join(";\n\t" + p for p in params)
        out = f"Content-Type: {ct}\n"
        if self.cte:
            out += f"Content-Transfer-Encoding: {self.cte}\n"
        for name, value in self.headers:
            out += fold(name, value) if "\n" not in value else f"{name}: {value}\n"
        return out.encode("ascii")

    def body_bytes(self):
        if self.parts is None:
            return self.body
        out = self.preamble.encode("ascii") if self.preamble else b""
        for p in self.parts:
            out += b"\n--" + self.boundary.encode() + b"\n" + p.render()
        return out + b"\n--" + self.boundary.encode() + b"--\n"

    def render(self):
        return self.header_bytes() + b"\n" + self.body_bytes()


def text_part(text, subtype="plain", charset="utf-8", cte="quoted-printable", headers=(),
              label=None, format_flowed=False):
    """A text/* leaf.  label is the charset name written in the header (e.g. 'windows-1252')."""
    params = [f'charset="{label or charset}"']
    if format_flowed:
        params.append("format=flowed")
    return Part(f"text/{subtype}", params, encode_body(text.encode(charset), cte), cte=cte,
                headers=headers)


def attachment_part(filename, data, ctype, cte="base64", charset=None, rfc2231_name=False,
                    inline=False):
    """An attachment leaf.  Non-ASCII names get both an RFC 2047 name= (Outlook style) and
    an RFC 2231 filename*= (standards style), which is what real mailers send."""
    params = [f'charset="{charset}"'] if charset else []
    disp = "inline" if inline else "attachment"
    if needs_encoding(filename) or rfc2231_name:
        params.append(f'name="{encode_words(filename, "utf-8", "B")}"')
        disp += f"; filename*={rfc2231(filename)}"
    else:
        params.append(f'name="{filename}"')
        disp += f'; filename="{filename}"'
    return Part(ctype, params, encode_body(data, cte), cte=cte,
                headers=[("Content-Disposition", disp)])
