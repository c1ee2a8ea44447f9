"""kyodo check swept over numbers, note counts and signatory counts: every
generated case either must be reported (a real mismatch) or must not (an
equivalent form), and the findings must name the right paragraph, counts and
party. Usage: lint_sweep.py KYODO TMPDIR; prints "ok - ..." / "not ok - ..."."""
import re
import subprocess
import sys

KYODO, TMP = sys.argv[1], sys.argv[2]
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<statement>
  <parties>
    <party id="jp"><name><en>Japan</en><ja>日本</ja></name><government><en>the Government of Japan</en><ja>日本国政府</ja></government></party>
    <party id="in"><name><en>India</en><ja>インド</ja></name><government><en>the Government of India</en><ja>インド政府</ja></government></party>
  </parties>
  <title><en>Sweep</en><ja>掃引</ja></title>
"""
WORDS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth " \
           "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
KANJI = "〇一二三四五六七八九"


def kanji(n):
    """1..9999 as 二千二十六, 百十, 十一."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, value)
        if d:
            out += (KANJI[d] if d > 1 else "") + unit
    return out + (KANJI[n] if n else "")


def myriads(v):
    """An integer in 兆, 億, 万 and digits: 1500000000000 as 1兆5000億."""
    out = ""
    for value, unit in ((10**12, "兆"), (10**8, "億"), (10**4, "万")):
        d, v = divmod(v, value)
        if d:
            out += str(d) + unit
    return out + (str(v) if v else "")


