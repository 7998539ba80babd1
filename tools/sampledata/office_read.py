"""Independent readers for the office/PDF attachments, used only by the self-checks: DOCX
(<w:t> runs per paragraph + core properties), XLSX (shared strings, inline strings, numbers),
PDF (checks the xref offsets, inflates streams, collects the text of Tj/TJ operators) and RTF
(control words dropped, \\'hh decoded as cp1252, \\par as a line break)."""
import io
import re
import zipfile
import zlib
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/pdf": "pdf", "application/rtf": "rtf", "text/rtf": "rtf",
}


def _core(zf):
    if "docProps/core.xml" not in zf.namelist():
        return []
    return [t for t in ET.fromstring(zf.read("docProps/core.xml")).itertext() if t.strip()]


def _package(zf, main):
    types = zf.read("[Content_Types].xml").decode("utf-8")
    rels = zf.read("_rels/.rels").decode("utf-8")
    if f'PartName="/{main}"' not in types or f'Target="{main}"' not in rels:
        raise ValueError(f"OOXML package does not declare {main}")


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        _package(zf, "word/document.xml")
        root = ET.fromstring(zf.read("word/document.xml"))
        paras = ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]
        return ["\n".join(paras)] + _core(zf)


def xlsx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        _package(zf, "xl/workbook.xml")
        shared = ["".join(t.text or "" for t in si.iter(S + "t"))
                  for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).iter(S + "si")]
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        out = [s.get("name") for s in book.iter(S + "sheet")]
        for name in sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")):
            for row in ET.fromstring(zf.read(name)).iter(S + "row"):
                cells = []
                for c in row.iter(S + "c"):
                    kind, v = c.get("t"), c.find(S + "v")
                    if kind == "s":
                        cells.append(shared[int(v.text)])
                    elif kind == "inlineStr":
                        cells.append("".join(t.text or "" for t in c.iter(S + "t")))
                    elif v is not None:
                        cells.append(v.text)
                out.append("\t".join(cells))
        return out + _core(zf)


def _pdf_objects(data):
    """{obj number: bytes} after checking every xref offset points at 'N 0 obj'."""
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not m:
        raise ValueError("PDF without startxref")
    xref = int(m.group(1))
    if not data.startswith(b"xref", xref):
        raise ValueError("startxref does not point at the xref table")
    head = re.match(rb"xref\s+0 (\d+)\s+", data[xref:])
    count, pos, objs = int(head.group(1)), xref + head.end(), {}
    for i in range(count):
        entry = data[pos + 20 * i:pos + 20 * (i + 1)]
        off, gen, kind = int(entry[:10]), int(entry[11:16]), entry[17:18]
        if kind == b"n":
            if not data.startswith(b"%d %d obj" % (i, gen), off):
                raise ValueError(f"xref offset of object {i} is wrong")
            end = data.index(b"endobj", off)
            objs[i] = data[off:end]
    return objs


def _pdf_strings(content):
    out, i = [], 0
    while True:
        j = content.find(b"(", i)
        if j < 0:
            return out
        depth, k, buf = 1, j + 1, bytearray()
        while depth:
            c = content[k:k + 1]
            if c == b"\\":
                nxt = content[k + 1:k + 2]
                buf += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
                k += 2
                continue
            depth += {b"(": 1, b")": -1}.get(c, 0)
            if depth:
                buf += c
            k += 1
        after = content[k:k + 8].lstrip()
        if after.startswith((b"Tj", b"'", b'"')) or b"TJ" in content[k:content.find(b"\n", k)]:
            out.append(bytes(buf).decode("cp1252"))
        i = k


def pdf_info(data):
    """{'text': [lines], 'images': n, 'fonts': n} for a PDF."""
    text, images, fonts = [], 0, 0
    for body in _pdf_objects(data).values():
        if b"/Subtype /Image" in body:
            images += 1
        if b"/Type /Font" in body:
            fonts += 1
        m = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
        if m and b"/Subtype /Image" not in body:
            raw = zlib.decompress(m.group(1)) if b"/FlateDecode" in body else m.group(1)
            if b"BT" in raw:
                text += _pdf_strings(raw)
    return {"text": text, "images": images, "fonts": fonts}


def pdf_text(data):
    return pdf_info(data)["text"]


def rtf_text(data):
    s = data.decode("ascii")
    s = re.sub(r"\{\\(?:fonttbl|info|colortbl|stylesheet)(?:[^{}]|\{[^{}]*\})*\}", "", s)
    s = re.sub(r"\\par\b ?", "\n", s)
    s = re.sub(r"\\'([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]).decode("cp1252"), s)
    keep = {"\\": "\ue000", "{": "\ue001", "}": "\ue002"}
    s = re.sub(r"\\([\\{}])", lambda m: keep[m.group(1)], s)
    s = re.sub(r"\\[a-z]+-?\d* ?", "", s)
    s = s.replace("{", "").replace("}", "").replace("\r\n", "")
    for ch, mark in keep.items():
        s = s.replace(mark, ch)
    return [s.strip()]


def texts(ctype, data):
    kind = TYPES.get(ctype)
    if kind is None:
        return []
    return {"docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_text, "rtf": rtf_text}[kind](data)
