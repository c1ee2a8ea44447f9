#!/usr/bin/env python3
"""Complexity checks: each hostile input at n and 8n, its CPU time and peak
memory compared. Prints "ok - scaling: …" / "not ok - scaling: …".

Usage: scaling.py KYODO TMPDIR. CPU time (user + system, the best of three
runs) rather than wall time, and the cost of rendering the minimal draft
taken off both, so that a loaded machine and the fixed start-up cost do not
decide; the bound is generous (n log n with a factor of 1.5, at least a
floor of 20 ms and 4 MB at n) and still far below what a quadratic cost gives at 8n
(64 times as much).
"""
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import hostile_inputs  # noqa: E402

kyodo, tmp = sys.argv[1], sys.argv[2]
sanitized = bool(os.environ.get("KY_SANITIZED"))  # make test-asan
# Seconds of work at n below which a ratio means nothing. Under the
# sanitizers every run takes about four times as long and the start-up
# (base_time, ~0.09 s) varies by more than the small case's work: a case of
# 0.02 s read 15x for 8x its input once (alternating-faces), where the
# plain build reads 6x. Quadratic growth (64x) still fails either way.
FLOOR = 0.08 if sanitized else 0.02
MEMORY_FLOOR = 4096  # KB of peak memory at n, likewise


