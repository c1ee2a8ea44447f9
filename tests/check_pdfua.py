#!/usr/bin/python3
"""The machine-checkable PDF/UA-1 conditions (Matterhorn protocol) on a
kyodo PDF, with python3-pikepdf. Prints "ok - pdfua: ..." / "not ok - pdfua:
...: why" lines.

  check_pdfua.py PDF...            checks each PDF
  check_pdfua.py --none PDF        the PDF must carry no structure at all
  check_pdfua.py --self-test PDF DIR
                                   breaks a copy of PDF (a good, tagged one
                                   with headings, lists, a table, notes and
                                   links) once per rule into DIR: each copy
                                   must fail that rule, so that the checker
                                   cannot pass by accident

What it checks:
  marked   every operator that paints (text, paths, images) is inside a
           marked-content sequence with an MCID or inside an Artifact
  parents  each page's MCIDs, its ParentTree array and the structure
           elements agree: every MCID of a page is referenced by exactly one
           element, the one the ParentTree names for it, and no element
           references an MCID the page does not have
  lang     every element's effective /Lang matches the script of its text:
           Japanese characters (kana, kanji, Japanese punctuation) only
           where it is ja; an element in ja with Latin letters and no
           Japanese character is wrong too, unless it is short (a name, an
           acronym: at most 12 letters); addresses count as no text. An
           inline element (Link, Reference, Span) without a /Lang of its
           own is judged as part of the element around it: an English link
           text in Japanese text, like any English phrase there without
           <foreign>, is part of a Japanese paragraph
  parts    the Document holds Parts, each with a /Lang
  headings heading levels never skip one (within each Part)
  tables   every Table has TH cells
  links    every link annotation has /Contents and a /StructParent whose
           ParentTree entry is a Link element holding the annotation by an
           OBJR; the Link element holds the link's text too, and /Contents
           is that text (for a bare link, the address, which is its text; for
           a note's mark, the template's note-link, "Note 1", holding it)
  notes    every Note has an /ID, unique in the document, that the
           StructTreeRoot's /IDTree maps to it, and exactly one Reference
           element refers to it (/Ref): the note's mark in the text, whose
           text has the number of the Note's label (Lbl) and which holds a
           Link whose annotation goes to the named destination of the
           Note's /ID, on the page where the Note begins
  spans    every Span (a phrase in another language) has its own /Lang
  catalog  MarkInfo /Marked true, ViewerPreferences /DisplayDocTitle true,
           pdfuaid:part 1 in the XMP with its PDF/A extension schema
"""
import os
import re
import sys

import pikepdf
from pikepdf import Name

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"}
# The ideographic space (a Japanese paragraph's indent) is white space.
JAPANESE = re.compile("[\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uff60]")
LATIN = re.compile("[A-Za-z]")
INLINE = {"/Link", "/Reference", "/Span"}
# An address has no language: it counts as no Latin text.
ADDRESS = re.compile(r"(?:https?://|www\.)\S+")


def squash(text):
    return re.sub(r"[\s\u00ad]", "", text)


def to_unicode_map(font):
    """code → text from the font's ToUnicode CMap (bfchar entries, as kyodo writes them)."""
    result = {}
    if "/ToUnicode" not in font:
        return result
    data = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            raw = bytes.fromhex(text)
            result[int(code, 16)] = raw.decode("utf-16-be", "replace")
    return result


def decode(maps, font, data):
    cmap = maps.get(font, {})
    return "".join(cmap.get(int.from_bytes(data[i:i + 2], "big"), "") for i in range(0, len(data) - 1, 2))


