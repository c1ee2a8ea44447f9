#!/usr/bin/env python3
"""End-to-end checks of a rendered statement, with poppler-utils and qpdf.

Usage: check_pdf.py DRAFT.xml OUT.pdf LAYOUT TEMPLATE.xml
Prints one line per check, "ok - ..." or "not ok - ...: why".
"""
import html
import json
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

draft_path, pdf_path, layout, template_path = sys.argv[1:5]
results = []


def check(name, passed, why=""):
    results.append((name, passed))
    print(("ok - " if passed else "not ok - ") + name + ("" if passed else ": " + why))


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def squash(text):
    """The text without any white space, NFC: how paragraphs are compared.
    Soft hyphens (U+00AD) are the hyphens kyodo breaks English words at:
    invisible in the text, as PDF defines them. Typographic quotes read as the
    ASCII ones the draft may type (smart quotes: conventions.sh checks them)."""
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFC", text))


tag = f"{draft_path} [{layout}]"
langs = {"sequential": ["en", "ja"], "parallel": ["en", "ja"], "en": ["en"], "ja": ["ja"]}[layout]
draft = ET.parse(draft_path).getroot()
sys.path.insert(0, __import__("os").path.dirname(__file__))
import templates  # noqa: E402
import drafttext  # noqa: E402

tpl = templates.load(template_path)
margins = {k: tpl.get(k, 0) for k in ("top", "bottom", "left", "right", "footer", "gutter")}
watermarks = {tpl[(lang, "text", "watermark")] for lang in ("en", "ja")
              if (lang, "text", "watermark") in tpl}
formulas = {lang: tpl[(lang, "text", "for-party")] for lang in ("en", "ja")}

# --- fonts: every font embedded, subset, with a ToUnicode map -------------
fonts = run("pdffonts", pdf_path)
rows = [l.split() for l in fonts.stdout.splitlines()[2:] if l.strip()]
bad = [r[0] for r in rows if r[-5:-2] != ["yes", "yes", "yes"]]
check(f"{tag}: pdffonts shows every font embedded, subset, with ToUnicode",
      fonts.returncode == 0 and rows and not bad, f"{bad or fonts.stdout}")

check(f"{tag}: pdffonts prints no warnings", fonts.stderr == "", fonts.stderr[:200])
text_run = run("pdftotext", pdf_path, "-")
check(f"{tag}: pdftotext prints no warnings (kyodo's own ToUnicode maps)",
      text_run.stderr == "", text_run.stderr[:200])

# --- structure ---------------------------------------------------------------
qpdf = run("qpdf", "--check", pdf_path)
check(f"{tag}: qpdf --check passes",
      qpdf.returncode == 0 and "No syntax or stream encoding errors" in qpdf.stdout,
      qpdf.stdout + qpdf.stderr)

# --- text: every paragraph of each language, exactly -----------------------
pages_text = run("pdftotext", pdf_path, "-").stdout.split("\f")
pages_text = [p for p in pages_text if p.strip()]


def raw_text(x, w):
    """The text in content-stream order (kyodo draws lines in reading
    order), of a column of every page, above the footers: -raw also keeps a
    hard hyphen at a line end, which the default mode would take for a
    hyphenation and drop."""
    height = str(int(841.89 - margins["bottom"]))
    return squash(run("pdftotext", "-raw", "-x", str(x), "-y", "0", "-W", str(w), "-H", height,
                      pdf_path, "-").stdout)


full = raw_text(0, 596)
if layout == "parallel":
    # Each column read on its own, page after page: a paragraph that runs
    # onto the next page continues in the same column there.
    half = (595.28 - margins["left"] - margins["right"] - margins["gutter"]) / 2
    split = int(margins["left"] + half + margins["gutter"] / 2)
    full += raw_text(0, split) + raw_text(split, 596 - split)


def text_of(element, lang, copy=None):
    return drafttext.text_of(draft, tpl, element, lang, copy)


def note_mark(lang, note):
    return drafttext.note_mark(draft, tpl, lang, note)


note_numbers = drafttext.note_numbers(draft)


def texts(lang):
    out = []
    party_parts = {id(e) for p in draft.find("parties").iter("party") for e in p}
    done = draft.find("done")
    done_parts = {id(e) for e in done} if done is not None else set()
    for parent in draft.iter():
        child = parent.find(lang)
        if child is not None and parent.tag not in ("party", "statement"):
            if id(parent) in party_parts or id(parent) in done_parts:
                continue  # names, short names and governments are printed inside
                # the template's formulas ("For …"), the closing formula's parts in it
            out.append(text_of(child, lang))
            out += [text_of(note, lang) for note in child.iter("note")]
    return out


