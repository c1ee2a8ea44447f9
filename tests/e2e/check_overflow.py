#!/usr/bin/env python3
"""Nothing past the margin: the type area and the columns of a rendered
statement, read back with pdftotext -bbox and the content streams.

Usage: check_overflow.py DRAFT.xml OUT.pdf LAYOUT TEMPLATE.xml [--page-ends]

With --page-ends, only the page ends are checked (for drafts whose other
checks are made elsewhere: the stress drafts in every layout).

  - every word inside the type area: between the side margins (an opening
    bracket's blank half em may lie before a line, a reduced comma's after
    it), below the top margin; below the bottom margin only the footer;
  - in the parallel layout, no word of the body crosses the gutter;
  - no two words printed over each other;
  - no page (no column of the parallel layout) ends with a line that
    hyphenation broke;
  - every paragraph's text, in both languages, is in the PDF (an emergency
    break loses nothing);
  - every signature rule is at least as long as the longest line under it
    and no longer than its column.
"""
import html
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
import templates  # noqa: E402
import drafttext  # noqa: E402
from pdftext import _data, _objects  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith("--")]
page_ends_only = "--page-ends" in sys.argv
draft_path, pdf_path, layout, template_path = args[:4]
tag = f"{draft_path} [{layout}, {os.path.basename(template_path)}]"
tpl = templates.load(template_path)
m = {k: tpl.get(k, 0) for k in ("top", "bottom", "left", "right", "footer", "gutter",
                                "signature-gap", "signature-space")}
width, height = templates.length("210mm"), templates.length("297mm")
failures = 0


def report(name, passed, why=""):
    global failures
    failures += not passed
    print(("ok - " if passed else "not ok - ") + f"{tag}: {name}" + ("" if passed else f": {why}"))


def squash(text):
    # Typographic quotes read as the ASCII ones a draft may type (smart quotes).
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFC", text))


def em(word):
    lang = "ja" if any(unicodedata.east_asian_width(c) in "WF" for c in word) else "en"
    return float(tpl[(lang, "style", "body")]["size"])


bbox = subprocess.run(["pdftotext", "-bbox", pdf_path, "-"], capture_output=True,
                      text=True).stdout
pages = [[(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
          re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                     r'yMax="([\d.]+)">(.*?)</word>', page)]
         for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S)]
watermarks = {tpl[(lang, "text", "watermark")] for lang in ("en", "ja")
              if (lang, "text", "watermark") in tpl}
measure = width - m["left"] - m["right"]
column = (measure - m["gutter"]) / 2
left_end, right_start = m["left"] + column, m["left"] + column + m["gutter"]

# --- no hyphen at a page end ---------------------------------------------------------
# A reader turning the page must not carry half a word over: the last line
# of each page (of each column in the parallel layout), above the footer,
# ends neither with a hyphen that hyphenation added (pdftotext reads it as
# a soft hyphen, U+00AD) nor at a compound's own ("capacity-").
page_end_hyphens = []
for page_no, words in enumerate(pages, 1):
    words = [w for w in words if w[4] not in watermarks and w[3] <= height - m["bottom"] + 1]
    halves = [[w for w in words if w[0] < (left_end + right_start) / 2],
              [w for w in words if w[0] >= (left_end + right_start) / 2]] \
        if layout == "parallel" else [words]
    for column_words in halves:
        if not column_words:
            continue
        foot = max(w[3] for w in column_words)
        last_line = sorted((w for w in column_words if foot - w[3] < em(w[4]) / 2),
                           key=lambda w: w[0])
        if last_line[-1][4].endswith(("\u00ad", "-")):
            page_end_hyphens.append((page_no, " ".join(w[4] for w in last_line[-3:])))
report("no page ends with a hyphenated line (in any column)", not page_end_hyphens,
       f"(page, line's end): {page_end_hyphens[:5]}")
if page_ends_only:
    sys.exit(1 if failures else 0)