class Checker:
    def __init__(self, pdf):
        self.pdf = pdf
        self.errors = {}

    def fail(self, rule, why):
        self.errors.setdefault(rule, []).append(why)

    def run(self):
        pdf = self.pdf
        root = pdf.Root
        self.check_catalog(root)
        if "/StructTreeRoot" not in root:
            self.fail("parents", "no StructTreeRoot")
            return self.errors
        tree = root.StructTreeRoot
        nums = {}
        if "/ParentTree" in tree:
            arr = tree.ParentTree.get("/Nums", pikepdf.Array())
            for i in range(0, len(arr) - 1, 2):
                nums[int(arr[i])] = arr[i + 1]
        # Content: the MCIDs of each page and their text.
        self.mcids = {}  # (page objgen, mcid) → text
        page_of = {}
        for index, page in enumerate(pdf.pages):
            page_of[page.obj.objgen] = index
            self.scan_page(index, page)
        # The tree: who references each (page, mcid).
        self.refs = {}
        self.langs = []  # (element, type, effective /Lang)
        self.elem_text = {}  # objgen → the text of its own marked content
        self.by_type = {}  # "/Note" → [elements]
        self.root_lang = str(root.get("/Lang", ""))
        kids = tree.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        self.parts = []
        for kid in kids:
            self.walk(kid, None, self.root_lang, 0)
        for kid in kids:
            if kid.get("/S") != Name.Document:
                self.fail("parts", "the tree's root is %s, not a Document" % kid.get("/S"))
                continue
            for part in self.kids(kid):
                if part.get("/S") != Name.Part or "/Lang" not in part:
                    self.fail("parts", "the Document holds a %s, not a Part with /Lang" % part.get("/S"))
        # MCIDs ↔ elements ↔ ParentTree.
        for (pg, mcid), text in self.mcids.items():
            owners = self.refs.get((pg, mcid), [])
            if len(owners) != 1:
                self.fail("parents", "page %d MCID %d is referenced by %d elements" % (page_of[pg] + 1, mcid, len(owners)))
                continue
            page = pdf.get_object(pg)
            key = page.get("/StructParents")
            entry = nums.get(int(key)) if key is not None else None
            if entry is None or not isinstance(entry, pikepdf.Array) or mcid >= len(entry):
                self.fail("parents", "page %d MCID %d has no ParentTree entry" % (page_of[pg] + 1, mcid))
            elif entry[mcid].objgen != owners[0].objgen:
                self.fail("parents", "page %d MCID %d: the ParentTree names another element" % (page_of[pg] + 1, mcid))
        for (pg, mcid), owners in self.refs.items():
            if (pg, mcid) not in self.mcids:
                self.fail("parents", "an element references MCID %d, which page %s lacks" % (mcid, page_of.get(pg, "?")))
        for elem, s, lang in self.langs:
            if not (s in INLINE and "/Lang" not in elem):
                self.check_lang(s, lang, self.lang_text(elem))
        self.check_links(nums, page_of)
        self.check_notes(tree)
        for span in self.by_type.get("/Span", []):
            if "/Lang" not in span:
                self.fail("spans", "a Span without /Lang: %.40s" % self.elem_text.get(span.objgen, ""))
        return self.errors

    def check_catalog(self, root):
        marked = root.get("/MarkInfo", {}).get("/Marked") if "/MarkInfo" in root else None
        if marked is not True and str(marked) != "True":
            self.fail("catalog", "MarkInfo /Marked is not true")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or prefs.get("/DisplayDocTitle") is not True and str(prefs.get("/DisplayDocTitle")) != "True":
            self.fail("catalog", "ViewerPreferences /DisplayDocTitle is not true")
        xmp = root.Metadata.read_bytes().decode("utf-8", "replace") if "/Metadata" in root else ""
        if not re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp):
            self.fail("catalog", "no pdfuaid:part 1 in the XMP")
        if "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" not in xmp:
            self.fail("catalog", "no PDF/A extension schema for pdfuaid in the XMP")

    def scan_page(self, index, page):
        fonts = {}
        resources = page.get("/Resources", {})
        for name, font in resources.get("/Font", {}).items():
            fonts[name] = to_unicode_map(font)
        stack = []  # (tag, mcid or None, artifact)
        font = None
        pg = page.obj.objgen
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "BDC" or op == "BMC":
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = None
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                    if (pg, mcid) in self.mcids:
                        self.fail("parents", "page %d uses MCID %d twice" % (index + 1, mcid))
                    self.mcids[(pg, mcid)] = ""
                stack.append((tag, mcid, tag == "/Artifact"))
            elif op == "EMC":
                if stack:
                    stack.pop()
                else:
                    self.fail("marked", "page %d: EMC without BDC" % (index + 1))
            elif op == "Tf":
                font = str(operands[0])
            elif op in PAINT:
                inside = any(m is not None or art for _, m, art in stack)
                if not inside:
                    self.fail("marked", "page %d: %s outside marked content" % (index + 1, op))
                mcid = next((m for _, m, _a in reversed(stack) if m is not None), None)
                if mcid is not None and op in ("Tj", "'", '"', "TJ"):
                    shown = ""
                    for operand in operands:
                        items = operand if isinstance(operand, pikepdf.Array) else [operand]
                        for item in items:
                            if isinstance(item, pikepdf.String):
                                shown += decode(fonts, font, bytes(item))
                    self.mcids[(pg, mcid)] += shown
        if stack:
            self.fail("marked", "page %d ends inside marked content" % (index + 1))

    def kids(self, elem):
        k = elem.get("/K")
        if k is None:
            return []
        items = k if isinstance(k, pikepdf.Array) else [k]
        return [i for i in items if isinstance(i, pikepdf.Dictionary) and "/S" in i]

    def walk(self, elem, parent, lang, depth, headings=None):
        if depth > 100:
            self.fail("parents", "the tree is deeper than 100")
            return
        if not isinstance(elem, pikepdf.Dictionary):
            return
        s = str(elem.get("/S", ""))
        if "/Lang" in elem:
            lang = str(elem.Lang)
        if s == "/Part":
            headings = [0]
        pg = elem.get("/Pg")
        text = ""
        k = elem.get("/K")
        items = k if isinstance(k, pikepdf.Array) else [k] if k is not None else []
        for item in items:
            if isinstance(item, int) or (isinstance(item, pikepdf.Object) and item._type_code == pikepdf.ObjectType.integer):
                key = (pg.objgen if pg is not None else None, int(item))
                self.refs.setdefault(key, []).append(elem)
                text += self.mcids.get(key, "")
            elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == Name.MCR:
                page = item.get("/Pg", pg)
                key = (page.objgen if page is not None else None, int(item.MCID))
                self.refs.setdefault(key, []).append(elem)
                text += self.mcids.get(key, "")
        m = re.fullmatch(r"/H([1-6])", s)
        if m and headings is not None:
            level = int(m.group(1))
            if level > headings[0] + 1:
                self.fail("headings", "H%d follows H%d" % (level, headings[0]))
            headings[0] = level
        if s == "/Table":
            if not self.has_descendant(elem, "/TH"):
                self.fail("tables", "a Table without TH cells")
        self.langs.append((elem, s, lang))
        self.elem_text[elem.objgen] = text
        self.by_type.setdefault(s, []).append(elem)
        for kid in self.kids(elem):
            self.walk(kid, elem, lang, depth + 1, headings)

    def has_descendant(self, elem, s, depth=0):
        for kid in self.kids(elem):
            if str(kid.get("/S")) == s or (depth < 20 and self.has_descendant(kid, s, depth + 1)):
                return True
        return False

    def check_lang(self, s, lang, text):
        if not text.strip():
            return
        base = lang.split("-")[0].lower()
        japanese = len(JAPANESE.findall(text))
        latin = len(LATIN.findall(ADDRESS.sub("", text)))
        if japanese and base != "ja":
            self.fail("lang", "%s in %r has Japanese text: %.40s" % (s, lang, text))
        elif base == "ja" and not japanese and latin > 12:
            self.fail("lang", "%s in 'ja' has only Latin text: %.40s" % (s, text))
        elif base not in ("ja", "en"):
            self.fail("lang", "%s has language %r" % (s, lang))

    def check_links(self, nums, page_of):
        for index, page in enumerate(self.pdf.pages):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != Name.Link:
                    continue
                where = "page %d's link" % (index + 1)
                if not str(annot.get("/Contents", "")).strip():
                    self.fail("links", where + " has no /Contents")
                key = annot.get("/StructParent")
                elem = nums.get(int(key)) if key is not None else None
                if elem is None or not isinstance(elem, pikepdf.Dictionary) or elem.get("/S") != Name.Link:
                    self.fail("links", where + " has no Link element in the ParentTree")
                    continue
                k = elem.get("/K")
                items = k if isinstance(k, pikepdf.Array) else [k]
                if not any(isinstance(i, pikepdf.Dictionary) and i.get("/Type") == Name.OBJR
                           and i.get("/Obj") is not None and i.Obj.objgen == annot.objgen for i in items):
                    self.fail("links", where + ": its Link element has no OBJR to it")
                text = squash(self.deep_text(elem))
                contents = squash(str(annot.get("/Contents", "")))
                uri = str(annot.get("/A", {}).get("/URI", ""))
                if not text:
                    self.fail("links", where + ": its Link element holds none of its text")
                # A note's mark's link says where it leads ("Note 1" for
                # the mark "1"): its text is in it.
                note = annot.get("/A", {}).get("/S") == Name.GoTo and text in contents
                fits = contents == text or note or (text == squash(uri) and contents == squash(uri))
                if text and not fits:
                    self.fail("links", where + ": /Contents %r is not its text %r" % (contents[:40], text[:40]))

    def lang_text(self, elem, depth=0):
        """An element's text with that of the inline elements in it that take its language."""
        text = self.elem_text.get(elem.objgen, "")
        for kid in self.kids(elem) if depth < 10 else []:
            if str(kid.get("/S")) in INLINE and "/Lang" not in kid:
                text += self.lang_text(kid, depth + 1)
        return text

    def deep_text(self, elem, depth=0):
        """The text of an element and of the elements inside it (a Link's Span), in order."""
        pg = elem.get("/Pg")
        k = elem.get("/K")
        text = ""
        for item in k if isinstance(k, pikepdf.Array) else [k] if k is not None else []:
            if isinstance(item, int) or (isinstance(item, pikepdf.Object) and item._type_code == pikepdf.ObjectType.integer):
                text += self.mcids.get((pg.objgen if pg is not None else None, int(item)), "")
            elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == Name.MCR:
                page = item.get("/Pg", pg)
                text += self.mcids.get((page.objgen if page is not None else None, int(item.MCID)), "")
            elif isinstance(item, pikepdf.Dictionary) and "/S" in item and depth < 10:
                text += self.deep_text(item, depth + 1)
        return text

    def names(self, root):
        """A name tree's keys and values."""
        out = {}
        stack = [root] if isinstance(root, pikepdf.Dictionary) else []
        while stack:
            node = stack.pop()
            names = node.get("/Names", pikepdf.Array())
            for i in range(0, len(names) - 1, 2):
                out[bytes(names[i])] = names[i + 1]
            stack.extend(k for k in node.get("/Kids", []) if isinstance(k, pikepdf.Dictionary))
        return out

    def check_notes(self, tree):
        ids = self.names(tree.get("/IDTree"))
        root = self.pdf.Root
        dests = self.names(root.Names.get("/Dests")) if "/Names" in root else {}
        referred = {}
        for ref in self.by_type.get("/Reference", []):
            targets = ref.get("/Ref", pikepdf.Array())
            targets = targets if isinstance(targets, pikepdf.Array) else [targets]
            if not targets:
                self.fail("notes", "a Reference refers to nothing: %.40s" % self.elem_text.get(ref.objgen, ""))
            for target in targets:
                referred.setdefault(target.objgen, []).append(ref)
        seen = set()
        for note in self.by_type.get("/Note", []):
            label = "".join(self.elem_text.get(k.objgen, "") for k in self.kids(note) if k.get("/S") == Name.Lbl)
            where = "the Note %r" % squash(label or self.elem_text.get(note.objgen, ""))[:40]
            key = bytes(note.ID) if isinstance(note.get("/ID"), pikepdf.String) else None
            if key is None:
                self.fail("notes", where + " has no /ID")
            elif key in seen:
                self.fail("notes", where + " has the /ID %r of another" % key.decode("latin-1"))
            elif key not in ids or ids[key].objgen != note.objgen:
                self.fail("notes", where + " is not in the IDTree under its /ID")
            if key is not None:
                seen.add(key)
            refs = referred.get(note.objgen, [])
            if len(refs) != 1:
                self.fail("notes", where + " is referred to by %d Reference elements" % len(refs))
                continue
            mark = squash(self.deep_text(refs[0]))
            if not mark or re.sub(r"\D", "", mark) != re.sub(r"\D", "", squash(label)):
                self.fail("notes", where + ": its Reference's text %r is not its mark" % mark)
            # The mark's link: to the Note's /ID, where the Note begins.
            goes = set()
            for link in self.kids(refs[0]):
                for item in (link.K if link.get("/S") == Name.Link and isinstance(link.get("/K"), pikepdf.Array) else []):
                    if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == Name.OBJR:
                        action = item.Obj.get("/A", {})
                        if action.get("/S") == Name.GoTo and isinstance(action.get("/D"), pikepdf.String):
                            goes.add(bytes(action.D))
            dest = dests.get(key) if key is not None else None
            if not goes or goes != {key}:
                self.fail("notes", where + ": its mark has no link to it (links to %s)" % sorted(goes))
            elif not isinstance(dest, pikepdf.Array) or len(dest) < 1 or "/Pg" not in note \
                    or dest[0].objgen != note.Pg.objgen:
                self.fail("notes", where + ": its named destination is not on its page")


