"""Reading kyodo templates in the end-to-end checks, with what they extend:
the checks measure PDFs against the template the draft was rendered with."""
import os
import re
import xml.etree.ElementTree as ET


def length(value):
    units = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
    m = re.fullmatch(r"([0-9.]+)(pt|mm|cm|in)?", value)
    return float(m.group(1)) * units[m.group(2) or "pt"]


def load(path):
    """A dict: page lengths by attribute name, 'ts-*' typesetting options,
    (lang, 'style', name) -> attributes and (lang, 'text', name) -> text."""
    root = ET.parse(path).getroot()
    info = {}
    parent = root.get("extends")
    if parent:
        beside = os.path.join(os.path.dirname(path), parent + ".xml")
        info = load(beside if os.path.exists(beside) else os.path.join("templates", parent + ".xml"))
    page = root.find("page")
    if page is not None:
        info.update({k: length(v) for k, v in page.attrib.items()})
    numbering = root.find("numbering")
    if numbering is not None:
        info["numbering-paragraphs"] = numbering.get("paragraphs")
    ts = root.find("typesetting")
    if ts is not None:
        info.update({"ts-" + k: v for k, v in ts.attrib.items()})
    for lang_el in root.iter("language"):
        code = lang_el.get("code")
        for el in lang_el:
            if el.tag == "style" and el.get("layout"):
                # The parallel layout's own sizes, apart from the ordinary ones.
                info[(code, "parallel-style", el.get("name"))] = el.attrib
                continue
            if el.tag == "style":
                merged = dict(info.get((code, "style", el.get("name")), {}))
                merged.update(el.attrib)
                info[(code, "style", el.get("name"))] = merged
            else:
                info[(code, el.tag, el.get("name"))] = el.text or ""
    return info


def for_draft(draft_path):
    """The template file a draft names (or the default)."""
    name = ET.parse(draft_path).getroot().get("template") or "joint-statement"
    return os.path.join("templates", name + ".xml")


def paragraph_labels(draft, tpl, lang):
    """(label, <p>) for every paragraph in document order, numbered as the
    template numbers them: through the document, or afresh in each section
    (the innermost, at any level) when <numbering paragraphs="per-section">
    says so or, without it, when the template numbers sections. Recitals
    of the <preamble> are never numbered."""
    restart = tpl.get("numbering-paragraphs",
                      "per-section" if (lang, "text", "section-number") in tpl else "through")
    restart = restart == "per-section"
    number_format = tpl[(lang, "text", "number")]
    section_of = {id(p): id(sec) for sec in draft.iter("section") for p in sec.findall("p")}
    recitals = {id(p) for pre in draft.iter("preamble") for p in pre.findall("p")}
    out, n, current = [], 0, None
    for p in draft.iter("p"):
        if restart and section_of.get(id(p)) != current:
            current, n = section_of.get(id(p)), 0
        label = ""
        if p.get("numbered") != "no" and id(p) not in recitals:
            n += 1
            label = number_format.replace("{n}", str(n))
        out.append((label, p))
    return out