outside, crossing, overlaps = [], [], []
for page_no, words in enumerate(pages, 1):
    words = [w for w in words if w[4] not in watermarks]
    body = [w for w in words if w[3] <= height - m["bottom"] + 1]
    for x0, y0, x1, y1, w in words:
        reach = 1 + (em(w) / 2 if w[-1:] in "、。，．」』）】〕" else 0)
        lead = 1 + (em(w) / 2 if w[:1] in "「『（【〔" else 0)
        if x0 < m["left"] - lead or x1 > width - m["right"] + reach or y0 < m["top"] - 1:
            outside.append((page_no, w, round(x0, 1), round(x1, 1)))
    if layout == "parallel":
        # The signature block spans both columns: only the text above the
        # first "For …" formula keeps to its column.
        formula = tpl[("en", "text", "for-party")].split()[0]
        sig = min([y0 for x0, y0, x1, y1, w in body if w == formula] or [height])
        # As at the margins: the blank halves of brackets and reduced commas.
        lead_of = lambda w: em(w) / 2 if w[:1] in "「『（【〔" else 0  # noqa: E731
        reach_of = lambda w: em(w) / 2 if w[-1:] in "、。，．」』）】〕" else 0  # noqa: E731
        crossing += [(page_no, w) for x0, y0, x1, y1, w in body
                     if y0 < sig - 1 and x1 > left_end + 0.5 + reach_of(w)
                     and x0 < right_start - 0.5 - lead_of(w)]
    words.sort(key=lambda b: b[1])
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b[1] >= a[3] - 0.5:
                break
            # A closing bracket's blank half holds the comma after it
            # (JLREQ 3.1.6: "）、" is set solid): no overlap of ink.
            left, right = (a, b) if a[0] <= b[0] else (b, a)
            blank = em(left[4]) / 2 if left[4][-1:] in "、。，．」』）】〕" else 0
            if (min(a[2], b[2]) - max(a[0], b[0]) > 0.5 + blank
                    and min(a[3], b[3]) - max(a[1], b[1]) > 0.5):
                overlaps.append((page_no, a[4], b[4]))
report("no word outside the type area", not outside, f"{outside[:5]}")
if layout == "parallel":
    report("no word crosses the gutter", not crossing, f"{crossing[:5]}")
report("no two words printed over each other", not overlaps, f"{overlaps[:5]}")

# --- text: nothing lost -----------------------------------------------------------
def raw_text(x, w):
    return squash(subprocess.run(["pdftotext", "-raw", "-x", str(x), "-y", "0", "-W", str(w),
                                  "-H", str(int(height - m["bottom"])), pdf_path, "-"],
                                 capture_output=True, text=True).stdout)


draft = ET.parse(draft_path).getroot()
langs = {"sequential": ["en", "ja"], "parallel": ["en", "ja"], "en": ["en"], "ja": ["ja"]}[layout]
if layout == "parallel":
    split = int(left_end + m["gutter"] / 2)
    texts = {"en": raw_text(0, split), "ja": raw_text(split, 596 - split)}
else:
    texts = {lang: raw_text(0, 596) for lang in langs}
texts = {lang: drafttext.without_notes(draft, tpl, t, squash) for lang, t in texts.items()}
wanted = [(lang, squash(drafttext.text_of(draft, tpl, p.find(lang), lang)))
          for p in draft.iter("p") for lang in langs]
missing = [t[:30] for lang, t in wanted if t not in texts[lang]]
report("every paragraph's text is in the PDF", not missing, f"{missing[:3]}")

# --- signature rules ----------------------------------------------------------------
doc, objects = _objects(pdf_path)
short = []
rules = 0
for page_no, page in enumerate(doc["pages"], 1):
    stream = "".join(_data(objects, ref) for ref in page["contents"])
    segments = [tuple(map(float, s)) for s in re.findall(
        r"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l", stream)]
    horizontal = [(x0, height - y0, x1) for x0, y0, x1, y1 in segments if abs(y0 - y1) < 0.01 and x1 > x0]
    words = pages[page_no - 1]
    for x0, y, x1 in horizontal:
        # The short rule over a page's footnotes: a third of the measure or
        # of a parallel column.
        if any(abs((x1 - x0) - w / 3) < 0.5 for w in (measure, (measure - m["gutter"]) / 2)):
            continue
        same_row = sorted(r[0] for r in horizontal if abs(r[1] - y) < 0.01)
        per_row = len(same_row)
        col = (measure - m["signature-gap"] * (per_row - 1)) / per_row
        # The lines right under the rule, one after the other, in its column.
        mine = [w for w in words if x0 - 1 <= w[0] < x0 + col and w[1] > y]
        bottom, longest = y + 4, x0
        for w in sorted(mine, key=lambda w: w[1]):
            if w[1] > bottom + 8:
                break
            bottom, longest = max(bottom, w[3]), max(longest, w[2])
        if longest == x0:
            continue  # a rule of the page (the parallel column rule), not a signature's
        # A signature rule has room to sign above it; a table's rules have
        # their rows' text right above (or nothing above on their page).
        above = [w for w in words if w[3] <= y + 0.5 and w[0] < x1 and w[2] > x0]
        if not above or y - max(w[3] for w in above) < m["signature-space"] - 2:
            continue
        rules += 1
        if x1 < min(longest, x0 + col) - 0.5 or x1 > x0 + col + 0.5:
            short.append((page_no, round(x1 - x0, 1), round(longest - x0, 1), round(col, 1)))
report(f"every signature rule ({rules}) covers the longest line under it, within its column",
       not short, f"(page, rule, longest line, column): {short[:4]}")
sys.exit(1 if failures else 0)
