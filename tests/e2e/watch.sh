#!/bin/sh
# kyodo watch: a background watch of the sample re-renders it after a save
# (written in place and renamed over, as editors do), after a save of its
# template, keeps the last good PDF when a save is broken (and says where),
# renders again once fixed, and stops cleanly on SIGTERM; the latency from
# a save to the new PDF is measured (target: under 100 ms for the sample).
# Usage: watch.sh KYODO TMPDIR; prints "ok - …" / "not ok - …" lines.
set -u
KYODO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$2/watch
rm -rf "$tmp" && mkdir -p "$tmp/tpl"
python3 - "$KYODO" "$tmp" "$(pwd)/input/japan-india-cyber-dialogue.xml" << 'PY'
import os, signal, statistics, subprocess, sys, time

kyodo, tmp, sample = sys.argv[1:4]
draft, pdf, log = f"{tmp}/s.xml", f"{tmp}/s.pdf", f"{tmp}/log"
original = open(sample, encoding="utf-8").read()
# The draft names a template of its own that extends the sample's.
tpl = f"{tmp}/tpl/ours.xml"
text = original.replace('template="joint-statement"', 'template="ours"')
assert text != original
def save(path, content, rename=True):
    """As an editor saves: a new file renamed over the old, or in place."""
    if rename:
        with open(path + ".new", "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(path + ".new", path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
save(tpl, '<template name="ours" extends="joint-statement"><description>Ours.</description></template>\n')
save(draft, text)

def result(ok, name, why=""):
    print(("ok" if ok else "not ok") + " - watch: " + name + ("" if ok else ": " + why))

def stamp():
    try:
        st = os.stat(pdf)
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return None

def wait_for(predicate, seconds=20.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.001)
    return False

def lines():
    return open(log, encoding="utf-8", errors="replace").read().splitlines()

out = open(log, "w")
proc = subprocess.Popen([kyodo, "watch", draft, "-o", pdf, "--template-dir", f"{tmp}/tpl"],
                        stdout=out, stderr=out)
try:
    started = wait_for(lambda: any("watching" in l for l in lines()))
    result(started and stamp() is not None, "the first render writes the PDF and says what it watches",
           " | ".join(lines()[-3:]))
    n = len([l for l in lines() if " written in " in l])

    # Saves of the draft: each gives a new PDF; the time from the save to it.
    latencies = []
    for i in range(8):
        before = stamp()
        changed = text.replace("Cyber", "Cyber" + "e" * (i % 2 + 1), 1)
        t0 = time.monotonic()
        save(draft, changed, rename=i % 2 == 0)
        got = wait_for(lambda: stamp() != before and
                       len([l for l in lines() if " written in " in l]) > n + i)
        latencies.append((time.monotonic() - t0) * 1000 if got else float("inf"))
    ok = all(l < float("inf") for l in latencies)
    result(ok, "each save of the draft (renamed over or written in place) gives a new PDF",
           f"latencies {latencies}")
    finite = sorted(l for l in latencies if l < float("inf"))
    if finite:
        print(f"#   watch: save to new PDF, {len(finite)} saves of the sample: median "
              f"{statistics.median(finite):.0f} ms, max {max(finite):.0f} ms (target 100 ms)")
    # Generous: the machine running the tests may be busy; the figure is printed.
    result(ok and statistics.median(finite) < 1000, "save to new PDF in well under a second",
           f"median {statistics.median(finite) if finite else 'none'} ms")

    # A broken save: the last good PDF stays, the error names the line.
    good = open(pdf, "rb").read()
    count = len(lines())
    save(draft, text.replace("</title>", "</titel>", 1))
    said = wait_for(lambda: any("kept as it was" in l for l in lines()[count:]))
    kept = open(pdf, "rb").read() == good
    errors = [l for l in lines()[count:] if ": error: " in l]
    result(said and kept and errors and errors[0].startswith(draft + ":"),
           "a broken save keeps the last good PDF and says why at the draft's line",
           " | ".join(lines()[count:])[:300])
    before = stamp()
    save(draft, text)
    result(wait_for(lambda: stamp() != before), "the save that fixes it gives a new PDF")

    # A save of the template the draft names.
    before = stamp()
    save(tpl, '<template name="ours" extends="joint-statement"><description>Changed.</description></template>\n')
    result(wait_for(lambda: stamp() != before), "a save of the draft's template gives a new PDF")
    # A file it does not read changes nothing.
    before = stamp()
    save(f"{tmp}/other.xml", "<x/>")
    time.sleep(0.5)
    result(stamp() == before, "a save of another file in the directory renders nothing")
finally:
    proc.send_signal(signal.SIGTERM)
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = "hung"
result(status == 0, "SIGTERM stops it cleanly with status 0", f"status {status}")
left = [f for f in os.listdir(tmp) if ".tmp-" in f]
result(not left, "no temporary file is left", str(left))
PY
