#!/usr/bin/env python3
"""kyodo's benchmark: median wall time, peak memory, size, pages per second.

Usage: bench.py KYODO [RUNS]. Renders every draft in input/ in every layout,
a generated 60-paragraph statement, generated 30- and 300-page statements
(the ratio of their times shows whether time grows linearly with pages),
batches with kyodo build, and hostile inputs (tests/e2e/hostile_inputs.py:
each must end in seconds and well under 1 GB, or fail with a message). Prints a table and writes it to
build/bench-results.txt, so that a change's effect can be compared.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "e2e"))
import hostile_inputs  # noqa: E402

kyodo = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
sample = open("input/japan-india-cyber-dialogue.xml", encoding="utf-8").read()


def generated(paragraphs):
    """The sample with its body replaced by `paragraphs` numbered paragraphs
    (cycled from its own, so the text is real)."""
    start = sample.index("<section id=\"opening\">")
    end = sample.index("<signatures>")
    body = sample[start:end]
    ps = body.split("<p>")[1:]
    ps = ["<p>" + p.split("</p>")[0] + "</p>" for p in ps]
    out = []
    for i in range(paragraphs):
        if i % 6 == 0:
            out.append(f"<section><heading><en>Part {i // 6 + 1}</en><ja>第{i // 6 + 1}部</ja></heading>")
        out.append(ps[i % len(ps)])
        if i % 6 == 5 or i == paragraphs - 1:
            out.append("</section>")
    return sample[:start] + "\n".join(out) + "\n  " + sample[end:]


def measure(draft, layout, repeat=None):
    out = os.path.join(tmp, "out.pdf")
    cmd = [kyodo, "render", draft, "--layout", layout, "-o", out]
    subprocess.run(cmd, check=True)  # warm the page cache
    times, peaks = [], []
    for _ in range(repeat or runs):
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.execv(kyodo, cmd)
        _, status, usage = os.wait4(pid, 0)  # the child's own peak RSS
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if status != 0:
            sys.exit(f"{' '.join(cmd)} failed")
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
    pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    median = statistics.median(times)
    return median * 1000, max(peaks) / 1024, os.path.getsize(out) / 1024, pages, pages / median


rows, batch = [], []
with tempfile.TemporaryDirectory() as tmp:
    drafts = sorted(os.path.join("input", f) for f in os.listdir("input") if f.endswith(".xml"))
    for draft in drafts:
        for layout in ("sequential", "parallel", "en", "ja"):
            rows.append((os.path.basename(draft), layout) + measure(draft, layout))
    # Long statements: memory must stay flat in the page count (pages are
    # written as they are finished), time linear. The longest run 3 times.
    for name, paragraphs, layout, repeat in (("generated 60 paragraphs", 60, "sequential", None),
                                             ("generated 30 pages", 360, "en", None),
                                             ("generated 100 pages", 1200, "en", None),
                                             ("generated 300 pages", 3600, "en", 5),
                                             ("generated 300 pages", 3600, "parallel", 5),
                                             ("generated 1000 pages", 12000, "en", 3)):
        path = os.path.join(tmp, name.replace(" ", "-") + ".xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(generated(paragraphs))
        rows.append((name, layout) + measure(path, layout, repeat))
    # Batches: 200 and 1000 generated two-page drafts (parallel layout).
    os.makedirs(os.path.join(tmp, "drafts"))
    for i in range(1000):
        with open(os.path.join(tmp, "drafts", f"d{i:04}.xml"), "w", encoding="utf-8") as f:
            f.write(sample.replace("the first meeting", f"meeting number {i}"))
    some = [os.path.join(tmp, "drafts", f"d{i:04}.xml") for i in range(200)]
    for label, inputs, jobs, outdir in (
            ("200 drafts -j 1", some, 1, "o1"), ("200 drafts -j 2", some, 2, "o2"),
            ("200 drafts no-op -j 2", some, 2, "o2"),
            ("1000 drafts -j 2", [os.path.join(tmp, "drafts")], 2, "o3")):
        start = time.perf_counter()
        subprocess.run([kyodo, "build", *inputs, "-o", os.path.join(tmp, outdir), "-j", str(jobs),
                        "--layout", "parallel", "-q"], check=True)
        batch.append((label, time.perf_counter() - start))

    # Hostile inputs, once each: wall time, peak memory, how it ended.
    hostile = []
    for name, (generate, n) in hostile_inputs.CASES.items():
        d = os.path.join(tmp, "hostile-" + name)
        os.makedirs(d)
        args = generate(n, d)
        size = os.path.getsize(args[0])
        start = time.perf_counter()
        proc = subprocess.Popen([kyodo, "render", *args, "-o", os.path.join(d, "out.pdf")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        proc.returncode = 0  # reaped above
        code = os.waitstatus_to_exitcode(status)
        ended = "PDF" if code == 0 else (f"exit {code}: " + err.split(": error: ")[-1][:40])
        hostile.append((f"{name} {n}", size / 1024, seconds, usage.ru_maxrss / 1024, ended))

lines = [f"kyodo benchmark: median of {runs} runs per row, {time.strftime('%Y-%m-%d %H:%M')}",
         f"{'draft':36} {'layout':10} {'ms':>8} {'peak MB':>8} {'KB':>7} {'pages':>5} {'pages/s':>8}"]
for name, layout, ms, mb, kb, pages, rate in rows:
    lines.append(f"{name:36} {layout:10} {ms:8.1f} {mb:8.1f} {kb:7.1f} {pages:5d} {rate:8.0f}")
by_name = {(r[0], r[1]): r for r in rows}
for a, b in (("generated 30 pages", "generated 300 pages"),
             ("generated 100 pages", "generated 1000 pages")):
    small, large = by_name[(a, "en")], by_name[(b, "en")]
    lines.append(f"time({b[10:]}) / time({a[10:]}): {large[2] / small[2]:.1f} "
                 f"for {large[5] / small[5]:.1f}x the pages ({small[5]} and {large[5]} pages)")
for name in ("generated 300 pages", "generated 1000 pages"):
    row = by_name[(name, "en")]
    lines.append(f"peak memory at {row[5]} pages: {row[3]:.1f} MB (target: at most 40 MB)")
lines.append("")
lines.append("kyodo build (parallel layout, two-page drafts):")
for label, seconds in batch:
    lines.append(f"  {label:24} {seconds:7.2f} s")
lines.append("")
lines.append("hostile inputs (tests/e2e/hostile_inputs.py), one run each:")
lines.append(f"  {'input':32} {'KB':>7} {'s':>7} {'peak MB':>8}  ended")
for label, kb, seconds, mb, ended in hostile:
    lines.append(f"  {label:32} {kb:7.0f} {seconds:7.2f} {mb:8.1f}  {ended}")
text = "\n".join(lines)
print(text)
os.makedirs("build", exist_ok=True)
with open("build/bench-results.txt", "w") as f:
    f.write(text + "\n")