# The notes at a page's foot come between the lines of a paragraph that
# runs onto the next page: the paragraphs are looked for without them.
body_text = drafttext.without_notes(draft, tpl, full, squash)
missing = []
for lang in langs:
    for t in texts(lang):
        if squash(t) not in full and squash(t) not in body_text:
            missing.append(t.strip()[:60])
check(f"{tag}: pdftotext recovers every paragraph of {'+'.join(langs)} exactly",
      not missing, f"missing: {missing[:3]}")

# The other language is absent from a single-language layout.
for other in {"en", "ja"} - set(langs):
    leaked = [t for t in texts(other) if len(squash(t)) > 12 and squash(t) in full]
    check(f"{tag}: no {other} paragraph in a {layout} layout", not leaked, f"{leaked[:2]}")

# Footnotes: each at the foot of the page its mark is on (the word before
# the mark, the mark, and the note's first words on one page), below the
# page's text.
notes = [(lang, e, note) for lang in langs for e in draft.iter(lang) for note in e.iter("note")]
if notes:
    misplaced = []
    for lang, element, note in notes:
        before = re.sub(r"\s+", " ", text_of(element, lang).split(note_mark(lang, note))[0])
        # The word before the mark: Japanese has no spaces, so its last five characters.
        word = before.split(" ")[-1] if lang == "en" else before[-5:]
        ref = squash(word + note_mark(lang, note))
        start = squash(text_of(note, lang))[:12]
        ref_pages = [i for i, p in enumerate(pages_text) if ref in squash(p)]
        note_pages = [i for i, p in enumerate(pages_text) if start in squash(p)]
        if not ref_pages or ref_pages[:1] != note_pages[:1]:
            misplaced.append((lang, note_numbers[id(note)], ref_pages, note_pages))
        elif layout != "parallel":  # (pdftotext interleaves the columns' lines)
            # Under the page's text: no line of the page below the note's first.
            lines = [squash(l) for l in pages_text[ref_pages[0]].splitlines() if l.strip()]
            at = next(i for i, l in enumerate(lines) if start in l or l in start)
            text_after = [l for l in lines[at + 1:] if len(l) > 0]
            body_after = [l for l in text_after
                          if not any(re.sub(r"^注?\d+", "", l) in squash(text_of(n, g))
                                     for g, _, n in notes)
                          and not re.fullmatch(r"(Page\d+of\d+|\d+／\d+|注?\d+)", l)]
            if body_after:
                misplaced.append((lang, note_numbers[id(note)], "text under it", body_after[:1]))
    check(f"{tag}: every footnote ({len(notes)}) at the foot of its mark's page",
          not misplaced, f"{misplaced[:3]}")

# Signature formula from the template around each government's name.
if draft.find("signatures") is not None:
    for lang in langs:
        parties = {p.get("id"): p for p in draft.find("parties").iter("party")}
        wanted = [formulas[lang].replace("{government}", "".join(
            parties[s.get("party")].find("government").find(lang).itertext()))
            for s in draft.iter("signatory")]
        absent = [w for w in wanted if squash(w) not in full]
        check(f"{tag}: signature block has each party's '{formulas[lang]}' line ({lang})",
              not absent, f"{absent}")

# Sequential: English pages first, Japanese from a new page.
if layout == "sequential":
    title_ja = squash(text_of(draft.find("title").find("ja"), "ja"))
    first_ja = next((i for i, p in enumerate(pages_text) if title_ja in squash(p)), None)
    title_en = squash(text_of(draft.find("title").find("en"), "en"))
    check(f"{tag}: Japanese starts on a new page after the English",
          first_ja is not None and first_ja > 0 and title_en in squash(pages_text[0])
          and squash(pages_text[first_ja]).startswith(title_ja)
          and not any(title_ja in squash(p) for p in pages_text[:first_ja]),
          f"Japanese title on page {first_ja}")

# All text and rules in DeviceGray: no RGB or CMYK operator in any content stream.
qdf = subprocess.run(["qpdf", "--qdf", "--coalesce-contents", "--object-streams=disable", pdf_path, "-"],
                     capture_output=True).stdout.decode("latin-1")
