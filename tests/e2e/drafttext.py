"""A draft's texts as kyodo prints them, for the end-to-end checkers: the
inline markup expanded as merge.c expands it (party names in the copy's order,
joined as the template says; a note replaced by its mark; a bare link by its
address)."""


def note_numbers(draft):
    """Each <note>'s number: per language, in the order of the references."""
    numbers = {}
    for lang in ("en", "ja"):
        notes = (n for e in draft.iter(lang) for n in e.iter("note"))
        for n, note in enumerate(notes, 1):
            numbers[id(note)] = n
    return numbers


def _text(tpl, lang, key, default):
    return tpl.get((lang, "text", key), default)


def note_mark(draft, tpl, lang, note):
    return _text(tpl, lang, "note-reference", "{n}").replace(
        "{n}", str(note_numbers(draft)[id(note)]))


def note_label(draft, tpl, lang, note):
    return _text(tpl, lang, "note-label", "{n}").replace(
        "{n}", str(note_numbers(draft)[id(note)]))


def text_of(draft, tpl, element, lang, copy=None):
    """An <en>/<ja> element's text, with its inline markup expanded, and
    each <note> replaced by its mark (the note itself is a text of its own,
    at the foot of the page)."""
    parties = list(draft.find("parties").iter("party"))
    if copy:
        parties.sort(key=lambda p: p.get("id") != copy)
    numbers = note_numbers(draft)

    def name(party, form):
        if form == "short" and party.find("short") is not None:
            return "".join(party.find("short").find(lang).itertext())
        part = party.find("government" if form == "government" else "name")
        return "".join(part.find(lang).itertext())

    def inline(element):
        out = element.text or ""
        for child in element:
            if child.tag == "parties" and child.get("joiner") == "and":
                names = [name(p, child.get("form", "name")) for p in parties]
                if len(names) == 2:
                    out += _text(tpl, lang, "parties-and", " and ").join(names)
                else:
                    out += (_text(tpl, lang, "parties-separator", ", ").join(names[:-1])
                            + _text(tpl, lang, "parties-last", ", and ") + names[-1])
            elif child.tag == "parties":
                joiner = _text(tpl, lang, "party-joiner", "–")
                out += joiner.join(name(p, child.get("form", "short")) for p in parties)
            elif child.tag == "party":
                party = next(p for p in parties if p.get("id") == child.get("ref"))
                out += name(party, child.get("form", "name"))
            elif child.tag == "note":
                out = out.rstrip() + _text(tpl, lang, "note-reference", "{n}").replace(
                    "{n}", str(numbers[id(child)]))
            elif child.tag == "link" and not len(child) and not child.text:
                out += child.get("href")
            else:
                out += inline(child)
            out += child.tail or ""
        return out

    return inline(element)


def without_notes(draft, tpl, text, squash):
    """text (squashed) with every note, label and all, taken out."""
    for lang in ("en", "ja"):
        for element in draft.iter(lang):
            for note in element.iter("note"):
                text = text.replace(squash(note_label(draft, tpl, lang, note)
                                           + text_of(draft, tpl, note, lang)), "")
    return text