RULES = ["marked", "parents", "lang", "parts", "headings", "tables", "links", "notes", "spans", "catalog"]


def check(path):
    try:
        with pikepdf.open(path) as pdf:
            return Checker(pdf).run()
    except Exception as e:  # a PDF it cannot read fails every rule
        return {"read": ["%s: %s" % (type(e).__name__, e)]}


def report(path):
    errors = check(path)
    name = os.path.basename(path)
    if errors:
        for rule, whys in sorted(errors.items()):
            print("not ok - pdfua: %s %s: %s%s" % (name, rule, "; ".join(whys[:3]),
                                                  " (and %d more)" % (len(whys) - 3) if len(whys) > 3 else ""))
    else:
        print("ok - pdfua: %s" % name)


def check_none(path):
    name = os.path.basename(path)
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        found = [k for k in ("/StructTreeRoot", "/MarkInfo") if k in root]
        found += ["/StructParents"] if any("/StructParents" in p.obj for p in pdf.pages) else []
        marked = any(str(op) in ("BDC", "BMC") for p in pdf.pages for _o, op in pikepdf.parse_content_stream(p))
        if marked:
            found.append("marked content")
    print(("ok" if not found else "not ok") + " - pdfua: --standard none writes no structure (%s)%s"
          % (name, ": " + ", ".join(found) if found else ""))