colour = re.findall(r"^[\d.\s]+ (rg|RG|k|K|sc|SC|scn|SCN|cs|CS)$", qdf, re.M)
check(f"{tag}: only DeviceGray colour operators", not colour, f"{sorted(set(colour))}")

# --- geometry: words inside the margins, none printed over another ---------
def size_em(word):
    """The body size of the language a word is in (an em, in points)."""
    lang_code = "ja" if any(unicodedata.east_asian_width(c) in "WF" for c in word) else "en"
    return float(tpl[(lang_code, "style", "body")]["size"])


bbox = run("pdftotext", "-bbox", pdf_path, "-").stdout
outside, overlaps, footers = [], [], []
for page_no, page in enumerate(re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                                          bbox, re.S), 1):
    width, height, body = float(page[0]), float(page[1]), page[2]
    words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                        r'yMax="([\d.]+)">(.*?)</word>', body)]
    bottom = height - margins["bottom"]
    footer_words = []
    # Watermarks are large rotated words across the page, behind the text.
    words = [wd for wd in words if wd[4] not in watermarks]
    for x0, y0, x1, y1, w in words:
        # A line-end comma or bracket whose half-em space was reduced keeps
        # its full advance in the word box: its ink is inside the margin.
        reach = 1 + (size_em(w) / 2 if w[-1:] in "、。，．」』）】〕" else 0)
        # Likewise an opening bracket at a line start: its blank half em lies
        # in the margin (JLREQ sets the bracket flush).
        lead = 1 + (size_em(w) / 2 if w[:1] in "「『（【〔" else 0)
        if x0 < margins["left"] - lead or x1 > width - margins["right"] + reach or y0 < margins["top"] - 1:
            outside.append((page_no, w))
        elif y1 > bottom + 1:
            # Only the footer may stand below the text area: the page number
            # and, on drafts, the draft line under it.
            below = y1 - (height - margins["footer"])
            if below < -4 or below > 4 + 12:
                outside.append((page_no, w))
            footer_words.append(w)
    footers.append("".join(footer_words))
    words.sort(key=lambda b: b[1])
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b[1] >= a[3] - 0.5:
                break
            # A closing bracket's blank half holds the comma after it
            # (JLREQ 3.1.6: "）、" is set solid): no overlap of ink.
            left = a if a[0] <= b[0] else b
            blank = (left[3] - left[1]) / 2 if left[4][-1:] in "、。，．」』）】〕" else 0
            if (min(a[2], b[2]) - max(a[0], b[0]) > 0.5 + blank
                    and min(a[3], b[3]) - max(a[1], b[1]) > 0.5):
                overlaps.append((page_no, a[4], b[4]))
check(f"{tag}: no word outside the page margins", not outside, f"{outside[:5]}")
check(f"{tag}: no two words printed over each other", not overlaps, f"{overlaps[:5]}")
check(f"{tag}: every page has a footer with its page number",
      all(re.search(r"\d", f) for f in footers), f"{footers}")

# --- parallel: rows share baselines, nothing crosses the gutter ------------
from pdftext import placed_runs, placed_text  # noqa: E402