def check(name, body):
    path = f"{TMP}/{name}.xml"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD + body + "</statement>\n")
    run = subprocess.run([KYODO, "check", path], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def numbers():
    cases = []  # (en, ja, must be reported)
    for n, word in enumerate(WORDS, 1):
        cases.append((f"{word.capitalize()} meetings.", f"{n}回の会合。", False))
        cases.append((f"{word.capitalize()} meetings.", f"{n + 1}回の会合。", True))
    for n, word in enumerate(ORDINALS, 1):
        cases.append((f"The {word} Dialogue.", f"第{kanji(n)}回対話。", False))
        cases.append((f"The {word} Dialogue.", f"第{kanji(n + 1)}回対話。", True))
    for n in (1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 999, 1000, 1001, 2026, 9999):
        cases.append((f"{n:,} people.", f"{kanji(n)}人。", False))
        cases.append((f"{n + 1:,} people.", f"{kanji(n)}人。", True))
    for m in (1, 2, 5, 10, 12, 25, 100, 120, 999):
        for scale, word in ((10**6, "million"), (10**9, "billion"), (10**12, "trillion")):
            cases.append((f"USD {m} {word}.", f"{myriads(m * scale)}ドル。", False))
            cases.append((f"USD {m} {word}.", f"{myriads(m * scale * 10)}ドル。", True))
    for d, ja in (("1.5", "1兆5000億"), ("2.25", "2兆2500億"), ("0.5", "5000億"), ("1.5", "1.5兆")):
        cases.append((f"{d} trillion yen.", f"{ja}円。", False))
        cases.append((f"{d} trillion yen.", f"{ja}1円。", True))
    # However many numbers a text states, the last is compared too: in the
    # same order, and with the Japanese in the reverse order.
    for count in (1, 31, 32, 33, 63, 64, 65, 200):
        en = ", ".join(str(k + 1) for k in range(count))
        ja = "、".join(f"{k + 1}件" for k in reversed(range(count)))
        cases.append((en + ".", ja + "。", False))
        cases.append((en + ".", ja.replace(f"{count}件", f"{count + 1000}件") + "。", True))
    body = "".join(f"  <p><en>{en}</en><ja>{ja}</ja></p>\n" for en, ja, _ in cases)
    status, out = check("numbers", body)
    reported = {int(m) for m in re.findall(r"the paragraph (\d+) states", out)}
    wrong = [(i, cases[i - 1]) for i in range(1, len(cases) + 1)
             if (i in reported) != cases[i - 1][2]]
    silent = sum(1 for c in cases if not c[2])
    ok = not wrong and status == 0
    print(("ok" if ok else "not ok") + f" - check sweep: {silent} equivalent numbers silent, "
          f"{len(cases) - silent} mismatches reported" + ("" if ok else f": wrong {wrong[:5]}"))


def notes():
    body, expected = "", {}
    n = 0
    for i in range(4):
        for j in range(4):
            n += 1
            en = "Text" + "".join(f" word<note>Note {k}.</note>" for k in range(i)) + "."
            ja = "本文" + "".join(f"語<note>注{k}。</note>" for k in range(j)) + "。"
            body += f"  <p><en>{en}</en><ja>{ja}</ja></p>\n"
            if i != j:
                expected[n] = f"has {i} note{'' if i == 1 else 's'} in English but {j} in Japanese"
    status, out = check("notes", body)
    found = {int(m.group(1)): m.group(2)
             for m in re.finditer(r"the paragraph (\d+) (has .*) \[note-mismatch\]", out)}
    ok = found == expected and status == 0
    print(("ok" if ok else "not ok") + f" - check sweep: note counts 0-3 against 0-3, "
          f"{len(expected)} differing counts reported with both counts" + ("" if ok else f": {found}"))


def signatures():
    bad = []
    for a in range(4):
        for b in range(4):
            sigs = "".join(f'<signatory party="{p}"><name><en>A {p} {k}</en><ja>名{k}</ja></name></signatory>'
                           for p, c in (("jp", a), ("in", b)) for k in range(c))
            body = '  <p><en>Text.</en><ja>本文。</ja></p>\n'
            if sigs:
                body += f"  <signatures>{sigs}</signatures>\n"
            status, out = check(f"signatures-{a}-{b}", body)
            unsigned = sorted(re.findall(r"party '(\w+)' has no signatory", out))
            twice = re.findall(r"party '(\w+)' signs (twice|\d+ times)", out)
            want_unsigned = sorted(p for p, c in (("jp", a), ("in", b)) if c == 0 and a + b > 0)
            # One finding per party that signs more than once, with the count.
            want_twice = [(p, "twice" if c == 2 else f"{c} times")
                          for p, c in (("jp", a), ("in", b)) if c > 1]
            if unsigned != want_unsigned or sorted(twice) != sorted(want_twice) or status != 0:
                bad.append((a, b, out))
    print(("ok" if not bad else "not ok") + " - check sweep: 0-3 signatories per party, "
          "unsigned and twice-signing parties reported" + ("" if not bad else f": {bad[:2]}"))


def scaling():
    """check-ignore on every paragraph, four suppressed findings each: the CPU
    time at 8n stays within twice linear (matching each finding against every
    attribute made it 25 times the time at n, not 8)."""
    import os

    def cpu(n):
        ps = "".join(
            f'  <p check-ignore="number-mismatch ja-ascii-punctuation en-fullwidth ja-halfwidth-kana">'
            f"<en>The {k}th、</en><ja>第{k + 1}回ｱ.</ja></p>\n" for k in range(n))
        path = f"{TMP}/ignore-{n}.xml"
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEAD + ps + "</statement>\n")
        times = []
        for _ in range(3):
            proc = subprocess.Popen([KYODO, "check", path], stdout=subprocess.PIPE)
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = 0
            times.append(usage.ru_utime + usage.ru_stime)
        return min(times), out, os.waitstatus_to_exitcode(status)

    n = 2000
    small, out_small, status_small = cpu(n)
    large, out_large, status_large = cpu(8 * n)
    ratio = large / max(small, 0.02)
    ok = ratio <= 16 and not out_small and not out_large and status_small == status_large == 0
    print(("ok" if ok else "not ok") + f" - check scaling: check-ignore on {n} and {8 * n} paragraphs, "
          f"{small:.2f} s and {large:.2f} s CPU (ratio {ratio:.1f} <= 16), nothing printed")


for sweep in (numbers, notes, signatures, scaling):
    try:
        sweep()
    except Exception as e:  # a broken sweep is a failure, never a silent one
        print(f"not ok - check sweep {sweep.__name__}: {e!r}")
