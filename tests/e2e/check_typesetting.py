#!/usr/bin/env python3
"""Typesetting checks of a rendered statement, read back with pdftotext -bbox.

Usage: check_typesetting.py DRAFT.xml OUT.pdf LANG TEMPLATE.xml [TEMPLATE_DIR...]

Lines are rebuilt from word boxes (words on one baseline form a line) and
matched against the draft's paragraphs in order, so each line is known to
be the first, a middle or the last line of its paragraph. Then:
  - kinsoku (JLREQ 3.1.7): no line starts with a character of cl-02..cl-07,
    cl-09..cl-11, none ends with cl-01; no split inside ——, ……, a number,
    a number and %, or a Latin word;
  - justification: every line but a paragraph's last ends at the measure
    (±0.5 pt; punctuation whose half-em space was reduced may reach half an
    em further; with hanging punctuation 、。 may hang one em), last lines
    end short of it;
  - Japanese: no paragraph's last line holds a single character (with the
    punctuation after it); a line ending in ？ or ！ ends at the measure (the
    ideographic space after it vanishes);
  - English: no line starts with a dash; no hyphenation inside a compound
    that has a hyphen of its own, nor a break before a part of 1-2 letters;
  - English: word spaces between 0.75x and 2x their natural width except on
    single-word lines; the maximum and mean are printed.
"""
import html
import re
import statistics
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

args = [a for a in sys.argv[1:] if not a.startswith("--")]
# --report-spaces: print English word-space figures without asserting the
# 0.75x-2x bounds (narrow test measures where no breaks can keep them).
report_only = "--report-spaces" in sys.argv
draft_path, pdf_path, lang, template_path = args[:4]
tag = f"{draft_path} [{lang}, {template_path.rsplit('/', 1)[-1]}]"
failures = 0


def report(name, passed, why=""):
    global failures
    failures += not passed
    print(("ok - " if passed else "not ok - ") + f"{tag}: {name}" + ("" if passed else f": {why}"))


def squash(text):
    # Typographic quotes read as the ASCII ones a draft may type (smart quotes).
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFC", text))


# --- the template, with what it extends ---------------------------------------
sys.path.insert(0, __import__("os").path.dirname(__file__))
import templates  # noqa: E402
import drafttext  # noqa: E402

tpl = templates.load(template_path)
width, right_margin = templates.length("210mm"), tpl["right"]
body = tpl[(lang, "style", "body")]
size = float(body["size"])
measure_right = width - right_margin
hanging = tpl.get("ts-hanging-punctuation") == "yes"

# --- the paragraphs the lines must make up ------------------------------------
draft = ET.parse(draft_path).getroot()
paragraphs = [(squash(label), squash(drafttext.text_of(draft, tpl, p.find(lang), lang)))
              for label, p in templates.paragraph_labels(draft, tpl, lang)]

# --- lines from word boxes -------------------------------------------------------
bbox = subprocess.run(["pdftotext", "-bbox", pdf_path, "-"], capture_output=True,
                      text=True).stdout
lines = []
for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
    words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                        r'yMax="([\d.]+)">(.*?)</word>', page)]
    # A superscript or subscript stands a little off its line's baseline:
    # words within half the body size of each other are one line.
    rows = []
    for w in sorted(words, key=lambda w: w[3]):
        if rows and w[3] - rows[-1][0] < size / 2:
            rows[-1][1].append(w)
        else:
            rows.append((w[3], [w]))
    for _, row in rows:
        row = sorted(row)
        lines.append({"words": row, "text": squash("".join(w[4] for w in row)),
                      "x0": row[0][0], "x1": row[-1][2]})

# Match lines to paragraphs, in order.
cur, pos, body_lines = 0, 0, []
for line in lines:
    if cur >= len(paragraphs):
        break
    label, text = paragraphs[cur]
    t = line["text"]
    if pos == 0 and label and t.startswith(label) and text.startswith(t[len(label):]):
        t = t[len(label):]
    if t and text.startswith(t, pos):
        line["first"], line["body"] = pos == 0, t
        pos += len(t)
        line["last"] = pos == len(text)
        body_lines.append(line)
        if line["last"]:
            cur, pos = cur + 1, 0
report("every paragraph's lines are found in order", cur == len(paragraphs),
       f"stopped in paragraph {cur + 1} at {paragraphs[cur][1][pos:pos + 20] if cur < len(paragraphs) else ''}")

# --- kinsoku -----------------------------------------------------------------------
NO_START = set("’”)〕]}〉》」』】⦆〙〗»〟‐〜゠–!?‼⁇⁈⁉・:;。.、,ヽヾゝゞ々〻ー"
               "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
               "）］｝！？：；，．%") | {chr(c) for c in range(0x31F0, 0x3200)}