if layout == "parallel":
    width = 595.28
    measure = width - margins["left"] - margins["right"]
    column = (measure - margins["gutter"]) / 2
    left_end = margins["left"] + column
    right_start = left_end + margins["gutter"]
    # The signature block spans both columns by design: only the rows above
    # it must keep out of the gutter.
    # (A word's string ends in the word space drawn after it.)
    shown = [(p, x, y, t.rstrip(" ")) for p, x, y, t in placed_text(pdf_path)]
    formula = formulas["en"].split()[0]
    sig_page = max((p for p, x, y, t in shown if t == formula), default=10**6)
    sig_y = max((y for p, x, y, t in shown if t == formula and p == sig_page), default=-1)
    crossing = [(p, w) for p, page in enumerate(re.findall(
        r"<page [^>]*>(.*?)</page>", bbox, re.S), 1)
        for w, a, b, y in [(html.unescape(w), float(a), float(c), float(d))
                           for a, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page)]
        if b > left_end + 0.5 and a < right_start - 0.5 - (size_em(w) / 2 if w[:1] in "「『（【〔" else 0)
        and (p < sig_page or (p == sig_page and 841.89 - y > sig_y + 12))]
    check(f"{tag}: no text crosses the gutter", not crossing, f"{crossing[:5]}")
    # Paragraph numbers ("1.", "(1)", "1．", "（1）") stand at a column's
    # start, left of the text's indent; the k-th number of the left column
    # and the k-th of the right one label the same pair.
    indent = min(float(tpl.get((lang, "parallel-style", "body"), tpl[(lang, "style", "body")])
                       .get("indent", "20").rstrip("pt")) for lang in ("en", "ja"))
    def depth_of(element):
        return max((1 + depth_of(c) for c in element if c.tag == "section"), default=0)
    section_depth = depth_of(draft)
    zones = {}
    for page, x, y, text in shown:
        for left_col, start in ((True, margins["left"]), (False, right_start)):
            if start - 12 <= x < start + indent - 1:
                zones.setdefault((page, left_col, round(y, 2)), []).append((x, text))
    labels = {}
    counters = {True: 0, False: 0}
    for (page, left_col, y), parts in sorted(zones.items(), key=lambda z: (z[0][0], -z[0][2])):
        parts.sort()
        label = "".join(t for _, t in parts)
        start = margins["left"] if left_col else right_start
        # Bare numbers only where the template numbers sections so ("1 目的").
        # (levels the draft's sections reach only).
        bare = any(re.fullmatch(r"\{n\}", tpl.get((lg, "text", name), ""))
                   for lg in ("en", "ja")
                   for name in ("section-number", "section-number-2",
                                "section-number-3")[:section_depth])
        pattern = r"[(（]?\d+[).．）]" + ("?" if bare else "")
        if re.fullmatch(pattern, label) and start - 6 <= parts[0][0] <= start + 0.01:
            counters[left_col] += 1
            labels.setdefault(counters[left_col], []).append((page, left_col, y))
    unaligned = [n for n, places in labels.items()
                 if len(places) != 2 or places[0][0] != places[1][0] or places[0][2] != places[1][2]
                 or places[0][1] == places[1][1]]
    check(f"{tag}: each paragraph pair starts on one baseline in both columns "
          f"({len(labels)} pairs)", labels and not unaligned, f"pairs {unaligned[:5]}: "
          f"{[labels[n] for n in unaligned[:3]]}")
    first = [min((s for s in shown if s[0] == 1 and (s[1] < right_start - 1) == left), key=lambda s: -s[2])
             for left in (True, False)]
    check(f"{tag}: the titles share a baseline", abs(first[0][2] - first[1][2]) < 0.01,
          f"{first}")

# --- lists: markers right-aligned per level, items paired on one baseline ---
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"


def bijective(digits, n):
    out = ""
    while n > 0:
        n, r = divmod(n - 1, len(digits))
        out = digits[r] + out
    return out


def roman(n):
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def circled(n):
    if n <= 20:
        return chr(0x2460 + n - 1)
    if n <= 35:
        return chr(0x3251 + n - 21)
    return chr(0x32B1 + n - 36) if n <= 50 else f"({n})"


def marker(lang, text_name, n):
    values = {"n": str(n), "a": bijective("abcdefghijklmnopqrstuvwxyz", n),
              "A": bijective("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n), "roman": roman(n),
              "kana": bijective(KANA, n), "iroha": bijective(IROHA, n), "circled": circled(n)}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], tpl[(lang, "text", text_name)])


def list_markers(lang):
    """(depth, marker) of every list item in document order: <list> items,
    and a section's bare <item>s (the template's item-number, else alpha)."""
    out = []

    def walk(element, depth):
        for child in element:
            if child.tag == "list":
                style = child.get("style", "bullet")
                for n, item in enumerate(child.findall("item"), 1):
                    out.append((depth + 1, marker(lang, "list-" + style, n)))
                    walk(item, depth + 1)
            elif child.tag == "section":
                n = 0
                for part in child:
                    if part.tag == "item":
                        n += 1
                        name = "item-number" if (lang, "text", "item-number") in tpl else "list-alpha"
                        out.append((1, marker(lang, name, n)))
                        walk(part, 1)
                    else:
                        n = 0 if part.tag == "p" else n
                        walk([part], 0) if part.tag in ("list", "section") else walk(part, 0)
            elif child.tag in ("p", "preamble"):
                walk(child, depth)
    walk(draft, 0)
    return out


def list_style(lang):
    key = "parallel-style" if layout == "parallel" else "style"
    base = dict(tpl.get((lang, "style", "list"), tpl[(lang, "style", "body")]))
    if layout == "parallel":
        base.update(tpl.get((lang, "parallel-style", "list"),
                            tpl.get((lang, "parallel-style", "body"), {})))
    del key
    return float(base["indent"].rstrip("pt")), float(base["size"])