# ---- self-test: a broken copy per rule -----------------------------------------
def first_page_with(pdf, pred):
    for page in pdf.pages:
        if pred(page):
            return page
    return None


def elements(pdf):
    out = []
    def go(e, depth=0):
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            out.append(e)
        k = e.get("/K") if isinstance(e, pikepdf.Dictionary) else None
        for i in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            if isinstance(i, pikepdf.Dictionary) and "/S" in i and depth < 50:
                go(i, depth + 1)
    go(pdf.Root.StructTreeRoot)
    return out


def untag(pdf):
    """Drops the first MCID sequence's BDC and its EMC on page 1: its text is untagged."""
    page = pdf.pages[0]
    ops = list(pikepdf.parse_content_stream(page))
    for i, (operands, op) in enumerate(ops):
        if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            depth = 0
            for j in range(i + 1, len(ops)):
                o = str(ops[j][1])
                if o in ("BDC", "BMC"):
                    depth += 1
                elif o == "EMC":
                    if depth == 0:
                        del ops[j]
                        break
                    depth -= 1
            del ops[i]
            break
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def swap_parents(pdf):
    tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(1, len(tree), 2):
        arr = tree[i]
        if isinstance(arr, pikepdf.Array) and len(arr) >= 2:
            for j in range(1, len(arr)):
                if arr[j].objgen != arr[0].objgen:
                    first = arr[0]
                    arr[0] = arr[j]
                    arr[j] = first
                    return


