#!/usr/bin/env python3
"""Word spaces in the text itself, not guessed from gaps: kyodo draws each
U+0020 of the draft as a glyph, so that text read without layout heuristics
(a screen reader, the tagged text, a reader that follows the content stream)
has it.

- The content stream, read through each font's ToUnicode map (pdftext.py,
  no heuristics): on every line, two English words that stand apart have a
  space between them, and the pieces of one word (a kerned word, a change of
  face inside it) have none; no line starts with a space nor has two in a
  row. A line's last space, where the line breaks, ends within the measure.
- The tagged text (pdfinfo -struct-text): every English text of the draft
  is there with its words separated by single spaces, across its lines and
  its <br/>s too; no text has two spaces in a row.

Usage: check_spaces.py DRAFT.xml OUT.pdf LAYOUT TEMPLATE.xml
Prints "ok - ..." / "not ok - ...: why" lines; exits 1 after a failure."""
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
import drafttext  # noqa: E402
import templates  # noqa: E402
from pdftext import styled_runs  # noqa: E402

draft_path, pdf_path, layout, template_path = sys.argv[1:5]
tag = f"{draft_path} [{layout}]"
draft = ET.parse(draft_path).getroot()
tpl = templates.load(template_path)
langs = {"sequential": ["en", "ja"], "parallel": ["en", "ja"], "en": ["en"], "ja": ["ja"]}[layout]
margins = {k: tpl.get(k, 0) for k in ("left", "right", "gutter")}
failures = 0


def check(name, passed, why=""):
    global failures
    failures += not passed
    print(("ok - " if passed else "not ok - ") + f"{tag}: {name}" + ("" if passed else f": {why}"))


def latin(ch):
    """A character of an English word (or of a Latin word in Japanese text):
    a letter, digit or punctuation mark that is not full-width."""
    return (ch not in " \u00ad" and unicodedata.category(ch)[0] in "LNPS"
            and unicodedata.east_asian_width(ch) not in "WF")


# Paragraph numbers, list markers and note labels stand apart from the text
# they label, with no space drawn between: they are no word of it. (A line
# that starts with a number and lacks the space after it is caught by the
# tagged text's check below.)
MARKER = re.compile(r"^(\(?[0-9]{1,3}[.)]?|\([a-z]{1,2}\)|[a-z]{1,2}\)|\(?[ivxlc]{1,6}[.)]"
                    r"|\(?[A-Z][.)]|[•◦▪‣–—\-\u2460-\u24ff\u2776-\u2793])$")

# --- the content stream -------------------------------------------------------------
page_width = 595.28
measure = page_width - margins["left"] - margins["right"]
half = (measure - margins["gutter"]) / 2
split = margins["left"] + half + margins["gutter"] / 2


def column(x):
    return 0 if layout != "parallel" or x < split else 1


# The signature block spans both columns of the parallel layout by design:
# its lines have measures of their own.
formula = tpl[("en", "text", "for-party")].split()[0]
runs = styled_runs(pdf_path)
signed = [(r[0], r[2]) for r in runs if r[3].rstrip(" ") == formula]
sig_page, sig_y = max(signed, default=(10**6, -1))
sig_y = max((y for p, y in signed if p == sig_page), default=-1)


def in_columns(page, y):
    return page < sig_page or (page == sig_page and y > sig_y + 12)


# A line: the strings of one text (one marked-content sequence: the cells of
# a table's row are texts of their own) drawn one after the other on one
# baseline of one column (a superscript's or subscript's baseline is within
# half an em of it). Artifacts (footers, a table's header repeated on the
# next page) are one sequence of several texts: there, a gap of half an em
# or more (twice a word space: their words are set at their natural
# spacing) parts two texts, as the padding between two cells does.
# English lines only: Japanese text has the spaces its draft has, and a
# Japanese line is one with a full-width character.
lines = []
for run in runs:
    page, x, y, text, width, size, font, advances, mcid = run
    last = lines[-1][-1] if lines else None
    apart = last and mcid == -1 and x - (last[1] + sum(last[7])) >= 0.5 * size
    if (last and last[0] == page and column(last[1]) == column(x) and last[8] == mcid
            and abs(last[2] - y) < 0.5 * max(last[5], size) and x > last[1] - 0.5 * size
            and not apart):
        lines[-1].append(run)
    else:
        lines.append([run])

missing, extra, doubled, leading, outside = [], [], [], [], []
words = 0
for line in lines:
    shown = "".join(r[3] for r in line)
    where = (line[0][0], round(line[0][2], 1))
    if shown.startswith(" "):
        leading.append((where, shown[:30]))
    if "  " in shown:
        doubled.append((where, shown[:60]))
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in shown):
        continue
    # Each string that is not a space alone, against the one before it:
    # whether a space was drawn between them, and how far apart they stand.
    spaced = False
    before = None  # (x, text without its trailing spaces, advances, first on its line)
    for run in line:
        page, x, y, text, width, size, font, advances, mcid = run
        core = text.rstrip(" ")
        if not core:
            spaced = spaced or before is not None
            continue
        spaced = spaced or text.startswith(" ")
        core = core.lstrip(" ")
        if before is not None:
            b_x, b_core, b_adv, b_first = before
            gap = x - (b_x + sum(b_adv[:len(before[1])]))
            marker = b_first and MARKER.match(b_core)
            if latin(b_core[-1]) and latin(core[0]) and not marker:
                # A word space is three quarters of the space's width at the
                # least (justification shrinks it no more); the pieces of a
                # word touch, kerning aside.
                if gap > 0.12 * size:
                    words += 1
                    if not spaced:
                        missing.append((where, b_core[-12:] + "|" + core[:12]))
                elif gap < 0.05 * size and spaced:
                    extra.append((where, b_core[-12:] + " " + core[:12], round(gap, 2)))
        before = (x, text.rstrip(" "), advances, before is None)
        spaced = text.endswith(" ")
    # A line's last space ends within the line's column.
    last = line[-1]
    if last[3].endswith(" "):
        right = page_width - margins["right"]
        if layout == "parallel" and column(last[1]) == 0 and in_columns(last[0], last[2]):
            right = margins["left"] + half
        end = last[1] + sum(last[7])
        if end > right + 0.05:
            outside.append((where, last[3][-12:], round(end - right, 2)))

