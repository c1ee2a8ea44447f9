#!/usr/bin/env python3
"""English word spaces on the stress drafts, against issue 13's targets.

Usage: check_spacing.py REPORT.json DRAFT TEMPLATE LAYOUT

REPORT.json is `kyodo render --report-json` of DRAFT rendered with TEMPLATE
(one of the size variants: measure-75 is 60 mm, 65 is 80 mm, 55 is 100 mm)
in LAYOUT. The target for the widest English word space is 2x its natural
width at full measure (sequential, en) and 2.5x in parallel columns
(check_report.py shows that the report's figure is the one measured in the
PDF). Where kyodo does not reach it yet, GAPS holds the figure it reaches,
which must not get worse; each such line is printed as a known gap.
"""
import json
import sys

report_path, draft, template, layout = sys.argv[1:5]
en = json.load(open(report_path))["en"]
target = 2.5 if layout == "parallel" else 2.0

# (draft, template, layout): the widest word space reached, where the target
# is not. Full measure: a 60 mm measure at 12 pt leaves "sides reaffirmed
# their co-" (compounds break only at their own hyphen, names not at all);
# small kana in an English sentence ("Small kana: は、ぁぃ…") cannot start a
# line, so the space before them takes the slack. Parallel columns are 25.5,
# 35.5 and 45.5 mm: 13 to 25 characters a line.
GAPS = {
    ("kinsoku", "measure-75-size-12", "sequential"): 2.82,
    ("kinsoku", "measure-75-size-12", "en"): 2.82,
    ("overflow", "measure-75-size-105", "sequential"): 3.04,
    ("overflow", "measure-75-size-105", "en"): 3.04,
    ("kinsoku", "measure-75-size-9", "parallel"): 3.21,
    ("kinsoku", "measure-75-size-105", "parallel"): 3.62,
    ("kinsoku", "measure-75-size-12", "parallel"): 3.77,
    ("kinsoku", "measure-65-size-9", "parallel"): 3.12,
    ("kinsoku", "measure-65-size-105", "parallel"): 4.12,
    ("kinsoku", "measure-65-size-12", "parallel"): 2.75,
    ("kinsoku", "measure-55-size-9", "parallel"): 3.63,
    ("kinsoku", "measure-55-size-105", "parallel"): 3.50,
    ("kinsoku", "measure-55-size-12", "parallel"): 3.25,
    ("overflow", "measure-75-size-9", "parallel"): 3.00,
    ("overflow", "measure-75-size-105", "parallel"): 3.42,
    ("overflow", "measure-75-size-12", "parallel"): 3.79,
    ("overflow", "measure-65-size-9", "parallel"): 2.85,
    ("overflow", "measure-65-size-105", "parallel"): 4.12,
    ("overflow", "measure-55-size-12", "parallel"): 3.10,
}
name = draft.rsplit("/", 1)[-1].removesuffix(".xml")
gap = GAPS.get((name, template, layout))
bound = gap if gap else target
figures = (f"max {en['word_space_max']:.2f}x, mean {en['word_space_mean']:.2f}x, "
           f"{en['letter_spaced_lines']} letter-spaced lines (max {en['letter_space_max_em']:.3f} em), "
           f"{en['hyphenated_lines']} hyphenated lines")
what = f"word spaces {name} {template} {layout}: {figures}; target {target}x" + (
    f" (not reached: at most {gap}x)" if gap else "")
ok = en["word_space_max"] <= bound + 0.005
print(("ok - " if ok else "not ok - ") + what)
sys.exit(0 if ok else 1)