def double_reference(pdf):
    elems = [e for e in elements(pdf) if isinstance(e.get("/K"), pikepdf.Array)]
    src = next(e for e in elems if any(isinstance(i, int) or getattr(i, "_type_code", None) == pikepdf.ObjectType.integer for i in e.K))
    mcid = next(i for i in src.K if not isinstance(i, pikepdf.Dictionary))
    other = next(e for e in elems if e.objgen != src.objgen and str(e.get("/S")) == "/P")
    other.K.append(pikepdf.Dictionary(Type=Name.MCR, Pg=src.Pg, MCID=int(mcid)))


def english_japanese(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.Part and str(e.get("/Lang")) == "ja":
            e.Lang = pikepdf.String("en")
            return


def skip_heading(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.H2:
            e.S = Name.H4
            return


def no_th(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.TH:
            e.S = Name.TD


def link_contents(pdf):
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") == Name.Link and "/Contents" in annot:
                del annot.Contents
                return


def note_link_contents(pdf):
    """A note's mark's link whose /Contents does not hold the mark."""
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/A", {}).get("/S") == Name.GoTo:
                annot.Contents = pikepdf.String("Note")
                return
    raise KeyError("no note mark's link")


def link_objr(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.Link:
            e.K = pikepdf.Array()
            return


def link_contents_address(pdf):
    """/Contents the address where the link's text is not the address."""
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            uri = str(annot.get("/A", {}).get("/URI", ""))
            if annot.get("/Subtype") == Name.Link and uri and str(annot.get("/Contents")) != uri:
                annot.Contents = pikepdf.String(uri)
                return
    raise KeyError("no link whose text is not its address")


def link_text_outside(pdf):
    """The Link element's marked content moved to its parent: the text is outside the Link."""
    for e in elements(pdf):
        if e.get("/S") == Name.Link:
            parent = e.P
            for item in list(e.K):
                if not isinstance(item, pikepdf.Dictionary) or item.get("/Type") == Name.MCR:
                    parent.K.append(item)
            e.K = pikepdf.Array([i for i in e.K if isinstance(i, pikepdf.Dictionary) and i.get("/Type") == Name.OBJR])
            # The ParentTree names the parent for those MCIDs now.
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            for i in range(1, len(nums), 2):
                if isinstance(nums[i], pikepdf.Array):
                    for j in range(len(nums[i])):
                        if nums[i][j].objgen == e.objgen:
                            nums[i][j] = parent
            return
    raise KeyError("no Link element")


def note_no_id(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.Note:
            del e.ID
            return
    raise KeyError("no Note")


def note_not_in_tree(pdf):
    names = pdf.Root.StructTreeRoot.IDTree.Names
    del names[0]
    del names[0]


def note_same_id(pdf):
    notes = [e for e in elements(pdf) if e.get("/S") == Name.Note]
    notes[1].ID = notes[0].ID


def reference_no_ref(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.Reference:
            del e.Ref
            return
    raise KeyError("no Reference")


def reference_wrong_mark(pdf):
    """Two Notes' References swapped: each refers to the other's note."""
    refs = [e for e in elements(pdf) if e.get("/S") == Name.Reference]
    first = refs[0].Ref
    refs[0].Ref = refs[1].Ref
    refs[1].Ref = first


def note_link_elsewhere(pdf):
    """Two notes' marks' links swapped: each goes to the other note."""
    actions = [a.A for page in pdf.pages for a in page.get("/Annots", [])
               if a.get("/A", {}).get("/S") == Name.GoTo]
    first = actions[0].D
    actions[0].D = actions[1].D
    actions[1].D = first


def note_dest_elsewhere(pdf):
    """A note's named destination on another page."""
    names = pdf.Root.Names.Dests.Names
    pages = list(pdf.pages)
    dest = names[1]
    dest[0] = next(p.obj for p in pages if p.obj.objgen != dest[0].objgen)


def span_no_lang(pdf):
    for e in elements(pdf):
        if e.get("/S") == Name.Span and "/Lang" in e:
            del e.Lang
            return
    raise KeyError("no Span with /Lang")


def no_parts(pdf):
    doc = pdf.Root.StructTreeRoot.K
    doc = doc[0] if isinstance(doc, pikepdf.Array) else doc
    for part in list(doc.K):
        if "/Lang" in part:
            del part.Lang
            return


def catalog(pdf):
    pdf.Root.MarkInfo.Marked = False


def title(pdf):
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def xmp(pdf):
    data = pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b"")
    pdf.Root.Metadata.write(data)


BREAKS = [
    ("marked", "text outside marked content", untag),
    ("parents", "ParentTree entries swapped", swap_parents),
    ("parents", "an MCID referenced by two elements", double_reference),
    ("lang", "the Japanese Part marked en", english_japanese),
    ("parts", "a Part without /Lang", no_parts),
    ("headings", "an H2 made H4", skip_heading),
    ("tables", "TH cells made TD", no_th),
    ("links", "a link without /Contents", link_contents),
    ("links", "a Link element without OBJR", link_objr),
    ("links", "a link's /Contents its address, not its text", link_contents_address),
    ("links", "a note mark's link's /Contents without the mark", note_link_contents),
    ("links", "a link's text outside its Link element", link_text_outside),
    ("notes", "a Note without /ID", note_no_id),
    ("notes", "a Note missing from the IDTree", note_not_in_tree),
    ("notes", "two Notes with one /ID", note_same_id),
    ("notes", "a Reference without /Ref", reference_no_ref),
    ("notes", "two References' notes swapped", reference_wrong_mark),
    ("notes", "two marks' links to each other's note", note_link_elsewhere),
    ("notes", "a note's destination on another page", note_dest_elsewhere),
    ("spans", "a Span without /Lang", span_no_lang),
    ("catalog", "MarkInfo /Marked false", catalog),
    ("catalog", "DisplayDocTitle false", title),
    ("catalog", "no pdfuaid in the XMP", xmp),
]


def self_test(good, outdir):
    errors = check(good)
    print(("ok" if not errors else "not ok") + " - pdfua: self-test: the good PDF passes%s"
          % ("" if not errors else ": %s" % errors))
    for n, (rule, what, breaker) in enumerate(BREAKS):
        out = os.path.join(outdir, "broken-%02d-%s.pdf" % (n, rule))
        with pikepdf.open(good) as pdf:
            try:
                breaker(pdf)
            except (StopIteration, AttributeError, KeyError) as e:
                print("not ok - pdfua: self-test: cannot break %s (%s) in %s" % (rule, what, good))
                continue
            pdf.save(out)
        found = check(out)
        ok = rule in found
        print(("ok" if ok else "not ok") + " - pdfua: self-test: %s fails rule %s%s"
              % (what, rule, "" if ok else " (found: %s)" % sorted(found)))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--self-test":
        self_test(argv[2], argv[3])
    elif len(argv) >= 2 and argv[1] == "--none":
        for path in argv[2:]:
            check_none(path)
    else:
        for path in argv[1:]:
            report(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
