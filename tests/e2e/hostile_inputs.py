"""Generators of hostile drafts whose cost could grow faster than their size.

Each generator takes a size n and a directory, writes a draft (and, where it
needs one, a template directory) there and returns the kyodo arguments that
render it. Used by tests/bench.py (the "hostile" section) and by
tests/e2e/scaling.sh, which compares the cost at n and 8n.
"""
import os

MINIMAL = open(os.path.join(os.path.dirname(__file__), "..", "minimal.xml"), encoding="utf-8").read()
PARAGRAPH = "<p><en>One paragraph.</en><ja>一つの段落。</ja></p>"


def _write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def attribute_entities(n, directory):
    """n entity references in one attribute value (schema-invalid)."""
    value = "&amp;" * n
    return [_write(directory, "attr-entities.xml",
                   MINIMAL.replace("<statement>", f'<statement status="{value}">'))]


def declared_entities(n, directory):
    """n references to a declared entity in one (valid) attribute value (kyodo
    refuses values over 4096 bytes: 1365 references)."""
    text = MINIMAL.replace("<statement>", '<!DOCTYPE statement [<!ENTITY e "x">]>\n'
                           f'<statement status="{"&e;" * n}">')
    return [_write(directory, "declared-entities.xml", text)]


def attributes(n, directory):
    """One element with n distinct (undeclared) attributes."""
    names = " ".join(f'a{i}="{i}"' for i in range(n))
    return [_write(directory, "attributes.xml", MINIMAL.replace("<statement>", f"<statement {names}>"))]


def zero_width_spaces(n, directory):
    """A paragraph of n zero-width spaces: one 'word' with no break in it."""
    return [_write(directory, "zwsp.xml", MINIMAL.replace("One paragraph.", "\u200b" * n))]


def long_word(n, directory):
    """A paragraph that is one word of n letters."""
    return [_write(directory, "long-word.xml", MINIMAL.replace("One paragraph.", "a" * n))]


def alternating_faces(n, directory):
    """An English paragraph alternating a Latin letter and a kanji: n characters,
    each a run of its own face."""
    return [_write(directory, "faces.xml", MINIMAL.replace("One paragraph.", "a漢" * (n // 2)))]


def long_paragraph(n, directory):
    """An English paragraph of n words (hyphenation looks at every word)."""
    words = " ".join(["cooperation"] * n)
    return [_write(directory, "long-paragraph.xml", MINIMAL.replace("One paragraph.", words))]


def paragraphs(n, directory):
    """n short paragraphs."""
    body = "\n".join(f"<p><en>Paragraph {i} of the statement.</en><ja>第{i}段落。</ja></p>"
                     for i in range(n))
    return [_write(directory, "paragraphs.xml", MINIMAL.replace(PARAGRAPH, body))]


def template_text(n, directory):
    """A template whose footer holds n placeholders (kyodo allows 1000 bytes),
    and a draft of 200 paragraphs: the footer is expanded on every page."""
    src = os.path.join(os.path.dirname(__file__), "..", "..", "templates", "joint-statement.xml")
    tpl = open(src, encoding="utf-8").read()
    footer = tpl[tpl.index('<text name="footer">'):]
    footer = footer[:footer.index("</text>") + len("</text>")]
    tpl = tpl.replace(footer, f'<text name="footer">{"{page}" * n}</text>', 1)
    tdir = os.path.join(directory, "templates")
    os.makedirs(tdir, exist_ok=True)
    _write(tdir, "joint-statement.xml", tpl)
    body = "\n".join([PARAGRAPH] * 200)
    draft = _write(directory, "template-text.xml", MINIMAL.replace(PARAGRAPH, body))
    return [draft, "--template-dir", tdir]


def label_text(n, directory):
    """A template whose paragraph number holds n placeholders (kyodo refuses
    more than 32 bytes), and a draft of 20,000 paragraphs."""
    src = os.path.join(os.path.dirname(__file__), "..", "..", "templates", "joint-statement.xml")
    tpl = open(src, encoding="utf-8").read()
    tpl = tpl.replace('<text name="number">{n}.</text>', f'<text name="number">{"{n}" * n}.</text>', 1)
    tdir = os.path.join(directory, "templates")
    os.makedirs(tdir, exist_ok=True)
    _write(tdir, "joint-statement.xml", tpl)
    body = "\n".join([PARAGRAPH] * 20000)
    draft = _write(directory, "label-text.xml", MINIMAL.replace(PARAGRAPH, body))
    return [draft, "--template-dir", tdir]


# name: (generator, n for a quick run, what the input is)
CASES = {
    "attribute-entities": (attribute_entities, 20000),
    "declared-entities": (declared_entities, 1000),
    "attributes": (attributes, 20000),
    "zero-width-spaces": (zero_width_spaces, 200000),
    "long-word": (long_word, 600000),
    "alternating-faces": (alternating_faces, 300000),
    "long-paragraph": (long_paragraph, 50000),
    "paragraphs": (paragraphs, 20000),
    "template-text": (template_text, 160),
    "label-text": (label_text, 10),
}

if __name__ == "__main__":
    # hostile_inputs.py CASE N DIR: writes the input, prints the arguments.
    import sys
    args = CASES[sys.argv[1]][0](int(sys.argv[2]), sys.argv[3])
    print("\n".join(args))