expected_markers = {lang: list_markers(lang) for lang in langs}
if any(expected_markers.values()):
    runs = placed_runs(pdf_path)
    measure = 595.28 - margins["left"] - margins["right"]
    half = (measure - margins["gutter"]) / 2
    column_x = {"en": margins["left"], "ja": margins["left"]}
    if layout == "parallel":
        first_page = [r for r in runs if r[0] == 1]
        en_title = squash(text_of(draft.find("title").find("en"), "en"))[:4]
        left_is_en = any(r[1] < margins["left"] + half and r[3].startswith(en_title[:2])
                         for r in first_page[:5])
        column_x = {"en": margins["left"] if left_is_en else margins["left"] + half + margins["gutter"],
                    "ja": margins["left"] + half + margins["gutter"] if left_is_en else margins["left"]}
    found = {}
    start = 0
    for lang in langs:
        indent, size = list_style(lang)
        x0 = column_x[lang]
        width = half if layout == "parallel" else measure
        mine = [r for r in runs if x0 - 1 <= r[1] < x0 + width]
        if layout == "sequential":
            mine = runs[start:]
        placed, i = [], 0
        for depth, text in expected_markers[lang]:
            lo, hi = x0 + (depth - 1) * indent, x0 + (depth + 1) * indent
            hit = None
            while i < len(mine) and hit is None:
                page, x, y, t, w = mine[i]
                # A marker is the first string drawn on its line: the same
                # character inside a heading's or a paragraph's text is none.
                first = i == 0 or mine[i - 1][:1] != (page,) or mine[i - 1][2] != y
                if lo <= x < hi and text.startswith(t) and first:
                    j, joined, right = i, "", x
                    while j < len(mine) and mine[j][0] == page and mine[j][2] == y and len(joined) < len(text):
                        joined += mine[j][3]
                        right = mine[j][1] + mine[j][4]
                        j += 1
                    if joined == text and j < len(mine) and mine[j][2] == y:
                        hit = (page, y, right, mine[j][1])
                        i = j
                        continue
                i += 1
            placed.append((depth, text, hit))
        if layout == "sequential":
            start += i
        found[lang] = placed
        missing = [t for d, t, h in placed if h is None]
        check(f"{tag}: every list marker of {lang} is drawn in its level's indent "
              f"({len(placed)} items)", not missing, f"not found: {missing[:5]}")
        bad = []
        for depth in sorted({d for d, t, h in placed}):
            # A Japanese closing bracket or middle dot ends a marker with
            # blank space the typesetter does not count at a line's end
            # (JLREQ): their advance is no measure of their right edge, so
            # only the text after them is checked.
            edges = [h[2] for d, t, h in placed if d == depth and h and t[-1:] not in "）」』】〕・"]
            want = x0 + (depth + 1) * indent - size / 2
            bad += [(depth, round(e, 2), round(want, 2)) for e in edges if abs(e - want) > 0.05]
            starts = [h[3] for d, t, h in placed if d == depth and h]
            bad += [(depth, "text at", round(s_, 2)) for s_ in starts
                    if abs(s_ - (x0 + (depth + 1) * indent)) > 0.05 and s_ > x0 + (depth + 1) * indent + 1]
        check(f"{tag}: list markers of {lang} end half an em before the text, level by level",
              not bad, f"{bad[:5]}")
    if layout == "parallel":
        unpaired = [(a[1], b[1], a[2][:2], b[2][:2]) for a, b in zip(found["en"], found["ja"])
                    if not a[2] or not b[2] or a[2][0] != b[2][0] or abs(a[2][1] - b[2][1]) > 0.01]
        check(f"{tag}: each list item and its counterpart start on one baseline "
              f"({len(found['en'])} pairs)", not unpaired, f"{unpaired[:3]}")

# --- tables: head rows at the top of every page a table runs onto ----------
def page_texts(page):
    """A page's text in drawing order: the whole page, and in the parallel
    layout each column on its own (a table wider than a column spans it)."""
    height = str(int(841.89 - margins["bottom"]))

    def one(x, w):
        return squash(run("pdftotext", "-raw", "-f", str(page), "-l", str(page), "-x", str(x),
                          "-y", "0", "-W", str(w), "-H", height, pdf_path, "-").stdout)
    out = [one(0, 596)]
    if layout == "parallel":
        out += [one(0, split), one(split, 596 - split)]
    return out