NO_END = set("‘“(〔[{〈《「『【⦅〘〖«〝（［｛")
INSEPARABLE = set("—―…‥")
violations = []
for i, line in enumerate(body_lines):
    t = line["body"]
    # Inside an address a line may start with its separators (Chicago 14.18).
    in_address = i > 0 and re.search(r"(://|www\.)\S*$", body_lines[i - 1]["body"]) \
        and t[0] in "./-?#&=_~%"
    if t[0] in NO_START and not in_address:
        violations.append(f"line starts with {t[0]}: {t[:12]}")
    if lang == "en" and t[0] in "—―":
        violations.append(f"line starts with a dash: {t[:12]}")
    if t[-1] in NO_END:
        violations.append(f"line ends with {t[-1]}: {t[-12:]}")
    if not line["last"] and i + 1 < len(body_lines):
        nxt = body_lines[i + 1]["body"]
        if t[-1] in INSEPARABLE and nxt[0] == t[-1]:
            violations.append(f"{t[-1]}{t[-1]} split: {t[-8:]}|{nxt[:4]}")
        if (t[-1].isdigit() or t[-1] in ",.") and nxt[0].isdigit():
            violations.append(f"number split: {t[-8:]}|{nxt[:4]}")
        hyphenated = line["words"][-1][4].endswith("\u00ad")
        last_word = line["words"][-1][4]
        if lang == "en" and hyphenated and "-" in last_word + body_lines[i + 1]["words"][0][4]:
            violations.append(f"hyphenated inside a compound: {t[-12:]}|{nxt[:6]}")
        if lang == "en" and t[-1] == "-" and len(re.match(r"[A-Za-z]*", nxt).group()) < 3 \
                and nxt[:1].isalpha():
            violations.append(f"compound broken before a short part: {t[-8:]}|{nxt[:4]}")
        if t[-1].isascii() and t[-1].isalpha() and nxt[0].isascii() and nxt[0].isalpha() \
                and lang == "ja" and not hyphenated:
            violations.append(f"Latin word split: {t[-8:]}|{nxt[:4]}")
report(f"kinsoku: {len(body_lines)} lines checked, {len(violations)} violations",
       not violations, "; ".join(violations[:5]))

# --- justification -----------------------------------------------------------------
loose = []
for line in body_lines:
    end = line["x1"]
    last_char = line["body"][-1]
    if line["last"]:
        # A last line may be full only when its text is about that long:
        # roughly an em per Japanese character, 0.6 em per other character
        # and a quarter em where Japanese meets Latin (JLREQ's spacing).
        text = line["body"]
        wide = [unicodedata.east_asian_width(c) in "WF" for c in text]
        natural = size * (sum(1.0 if w else 0.6 for w in wide) +
                          0.25 * sum(1 for a, b in zip(wide, wide[1:]) if a != b))
        if end > measure_right - 1 and natural < (measure_right - line["x0"]) - size:
            loose.append(f"last line reaches the measure: {text[-10:]}")
        continue
    slack = 0.5
    if last_char in "、。，．」』）】〕］｝":
        slack = 0.5 + size / 2 + (size if hanging else 0)
    elif last_char in "・：；":
        # A middle dot's glyph is centred in a full em: with its quarter em
        # after it reduced, the glyph's box reaches a quarter em past.
        slack = 0.5 + size / 4
    if not (measure_right - 0.5 <= end <= measure_right + slack):
        loose.append(f"ends at {end:.2f}, measure {measure_right:.2f}: {line['body'][-10:]}")
report("justified lines end at the measure (±0.5 pt), last lines do not", not loose,
       "; ".join(loose[:4]))

if lang == "ja":
    # Punctuation counts with the character it follows: 「た。」 is lone too.
    lone = [l["body"] for l in body_lines if l["last"] and not l["first"]
            and len(l["body"].rstrip("、。，．」』）】〕］｝！？")) == 1]
    report("no paragraph ends with a single character (and its punctuation) on its last line",
           not lone, f"{lone}")

# --- English word spaces -------------------------------------------------------
if lang == "en":
    natural = 0.25 * size  # Liberation Serif's space is a quarter em
    ratios = []
    for line in body_lines:
        if line["last"] or len(line["words"]) < 2:
            continue
        words = line["words"]
        start = 1 if line["first"] and re.fullmatch(r"\(?\d+[.)]?", words[0][4]) else 0
        for a, b in zip(words[start:], words[start + 1:]):
            ratios.append((b[0] - a[2]) / natural)
    if ratios:
        print(f"#   word spaces: {len(ratios)} measured, max {max(ratios):.2f}x, "
              f"mean {statistics.mean(ratios):.2f}x, min {min(ratios):.2f}x of natural")
    report("word spaces stay between 0.75x and 2x their natural width",
           # 2.02: positions read back are rounded. Letter spacing goes
           # between a word's letters, never after its last: it does not
           # widen a word space.
           report_only or not ratios or (max(ratios) <= 2.02 and min(ratios) >= 0.73),
           f"max {max(ratios):.2f} min {min(ratios):.2f}" if ratios else "")
    hyphens = sum(1 for l in body_lines if l["words"][-1][4].endswith("\u00ad"))
    print(f"#   hyphenated lines: {hyphens} of {len(body_lines)}")

sys.exit(1 if failures else 0)