check(f"a U+0020 between every two English words of a line in the content stream "
      f"({words} word gaps)", words > 0 and not missing if "en" in langs else not missing,
      f"{len(missing)} missing, e.g. {missing[:4]}")
check("no space inside a word (between the pieces of a kerned word)", not extra, f"{extra[:4]}")
check("no line starts with a space", not leading, f"{leading[:4]}")
check("no two spaces in a row", not doubled, f"{doubled[:4]}")
check("a line's last space ends within its column", not outside, f"{outside[:4]}")

# --- the tagged text ----------------------------------------------------------------
struct = subprocess.run(["pdfinfo", "-struct-text", pdf_path], capture_output=True, text=True)
strings = [m.group(1) for m in re.finditer(r'^\s*"(.*)"$', struct.stdout, re.M)]


def fold(text):
    """Soft hyphens (U+00AD) are the hyphens kyodo breaks English words at:
    not text, as PDF defines them. Typographic quotes read as the ASCII ones
    the draft may type."""
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'", 0xAD: None})
    return unicodedata.normalize("NFC", text)


# A text that runs onto the next page is one string per page, in order.
tagged = "".join(fold(s) for s in strings)
check("the tagged text has no two spaces in a row",
      not any("  " in s for s in strings), f"{[s[:60] for s in strings if '  ' in s][:3]}")
# A paragraph's number is drawn in the indent, apart from its text: the
# tagged text still reads "1. The Second …", not "1.The Second …".
glued = [s[:30] for s in strings if re.match(r"^\(?[0-9ivxIVX]+[.)][A-Za-z]", s)]
check("a paragraph's number is followed by a space in the tagged text", not glued, f"{glued[:3]}")
# So are a heading's number (「1 総論」, not 「1総論」) and a Japanese
# footnote's label (「注1 」, which its text follows: 「2015年…」).
element, unspaced = None, []
for row in struct.stdout.splitlines():
    m = re.match(r'^\s*"(.*)"$', row)
    if m is None:
        element = row.strip().split(" ")[0]
    elif (element and re.fullmatch(r"H[1-6]", element)
          and re.match(r"^[0-9]+[^\s0-9.．]", m.group(1))) or (
            element == "Lbl" and re.fullmatch(r"注[0-9]+", m.group(1))):
        unspaced.append(m.group(1)[:20])
check("a heading's number and a Japanese note's label are followed by a space in the tagged text",
      not unspaced, f"{unspaced[:3]}")
# An inline element (a link's text, a note's mark, a <foreign> phrase) holds
# its words; the spaces around them are the text's around it.
inline, edged = None, []
for row in struct.stdout.splitlines():
    indent = len(row) - len(row.lstrip(" "))
    m = re.match(r'^\s*"(.*)"$', row)
    if m is None:
        if not row.lstrip().startswith(("Object", "/")):
            inline = re.match(r"^(\s*)(Link|Reference|Span|Quote|Code)\b", row)
    elif (inline and indent > len(inline.group(1))
          and (m.group(1).startswith(" ") or m.group(1).endswith(" "))):
        edged.append((inline.group(2), m.group(1)[:40]))
check("no inline element's text starts or ends with a space", not edged, f"{edged[:3]}")

if "en" in langs:
    party_parts = {id(e) for p in draft.find("parties").iter("party") for e in p}
    done = draft.find("done")
    done_parts = {id(e) for e in done} if done is not None else set()
    # The draft's words, separated by single spaces: XML's line breaks and
    # indentation inside a text are word spaces too, and so is an English
    # <br/> (a Japanese one runs on).
    for element in draft.iter("en"):
        for br in element.iter("br"):
            br.text = " "
    expected = []
    for parent in draft.iter():
        child = parent.find("en")
        if child is None or parent.tag in ("party", "statement"):
            continue
        if id(parent) in party_parts or id(parent) in done_parts:
            continue  # printed inside the template's formulas
        expected.append(drafttext.text_of(draft, tpl, child, "en"))
        expected += [drafttext.text_of(draft, tpl, n, "en") for n in child.iter("note")]
    wanted = [" ".join(fold(t).split()) for t in expected]
    wanted = [w for w in wanted if " " in w]
    absent = [w[:50] for w in wanted if w not in tagged]
    check(f"the tagged text has each English text ({len(wanted)}) with its words separated by "
          f"single spaces", wanted and not absent, f"{len(absent)} absent, e.g. {absent[:3]}")

sys.exit(1 if failures else 0)