def cell_text(cell, lang):
    own = cell.find(lang)
    return squash(text_of(own, lang) if own is not None else text_of(cell, lang))


tables = list(draft.iter("table"))
if tables:
    all_pages = [page_texts(n + 1) for n in range(len(pages_text))]
for number, table in enumerate(tables, 1):
    rows = table.findall("row")
    head_rows = [r for r in rows if r.get("head") == "yes"]
    body_rows = [r for r in rows if r.get("head") != "yes"]
    for lang in langs:
        head = "".join(cell_text(c, lang) for r in head_rows for c in r.findall("cell"))
        # Each body row by its cells' text, drawn cell after cell: rows are
        # never split, so it shows whole on the one page its row stands on.
        marks = ["".join(cell_text(c, lang) for c in r.findall("cell")) for r in body_rows]
        marks = [m for m in marks if len(m) >= 6]
        on, bad = [], []
        for n, variants in enumerate(all_pages, 1):
            holding = [v for v in variants if any(m in v for m in marks)]
            if not holding:
                continue
            on.append(n)
            continued = len(on) > 1

            def headed(v):
                first = min(v.find(m) for m in marks if m in v)
                at = v.find(head)
                return 0 <= at < first and (not continued or at == 0)
            if head and not any(headed(v) for v in holding):
                bad.append(n)
        check(f"{tag}: table {number} ({lang}) shows its head rows at the top of each of its "
              f"pages ({len(on)} pages)", on and not bad, f"pages {bad} of {on}")

# Horizontal rules (tables', signatures') stay inside the type area too;
# change bars, vertical, stand in the margin by design.
stray = []
for number, body in enumerate(re.split(r"%% Contents for page \d+", qdf)[1:], 1):
    body = body.split("endstream")[0]
    for x1, y1, x2, y2 in re.findall(r"^([\d.]+) ([\d.]+) m\n([\d.]+) ([\d.]+) l$", body, re.M):
        x1, y1, x2, y2 = map(float, (x1, y1, x2, y2))
        if abs(y1 - y2) < 0.01 and (min(x1, x2) < margins["left"] - 0.5
                                    or max(x1, x2) > 595.28 - margins["right"] + 0.5
                                    or y1 < margins["bottom"] - 0.5
                                    or y1 > 841.89 - margins["top"] + 0.5):
            stray.append((number, round(x1, 1), round(y1, 1), round(x2, 1)))
check(f"{tag}: every horizontal rule lies inside the type area", not stray, f"{stray[:5]}")

# --- annexes: each on a page of its own, under its label -------------------
annexes = list(draft.iter("annex"))
for number, annex in enumerate(annexes, 1):
    for lang in langs:
        name = "annex-number" if len(annexes) > 1 else "annex"
        label = squash(tpl.get((lang, "text", name), "").replace("{n}", str(number)))
        title = squash(text_of(annex.find("title").find(lang), lang))
        starts = [n for n, variants in enumerate(all_pages if tables else
                                                 [page_texts(k + 1) for k in range(len(pages_text))], 1)
                  if any(v.startswith(label + title) for v in variants)]
        check(f"{tag}: annex {number} ({lang}) starts a page, under '{label}'", len(starts) == 1,
              f"pages {starts}")
    # Each annex title is an outline entry of its own (level 0), per language.
    titles = {squash(e["title"]) for e in json.loads(run(
        "qpdf", "--json", "--json-key=outlines", pdf_path).stdout)["outlines"]}
    absent = [lang for lang in langs
              if squash(text_of(annex.find("title").find(lang), lang)) not in titles]
    check(f"{tag}: annex {number}'s title is a top outline entry in {'+'.join(langs)}",
          not absent, f"missing in {absent}")

# --- outline: each language's title, its headings nested by section level --
def outline_expected(lang):
    """(depth, text) of the title and of every heading, in document order:
    a heading's depth is its section's level (1 for a top section's)."""
    out = [(0, squash(text_of(draft.find("title").find(lang), lang)))]

    def walk(element, level):
        for child in element:
            if child.tag == "section":
                heading = child.find("heading")
                if heading is not None:
                    out.append((level, squash(text_of(heading.find(lang), lang))))
                walk(child, level + 1)
    walk(draft, 1)
    return out


