#!/usr/bin/env python3
"""Inline markup as printed: link annotations, superscripts and subscripts,
bold and italic faces, party names in running text in the copy's order.

Usage: check_inline.py DRAFT.xml OUT.pdf LAYOUT TEMPLATE.xml [COPY]
Prints "ok - ..." / "not ok - ...: why" lines; exits 1 after a failure."""
import json
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
copy = sys.argv[5] if len(sys.argv) > 5 else None
tag = f"{draft_path} [{layout}{', --copy ' + copy if copy else ''}]"
draft = ET.parse(draft_path).getroot()
tpl = templates.load(template_path)
langs = {"sequential": ["en", "ja"], "parallel": ["en", "ja"], "en": ["en"], "ja": ["ja"]}[layout]
failures = 0


def check(name, passed, why=""):
    global failures
    failures += not passed
    print(("ok - " if passed else "not ok - ") + f"{tag}: {name}" + ("" if passed else f": {why}"))


def squash(text):
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFC", text))


def in_langs(tagname):
    return [(lang, e) for lang in langs for t in draft.iter(lang) for e in t.iter(tagname)]


# --- links: one annotation per line piece, each with the link's address ---------------
qpdf = json.loads(subprocess.run(["qpdf", "--json=2", pdf_path], capture_output=True,
                                 text=True).stdout)
objects = qpdf["qpdf"][1]
annots = [o["value"] for o in objects.values()
          if isinstance(o.get("value"), dict) and o["value"].get("/Subtype") == "/Link"]
uris = set()
for a in annots:
    action = a.get("/A")
    if isinstance(action, str):
        action = objects["obj:" + action]["value"]
    uris.add(action.get("/URI", "").removeprefix("u:"))
links = in_langs("link")
wanted = {e.get("href") for _, e in links}
check(f"every link ({len(links)}) is a link annotation to its address", wanted <= uris,
      f"missing {wanted - uris}")
check("link annotations are printed (/F 4) and borderless",
      all(a.get("/F") == 4 and a.get("/Border") == [0, 0, 0] for a in annots),
      f"{annots[:1]}")

# --- superscripts and subscripts: smaller, above or below the text before --------------
# A word's string carries the word space drawn after it ("1st " ends in
# one): the word is what comes before it. A space drawn on its own (at a
# line's end) is no word.
runs = [r for r in styled_runs(pdf_path) if r[3].strip(" ")]
bad = []
for lang, e in in_langs("sup") + in_langs("sub"):
    text = "".join(e.itertext())
    found = False
    for i, r in enumerate(runs):
        if r[3].rstrip(" ") == text and i > 0:
            before = runs[i - 1]
            smaller = r[5] < before[5] - 0.5
            shifted = r[2] > before[2] + 1 if e.tag == "sup" else r[2] < before[2] - 0.5
            found = found or (smaller and shifted and r[0] == before[0])
    if not found:
        bad.append((lang, e.tag, text))
check("every <sup> and <sub> is set smaller, above or below its line", not bad, f"{bad}")

# --- strong and em: the faces the font set gives them ---------------------------------
faces = {"strong": "Bold", "em": "Italic"}
# A kerned word is drawn in pieces: joined again when they touch in one font
# (never across a word space, however narrow justification made it).
words_drawn = []
for r in runs:
    last = words_drawn[-1] if words_drawn else None
    if (last and last[0] == r[0] and abs(last[2] - r[2]) < 0.01 and last[6] == r[6]
            and not last[3].endswith(" ") and abs(last[1] + last[4] - r[1]) < 0.5):
        words_drawn[-1] = (last[0], last[1], last[2], last[3] + r[3], last[4] + r[4], last[5], last[6])
    else:
        words_drawn.append(r)
bad = []
for lang, e in in_langs("strong") + in_langs("em"):
    if lang != "en":
        continue  # Japanese sets both in Gothic
    # Each word of it is drawn, somewhere, in the face it asks for.
    for word in re.findall(r"[\w-]{3,}", "".join(e.itertext())):
        drawn = {r[6] for r in words_drawn if r[3].rstrip(" ") == word}
        if not any(faces[e.tag] in font for font in drawn):
            bad.append((e.tag, word, sorted(drawn)))
check("English <strong> is bold, <em> italic", not bad, f"{bad[:3]}")

# --- parties in running text, in the copy's order -------------------------------------
text = squash(subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True,
                             text=True).stdout)
missing = []
for lang in langs:
    for t in draft.iter(lang):
        for e in t.iter("parties"):
            if e.get("joiner") != "and":
                continue
            joined = drafttext.text_of(draft, tpl, ET.fromstring(f"<x>{ET.tostring(e, encoding='unicode')}</x>"), lang, copy)
            if squash(joined) not in text:
                missing.append((lang, joined))
check("<parties joiner=\"and\"/> names the parties in the copy's order", not missing,
      f"{missing}")
sys.exit(1 if failures else 0)
