"""The strings a PDF's content streams show, decoded through each font's
ToUnicode map, with their page and text position: exact baselines for the
end-to-end checks (pdftotext's boxes depend on each font's descent).
kyodo draws each string with `1 0 0 1 x y Tm <hex> Tj` after `/Fn size Tf`."""
import base64
import json
import re
import subprocess


def _objects(pdf):
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                          "--decode-level=generalized", pdf], capture_output=True, text=True).stdout
    doc = json.loads(out)
    return doc, doc["qpdf"][1]


def _data(objects, ref):
    stream = objects["obj:" + ref]["stream"]
    return base64.b64decode(stream.get("data", "")).decode("latin-1")


def _to_unicode(objects, font_ref):
    font = objects["obj:" + font_ref]["value"]
    ref = font.get("/ToUnicode")
    table = {}
    if ref:
        for code, uni in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", _data(objects, ref)):
            table[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    return table


def placed_text(pdf):
    """[(page, x, y, text)] in drawing order (placed_runs without widths)."""
    return [(page, x, y, text) for page, x, y, text, _ in placed_runs(pdf)]


def _widths(objects, font_ref):
    """A Type0 font's glyph advances (thousandths of the size) by code,
    from its descendant CIDFont's /W array (c [w1 w2 …] and c1 c2 w runs)."""
    font = objects["obj:" + font_ref]["value"]
    descendants = font.get("/DescendantFonts", [])
    if isinstance(descendants, str):
        descendants = objects["obj:" + descendants]["value"]
    table = {}
    for ref in descendants:
        cid = objects["obj:" + ref]["value"]
        table["default"] = cid.get("/DW", 1000)
        w = cid.get("/W", [])
        if isinstance(w, str):
            w = objects["obj:" + w]["value"]
        i = 0
        while i < len(w):
            if isinstance(w[i + 1], list):
                for k, width in enumerate(w[i + 1]):
                    table[w[i] + k] = width
                i += 2
            else:
                for code in range(w[i], w[i + 1] + 1):
                    table[code] = w[i + 2]
                i += 3
    return table


def placed_runs(pdf):
    """[(page, x, y, text, width)] in drawing order: placed_text with each
    string's advance width in points (kyodo sets no character spacing on
    labels and markers, so the advances are the width)."""
    return [run[:5] for run in styled_runs(pdf)]


def styled_runs(pdf):
    """[(page, x, y, text, width, size, font, advances, mcid)]: placed_runs
    with each string's size, its font's /BaseFont (ABCDEF+LiberationSerif-
    Bold), the advance of each of its characters in points, character
    spacing (Tc) included (where the next glyph is drawn, as the reader
    moves on), and the MCID of the marked-content sequence it is in (-1 in
    an artifact, None outside any: an untagged PDF).
    text holds what the string shows, word spaces too: a word's string ends
    in the space drawn after it ("the "), and a line's last space may be a
    string of its own."""
    doc, objects = _objects(pdf)
    shown = []
    for page in doc["pages"]:
        number = page["pageposfrom1"]
        resources = objects["obj:" + page["object"]]["value"].get("/Resources", {})
        if isinstance(resources, str):
            resources = objects["obj:" + resources]["value"]
        fonts = resources.get("/Font", {})
        if isinstance(fonts, str):
            fonts = objects["obj:" + fonts]["value"]
        maps = {name: (_to_unicode(objects, ref), _widths(objects, ref),
                       objects["obj:" + ref]["value"].get("/BaseFont", ""))
                for name, ref in fonts.items()}
        current, widths, size, base = {}, {}, 0.0, ""
        # Character spacing is graphics state: each stream (the page's, its
        # footer's) starts without it, as kyodo writes them.
        for ref in page["contents"]:
            spacing, mcid = 0.0, None
            for m in re.finditer(r"(/\S+) ([\d.]+) Tf|(?<![\d.])([-\d.]+) Tc\b|"
                                 r"1 0 0 1 ([-\d.]+) ([-\d.]+) Tm\s*<([0-9A-Fa-f]*)> Tj|"
                                 r"<</MCID (\d+)>> BDC|(/Artifact\b)|\b(EMC)\b",
                                 _data(objects, ref)):
                if m.group(7) or m.group(8) or m.group(9):
                    mcid = int(m.group(7)) if m.group(7) else -1 if m.group(8) else None
                    continue
                if m.group(1):
                    current, widths, base = maps.get(m.group(1), ({}, {}, ""))
                    size = float(m.group(2))
                    continue
                if m.group(3):
                    spacing = float(m.group(3))
                    continue
                raw = bytes.fromhex(m.group(6))
                codes = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
                text = "".join(current.get(c, "\ufffd") for c in codes)
                advances = [widths.get(c, widths.get("default", 1000)) * size / 1000 + spacing
                            for c in codes]
                width = sum(widths.get(c, widths.get("default", 1000)) for c in codes) * size / 1000
                shown.append((number, float(m.group(4)), float(m.group(5)), text, width, size, base,
                              advances, mcid))
    return shown
