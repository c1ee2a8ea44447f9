#!/usr/bin/env python3
"""kyodo's benchmark: median wall time, peak memory, size and pages.

Usage: bench.py KYODO [RUNS]. Prints a table and writes it to
build/bench-results.txt, so that a change's effect can be compared.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

kyodo = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
drafts = sorted(os.path.join("input", f) for f in os.listdir("input") if f.endswith(".xml"))
rows = []
with tempfile.TemporaryDirectory() as tmp:
    for draft in drafts:
        for layout in ("sequential", "parallel", "en", "ja"):
            out = os.path.join(tmp, "out.pdf")
            cmd = [kyodo, "render", draft, "--layout", layout, "-o", out]
            subprocess.run(cmd, check=True)  # warm the page cache
            times, peaks = [], []
            for _ in range(runs):
                start = time.perf_counter()
                # A fresh child per run: ru_maxrss of a waited-for child is its own peak.
                pid = os.fork()
                if pid == 0:
                    os.execv(kyodo, cmd)
                _, status, usage = os.wait4(pid, 0)
                times.append(time.perf_counter() - start)
                peaks.append(usage.ru_maxrss)
                if status != 0:
                    sys.exit(f"{' '.join(cmd)} failed")
            pages = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
            pages = next(l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:"))
            rows.append((os.path.basename(draft), layout, statistics.median(times) * 1000,
                         max(peaks) / 1024, os.path.getsize(out) / 1024, int(pages)))

# Batch: 200 generated drafts of the sample (two pages each in the parallel
# layout) with kyodo build -j 1 and -j 2, then a no-op rebuild.
batch = []
with tempfile.TemporaryDirectory() as tmp:
    sample = open("input/japan-india-cyber-dialogue.xml", encoding="utf-8").read()
    os.makedirs(os.path.join(tmp, "drafts"))
    for i in range(200):
        with open(os.path.join(tmp, "drafts", f"d{i}.xml"), "w", encoding="utf-8") as f:
            f.write(sample.replace("the first meeting", f"meeting number {i}"))
    for label, jobs, outdir in (("-j 1", 1, "o1"), ("-j 2", 2, "o2"), ("no-op -j 2", 2, "o2")):
        start = time.perf_counter()
        subprocess.run([kyodo, "build", os.path.join(tmp, "drafts"), "-o", os.path.join(tmp, outdir),
                        "-j", str(jobs), "--layout", "parallel", "-q"], check=True)
        batch.append((label, time.perf_counter() - start))

lines = [f"kyodo benchmark: median of {runs} runs per row, {time.strftime('%Y-%m-%d %H:%M')}",
         f"{'draft':36} {'layout':10} {'ms':>7} {'peak MB':>8} {'KB':>7} {'pages':>5}"]
for name, layout, ms, mb, kb, pages in rows:
    lines.append(f"{name:36} {layout:10} {ms:7.1f} {mb:8.1f} {kb:7.1f} {pages:5d}")
lines.append("")
lines.append("kyodo build, 200 two-page drafts (parallel layout):")
for label, seconds in batch:
    lines.append(f"  {label:12} {seconds:7.2f} s")
text = "\n".join(lines)
print(text)
os.makedirs("build", exist_ok=True)
with open("build/bench-results.txt", "w") as f:
    f.write(text + "\n")