def run(args, out):
    """(cpu seconds, peak RSS in KB, exit status, stderr) of one render."""
    err = open(os.path.join(tmp, "scaling.err"), "w+")
    proc = subprocess.Popen([kyodo, "render", *args, "-o", out], stdout=subprocess.DEVNULL, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here
    err.seek(0)
    code = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, err.read()


def best(args, out, runs=3):
    results = [run(args, out) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results), results[0][2], results[0][3]


def case_dir(name, n):
    d = os.path.join(tmp, f"scaling-{name}-{n}")
    os.makedirs(d, exist_ok=True)
    return d


os.makedirs(tmp, exist_ok=True)
base_time, base_rss, _, _ = best([os.path.join("tests", "minimal.xml")], os.path.join(tmp, "base.pdf"))

# name, n, the most peak memory each unit of n may add (KB) or None, and
# whether it must render (else a clean error is enough)
CASES = [
    ("zero-width-spaces", 5000, None, True),
    ("long-word", 10000, None, True),
    ("alternating-faces", 5000, None, True),
    ("long-paragraph", 2000, None, True),
    ("attributes", 2000, None, False),
    ("attribute-entities", 100, None, False),
    ("declared-entities", 150, None, True),
    ("template-text", 20, None, True),
    ("paragraphs", 250, 16, True),
]
for name, n, per_unit_kb, must_render in CASES:
    generate = hostile_inputs.CASES[name][0]
    measured = []
    for size in (n, 8 * n):
        d = case_dir(name, size)
        args = generate(size, d)
        measured.append((size,) + best(args, os.path.join(d, "out.pdf")))
    (n1, t1, m1, s1, e1), (n8, t8, m8, s8, e8) = measured
    bound = 8 * math.log2(n8) / math.log2(n1) * 1.5
    work1, work8 = max(t1 - base_time, FLOOR), max(t8 - base_time, 0)
    ratio = work8 / work1
    problems = []
    for size, status, err in ((n1, s1, e1), (n8, s8, e8)):
        if status not in (0, 1) or (status == 1 and ": error: " not in err) or \
                (must_render and status != 0):
            problems.append(f"exit {status} at {size}: {err.strip()[:200]}")
    if ratio > bound:
        problems.append(f"CPU time grows {ratio:.1f}x for 8x the input (bound {bound:.1f})")
    memory_ratio = max(m8 - base_rss, 0) / max(m1 - base_rss, MEMORY_FLOOR)
    if sanitized:
        pass  # AddressSanitizer's redzones and quarantine decide the peak
    elif memory_ratio > 12:
        problems.append(f"peak memory grows {memory_ratio:.1f}x for 8x the input (bound 12)")
    if not sanitized and per_unit_kb is not None and (m8 - m1) / (n8 - n1) > per_unit_kb:
        problems.append(f"{(m8 - m1) / (n8 - n1):.1f} KB of peak memory per unit (bound {per_unit_kb})")
    summary = (f"{name}: {t1:.2f} s {m1 // 1024} MB at {n1}, {t8:.2f} s {m8 // 1024} MB at {n8} "
               f"(work ratio {ratio:.1f} <= {bound:.1f})")
    if problems:
        print(f"not ok - scaling: {summary}: {'; '.join(problems)}")
    else:
        print(f"ok - scaling: {summary}")

# The structure tree of a tagged PDF (the default) is kept until the file is
# written, so its cost grows with the document: it must stay tens of bytes
# per element, not the kilobytes that a PDF library's own objects take.
# Measured against the same draft untagged, so that the rest of the
# document's memory does not count: n short paragraphs, each an element
# (and a marked-content sequence), about 31 on a page.
STRUCTURE_ELEMENTS = 8000
STRUCTURE_BYTES = 400  # per element; the PDF library's own objects took 1,600
if not sanitized:
    d = case_dir("structure", STRUCTURE_ELEMENTS)
    args = hostile_inputs.paragraphs(STRUCTURE_ELEMENTS, d) + ["--layout", "en"]
    out = os.path.join(d, "out.pdf")
    _, tagged, status, err = best(args, out)
    _, untagged, status_none, err_none = best(args + ["--standard", "none"], out)
    per_element = (tagged - untagged) * 1024 / STRUCTURE_ELEMENTS
    summary = (f"structure tree: {tagged // 1024} MB tagged, {untagged // 1024} MB untagged at "
               f"{STRUCTURE_ELEMENTS} paragraphs: {per_element:.0f} bytes per element "
               f"(bound {STRUCTURE_BYTES})")
    if status or status_none:
        print(f"not ok - scaling: structure tree: exit {status or status_none}: "
              f"{(err or err_none).strip()[:200]}")
    elif per_element > STRUCTURE_BYTES:
        print(f"not ok - scaling: {summary}")
    else:
        print(f"ok - scaling: {summary}")

# A thousand-page statement (tests/bench.py's "generated 1000 pages": the
# sample's paragraphs over and over), tagged: its peak memory beyond the
# minimal draft's. Pages are written as they are finished, and wait for the
# end compressed in a temporary file, so what grows is the draft's model
# and the structure tree; the bound was 45 MB before either was made
# compact (tests/bench.py's target is 40 MB in all).
LONG_PARAGRAPHS = 12000
LONG_MB = 25


def statement(paragraphs, directory):
    """The sample with its body replaced by `paragraphs` paragraphs cycled
    from its own, a section heading every six (as tests/bench.py makes)."""
    sample = open(os.path.join("input", "japan-india-cyber-dialogue.xml"), encoding="utf-8").read()
    start, end = sample.index("<section id=\"opening\">"), sample.index("<signatures>")
    ps = ["<p>" + p.split("</p>")[0] + "</p>" for p in sample[start:end].split("<p>")[1:]]
    out = []
    for i in range(paragraphs):
        if i % 6 == 0:
            out.append(f"<section><heading><en>Part {i // 6 + 1}</en><ja>第{i // 6 + 1}部</ja></heading>")
        out.append(ps[i % len(ps)])
        if i % 6 == 5 or i == paragraphs - 1:
            out.append("</section>")
    path = os.path.join(directory, "statement.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(sample[:start] + "\n".join(out) + "\n  " + sample[end:])
    return path


if not sanitized:
    d = case_dir("long-statement", LONG_PARAGRAPHS)
    out = os.path.join(d, "out.pdf")
    _, peak, status, err = run([statement(LONG_PARAGRAPHS, d), "--layout", "en"], out)
    grown = (peak - base_rss) / 1024
    pages = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout if status == 0 else ""
    pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    summary = (f"a {pages}-page statement, tagged: {peak / 1024:.1f} MB peak, {grown:.1f} MB more "
               f"than the minimal draft (bound {LONG_MB})")
    if status:
        print(f"not ok - scaling: long statement: exit {status}: {err.strip()[:200]}")
    elif grown > LONG_MB:
        print(f"not ok - scaling: {summary}")
    else:
        print(f"ok - scaling: {summary}")
