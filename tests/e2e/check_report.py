#!/usr/bin/env python3
"""kyodo render --report-json against the PDF: the word spaces it reports
are those check_typesetting.py measures (read back with pdftotext -bbox).

Usage: check_report.py REPORT.json CHECK_TYPESETTING_OUTPUT DRAFT
"""
import json
import re
import sys

report = json.load(open(sys.argv[1]))
measured_text = open(sys.argv[2]).read()
measured = re.search(r"max ([\d.]+)x, mean ([\d.]+)x", measured_text)
hyphens = int(re.search(r"hyphenated lines: (\d+)", measured_text).group(1))
en = report["en"]
# Letter spacing goes between a word's letters only, so the gaps read back
# are the report's word spaces, give or take the kerning at a word's ends
# and the rounding of positions (up to 0.03x seen; it was 0.1x while letter
# spacing also followed a word's last letter).
ok = (measured is not None
      and abs(en["word_space_max"] - float(measured.group(1))) <= 0.05
      and abs(en["word_space_mean"] - float(measured.group(2))) <= 0.05
      and en["hyphenated_lines"] == hyphens and en["emergency_breaks"] == 0
      and report["ja"]["lines"] == 0)
print(("ok" if ok else "not ok") + f" - render --report-json {sys.argv[3]}: word spaces max "
      f"{en['word_space_max']:.2f}x mean {en['word_space_mean']:.2f}x, {hyphens} hyphenated "
      "lines, as measured in the PDF"
      + ("" if ok else f": report {en}, measured {measured.group(0) if measured else None}"))