outline = json.loads(run("qpdf", "--json", "--json-key=outlines", pdf_path).stdout)["outlines"]


def flatten(entries, depth):
    for entry in entries:
        yield depth, squash(entry["title"])
        yield from flatten(entry["kids"], depth + 1)


for lang in langs:
    want = outline_expected(lang)
    # The title's entry may carry the template's provisional mark after it.
    root = next((e for e in outline if squash(e["title"]).startswith(want[0][1])), None)
    got = list(flatten([root], 0)) if root else []
    check(f"{tag}: the outline has {lang}'s title and its {len(want) - 1} headings in order, "
          f"nested by section level", root is not None and len(got) == len(want) and all(
              g[0] == w[0] and (g[1] == w[1] or (d == 0 and g[1].startswith(w[1])))
              for d, (g, w) in enumerate(zip(got, want))),
          f"got {got[:6]}, want {want[:6]}")

# --- preamble: recitals unnumbered, their text where the template puts it --
recitals = {lang: [text_of(p.find(lang), lang) for pre in draft.iter("preamble")
                   for p in pre.findall("p") if p.find(lang) is not None] for lang in langs}
if any(recitals.values()):
    runs = placed_runs(pdf_path)
    measure = 595.28 - margins["left"] - margins["right"]
    half = (measure - margins["gutter"]) / 2
    right_start = margins["left"] + half + margins["gutter"]
    for lang in langs:
        own = tpl.get((lang, "style", "preamble"))
        indent = 0.0
        if own is not None:
            attrs = dict(own)
            if layout == "parallel":
                attrs.update(tpl.get((lang, "parallel-style", "preamble"), {}))
            indent = templates.length(attrs.get("indent", "0"))
        bad = []
        for text in recitals[lang]:
            want = squash(text)
            hit = None
            for i, (page, x, y, t, w) in enumerate(runs):
                joined, j = "", i
                while j < len(runs) and runs[j][0] == page and runs[j][2] == y:
                    joined += squash(runs[j][3])
                    j += 1
                    if len(joined) >= min(len(want), 12):
                        break
                if joined and want.startswith(joined) and len(joined) >= min(len(want), 12):
                    hit = (page, x, y)
                    break
            if hit is None:
                bad.append(("not found", want[:20]))
                continue
            page, x, y = hit
            columns = [margins["left"]] + ([right_start] if layout == "parallel" else [])
            start = max(c for c in columns if c <= x + 0.01)
            left = [t for p_, x_, y_, t, w in runs
                    if p_ == page and y_ == y and start - 1 <= x_ < x - 0.01]
            if left:
                bad.append(("numbered", "".join(left), want[:20]))
            elif abs(x - (start + indent)) > 0.05:
                bad.append(("at", round(x - start, 2), "not", indent, want[:20]))
        check(f"{tag}: the preamble's {len(recitals[lang])} recitals of {lang} are unnumbered, "
              f"their text at the preamble's indent", not bad, f"{bad[:3]}")

# --- status marks: a watermark on every page of a draft, none on a final ----
# Watermarks are drawn as light gray outlines (0.85 g), not as text.
qdf_pages = re.split(r"%% Contents for page \d+", qdf)[1:]
pages_total = len(qdf_pages)
marked = {i + 1 for i, body in enumerate(qdf_pages) if re.search(r"^0\.85 g$", body.split("endstream")[0], re.M)}
if draft.get("status", "final") == "final":
    check(f"{tag}: a final statement has no watermark", not marked, f"pages {sorted(marked)}")
else:
    check(f"{tag}: every page of a draft has its watermark", len(marked) == pages_total,
          f"{len(marked)} of {pages_total} pages")
    if layout == "parallel":
        # Each language's mark lies over its own column: the centre of the
        # first shape (the left column's) left of the page's middle.
        sides = []
        for body in qdf_pages:
            stream = body.split("endstream")[0]
            shapes = re.findall(r"^0\.85 g$(.*?)^f$", stream, re.M | re.S)
            centres = []
            for shape in shapes:
                xs = [float(x) for x, _ in re.findall(r"^(-?[\d.]+) (-?[\d.]+) [mlc]$", shape, re.M)]
                if xs:
                    centres.append(sum(xs) / len(xs))
            if len(centres) == 2:
                sides.append(centres[0] < centres[1])
        check(f"{tag}: each language's watermark lies over its own column",
              sides and all(sides), f"{sides}")

sys.exit(0 if all(p for _, p in results) else 1)
