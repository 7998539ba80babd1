"""Office and PDF attachment payloads written by hand (standard library only, byte-stable):
a DOCX and an XLSX (OOXML zips with [Content_Types].xml, _rels/.rels, core properties), a
PDF 1.4 with a real text layer (Helvetica Type1, BT/Tf/Td/Tj/ET, exact xref offsets), a
"scanned" PDF whose only page content is an image XObject (no text at all), and an RTF."""
import random
import zlib
from xml.sax.saxutils import escape

from .attachments import zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _core(title, creator, when):
    return (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(creator)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>").encode("utf-8")


def _rels(items):
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return (XML_HEAD + f'<Relationships xmlns="{PKG_REL}">{body}</Relationships>').encode("utf-8")


def _types(overrides):
    body = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>')
    body += "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + body + "</Types>").encode("utf-8")


CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def docx(paragraphs, title, creator, when):
    """paragraphs: list of str, or (style, str) with style 'b' for a bold run."""
    ps = []
    for p in paragraphs:
        bold, t = (True, p[1]) if isinstance(p, tuple) else (False, p)
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        space = ' xml:space="preserve"' if t != t.strip() else ""
        ps.append(f"<w:p><w:r>{rpr}<w:t{space}>{escape(t)}</w:t></w:r></w:p>")
    doc = (XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>' + "".join(ps)
           + '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>')
    return zip_bytes([
        ("[Content_Types].xml", _types([("/word/document.xml", DOCX_TYPE + ".main+xml"),
                                        ("/docProps/core.xml", CORE_TYPE)])),
        ("_rels/.rels", _rels([("rId1", OFFICE_DOC, "word/document.xml"), ("rId2", CORE_REL, "docProps/core.xml")])),
        ("docProps/core.xml", _core(title, creator, when)),
        ("word/document.xml", doc.encode("utf-8")),
    ])


def _col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(sheet_name, rows, title, creator, when, inline=()):
    """rows: list of lists of str/int.  Strings go to sharedStrings.xml, except cells whose
    (row, col) is in `inline`, which are written as inline strings (t="inlineStr")."""
    shared, index, xml_rows = [], {}, []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            ref = f"{_col(c)}{r + 1}"
            if isinstance(v, int):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif (r, c) in inline:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
            else:
                if v not in index:
                    index[v] = len(shared)
                    shared.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
        xml_rows.append(f'<row r="{r + 1}">' + "".join(cells) + "</row>")
    count = sum(1 for row in rows for v in row if isinstance(v, str)) - len(inline)
    sst = (XML_HEAD + f'<sst xmlns="{S_NS}" count="{count}" uniqueCount="{len(shared)}">'
           + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared) + "</sst>")
    sheet = (XML_HEAD + f'<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}"><sheetData>' + "".join(xml_rows)
             + "</sheetData></worksheet>")
    book = (XML_HEAD + f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets>'
            f'<sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return zip_bytes([
        ("[Content_Types].xml", _types([("/xl/workbook.xml", f"{main}.sheet.main+xml"),
                                        ("/xl/worksheets/sheet1.xml", f"{main}.worksheet+xml"),
                                        ("/xl/sharedStrings.xml", f"{main}.sharedStrings+xml"),
                                        ("/docProps/core.xml", CORE_TYPE)])),
        ("_rels/.rels", _rels([("rId1", OFFICE_DOC, "xl/workbook.xml"), ("rId2", CORE_REL, "docProps/core.xml")])),
        ("docProps/core.xml", _core(title, creator, when)),
        ("xl/workbook.xml", book.encode("utf-8")),
        ("xl/_rels/workbook.xml.rels", _rels([
            ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
             "worksheets/sheet1.xml"),
            ("rId2", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
             "sharedStrings.xml")])),
        ("xl/worksheets/sheet1.xml", sheet.encode("utf-8")),
        ("xl/sharedStrings.xml", sst.encode("utf-8")),
    ])


def _pdf(objects, info):
    """objects: list of bytes bodies for objects 1..n (1 must be the catalog).  Appends an
    Info dictionary and writes a classic xref table with exact offsets."""
    objects = list(objects) + [info]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _stream(dict_entries, data):
    return f"<< {dict_entries} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding with (, ) and \\ escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(lines, title, author, date):
    """One Letter page; each line is its own BT /F1 12 Tf 72 y Td (…) Tj ET block."""
    content = b"".join(b"BT /F1 12 Tf 72 %d Td " % (720 - 16 * i) + pdf_string(l) + b" Tj ET\n"
                       for i, l in enumerate(lines))
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream("", content),
    ], b"<< /Title " + pdf_string(title) + b" /Author " + pdf_string(author) +
       b" /Producer (disclose SampleData) /CreationDate (D:" + date.encode() + b") >>")


def scan_image(seed, width=170, height=220):
    """Grey 'scanned page': paper noise, dark bars where typed lines would be, a signature
    scrawl near the bottom.  8-bit DeviceGray, deterministic from its own RNG."""
    rng = random.Random(seed)
    rows = []
    for y in range(height):
        row = bytearray()
        line = 20 <= y < 150 and (y - 20) % 9 < 4
        for x in range(width):
            v = 235 + rng.randrange(-12, 12)
            if line and 18 <= x < 18 + (120 + ((y * 7) % 30)):
                v = 60 + rng.randrange(40)
            if 170 <= y < 190 and 30 <= x < 110 and abs((y - 180) - int(8 * ((x % 17) / 8.5 - 1))) < 2:
                v = 30
            row.append(max(0, min(255, v)))
        rows.append(bytes(row))
    return b"".join(rows), width, height


def scanned_pdf(seed, date):
    """A PDF whose page shows only an image XObject: no font, no text operator."""
    pixels, w, h = scan_image(seed)
    img = _stream(f"/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
                  f"/BitsPerComponent 8 /Filter /FlateDecode", zlib.compress(pixels, 9))
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        img,
        _stream("", content),
    ], b"<< /Producer (ScanStation 3000) /CreationDate (D:" + date.encode() + b") >>")


def rtf(paragraphs):
    """{\\rtf1\\ansi …} with \\par between paragraphs; non-ASCII cp1252 as \\'hh escapes."""
    def enc(t):
        out = []
        for ch in t:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            else:
                out.append("\\'%02x" % ch.encode("cp1252")[0])
        return "".join(out)
    body = "\\par\r\n".join(enc(p) for p in paragraphs)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}\r\n"
            "{\\info{\\title Letter}}\\viewkind4\\uc1\\pard\\f0\\fs22 " + body + "\\par\r\n}\r\n").encode("ascii")
