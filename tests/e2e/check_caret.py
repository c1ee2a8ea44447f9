"""Checks a GCC-style message with its source line and caret, on its own
terms: the caret stands under the character the column names, as a terminal
shows the quoted line (East Asian wide characters take two cells, tabs are
expanded), and the column counts characters of the line in the file.
Usage: check_caret.py ERRFILE TEXT NAME (TEXT: what the column points at); prints "ok - …" or "not ok - …"."""
import re
import sys
import unicodedata

err_path, char, name = sys.argv[1], sys.argv[2], sys.argv[3]


def cells(c):
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def check():
    lines = open(err_path, encoding="utf-8").read().split("\n")
    head = re.match(r"^(.*):(\d+):(\d+): error: ", lines[0])
    if not head or len(lines) < 3:
        return "no file:line:col with a quote: %r" % lines[:3]
    path, line, column = head.group(1), int(head.group(2)), int(head.group(3))
    source = open(path, encoding="utf-8").read().split("\n")[line - 1]
    if not source[column - 1 :].startswith(char):
        return "column %d is %r in the file, not %r" % (column, source[column - 1 :][:9], char)
    quote = re.match(r"^( *%d) \| (.*)$" % line, lines[1])
    caret = re.match(r"^( *) \| ( *)\^$", lines[2])
    if not quote or not caret:
        return "no quote and caret lines: %r" % lines[1:3]
    if len(quote.group(1)) != len(caret.group(1)):
        return "the gutters of the quote and the caret differ"
    text = quote.group(2)
    if "\t" in text:
        return "a tab reached the terminal"
    width = sum(cells(c) for c in text)
    if width > 126:
        return "the quote is %d cells wide" % width
    target, at = len(caret.group(2)), 0
    for c in text:
        if at == target:
            return None if c == char[0] else "the caret is under %r, not %r" % (c, char[0])
        at += cells(c)
        if at > target:
            return "the caret is inside the wide character %r" % c
    return "the caret is past the end of the quote"


problem = check()
print(("ok - " if problem is None else "not ok - ") + name + ("" if problem is None else ": " + problem))
