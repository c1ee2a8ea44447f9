#!/usr/bin/python3
"""The PDF/A-2u properties of a kyodo PDF that a machine can check, read with
pikepdf (Debian's python3-pikepdf, hence /usr/bin/python3).

Usage:
  check_pdfa.py FILE.pdf...       every rule below; "ok - pdfa FILE" or
                                  "not ok - pdfa FILE: rule: why" per file
  check_pdfa.py --none FILE.pdf   a --standard none file: none of it
  check_pdfa.py --self-test GOOD.pdf TMPDIR
                                  breaks GOOD.pdf one rule at a time (with
                                  pikepdf, or in its bytes) and checks that
                                  each broken copy fails for that rule, and
                                  that GOOD.pdf rewritten unbroken passes

Rules (ISO 19005-2 clause in brackets): header %PDF-1.7; XMP metadata
stream, uncompressed, parseable, pdfaid:part 2 and conformance U [6.6.2,
6.6.4]; each /Info entry equal to its XMP twin, dates as the same instant
[6.6.3]; a Japanese title among dc:title's alternatives when the document
has one; /ViewerPreferences /DisplayDocTitle true (PDF/UA, kyodo's own);
trailer /ID of two strings of the same length [6.1.3]; an OutputIntent
GTS_PDFA1 with an embedded one-component ICC profile [6.2.3]; every font
embedded (FontFile2), with ToUnicode and CIDToGIDMap, every FontDescriptor
with CapHeight [6.2.11]; no shown character code that maps to glyph 0,
.notdef [6.2.11.8]; no transparency and no LZW [6.2.10, 6.1.7].
Each failure message starts with its rule's name, which the self-test
matches.
"""
import datetime
import decimal
import os
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Name

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def pdf_date(text):
    """A PDF date (D:YYYYMMDDHHmmSSOHH'mm') as an aware datetime."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Z+-])?(\d\d)?'?(\d\d)?'?", text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(v) if v else dflt for v, dflt in zip(m.groups()[:6], (0, 1, 1, 0, 0, 0)))
    offset = datetime.timedelta(hours=int(m.group(8) or 0), minutes=int(m.group(9) or 0))
    if m.group(7) == "-":
        offset = -offset
    return datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.timezone(offset))


def xmp_date(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def has_japanese(text):
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def xmp_fields(root):
    """The XMP properties kyodo writes, as {name: text or list}."""
    fields = {}
    for desc in root.iter("{%s}Description" % NS["rdf"]):
        for prop in desc:
            alts = prop.findall("rdf:Alt/rdf:li", NS)
            seq = prop.findall("rdf:Seq/rdf:li", NS)
            if alts:
                fields[prop.tag] = {li.get(XML_LANG): li.text or "" for li in alts}
            elif seq:
                fields[prop.tag] = [li.text or "" for li in seq]
            else:
                fields[prop.tag] = prop.text or ""
    return fields


def tag(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


def check_metadata(pdf, fail):
    info = pdf.trailer.get("/Info", pikepdf.Dictionary())
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        fail("xmp", "the catalog has no /Metadata stream")
        return
    if meta.get("/Type") != Name.Metadata or meta.get("/Subtype") != Name.XML:
        fail("xmp", "/Metadata is not /Type /Metadata /Subtype /XML")
    if "/Filter" in meta:
        fail("xmp", "the XMP stream is compressed (%s)" % meta.Filter)
    try:
        root = ET.fromstring(meta.read_bytes())
    except ET.ParseError as e:
        fail("xmp", "the XMP does not parse: %s" % e)
        return
    fields = xmp_fields(root)
    part = fields.get(tag("pdfaid", "part"))
    conformance = fields.get(tag("pdfaid", "conformance"))
    if part != "2":
        fail("pdfaid", "pdfaid:part is %r, not 2" % part)
    if conformance != "U":
        fail("pdfaid", "pdfaid:conformance is %r, not U" % conformance)

    def text(key):
        value = info.get(key)
        return str(value) if value is not None else None

    titles = fields.get(tag("dc", "title"), {})
    pairs = [
        ("/Title", titles.get("x-default") if isinstance(titles, dict) else None, "dc:title x-default"),
        ("/Producer", fields.get(tag("pdf", "Producer")), "pdf:Producer"),
        ("/Creator", fields.get(tag("xmp", "CreatorTool")), "xmp:CreatorTool"),
        ("/Keywords", fields.get(tag("pdf", "Keywords")), "pdf:Keywords"),
    ]
    creators = fields.get(tag("dc", "creator"))
    pairs.append(("/Author", creators[0] if isinstance(creators, list) and len(creators) == 1 else creators,
                  "dc:creator (one entry)"))
    description = fields.get(tag("dc", "description"))
    pairs.append(("/Subject", description.get("x-default") if isinstance(description, dict) else None,
                  "dc:description x-default"))
    for key, xmp_value, name in pairs:
        if text(key) != xmp_value:
            fail("info-xmp", "/Info %s %r but XMP %s %r" % (key, text(key), name, xmp_value))
    for key, name in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        ours = text(key)
        theirs = fields.get(tag("xmp", name))
        if ours is None and theirs is None:
            continue
        a = pdf_date(ours) if ours else None
        b = xmp_date(theirs) if theirs else None
        if a is None or b is None or a != b:
            fail("dates", "/Info %s %r but XMP xmp:%s %r" % (key, ours, name, theirs))
    if text("/ModDate") and fields.get(tag("xmp", "MetadataDate")) is None:
        fail("dates", "no xmp:MetadataDate")
    japanese = [t for t in (text("/Title"), text("/Subject")) if t and has_japanese(t)]
    if japanese and (not isinstance(titles, dict) or titles.get("ja") != japanese[0]):
        fail("title-ja", "the Japanese title %r is not dc:title's ja alternative (%r)"
             % (japanese[0], titles.get("ja") if isinstance(titles, dict) else None))


def check_intent(pdf, fail):
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFA1]
    if not intents:
        fail("output-intent", "no /OutputIntents entry with /S /GTS_PDFA1")
        return
    profile = intents[0].get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        fail("output-intent", "the OutputIntent has no embedded /DestOutputProfile")
        return
    data = profile.read_bytes()
    if profile.get("/N") != 1 or data[36:40] != b"acsp" or data[16:20] != b"GRAY":
        fail("output-intent", "the profile is not a one-component (/N 1) gray ICC profile: /N %s, %r"
             % (profile.get("/N"), data[16:20]))


def cid_to_gid(cid_font):
    """A function from character code to glyph for a CIDFontType2."""
    cmap = cid_font.get("/CIDToGIDMap")
    if cmap == Name.Identity:
        return lambda code: code
    data = cmap.read_bytes()
    return lambda code: int.from_bytes(data[2 * code:2 * code + 2], "big") if 2 * code + 2 <= len(data) else 0


def check_fonts(pdf, fail):
    seen = set()
    for page_no, page in enumerate(pdf.pages, 1):
        fonts = page.Resources.get("/Font", {})
        maps = {}
        for key, font in fonts.items():
            if font.get("/Subtype") == Name.Type0:
                descendant = font.DescendantFonts[0]
                if descendant.get("/Subtype") == Name.CIDFontType2:
                    if "/CIDToGIDMap" not in descendant:
                        fail("fonts", "%s: a CIDFontType2 without /CIDToGIDMap" % key)
                    else:
                        maps[key] = cid_to_gid(descendant)
                descriptor = descendant.get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            if "/ToUnicode" not in font:
                fail("fonts", "%s has no /ToUnicode" % key)
            if descriptor is None:
                fail("fonts", "%s has no FontDescriptor" % key)
                continue
            if descriptor.objgen in seen:
                continue
            seen.add(descriptor.objgen)
            name = descriptor.get("/FontName")
            cap = descriptor.get("/CapHeight")
            if isinstance(cap, bool) or not isinstance(cap, (int, float, decimal.Decimal)) or cap <= 0:
                fail("cap-height", "%s: no /CapHeight in its FontDescriptor" % name)
            if not isinstance(descriptor.get("/FontFile2"), pikepdf.Stream):
                fail("embedded", "%s: no embedded /FontFile2" % name)
        check_glyphs(pdf, page, page_no, maps, fail)


def check_glyphs(pdf, page, page_no, maps, fail):
    """Every two-byte code shown maps to a glyph other than 0 (.notdef)."""
    font = None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "Tf":
            font = str(operands[0])
        elif op in ("Tj", "'", '"', "TJ") and font in maps:
            strings = operands[0] if op == "TJ" else [operands[-1]]
            for s in strings:
                if not isinstance(s, pikepdf.String):
                    continue
                data = bytes(s)
                for i in range(0, len(data) - 1, 2):
                    code = int.from_bytes(data[i:i + 2], "big")
                    if maps[font](code) == 0:
                        fail("notdef", "page %d: code %04X of %s is drawn as glyph 0 (.notdef)"
                             % (page_no, code, font))
                        return


def check_objects(pdf, fail):
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        filters = obj.get("/Filter") if isinstance(obj, pikepdf.Stream) else None
        names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
        if Name.LZWDecode in names:
            fail("lzw", "object %d uses /LZWDecode" % obj.objgen[0])
        if obj.get("/Type") == Name.ExtGState:
            for key in ("/CA", "/ca"):
                if key in obj and float(obj[key]) != 1.0:
                    fail("transparency", "an ExtGState has %s %s" % (key, obj[key]))
            if obj.get("/SMask", Name.None_) != Name.None_:
                fail("transparency", "an ExtGState has a soft mask")
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == Name.Transparency:
            fail("transparency", "a transparency group")


def check(path):
    failures = []
    fail = lambda rule, why: failures.append("%s: %s" % (rule, why))  # noqa: E731
    with open(path, "rb") as f:
        header = f.read(8)
    if header != b"%PDF-1.7":
        fail("header", "the header is %r, not %%PDF-1.7" % header)
    pdf = pikepdf.open(path)
    check_metadata(pdf, fail)
    if pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        fail("display-title", "no /ViewerPreferences /DisplayDocTitle true")
    if "/Lang" not in pdf.Root:
        fail("lang", "no /Lang in the catalog")
    ids = pdf.trailer.get("/ID")
    if (not isinstance(ids, pikepdf.Array) or len(ids) != 2
            or not all(isinstance(i, pikepdf.String) for i in ids)
            or len(bytes(ids[0])) != len(bytes(ids[1])) or len(bytes(ids[0])) < 16):
        fail("id", "the trailer's /ID is not two strings of the same length: %r" % (ids,))
    check_intent(pdf, fail)
    check_fonts(pdf, fail)
    check_objects(pdf, fail)
    return failures


def check_none(path):
    """A --standard none file has none of the PDF/A additions."""
    failures = []
    with open(path, "rb") as f:
        header = f.read(8)
    pdf = pikepdf.open(path)
    if header == b"%PDF-1.7":
        failures.append("header: still %PDF-1.7")
    for key in ("/Metadata", "/OutputIntents", "/ViewerPreferences"):
        if key in pdf.Root:
            failures.append("%s: present" % key)
    if "/ID" in pdf.trailer:
        failures.append("/ID: present")
    return failures


# ---- self-test: one broken copy per rule ---------------------------------

def edit_bytes(good, out, old, new):
    """Replaces old by new (the same length) in the file's bytes: for what
    qpdf would repair on saving (the trailer's /ID)."""
    data = open(good, "rb").read()
    assert len(old) == len(new) and old in data, old
    open(out, "wb").write(data.replace(old, new, 1))


def edit_xmp(pdf, old, new):
    meta = pdf.Root.Metadata
    text = meta.read_bytes().decode()
    assert old in text, old
    meta.write(text.replace(old, new).encode())


def first_descriptor(pdf):
    for _, font in pdf.pages[0].Resources.Font.items():
        return font.DescendantFonts[0].FontDescriptor


def first_font(pdf):
    return next(iter(pdf.pages[0].Resources.Font.items()))[1]


def add_gstate(pdf, gstate):
    page = pdf.pages[0]
    page.Resources.ExtGState = pikepdf.Dictionary(GS9=pdf.make_indirect(gstate))


def lzw_object(pdf):
    stream = pikepdf.Stream(pdf, b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01")
    stream.Filter = Name.LZWDecode
    pdf.Root.KyodoLzw = pdf.make_indirect(stream)


def draw_notdef(pdf):
    page = pdf.pages[0]
    key = next(iter(page.Resources.Font.keys()))
    page.contents_add(pdf.make_stream(("BT %s 12 Tf 100 100 Td <0001> Tj ET" % key).encode()))


BREAKS = [
    # (rule, what, edit of the pikepdf.Pdf)
    ("xmp", "no /Metadata", lambda p: p.Root.__delattr__("Metadata")),
    ("xmp", "XMP that does not parse", lambda p: edit_xmp(p, "</x:xmpmeta>", "</x:xmpmet")),
    ("pdfaid", "pdfaid:part 1", lambda p: edit_xmp(p, "<pdfaid:part>2<", "<pdfaid:part>1<")),
    ("pdfaid", "conformance B", lambda p: edit_xmp(p, "<pdfaid:conformance>U<", "<pdfaid:conformance>B<")),
    ("info-xmp", "/Info title differs", lambda p: setattr(p.trailer.Info, "Title", "Another title")),
    ("info-xmp", "/Info producer differs", lambda p: setattr(p.trailer.Info, "Producer", "someone else")),
    ("info-xmp", "/Info author differs", lambda p: setattr(p.trailer.Info, "Author", "nobody")),
    ("dates", "/Info date differs", lambda p: setattr(p.trailer.Info, "CreationDate", "D:20200101000000Z")),
    ("dates", "XMP date moved by an hour",
     lambda p: edit_xmp(p, "T00:00:00Z</xmp:ModifyDate>", "T01:00:00Z</xmp:ModifyDate>")),
    ("title-ja", "no ja title alternative", lambda p: edit_xmp(p, 'xml:lang="ja"', 'xml:lang="ko"')),
    ("display-title", "no DisplayDocTitle", lambda p: p.Root.__delattr__("ViewerPreferences")),
    ("lang", "no /Lang", lambda p: p.Root.__delattr__("Lang")),
    ("output-intent", "no OutputIntents", lambda p: p.Root.__delattr__("OutputIntents")),
    ("output-intent", "an OutputIntent for PDF/X",
     lambda p: setattr(p.Root.OutputIntents[0], "S", Name.GTS_PDFX)),
    ("output-intent", "a profile of /N 3",
     lambda p: setattr(p.Root.OutputIntents[0].DestOutputProfile, "N", 3)),
    ("cap-height", "a FontDescriptor without CapHeight", lambda p: first_descriptor(p).__delattr__("CapHeight")),
    ("embedded", "a font not embedded", lambda p: first_descriptor(p).__delattr__("FontFile2")),
    ("fonts", "a font without ToUnicode", lambda p: first_font(p).__delattr__("ToUnicode")),
    ("fonts", "a CIDFontType2 without CIDToGIDMap",
     lambda p: first_font(p).DescendantFonts[0].__delattr__("CIDToGIDMap")),
    ("notdef", "code 0001 shown (glyph 0)", draw_notdef),
    ("transparency", "an ExtGState with ca 0.5", lambda p: add_gstate(p, pikepdf.Dictionary(Type=Name.ExtGState, ca=0.5))),
    ("lzw", "an LZW stream", lzw_object),
]


def self_test(good, tmp):
    results = []

    def report(ok, name):
        results.append(ok)
        print(("ok" if ok else "not ok") + " - check_pdfa self-test: " + name)

    def save(pdf, out):
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)

    failures = check(good)
    report(not failures, "the good PDF passes" + ("" if not failures else ": %s" % failures))
    control = os.path.join(tmp, "control.pdf")
    save(pikepdf.open(good), control)
    failures = check(control)
    report(not failures, "the good PDF rewritten by pikepdf unbroken passes (the edits below change "
           "only what they break)" + ("" if not failures else ": %s" % failures))
    for i, (rule, what, edit) in enumerate(BREAKS):
        out = os.path.join(tmp, "broken-%d.pdf" % i)
        pdf = pikepdf.open(good)
        edit(pdf)
        save(pdf, out)
        failures = check(out)
        caught = any(f.startswith(rule + ":") for f in failures)
        report(caught, "fails on %s (%s)" % (what, rule) + ("" if caught else ": got %s" % failures))
    # The trailer by its bytes: qpdf would write a new /ID on saving.
    data = open(good, "rb").read()
    m = re.search(rb"/ID \[ <([0-9A-F]+)> <([0-9A-F]+)> \]", data)
    if not m:
        report(False, "the good PDF's trailer has an /ID to break")
    else:
        whole = m.group(0)
        for what, new in (("no /ID", b" " * len(whole)),
                          ("an /ID of two lengths",
                           b"/ID [ <" + m.group(1) + b"> <" + m.group(2)[:16] + b">" + b" " * (len(m.group(2)) - 16) + b" ]")):
            out = os.path.join(tmp, "broken-id-%d.pdf" % len(results))
            edit_bytes(good, out, whole, new)
            failures = check(out)
            caught = any(f.startswith("id:") for f in failures)
            report(caught, "fails on %s (id)" % what + ("" if caught else ": got %s" % failures))
    out = os.path.join(tmp, "broken-header.pdf")
    edit_bytes(good, out, b"%PDF-1.7", b"%PDF-1.4")
    failures = check(out)
    caught = any(f.startswith("header:") for f in failures)
    report(caught, "fails on a %PDF-1.4 header (header)" + ("" if caught else ": got %s" % failures))
    return all(results)


def main(argv):
    if argv[:1] == ["--self-test"]:
        return 0 if self_test(argv[1], argv[2]) else 1
    none = argv[:1] == ["--none"]
    status = 0
    for path in argv[1:] if none else argv:
        failures = check_none(path) if none else check(path)
        what = "pdfa --standard none" if none else "pdfa"
        if failures:
            status = 1
            print("not ok - %s %s: %s" % (what, os.path.basename(path), "; ".join(failures[:5])))
        else:
            print("ok - %s %s" % (what, os.path.basename(path)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
