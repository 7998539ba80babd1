"""Reads .msg files back (on top of cfb_read) to verify them: property stream header sizes,
every variable-size entry against its stream (size + NUL rule), recipient / attachment counts
against the header, embedded messages recursively.  Also yields the decoded text used by the
PII self-check."""
import struct

from . import cfb_read

STRING_TYPES = {0x001F, 0x001E}
# Left out of the visible text, like the non-address headers of an .eml: Message-ID,
# In-Reply-To and the raw transport headers.
HIDDEN = {0x1035, 0x1042, 0x007D}


class MsgError(ValueError):
    pass


def _need(cond, msg):
    if not cond:
        raise MsgError(msg)


def _props(tree, base, header_size, codepage=None):
    raw = tree.get(base + "__properties_version1.0")
    _need(raw is not None, f"{base}: no property stream")
    _need((len(raw) - header_size) % 16 == 0, f"{base}: property stream length {len(raw)} "
                                               f"does not fit a {header_size}-byte header")
    head = raw[:header_size]
    props, pending = {}, []
    for off in range(header_size, len(raw), 16):
        tag, flags = struct.unpack_from("<II", raw, off)
        ptype = tag & 0xFFFF
        name = f"__substg1.0_{tag:08X}"
        if ptype in (0x001F, 0x001E, 0x0102):
            size = struct.unpack_from("<I", raw, off + 8)[0]
            data = tree.get(base + name)
            _need(data is not None, f"{base}{name}: listed but no stream")
            extra = {0x001F: 2, 0x001E: 1, 0x0102: 0}[ptype]
            _need(size == len(data) + extra, f"{base}{name}: size {size} for {len(data)} bytes")
            pending.append((tag, data))
        elif ptype == 0x000D:
            _need(struct.unpack_from("<I", raw, off + 8)[0] == 0xFFFFFFFF, f"{base}: object size")
            _need(base + name + "/" in tree, f"{base}{name}: object storage missing")
            props[tag] = base + name + "/"
        elif ptype == 0x0003:
            props[tag] = struct.unpack_from("<i", raw, off + 8)[0]
        elif ptype == 0x000B:
            props[tag] = raw[off + 8] != 0
        elif ptype == 0x0040:
            props[tag] = struct.unpack_from("<Q", raw, off + 8)[0]
        else:
            raise MsgError(f"{base}: unexpected property type {ptype:#06x}")
    cp = codepage or props.get(0x3FFD0003, 1252)
    for tag, data in pending:
        ptype = tag & 0xFFFF
        if ptype == 0x001F:
            _need(len(data) % 2 == 0, f"{base}: odd UTF-16 length")
            props[tag] = data.decode("utf-16-le")
        elif ptype == 0x001E:
            props[tag] = data.decode("utf-8" if cp == 65001 else f"cp{cp}")
        else:
            props[tag] = data
    # Every __substg1.0_ stream directly in this storage must be listed in the property stream.
    for path in tree:
        rest = path[len(base):]
        if path.startswith(base) and rest.startswith("__substg1.0_") and "/" not in rest.rstrip("/"):
            tag = int(rest[12:20], 16)
            _need(tag in props, f"{base}{rest}: stream not listed in the property stream")
    return head, props


def _children(tree, base, prefix):
    names = sorted({p[len(base):].split("/")[0] for p in tree
                    if p.startswith(base + prefix) and p[len(base):].count("/") >= 1})
    for i, n in enumerate(names):
        _need(n == f"{prefix}{i:08X}", f"{base}: object storages not numbered 0..n-1 ({n})")
    return [base + n + "/" for n in names]


def read_message(tree, base="", top=True):
    head, props = _props(tree, base, 32 if top else 24)
    _, next_r, next_a, n_r, n_a = struct.unpack_from("<8sIIII", head)
    cp = props.get(0x3FFD0003, 1252)
    recips = [_props(tree, r, 8, cp)[1] for r in _children(tree, base, "__recip_version1.0_#")]
    atts = []
    for a in _children(tree, base, "__attach_version1.0_#"):
        ap = _props(tree, a, 8, cp)[1]
        if ap.get(0x37050003) == 5:
            inner = a + "__substg1.0_3701000D/"
            _need(inner in tree, f"{a}: embedded message storage missing")
            _need(not any(p.startswith(inner + "__nameid_version1.0") for p in tree),
                  f"{inner}: named-property storage inside an embedded message")
            ap["embedded"] = read_message(tree, inner, top=False)
        atts.append(ap)
    _need((n_r, n_a) == (len(recips), len(atts)), f"{base or '/'}: header counts {n_r}/{n_a}, "
                                                  f"found {len(recips)}/{len(atts)}")
    _need(next_r >= n_r and next_a >= n_a, f"{base or '/'}: next ids below counts")
    if top:
        _need("__nameid_version1.0/" in tree, "top-level message without __nameid_version1.0")
    return {"props": props, "recipients": recips, "attachments": atts}


def read(data):
    return read_message(cfb_read.read(data))


def texts(m):
    """Every decoded string property of the message, its recipients and attachments (attached
    text files decoded as UTF-8), recursing into embedded messages."""
    out = [v for t, v in sorted(m["props"].items())
           if t & 0xFFFF in STRING_TYPES and v and t >> 16 not in HIDDEN]
    for r in m["recipients"]:
        out += [v for t, v in sorted(r.items()) if t & 0xFFFF in STRING_TYPES and v]
    for a in m["attachments"]:
        out += [v for t, v in sorted((k, v) for k, v in a.items() if isinstance(k, int))
                if t & 0xFFFF in STRING_TYPES and v]
        data = a.get(0x37010102)
        if data is not None and str(a.get(0x370E001F, a.get(0x370E001E, ""))).startswith("text/"):
            out.append(data.decode("utf-8"))
        if "embedded" in a:
            out += texts(a["embedded"])
    return [t.replace("\r\n", "\n") for t in out]


def count_messages(m):
    return 1 + sum(count_messages(a["embedded"]) for a in m["attachments"] if "embedded" in a)
