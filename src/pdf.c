#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "file.h"
#include "pages.h"
#include "utf8.h"
#include "version.h"

/* ---- libharu 2.3.0 workarounds ------------------------------------------
 * libharu has no API for what kyodo needs, so this section reaches into its
 * internal headers (installed by libhpdf-dev). Each use says why:
 * - page content is written by kyodo as PDF operators, already compressed,
 *   into the page's content stream (attr->stream): libharu would keep every
 *   page's uncompressed text until the end, and has no marked content;
 * - footers are a second content stream of a page (/Contents array);
 * - fonts are one shared /Font resource dictionary, filled at the end when
 *   the subsets exist;
 * - libharu writes no /CapHeight: the FontDescriptor, which libharu makes
 *   only as the font is written, is made earlier to add it;
 * - libharu embeds only glyphs that its own text functions measured, so
 *   every glyph of a subset is flagged as used (glyph_tbl.flgs);
 * - its ToUnicode CMap is wrong for poppler and its CIDToGIDMap covers all
 *   65,536 codes: both are replaced;
 * - PDF/A (ky_standard): libharu 2.3.0's own PDF/A support knows only
 *   PDF/A-1 and makes its /ID from the clock, so the header version
 *   (doc->pdf_version), the trailer's /ID (doc->trailer), the XMP stream
 *   and the OutputIntent are set here;
 * - tagged PDF (PDF/UA-1, with PDF/A): libharu knows no structure tree, so
 *   the StructTreeRoot, its elements, the ParentTree and the marked content
 *   in the pages' operators are made here from layout.h's ky_struct_elem. */
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

struct ky_pdf {
    HPDF_Doc doc;
    ky_fontset *fonts;
    ky_diags *diags;
    const char *path;
    int errors;  /* diags->errors when the document was begun */
    bool failed; /* libharu reported an error: the later ones follow from it */
    ky_input inputs[KY_PDF_MAX_INPUTS]; /* files the output may not replace */
    bool print;
    ky_standard standard;
    /* What the trailer's /ID is made of: every page's operators, every
     * font subset and the metadata, so that the same document has the same
     * /ID and a different one (almost surely) another. */
    struct sha256_ctx id_hash;
    HPDF_Dict font_resources; /* shared by every page */
    HPDF_Page *pages;         /* by index */
    size_t page_count, page_capacity;
    /* The compressed pages wait for the end in an unnamed temporary file
     * (-1: none could be made, they wait in memory): a thousand pages
     * would hold some megabytes until the file is written. */
    int spill;
    off_t spill_size;
    /* Reused buffers: a page's operators, their compressed form, codes. */
    char *ops;
    size_t ops_len, ops_capacity;
    unsigned char *packed;
    size_t packed_capacity;
    uint16_t *codes;
    size_t code_capacity;
    /* Tagged PDF: the structure tree as it is made, in kyodo's own compact
     * records (ky_elem_out, ky_link_out) rather than in libharu objects,
     * which cost over a kilobyte per element (a 129-byte key in every
     * dictionary entry, a 129-byte name object for every name, a proxy
     * for every reference) and are all kept until the file is written.
     * Each element still has a libharu dictionary, empty but in the xref,
     * so that it has its object number and its place in the file; its
     * write hook (write_elem) writes its entries from its record. An
     * element is made when its first content (or child) reaches a page,
     * and appended to its parent's kids then, so children stand in
     * reading order. Per page only its ParentTree array (MCID → element)
     * is kept. */
    bool tagged;
    const ky_pages *tree; /* the elements' types, languages and parents */
    HPDF_Dict struct_root;
    HPDF_Array parent_nums;
    int next_key;
    struct ky_elem_out *elems; /* by structure element index (sid) */
    size_t elem_capacity;
    struct ky_link_out *links; /* the Link elements, as they were made */
    size_t link_count, link_capacity;
    int *parts; /* the Parts' elements, as they appeared */
    size_t part_count, part_capacity;
    HPDF_Array *page_parents; /* by page index */
    size_t page_parents_capacity;
    /* Where each Note's text begins: its named destination, which its
     * mark's link goes to. */
    struct ky_note_place {
        int note;
        size_t page;
        double y;
    } * note_places;
    size_t note_place_count, note_place_capacity;
};

/* An entry of an element's /K, in order: marked content on a page (an
 * MCID, or a marked-content reference when the page is not the element's
 * /Pg), a child element or a Link element. */
typedef struct ky_kid {
    int32_t page;  /* the page's index, or KY_KID_ELEM, KY_KID_LINK, KY_KID_OBJR */
    int32_t value; /* the MCID, or the child's index in elems or links */
} ky_kid;
enum { KY_KID_ELEM = -1, KY_KID_LINK = -2, KY_KID_OBJR = -3 };

/* What a structure element's (or a Link element's) dictionary is written
 * from: its hooks get only the dictionary, whose attr points here. It
 * begins as a reference to the dictionary, so that every ParentTree entry
 * of the element shares one (libharu makes a proxy per entry): marked
 * indirect, libharu's arrays leave it to kyodo to free. */
typedef struct ky_ref {
    HPDF_Proxy_Rec proxy;
    ky_pdf *pdf;
    int32_t index; /* in pdf->elems, or in pdf->links */
} ky_ref;

struct ky_elem_out {
    HPDF_Dict dict; /* NULL: not made yet */
    ky_ref *ref;
    ky_kid *kids;
    uint32_t kid_count, kid_capacity;
    uint32_t page; /* its /Pg's index + 1, 0: none yet */
};

/* A Link element: its /K is the annotation's object reference. */
struct ky_link_out {
    HPDF_Dict dict;
    ky_ref *ref;
    HPDF_Annotation annot;
    int parent;    /* the element of the link's text */
    uint32_t page; /* index */
};

/* What a libharu error code means for the user, for the codes a draft, a
 * template or a font set can cause; NULL for the internal ones. */
static const char *hpdf_error_text(HPDF_STATUS error)
{
    switch (error) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "out of memory";
    case HPDF_STRING_OUT_OF_RANGE:
    case HPDF_BINARY_LENGTH_ERR:
        return "a text of the document (its title, a heading in the outline or the document "
               "information) is longer than 65,535 bytes, the most the PDF library writes as one "
               "string";
    case HPDF_PAGE_INVALID_SIZE:
        return "the page is smaller than 3 or larger than 14,400 points, the page sizes the PDF "
               "library writes";
    case HPDF_REAL_OUT_OF_RANGE:
        return "a position or size beyond 32,767 points, the largest number the PDF library "
               "writes";
    case HPDF_PAGE_INVALID_FONT_SIZE:
        return "a font size larger than 600 points, the largest the PDF library sets";
    case HPDF_ARRAY_COUNT_ERR:
        return "more than 32,767 pages or items in one list, the most the PDF library writes";
    case HPDF_DICT_COUNT_ERR:
        return "more than 4,095 entries in one dictionary, the most the PDF library writes";
    case HPDF_XREF_COUNT_ERR:
        return "more than 8,388,607 objects, the most a PDF holds";
    case HPDF_EXCEED_GSTATE_LIMIT:
        return "graphics states nested deeper than the PDF library allows";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        return "a font's license (its OS/2 fsType) forbids embedding it in a PDF";
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_UNSUPPORTED_FONT_TYPE:
    case HPDF_FONT_INVALID_WIDTHS_TABLE:
    case HPDF_INVALID_FONTDEF_DATA:
    case HPDF_INVALID_TTC_FILE:
    case HPDF_INVALID_TTC_INDEX:
        return "the PDF library cannot read a font subset (a TrueType table it does not "
               "understand)";
    case HPDF_ZLIB_ERROR:
        return "compressing the PDF failed (zlib)";
    default:
        return NULL;
    }
}

/* Only libharu's first error is reported: after one, it refuses every later
 * call with HPDF_INVALID_DOCUMENT, which says nothing new. */
static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    ky_pdf *ctx = data;
    if (ctx->failed) return;
    ctx->failed = true;
    const char *text = hpdf_error_text(error);
    if (text)
        ky_error(ctx->diags, ctx->path, 0, "%s", text);
    else if (error == HPDF_FILE_OPEN_ERROR || error == HPDF_FILE_IO_ERROR)
        /* Only the font subsets are files to libharu (/proc/self/fd/N); the
         * detail is the errno. */
        ky_error(ctx->diags, ctx->path, 0, "the PDF library cannot read a font subset: %s",
                 strerror((int)detail));
    else
        ky_error(ctx->diags, ctx->path, 0,
                 "the PDF library failed (libharu error 0x%04X, detail %u)", (unsigned)error,
                 (unsigned)detail);
}

static void *grow(void *buffer, size_t *capacity, size_t needed, size_t size)
{
    if (needed <= *capacity) return buffer;
    size_t grown = *capacity ? *capacity : 4096;
    while (grown < needed)
        grown *= 2;
    void *bigger = realloc(buffer, grown * size);
    if (!bigger) ky_out_of_memory();
    *capacity = grown;
    return bigger;
}

static void put(ky_pdf *pdf, const char *text, size_t len)
{
    pdf->ops = grow(pdf->ops, &pdf->ops_capacity, pdf->ops_len + len, 1);
    memcpy(pdf->ops + pdf->ops_len, text, len);
    pdf->ops_len += len;
}

static void puts_op(ky_pdf *pdf, const char *text)
{
    put(pdf, text, strlen(text));
}

/* A number as PDF writes it: at most three decimals, no trailing zeros
 * (a thousandth of a point is far below what a printer can show). */
static void num(ky_pdf *pdf, double value)
{
    char text[32];
    long long milli = llround(value * 1000);
    bool negative = milli < 0;
    unsigned long long m = negative ? (unsigned long long)-milli : (unsigned long long)milli;
    int len = snprintf(text, sizeof text, "%s%llu", negative ? "-" : "", m / 1000);
    unsigned frac = (unsigned)(m % 1000);
    if (frac) {
        len += snprintf(text + len, sizeof text - (size_t)len, ".%03u", frac);
        while (text[len - 1] == '0')
            len--;
    }
    text[len++] = ' ';
    put(pdf, text, (size_t)len);
}

/* The print shop's 3 mm of bleed around the trimmed page. */
#define KY_BLEED (3 * 72 / 25.4)
/* Crop marks stand off the trim by this much, this long. */
#define KY_MARK_OFFSET (3 * 72 / 25.4)
#define KY_MARK_LENGTH (5 * 72 / 25.4)

/* Crop marks at the trim's corners, outside the bleed, in registration-free
 * DeviceGray. */
static void crop_marks(ky_pdf *pdf, double margin, double width, double height)
{
    puts_op(pdf, "0 G\n0.25 w\n");
    double xs[2] = {margin, margin + width}, ys[2] = {margin, margin + height};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double x = xs[i], y = ys[j];
            double hx = i == 0 ? -1 : 1, vy = j == 0 ? -1 : 1;
            num(pdf, x + hx * KY_MARK_OFFSET), num(pdf, y), puts_op(pdf, "m\n");
            num(pdf, x + hx * (KY_MARK_OFFSET + KY_MARK_LENGTH)), num(pdf, y), puts_op(pdf, "l\n");
            num(pdf, x), num(pdf, y + vy * KY_MARK_OFFSET), puts_op(pdf, "m\n");
            num(pdf, x), num(pdf, y + vy * (KY_MARK_OFFSET + KY_MARK_LENGTH)),
                puts_op(pdf, "l\nS\n");
        }
}

static double print_margin(const ky_pdf *pdf)
{
    /* For print the sheet grows by the bleed and room for crop marks. */
    return pdf->print ? KY_MARK_OFFSET + KY_MARK_LENGTH + 2 : 0;
}

/* libharu's own message for a list longer than it writes: the records
 * are not libharu arrays, so kyodo checks their length itself. */
static int too_many(ky_pdf *pdf)
{
    if (pdf->diags->errors == pdf->errors)
        ky_error(pdf->diags, pdf->path, 0, "%s", hpdf_error_text(HPDF_ARRAY_COUNT_ERR));
    pdf->failed = true;
    return -1;
}

static int add_kid(ky_pdf *pdf, struct ky_elem_out *out, int32_t page, int32_t value)
{
    if (out->kid_count >= HPDF_LIMIT_MAX_ARRAY) return too_many(pdf);
    if (out->kid_count == out->kid_capacity) {
        /* Most elements hold one or two kids. */
        uint32_t grown = out->kid_capacity ? 2 * out->kid_capacity : 2;
        ky_kid *bigger = realloc(out->kids, grown * sizeof *bigger);
        if (!bigger) ky_out_of_memory();
        out->kids = bigger;
        out->kid_capacity = grown;
    }
    out->kids[out->kid_count++] = (ky_kid){.page = page, .value = value};
    return 0;
}

static HPDF_STATUS write_elem(HPDF_Dict dict, HPDF_Stream stream);
static HPDF_STATUS write_link(HPDF_Dict dict, HPDF_Stream stream);

/* An empty dictionary in the xref, written by its hook from the record
 * at index. */
static HPDF_Dict hooked_dict(ky_pdf *pdf, HPDF_Dict_OnWriteFunc hook, int index, ky_ref **ref)
{
    HPDF_Dict dict = HPDF_Dict_New(pdf->doc->mmgr);
    if (!dict || HPDF_Xref_Add(pdf->doc->xref, dict) != HPDF_OK) return NULL;
    *ref = calloc(1, sizeof **ref);
    if (!*ref) ky_out_of_memory();
    (*ref)->proxy.header.obj_class = HPDF_OCLASS_PROXY;
    (*ref)->proxy.header.obj_id = HPDF_OTYPE_INDIRECT;
    (*ref)->proxy.obj = dict;
    (*ref)->pdf = pdf;
    (*ref)->index = index;
    dict->attr = *ref;
    dict->write_fn = hook;
    return dict;
}

/* Element sid's record and dict, made (with its ancestors) on first use
 * and added to its parent's kids; NULL when out of memory or sid is none. */
static struct ky_elem_out *elem_out(ky_pdf *pdf, const ky_pages *doc, int sid)
{
    if (!doc || sid < 0 || (size_t)sid >= doc->elem_count) return NULL;
    if ((size_t)sid >= pdf->elem_capacity) {
        size_t old = pdf->elem_capacity;
        pdf->elems = grow(pdf->elems, &pdf->elem_capacity, (size_t)sid + 1, sizeof *pdf->elems);
        memset(pdf->elems + old, 0, (pdf->elem_capacity - old) * sizeof *pdf->elems);
    }
    struct ky_elem_out *out = &pdf->elems[sid];
    if (out->dict) return out;
    pdf->tree = doc;
    const ky_struct_elem *elem = &doc->elems[sid];
    ky_ref *ref = NULL;
    HPDF_Dict dict = hooked_dict(pdf, write_elem, sid, &ref);
    if (!dict) return NULL;
    *out = (struct ky_elem_out){.dict = dict, .ref = ref};
    if (elem->parent >= 0 && !elem_out(pdf, doc, elem->parent)) return NULL;
    out = &pdf->elems[sid]; /* elem_out may have moved them */
    if (elem->type == KY_SE_PART) {
        /* The Document's kids are added at the end, grouped by language:
         * a language's second Part (layout.h's KY_PART_MAX_KIDS) may begin
         * after the other language's first in the parallel layout. */
        pdf->parts = grow(pdf->parts, &pdf->part_capacity, pdf->part_count + 1, sizeof(int));
        pdf->parts[pdf->part_count++] = sid;
    } else if (elem->parent >= 0 ? add_kid(pdf, &pdf->elems[elem->parent], KY_KID_ELEM, sid) != 0
                                 : HPDF_Dict_Add(pdf->struct_root, "K", dict) != HPDF_OK)
        return NULL;
    return out;
}

/* The next MCID of page index for element sid: its marked-content
 * reference in the element, the element in the page's ParentTree array. */
static int mark(ky_pdf *pdf, const ky_page *page, int sid)
{
    struct ky_elem_out *out = elem_out(pdf, page->doc, sid);
    if (!out || page->index >= pdf->page_count) return -1;
    HPDF_Array parents = pdf->page_parents[page->index];
    if (parents->list->count >= HPDF_LIMIT_MAX_ARRAY) return too_many(pdf);
    int mcid = (int)parents->list->count;
    /* The element's one shared reference, not a proxy per entry: what
     * HPDF_Array_Add would make. */
    if (HPDF_List_Add(parents->list, &out->ref->proxy) != HPDF_OK) return -1;
    if (!out->page) out->page = page->index + 1;
    return add_kid(pdf, out, (int32_t)page->index, mcid) ? -1 : mcid;
}

/* ---- writing the records --------------------------------------------------
 * As libharu writes the same entries (HPDF_Dict_Write, HPDF_Array_Write,
 * HPDF_Obj_Write's proxies): a key and its value on a line, arrays as
 * "[ a b ]", references as "n 0 R" (an object's number is its header's
 * obj_id & 0x00FFFFFF, hpdf_objects.h). */

static unsigned obj_number(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static HPDF_STATUS writef(HPDF_Stream stream, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static HPDF_STATUS writef(HPDF_Stream stream, const char *format, ...)
{
    char text[128];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    return HPDF_Stream_WriteStr(stream, text);
}

static HPDF_STATUS write_kids(const ky_pdf *pdf, const struct ky_elem_out *out, HPDF_Stream stream)
{
    HPDF_STATUS status = HPDF_Stream_WriteStr(stream, "/K [ ");
    for (uint32_t i = 0; i < out->kid_count && status == HPDF_OK; i++) {
        ky_kid kid = out->kids[i];
        if (kid.page == KY_KID_ELEM)
            status = writef(stream, "%u 0 R ", obj_number(pdf->elems[kid.value].dict));
        else if (kid.page == KY_KID_LINK)
            status = writef(stream, "%u 0 R ", obj_number(pdf->links[kid.value].dict));
        else if (kid.page == KY_KID_OBJR)
            status = writef(stream, "<<\012/Type /OBJR\012/Obj %u 0 R\012/Pg %u 0 R\012>> ",
                            obj_number(pdf->links[kid.value].annot),
                            obj_number(pdf->pages[pdf->links[kid.value].page]));
        else if ((uint32_t)kid.page + 1 == out->page)
            status = writef(stream, "%d ", kid.value);
        else
            status = writef(stream, "<<\012/Type /MCR\012/Pg %u 0 R\012/MCID %d\012>> ",
                            obj_number(pdf->pages[kid.page]), kid.value);
    }
    return status == HPDF_OK ? HPDF_Stream_WriteStr(stream, "]\012") : status;
}

/* A structure element's entries: /S, /K, then what it has of /Lang, /A,
 * /P and /Pg. */
static HPDF_STATUS write_elem(HPDF_Dict dict, HPDF_Stream stream)
{
    const ky_ref *ref = dict->attr;
    const ky_pdf *pdf = ref->pdf;
    const ky_struct_elem *elems = pdf->tree->elems, *elem = &elems[ref->index];
    const struct ky_elem_out *out = &pdf->elems[ref->index];
    HPDF_STATUS status = HPDF_Stream_WriteStr(stream, "/S ");
    if (status == HPDF_OK)
        status = HPDF_Stream_WriteEscapeName(stream, ky_se_name((ky_se_type)elem->type));
    if (status == HPDF_OK) status = HPDF_Stream_WriteStr(stream, "\012");
    if (status == HPDF_OK) status = write_kids(pdf, out, stream);
    /* Parts say their language; below them an element says its own only
     * where it differs from its parent's. */
    bool own_lang =
        elem->type == KY_SE_PART || (elem->parent >= 0 && elems[elem->parent].lang != elem->lang &&
                                     elem->type != KY_SE_DOCUMENT);
    if (own_lang && status == HPDF_OK) {
        status = HPDF_Stream_WriteStr(stream, "/Lang ");
        if (status == HPDF_OK)
            status = HPDF_Stream_WriteEscapeText(stream, ky_lang_code((ky_lang)elem->lang));
        if (status == HPDF_OK) status = HPDF_Stream_WriteStr(stream, "\012");
    }
    if (elem->type == KY_SE_TH && status == HPDF_OK)
        status = HPDF_Stream_WriteStr(stream, "/A <<\012/O /Table\012/Scope /Column\012>>\012");
    const void *parent =
        elem->parent >= 0 ? (const void *)pdf->elems[elem->parent].dict : pdf->struct_root;
    if (status == HPDF_OK) status = writef(stream, "/P %u 0 R\012", obj_number(parent));
    if (out->page && status == HPDF_OK)
        status = writef(stream, "/Pg %u 0 R\012", obj_number(pdf->pages[out->page - 1]));
    return status;
}

/* A Link element: /S, /P, /Pg and the annotation's object reference. */
static HPDF_STATUS write_link(HPDF_Dict dict, HPDF_Stream stream)
{
    const ky_ref *ref = dict->attr;
    const ky_pdf *pdf = ref->pdf;
    const struct ky_link_out *link = &pdf->links[ref->index];
    unsigned page = obj_number(pdf->pages[link->page]);
    return writef(stream,
                  "/S /Link\012/P %u 0 R\012/Pg %u 0 R\012/K [ <<\012/Type /OBJR\012/Obj %u 0 "
                  "R\012/Pg %u 0 R\012>> ]\012",
                  obj_number(pdf->elems[link->parent].dict), page, obj_number(link->annot), page);
}

/* Opens a marked-content sequence for sid (an artifact when -1). */
static int begin_marked(ky_pdf *pdf, const ky_page *page, int sid)
{
    if (sid < 0) {
        puts_op(pdf, "/Artifact <</Type /Pagination>> BDC\n");
        return 0;
    }
    int mcid = mark(pdf, page, sid);
    if (mcid < 0) return -1;
    char text[64];
    snprintf(text, sizeof text, "/%s <</MCID %d>> BDC\n",
             ky_se_name((ky_se_type)page->doc->elems[sid].type), mcid);
    puts_op(pdf, text);
    return 0;
}

/* A page's (or an overlay's) drawing as operators: rules, then the shapes
 * behind the text, then the text. Tagged, each run of fragments of one
 * structure element is a marked-content sequence, and everything else an
 * artifact. */
static int page_ops(ky_pdf *pdf, const ky_page *page, bool marks)
{
    pdf->ops_len = 0;
    bool tagged = pdf->tagged;
    puts_op(pdf, "q\n");
    double margin = print_margin(pdf);
    if (margin > 0) {
        if (marks && tagged) puts_op(pdf, "/Artifact <</Type /Page>> BDC\n");
        if (marks) crop_marks(pdf, margin, page->width, page->height);
        if (marks && tagged) puts_op(pdf, "EMC\n");
        /* The page's own content moves in by the margin. */
        puts_op(pdf, "1 0 0 1 "), num(pdf, margin), num(pdf, margin), puts_op(pdf, "cm\n");
    }
    if (page->rule_count && tagged) puts_op(pdf, "/Artifact <</Type /Layout>> BDC\n");
    if (page->rule_count) puts_op(pdf, "0 G\n");
    for (size_t i = 0; i < page->rule_count; i++) {
        const ky_rule *rule = &page->rules[i];
        num(pdf, rule->width), puts_op(pdf, "w\n");
        num(pdf, rule->x1), num(pdf, rule->y1), puts_op(pdf, "m\n");
        num(pdf, rule->x2), num(pdf, rule->y2), puts_op(pdf, "l\nS\n");
    }
    if (page->rule_count && tagged) puts_op(pdf, "EMC\n");
    /* Watermarks first, so that the text is drawn over them. */
    for (size_t i = 0; i < page->under_count; i++) {
        const ky_shape *shape = &page->under[i];
        if (!shape->count) continue;
        if (tagged) puts_op(pdf, "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\n");
        num(pdf, shape->gray), puts_op(pdf, "g\n");
        for (size_t k = 0; k < shape->count; k++) {
            const ky_path_op *op = &shape->ops[k];
            int points = op->op == 'c' ? 3 : op->op == 'h' ? 0 : 1;
            for (int p = 0; p < points; p++)
                num(pdf, op->x[p]), num(pdf, op->y[p]);
            char name[3] = {op->op, '\n', 0};
            puts_op(pdf, name);
        }
        puts_op(pdf, "f\n");
        if (tagged) puts_op(pdf, "EMC\n");
    }
    if (page->frag_count) puts_op(pdf, "0 g\nBT\n");
    int face = -1;
    double size = -1, spacing = 0;
    for (size_t i = 0; i < page->frag_count; i++) {
        const ky_frag *frag = &page->frags[i];
        if (tagged && (i == 0 || frag->sid != page->frags[i - 1].sid)) {
            if (i > 0) puts_op(pdf, "EMC\n");
            if (begin_marked(pdf, page, frag->sid)) return -1;
        }
        if (frag->face != face || frag->size != size) {
            char name[16];
            snprintf(name, sizeof name, "/K%d ", frag->face);
            puts_op(pdf, name), num(pdf, frag->size), puts_op(pdf, "Tf\n");
            face = frag->face;
            size = frag->size;
        }
        if (frag->char_spacing != spacing) {
            num(pdf, frag->char_spacing), puts_op(pdf, "Tc\n");
            spacing = frag->char_spacing;
        }
        puts_op(pdf, "1 0 0 1 "), num(pdf, frag->x), num(pdf, frag->y), puts_op(pdf, "Tm\n<");
        pdf->codes = grow(pdf->codes, &pdf->code_capacity, frag->len, sizeof *pdf->codes);
        size_t n = ky_font_encode(pdf->fonts, frag->face, frag->text, frag->len, pdf->codes);
        static const char hex[] = "0123456789ABCDEF";
        /* A very long word is shown in several strings: PDF readers limit
         * a string's length (ISO 32000-1, annex C), and each string goes
         * on where the last one ended. */
        enum { KY_SHOW_MAX = 8192 };
        pdf->ops =
            grow(pdf->ops, &pdf->ops_capacity, pdf->ops_len + 4 * n + 8 * (n / KY_SHOW_MAX), 1);
        for (size_t k = 0; k < n; k++) {
            if (k > 0 && k % KY_SHOW_MAX == 0) puts_op(pdf, "> Tj\n<");
            unsigned code = pdf->codes[k];
            char *at = pdf->ops + pdf->ops_len;
            at[0] = hex[code >> 12], at[1] = hex[(code >> 8) & 15];
            at[2] = hex[(code >> 4) & 15], at[3] = hex[code & 15];
            pdf->ops_len += 4;
        }
        puts_op(pdf, "> Tj\n");
    }
    if (page->frag_count && tagged) puts_op(pdf, "EMC\n");
    if (page->frag_count) puts_op(pdf, "ET\n");
    puts_op(pdf, "Q\n");
    return 0;
}

/* libharu writes /Filter only for streams it compresses itself, and
 * removes any other: the dictionary's write hook adds it back. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* A compressed page waiting in the spill file: what libharu reads when it
 * writes the page's stream (HPDF_Stream_WriteToStream seeks to 0, then
 * reads until HPDF_STREAM_EOF). */
typedef struct ky_spilled {
    ky_pdf *pdf;
    off_t offset;
    HPDF_UINT size, pos;
} ky_spilled;

static HPDF_STATUS spilled_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    ky_spilled *page = stream->attr;
    HPDF_UINT want = *size < page->size - page->pos ? *size : page->size - page->pos;
    for (HPDF_UINT done = 0; done < want;) {
        ssize_t got = pread(page->pdf->spill, ptr + done, want - done,
                            page->offset + (off_t)(page->pos + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            /* libharu's message for a file error speaks of font subsets. */
            ky_pdf *pdf = page->pdf;
            if (!pdf->failed)
                ky_error(pdf->diags, pdf->path, 0,
                         "cannot read a page back from the temporary file: %s",
                         strerror(got < 0 ? errno : EIO));
            pdf->failed = true;
            return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
        }
        done += (HPDF_UINT)got;
    }
    page->pos += want;
    *size = want;
    return page->pos == page->size ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS spilled_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
    ky_spilled *page = stream->attr;
    HPDF_INT from = mode == HPDF_SEEK_SET   ? 0
                    : mode == HPDF_SEEK_CUR ? (HPDF_INT)page->pos
                                            : (HPDF_INT)page->size;
    if (from + pos < 0 || (HPDF_UINT)(from + pos) > page->size)
        return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
    page->pos = (HPDF_UINT)(from + pos);
    return HPDF_OK;
}

static HPDF_INT32 spilled_tell(HPDF_Stream stream)
{
    return (HPDF_INT32)((ky_spilled *)stream->attr)->pos;
}

static HPDF_UINT32 spilled_size(HPDF_Stream stream)
{
    return ((ky_spilled *)stream->attr)->size;
}

static void spilled_free(HPDF_Stream stream)
{
    HPDF_FreeMem(stream->mmgr, stream->attr);
}

/* The compressed page at the spill file's end, and a libharu stream that
 * reads it from there; NULL when it cannot be written (a full disk): the
 * page then stays in memory. */
static HPDF_Stream spill_page(ky_pdf *pdf, const unsigned char *data, size_t size)
{
    if (pdf->spill < 0 || size > UINT32_MAX) return NULL;
    off_t offset = pdf->spill_size;
    for (size_t done = 0; done < size;) {
        ssize_t wrote = pwrite(pdf->spill, data + done, size - done, offset + (off_t)done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) return NULL;
        done += (size_t)wrote;
    }
    HPDF_MMgr mmgr = pdf->doc->mmgr;
    HPDF_Stream stream = HPDF_GetMem(mmgr, sizeof *stream);
    ky_spilled *page = HPDF_GetMem(mmgr, sizeof *page);
    if (!stream || !page) {
        if (stream) HPDF_FreeMem(mmgr, stream);
        if (page) HPDF_FreeMem(mmgr, page);
        return NULL;
    }
    pdf->spill_size += (off_t)size;
    *page = (ky_spilled){.pdf = pdf, .offset = offset, .size = (HPDF_UINT)size};
    *stream = (HPDF_Stream_Rec){.sig_bytes = HPDF_STREAM_SIG_BYTES,
                                .type = HPDF_STREAM_CALLBACK,
                                .mmgr = mmgr,
                                .error = mmgr->error,
                                .read_fn = spilled_read,
                                .seek_fn = spilled_seek,
                                .free_fn = spilled_free,
                                .tell_fn = spilled_tell,
                                .size_fn = spilled_size,
                                .attr = page};
    return stream;
}

/* Compresses the operators into stream, which libharu then copies as they
 * are (no filter of its own). */
static int write_ops(ky_pdf *pdf, HPDF_Dict stream)
{
    sha256_update(&pdf->id_hash, pdf->ops_len, (const uint8_t *)pdf->ops);
    uLongf packed = compressBound((uLong)pdf->ops_len);
    pdf->packed = grow(pdf->packed, &pdf->packed_capacity, packed, 1);
    if (compress2(pdf->packed, &packed, (const Bytef *)pdf->ops, (uLong)pdf->ops_len,
                  Z_DEFAULT_COMPRESSION) != Z_OK) {
        ky_error(pdf->diags, pdf->path, 0, "cannot compress a page");
        return -1;
    }
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = write_flate_filter;
    HPDF_Stream spilled = spill_page(pdf, pdf->packed, packed);
    if (spilled) {
        HPDF_Stream_Free(stream->stream);
        stream->stream = spilled;
        return 0;
    }
    /* A stream of exactly the page's size: libharu's own grow in 4 KB
     * steps, which for a thousand pages and their footers is 8 MB. */
    HPDF_Stream exact = HPDF_MemStream_New(pdf->doc->mmgr, packed ? (HPDF_UINT)packed : 1);
    if (!exact) return -1;
    HPDF_Stream_Free(stream->stream);
    stream->stream = exact;
    return HPDF_Stream_Write(exact, pdf->packed, (HPDF_UINT)packed) == HPDF_OK ? 0 : -1;
}

static void set_box(HPDF_Doc doc, HPDF_Page page, const char *name, double left, double bottom,
                    double right, double top)
{
    HPDF_Box box = {(HPDF_REAL)left, (HPDF_REAL)bottom, (HPDF_REAL)right, (HPDF_REAL)top};
    HPDF_Dict_Add(page, name, HPDF_Box_Array_New(doc->mmgr, box));
}

/* A text string: PDFDocEncoding when it is ASCII, else UTF-16BE with a
 * byte order mark (libharu's UTF-8 encoder converts it). */
static HPDF_String text_string(ky_pdf *pdf, const char *text)
{
    for (const char *at = text; *at; at++)
        if ((unsigned char)*at >= 0x80)
            return HPDF_String_New(pdf->doc->mmgr, text, HPDF_GetEncoder(pdf->doc, "UTF-8"));
    return HPDF_String_New(pdf->doc->mmgr, text, NULL);
}

/* Tagged, a link's annotation belongs to the Link element of its text
 * (pages.c makes it, holding the text's marked content), by an OBJR; a
 * link without one gets a Link element of its own in the element of its
 * text. /Contents, the annotation's text alternative (PDF/UA-1, 7.18.5),
 * is what the reader sees of the link: its text, which for a bare link
 * is the address. */
static int tag_link(ky_pdf *pdf, const ky_page *page, const ky_link *link, HPDF_Annotation annot)
{
    if (HPDF_Dict_Add(annot, "Contents", text_string(pdf, link->text ? link->text : link->uri)) !=
        HPDF_OK)
        return -1;
    if (!elem_out(pdf, page->doc, link->sid)) return link->sid < 0 ? 0 : -1;
    if (pdf->link_count >= INT32_MAX) return too_many(pdf);
    int index = (int)pdf->link_count;
    bool own = page->doc->elems[link->sid].type != KY_SE_LINK;
    HPDF_Dict elem = pdf->elems[link->sid].dict;
    ky_ref *ref = NULL;
    if (own && !(elem = hooked_dict(pdf, write_link, index, &ref))) return -1;
    pdf->links = grow(pdf->links, &pdf->link_capacity, pdf->link_count + 1, sizeof *pdf->links);
    pdf->links[pdf->link_count++] = (struct ky_link_out){.dict = own ? elem : NULL,
                                                         .ref = ref,
                                                         .annot = annot,
                                                         .parent = link->sid,
                                                         .page = page->index};
    int key = pdf->next_key++;
    if (add_kid(pdf, &pdf->elems[link->sid], own ? KY_KID_LINK : KY_KID_OBJR, index) ||
        HPDF_Dict_AddNumber(annot, "StructParent", key) != HPDF_OK ||
        HPDF_Array_AddNumber(pdf->parent_nums, key) != HPDF_OK ||
        HPDF_Array_Add(pdf->parent_nums, elem) != HPDF_OK)
        return -1;
    return 0;
}

/* The /ID of note (pages.c's entry): "note-en-3". */
static void note_id(const struct ky_note_tag *note, char *out, size_t size)
{
    snprintf(out, size, "note-%s-%d", ky_lang_code((ky_lang)note->lang), note->number);
}

/* A note's mark's link: to the note's named destination (its /ID), which
 * ky_pdf_finish places where the note's text begins. */
static int add_note_link(ky_pdf *pdf, HPDF_Page out, const ky_page *page, const ky_link *link,
                         double margin)
{
    const ky_pages *doc = page->doc;
    if (!doc || link->sid < 0 || (size_t)link->sid >= doc->elem_count) return 0;
    const struct ky_note_tag *note = ky_pages_note_of(doc, doc->elems[link->sid].parent);
    if (!note) return 0;
    char id[40];
    note_id(note, id, sizeof id);
    HPDF_Rect rect = {(HPDF_REAL)(link->x1 + margin), (HPDF_REAL)(link->y1 + margin),
                      (HPDF_REAL)(link->x2 + margin), (HPDF_REAL)(link->y2 + margin)};
    /* libharu makes link annotations with a URI or an explicit destination
     * only: the URI action is replaced. */
    HPDF_Annotation annot = HPDF_Page_CreateURILinkAnnot(out, rect, "#");
    HPDF_Dict action = HPDF_Dict_New(pdf->doc->mmgr);
    if (!annot || !action || HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0) != HPDF_OK ||
        HPDF_Dict_AddNumber(annot, "F", 4) != HPDF_OK ||
        HPDF_Dict_AddName(action, "S", "GoTo") != HPDF_OK ||
        HPDF_Dict_Add(action, "D", HPDF_String_New(pdf->doc->mmgr, id, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(annot, "A", action) != HPDF_OK)
        return -1;
    return pdf->tagged ? tag_link(pdf, page, link, annot) : 0;
}

/* Records where each Note's text begins on page: the first fragment of
 * the Note or of an element inside it. */
static void place_notes(ky_pdf *pdf, const ky_page *page)
{
    const ky_pages *doc = page->doc;
    if (!doc || !doc->note_count) return;
    for (size_t i = 0; i < page->frag_count; i++) {
        int sid = page->frags[i].sid;
        for (int up = 0; up < 4 && sid >= 0 && (size_t)sid < doc->elem_count &&
                         doc->elems[sid].type != KY_SE_NOTE;
             up++)
            sid = doc->elems[sid].parent;
        if (sid < 0 || (size_t)sid >= doc->elem_count || doc->elems[sid].type != KY_SE_NOTE)
            continue;
        bool known = false;
        for (size_t k = pdf->note_place_count; k-- > 0 && !known;)
            known = pdf->note_places[k].note == sid;
        if (known) continue;
        pdf->note_places = grow(pdf->note_places, &pdf->note_place_capacity,
                                pdf->note_place_count + 1, sizeof *pdf->note_places);
        pdf->note_places[pdf->note_place_count++] = (struct ky_note_place){
            sid, page->index, page->frags[i].y + page->frags[i].size + print_margin(pdf)};
    }
}

/* A link annotation for each link of the page: no border, printed (PDF/A
 * wants the print flag), its target as a 7-bit URI (anything else
 * percent-encoded, as RFC 3986 says), or a note's mark's to its
 * note. */
static int add_links(ky_pdf *pdf, HPDF_Page out, const ky_page *page, double margin)
{
    place_notes(pdf, page);
    for (size_t i = 0; i < page->link_count; i++) {
        const ky_link *link = &page->links[i];
        if (!link->uri) {
            if (add_note_link(pdf, out, page, link, margin)) return -1;
            continue;
        }
        size_t len = strlen(link->uri);
        char *uri = ky_xmalloc(3 * len + 1), *at = uri;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)link->uri[k];
            if (c > 0x20 && c < 0x7F)
                *at++ = (char)c;
            else
                at += sprintf(at, "%%%02X", c);
        }
        *at = '\0';
        HPDF_Rect rect = {(HPDF_REAL)(link->x1 + margin), (HPDF_REAL)(link->y1 + margin),
                          (HPDF_REAL)(link->x2 + margin), (HPDF_REAL)(link->y2 + margin)};
        HPDF_Annotation annot = HPDF_Page_CreateURILinkAnnot(out, rect, uri);
        free(uri);
        if (!annot || HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0) != HPDF_OK ||
            HPDF_Dict_AddNumber(annot, "F", 4) != HPDF_OK)
            return -1;
        if (pdf->tagged && tag_link(pdf, page, link, annot)) return -1;
    }
    return 0;
}

/* What failed, when libharu's own error handler was not called (its
 * lower-level functions only record the error). */
static int failed(ky_pdf *pdf)
{
    if (pdf->diags->errors != pdf->errors) return -1;
    HPDF_STATUS error = HPDF_GetError(pdf->doc);
    const char *text = hpdf_error_text(error);
    if (text)
        ky_error(pdf->diags, pdf->path, 0, "%s", text);
    else
        ky_error(pdf->diags, pdf->path, 0, "the PDF library failed (libharu error 0x%04X)",
                 (unsigned)error);
    return -1;
}

static int add_page_to(ky_pdf *pdf, const ky_page *page)
{
    HPDF_Page out = HPDF_AddPage(pdf->doc);
    if (!out) return -1;
    pdf->pages = grow(pdf->pages, &pdf->page_capacity, pdf->page_count + 1, sizeof(HPDF_Page));
    pdf->pages[pdf->page_count++] = out;
    double margin = print_margin(pdf);
    HPDF_Page_SetWidth(out, (HPDF_REAL)(page->width + 2 * margin));
    HPDF_Page_SetHeight(out, (HPDF_REAL)(page->height + 2 * margin));
    if (pdf->print) {
        set_box(pdf->doc, out, "TrimBox", margin, margin, margin + page->width,
                margin + page->height);
        set_box(pdf->doc, out, "BleedBox", margin - KY_BLEED, margin - KY_BLEED,
                margin + page->width + KY_BLEED, margin + page->height + KY_BLEED);
    }
    HPDF_Dict resources = HPDF_Page_GetInheritableItem(out, "Resources", HPDF_OCLASS_DICT);
    if (!resources || HPDF_Dict_Add(resources, "Font", pdf->font_resources) != HPDF_OK) return -1;
    if (pdf->tagged) {
        /* The page's key in the ParentTree, then its links'. */
        pdf->page_parents = grow(pdf->page_parents, &pdf->page_parents_capacity, pdf->page_count,
                                 sizeof *pdf->page_parents);
        HPDF_Array parents = HPDF_Array_New(pdf->doc->mmgr);
        int key = pdf->next_key++;
        if (!parents || HPDF_Xref_Add(pdf->doc->xref, parents) != HPDF_OK ||
            HPDF_Dict_AddNumber(out, "StructParents", key) != HPDF_OK ||
            HPDF_Dict_AddName(out, "Tabs", "S") != HPDF_OK ||
            HPDF_Array_AddNumber(pdf->parent_nums, key) != HPDF_OK ||
            HPDF_Array_Add(pdf->parent_nums, parents) != HPDF_OK)
            return -1;
        pdf->page_parents[pdf->page_count - 1] = parents;
    }
    HPDF_PageAttr attr = (HPDF_PageAttr)out->attr;
    /* The text first: a link's element goes into its text's element, which
     * must stand among its siblings where its text does. */
    if (page_ops(pdf, page, true) || add_links(pdf, out, page, margin)) return -1;
    if (write_ops(pdf, attr->contents)) return -1;
    attr->stream = attr->contents->stream; /* the page's stream is its contents' */
    return 0;
}

static int add_page(void *data, const ky_page *page)
{
    return add_page_to(data, page) ? failed(data) : 0;
}

/* An overlay becomes the page's second content stream. */
static int add_overlay_to(ky_pdf *pdf, const ky_page *overlay)
{
    if (overlay->index >= pdf->page_count) return -1;
    HPDF_Page out = pdf->pages[overlay->index];
    HPDF_PageAttr attr = (HPDF_PageAttr)out->attr;
    HPDF_Dict stream = HPDF_DictStream_New(pdf->doc->mmgr, pdf->doc->xref);
    HPDF_Array contents = HPDF_Array_New(pdf->doc->mmgr);
    if (!stream || !contents) return -1;
    if (page_ops(pdf, overlay, false)) return -1;
    if (write_ops(pdf, stream) || HPDF_Array_Add(contents, attr->contents) != HPDF_OK ||
        HPDF_Array_Add(contents, stream) != HPDF_OK ||
        HPDF_Dict_Add(out, "Contents", contents) != HPDF_OK)
        return -1;
    return 0;
}

static int add_overlay(void *data, const ky_page *overlay)
{
    return add_overlay_to(data, overlay) ? failed(data) : 0;
}

ky_page_sink ky_pdf_sink(ky_pdf *pdf)
{
    return (ky_page_sink){.data = pdf, .page = add_page, .overlay = add_overlay};
}

/* Every glyph of a subset is in use: see the section's comment. */
static void flag_all_glyphs(HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_TTFontDefAttr def = (HPDF_TTFontDefAttr)attr->fontdef->attr;
    for (HPDF_UINT i = 0; i < def->num_glyphs; i++)
        def->glyph_tbl.flgs[i] = 1;
}

/* libharu 2.3.0 reads TrueType only from a file, so the subset HarfBuzz made
 * in memory is handed over as an anonymous in-memory file. */
static const char *load_subset(HPDF_Doc pdf, const ky_subset *subset, const char *face_id,
                               ky_pdf *ctx)
{
    size_t length = subset->size;
    const char *data = subset->data;
    int fd = memfd_create(face_id, MFD_CLOEXEC);
    if (fd < 0) {
        ky_error(ctx->diags, NULL, 0, "memfd_create: %s", strerror(errno));
        return NULL;
    }
    size_t done = 0;
    while (done < length) {
        ssize_t wrote = write(fd, data + done, length - done);
        if (wrote <= 0) {
            ky_error(ctx->diags, NULL, 0, "writing font subset: %s", strerror(errno));
            close(fd);
            return NULL;
        }
        done += (size_t)wrote;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
    /* libharu opened its own descriptor; the memory file lives while it does. */
    close(fd);
    return name;
}

/* libharu 2.3.0 writes a ToUnicode CMap with CID operators, which poppler
 * rejects ("Invalid 'begincidrange' operator"). kyodo writes its own: the
 * character codes are the compact codes of font.c (KY_CODE_BASE + i for the
 * i-th code point a face sets), mapped back to the code points placed. */
static int set_to_unicode(HPDF_Doc pdf, HPDF_Font font, const uint32_t *cps, size_t count)
{
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!stream) return -1;
    stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream out = stream->stream;
    HPDF_Stream_WriteStr(out, "/CIDInit /ProcSet findresource begin\n"
                              "12 dict begin\n"
                              "begincmap\n"
                              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                              "/Supplement 0 >> def\n"
                              "/CMapName /Adobe-Identity-UCS def\n"
                              "/CMapType 2 def\n"
                              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* A CMap block holds at most 100 entries. */
    for (size_t start = 0; start < count; start += 100) {
        size_t n = count - start < 100 ? count - start : 100;
        char line[64];
        snprintf(line, sizeof line, "%zu beginbfchar\n", n);
        HPDF_Stream_WriteStr(out, line);
        for (size_t i = start; i < start + n; i++) {
            snprintf(line, sizeof line, "<%04X> <%04X>\n", (unsigned)(KY_CODE_BASE + i),
                     (unsigned)cps[i]);
            HPDF_Stream_WriteStr(out, line);
        }
        HPDF_Stream_WriteStr(out, "endbfchar\n");
    }
    HPDF_Stream_WriteStr(out, "endcmap\n"
                              "CMapName currentdict /CMap defineresource pop\n"
                              "end\nend\n");
    return HPDF_Dict_Add(font, "ToUnicode", stream) == HPDF_OK ? 0 : -1;
}

/* The CIDFont's FontDescriptor. libharu makes it in the font's
 * before-write hook, which is run here ahead of time (run again when the
 * font is written, it finds the descriptor made and keeps it). */
static HPDF_Dict font_descriptor(HPDF_Font font)
{
    if (!font->before_write_fn || font->before_write_fn(font) != HPDF_OK) return NULL;
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    return attr->fontdef->descriptor;
}

/* A character that the subset has no glyph for would be drawn as glyph 0,
 * .notdef (a box, or nothing): never in a PDF kyodo writes (PDF/A-2,
 * 6.2.11.8, forbids it, and a reader would lose the character). Layout
 * picks faces that have each character, but what it adds itself (the soft
 * hyphen of a hyphenated line) is set in the face of the word. */
static int check_glyphs(ky_pdf *pdf, const ky_face *face, const ky_subset *subset)
{
    for (size_t i = 0; i < subset->count; i++) {
        if (subset->glyphs[i] != 0) continue;
        char shown[8] = {0};
        ky_utf8_encode(subset->cps[i], shown);
        ky_error(pdf->diags, face->path, 0,
                 "font '%s' has no glyph for U+%04X '%s'%s, which the document sets in it; it "
                 "would be drawn as the missing-glyph box (.notdef)",
                 face->id, (unsigned)subset->cps[i], shown,
                 subset->cps[i] == 0xAD ? " (the hyphen of a line broken inside a word)" : "");
        return -1;
    }
    return 0;
}

/* libharu writes a CIDToGIDMap for all 65,536 codes (128 KB to deflate per
 * font); the compact codes need only KY_CODE_BASE + count entries. */
static void shorten_cid_map(HPDF_Font font, const uint32_t *glyphs, size_t count)
{
    HPDF_Array descendants = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid_font = descendants ? HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict map = cid_font ? HPDF_Dict_GetItem(cid_font, "CIDToGIDMap", HPDF_OCLASS_DICT) : NULL;
    if (!map || !map->stream) return;
    size_t size = 2 * (KY_CODE_BASE + count);
    unsigned char *data = calloc(1, size);
    if (!data) ky_out_of_memory();
    for (size_t i = 0; i < count; i++) {
        data[2 * (KY_CODE_BASE + i)] = (unsigned char)(glyphs[i] >> 8);
        data[2 * (KY_CODE_BASE + i) + 1] = (unsigned char)glyphs[i];
    }
    HPDF_MemStream_FreeData(map->stream);
    HPDF_Stream_Write(map->stream, data, (HPDF_UINT)size);
    free(data);
}

/* The PDF's bytes to path, through file.c (atomic replacement, streams,
 * never over an input). The inputs: what the caller named, and the font set
 * and its fonts, which only this file knows. */
static int write_output(ky_pdf *pdf)
{
    const char *path = pdf->path;
    const ky_fontset *fontset = pdf->fonts;
    ky_diags *diags = pdf->diags;
    enum { MAX = KY_PDF_MAX_INPUTS + 1 + KY_MAX_FACES };
    ky_input inputs[MAX];
    size_t count = 0;
    for (size_t i = 0; i < KY_PDF_MAX_INPUTS; i++)
        if (pdf->inputs[i].path) inputs[count++] = pdf->inputs[i];
    inputs[count++] = (ky_input){"font set", fontset->config_path};
    for (int i = 0; i < fontset->face_count; i++)
        inputs[count++] = (ky_input){"font", fontset->faces[i].path};
    ky_output out;
    if (ky_output_open(&out, path, inputs, count, diags) != 0) return -1;
    /* The saved document is read out in pieces, never copied whole. */
    HPDF_UINT32 left = HPDF_GetStreamSize(pdf->doc);
    unsigned char piece[65536];
    while (left > 0) {
        HPDF_UINT32 got = left < sizeof piece ? left : (HPDF_UINT32)sizeof piece;
        HPDF_STATUS read = HPDF_ReadFromStream(pdf->doc, piece, &got);
        if ((read != HPDF_OK && read != HPDF_STREAM_EOF) || got == 0 ||
            ky_output_write(&out, piece, got, diags) != 0) {
            if (diags->errors == pdf->errors) ky_error(diags, path, 0, "cannot serialize the PDF");
            ky_output_abort(&out);
            return -1;
        }
        left -= got;
    }
    return ky_output_commit(&out, diags);
}

/* Sets /Info's dates and gives the same instant as XMP writes it
 * (ISO 8601, UTC), into xmp_date. The /Info dates are written here, as
 * D:YYYYMMDDHHmmSSZ: libharu writes UTC as "Z00'00'", which PDFBox reads
 * as another instant than the XMP's. */
static void set_date(HPDF_Doc doc, long long seconds, char *xmp_date, size_t size)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    /* Four-digit years, as both forms want, for a draft of year 1 too. */
    int year = tm.tm_year + 1900;
    char text[64];
    snprintf(text, sizeof text, "D:%04d%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (doc->info) {
        HPDF_Dict_Add(doc->info, "CreationDate", HPDF_String_New(doc->mmgr, text, NULL));
        HPDF_Dict_Add(doc->info, "ModDate", HPDF_String_New(doc->mmgr, text, NULL));
    }
    snprintf(xmp_date, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool ky_standard_parse(const char *name, ky_standard *standard)
{
    if (strcmp(name, "pdfa-2u") == 0)
        *standard = KY_STANDARD_PDFA_2U;
    else if (strcmp(name, "none") == 0)
        *standard = KY_STANDARD_NONE;
    else
        return false;
    return true;
}

const char *ky_standard_name(ky_standard standard)
{
    return standard == KY_STANDARD_NONE ? "none" : "pdfa-2u";
}

/* ---- PDF/A-2u ------------------------------------------------------------
 * ISO 19005-2 level U: fonts embedded with ToUnicode (always so), device
 * gray given meaning by a gray OutputIntent, XMP metadata that says what
 * /Info says, and a trailer /ID. A tagging pass (PDF/UA) would add its
 * pdfuaid schema in write_xmp and its structure tree beside these. */

/* Gray.icc from Debian's icc-profiles-free (zlib licence), built in by
 * resources.S: the profile that makes kyodo's DeviceGray device
 * independent. */
extern const unsigned char ky_gray_icc[], ky_gray_icc_end[];

static void xml_text(FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == '&')
            fputs("&amp;", out);
        else if (*c == '<')
            fputs("&lt;", out);
        else if (*c == '>')
            fputs("&gt;", out);
        else
            fputc(*c, out);
    }
}

/* One rdf:Alt entry of a language alternative. */
static void xmp_alt(FILE *out, const char *lang, const char *text)
{
    fprintf(out, "<rdf:li xml:lang=\"%s\">", lang);
    xml_text(out, text);
    fputs("</rdf:li>", out);
}

static void xmp_simple(FILE *out, const char *name, const char *text)
{
    if (!text || !*text) return;
    fprintf(out, "  <%s>", name);
    xml_text(out, text);
    fprintf(out, "</%s>\n", name);
}

/* The XMP packet: each /Info entry has its XMP twin with the same text
 * (ISO 19005-2, 6.6.2.3.1), and pdfaid says which PDF/A this is. */
static char *write_xmp(const ky_pdf_info *info, const char *creator, const char *producer,
                       const char *date, size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    if (!out) ky_out_of_memory();
    fputs("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
          "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
          "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
          "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
          "  <dc:format>application/pdf</dc:format>\n",
          out);
    if (info->title && *info->title) {
        fputs("  <dc:title><rdf:Alt>", out);
        xmp_alt(out, "x-default", info->title);
        for (int lang = 0; lang < KY_LANG_COUNT; lang++)
            if (info->titles[lang] && *info->titles[lang])
                xmp_alt(out, ky_lang_code((ky_lang)lang), info->titles[lang]);
        fputs("</rdf:Alt></dc:title>\n", out);
    }
    if (info->author && *info->author) {
        /* /Author is one text: it is dc:creator's one entry. */
        fputs("  <dc:creator><rdf:Seq><rdf:li>", out);
        xml_text(out, info->author);
        fputs("</rdf:li></rdf:Seq></dc:creator>\n", out);
    }
    if (info->subject && *info->subject) {
        fputs("  <dc:description><rdf:Alt>", out);
        xmp_alt(out, "x-default", info->subject);
        fputs("</rdf:Alt></dc:description>\n", out);
    }
    fputs("</rdf:Description>\n"
          "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n",
          out);
    xmp_simple(out, "xmp:CreatorTool", creator);
    if (date) {
        xmp_simple(out, "xmp:CreateDate", date);
        xmp_simple(out, "xmp:ModifyDate", date);
        xmp_simple(out, "xmp:MetadataDate", date);
    }
    fputs("</rdf:Description>\n"
          "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
          out);
    xmp_simple(out, "pdf:Producer", producer);
    xmp_simple(out, "pdf:Keywords", info->keywords);
    fputs(
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "  <pdfaid:part>2</pdfaid:part>\n"
        "  <pdfaid:conformance>U</pdfaid:conformance>\n"
        "</rdf:Description>\n"
        /* PDF/A allows only the XMP schemas it lists, and those
         * described by an extension schema: pdfuaid is not listed. */
        "<rdf:Description rdf:about=\"\" "
        "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
        "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
        "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
        "  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
        "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
        "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
        "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
        "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
        "      <pdfaProperty:name>part</pdfaProperty:name>\n"
        "      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
        "      <pdfaProperty:category>internal</pdfaProperty:category>\n"
        "      <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
        "followed</pdfaProperty:description>\n"
        "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
        "  </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
        "  <pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n"
        "</rdf:RDF>\n"
        "</x:xmpmeta>\n"
        "<?xpacket end=\"w\"?>",
        out);
    if (fclose(out) != 0 || !text) ky_out_of_memory();
    return text;
}

/* The structure tree's root, its ParentTree (filled as pages come) and
 * the catalog's /MarkInfo: a tagged PDF (PDF/UA-1 goes with PDF/A here). */
static int add_structure(ky_pdf *pdf)
{
    HPDF_Doc doc = pdf->doc;
    pdf->tagged = true;
    pdf->struct_root = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict parent_tree = HPDF_Dict_New(doc->mmgr);
    HPDF_Dict mark_info = HPDF_Dict_New(doc->mmgr);
    pdf->parent_nums = HPDF_Array_New(doc->mmgr);
    if (!pdf->struct_root || !parent_tree || !mark_info || !pdf->parent_nums ||
        HPDF_Xref_Add(doc->xref, pdf->struct_root) != HPDF_OK ||
        HPDF_Xref_Add(doc->xref, parent_tree) != HPDF_OK ||
        HPDF_Dict_AddName(pdf->struct_root, "Type", "StructTreeRoot") != HPDF_OK ||
        HPDF_Dict_Add(parent_tree, "Nums", pdf->parent_nums) != HPDF_OK ||
        HPDF_Dict_Add(pdf->struct_root, "ParentTree", parent_tree) != HPDF_OK ||
        HPDF_Dict_Add(doc->catalog, "StructTreeRoot", pdf->struct_root) != HPDF_OK ||
        HPDF_Dict_AddBoolean(mark_info, "Marked", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(doc->catalog, "MarkInfo", mark_info) != HPDF_OK)
        return -1;
    return 0;
}

/* The catalog's /Metadata (uncompressed, as PDF/A wants it readable by a
 * tool that knows nothing of PDF filters), /OutputIntents and
 * /ViewerPreferences. */
static int add_pdfa(ky_pdf *pdf, const ky_pdf_info *info, const char *creator, const char *producer,
                    const char *date)
{
    HPDF_Doc doc = pdf->doc;
    size_t size = 0;
    char *xmp = write_xmp(info, creator, producer, date, &size);
    sha256_update(&pdf->id_hash, size, (const uint8_t *)xmp);
    HPDF_Dict metadata = HPDF_DictStream_New(doc->mmgr, doc->xref);
    int status = metadata ? 0 : -1;
    if (metadata) {
        metadata->filter = HPDF_STREAM_FILTER_NONE;
        if (HPDF_Dict_AddName(metadata, "Type", "Metadata") != HPDF_OK ||
            HPDF_Dict_AddName(metadata, "Subtype", "XML") != HPDF_OK ||
            HPDF_Stream_Write(metadata->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)size) !=
                HPDF_OK ||
            HPDF_Dict_Add(doc->catalog, "Metadata", metadata) != HPDF_OK)
            status = -1;
    }
    free(xmp);
    if (status) return -1;

    HPDF_Dict profile = HPDF_DictStream_New(doc->mmgr, doc->xref);
    HPDF_Dict intent = HPDF_Dict_New(doc->mmgr);
    HPDF_Array intents = HPDF_Array_New(doc->mmgr);
    HPDF_Dict preferences = HPDF_Dict_New(doc->mmgr);
    if (!profile || !intent || !intents || !preferences) return -1;
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (HPDF_Dict_AddNumber(profile, "N", 1) != HPDF_OK ||
        HPDF_Dict_AddName(profile, "Alternate", "DeviceGray") != HPDF_OK ||
        HPDF_Stream_Write(profile->stream, ky_gray_icc,
                          (HPDF_UINT)(ky_gray_icc_end - ky_gray_icc)) != HPDF_OK ||
        HPDF_Dict_AddName(intent, "Type", "OutputIntent") != HPDF_OK ||
        HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") != HPDF_OK ||
        HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                      HPDF_String_New(doc->mmgr, "Gray", NULL)) != HPDF_OK ||
        HPDF_Dict_Add(intent, "Info",
                      HPDF_String_New(doc->mmgr, "Gray (icc-profiles-free)", NULL)) != HPDF_OK ||
        HPDF_Dict_Add(intent, "DestOutputProfile", profile) != HPDF_OK ||
        HPDF_Array_Add(intents, intent) != HPDF_OK ||
        HPDF_Dict_Add(doc->catalog, "OutputIntents", intents) != HPDF_OK ||
        HPDF_Dict_AddBoolean(preferences, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(doc->catalog, "ViewerPreferences", preferences) != HPDF_OK)
        return -1;
    return add_structure(pdf);
}

/* The trailer's /ID: two equal strings (the document was never updated),
 * the first 16 bytes of the content's hash. */
static int add_id(ky_pdf *pdf)
{
    HPDF_Doc doc = pdf->doc;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&pdf->id_hash, sizeof digest, digest);
    HPDF_Array id = HPDF_Array_New(doc->mmgr);
    if (!id) return -1;
    for (int i = 0; i < 2; i++)
        if (HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, digest, 16)) != HPDF_OK) return -1;
    return HPDF_Dict_Add(doc->trailer, "ID", id) == HPDF_OK ? 0 : -1;
}

/* The spill file: unnamed (O_TMPFILE), so that nothing is left behind
 * whatever happens, in $TMPDIR or /tmp; -1 where it cannot be made. */
static int open_spill(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

ky_pdf *ky_pdf_new(ky_fontset *fonts, const ky_pdf_info *info, const char *path, ky_diags *diags)
{
    ky_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf) ky_out_of_memory();
    *pdf = (ky_pdf){.fonts = fonts,
                    .diags = diags,
                    .path = path,
                    .errors = diags->errors,
                    .print = info->print,
                    .standard = info->standard,
                    .spill = open_spill()};
    sha256_init(&pdf->id_hash);
    /* The inputs' names outlive the caller's arena, which is released
     * before the fonts are embedded. */
    for (size_t i = 0; i < KY_PDF_MAX_INPUTS; i++) {
        pdf->inputs[i].what = info->inputs[i].what;
        if (info->inputs[i].path && !(pdf->inputs[i].path = strdup(info->inputs[i].path)))
            ky_out_of_memory();
    }
    pdf->doc = HPDF_New(on_hpdf_error, pdf);
    if (!pdf->doc) {
        ky_error(diags, path, 0, "cannot create a PDF document");
        ky_pdf_free(pdf);
        return NULL;
    }
    HPDF_Doc doc = pdf->doc;
    /* Pages are compressed here; fonts and the rest by libharu. */
    HPDF_SetCompressionMode(doc, HPDF_COMP_IMAGE | HPDF_COMP_METADATA);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    pdf->font_resources = HPDF_Dict_New(doc->mmgr);
    if (!pdf->font_resources || HPDF_Xref_Add(doc->xref, pdf->font_resources) != HPDF_OK) {
        ky_pdf_free(pdf);
        return NULL;
    }
    if (info->title) HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, info->title);
    if (info->subject) HPDF_SetInfoAttr(doc, HPDF_INFO_SUBJECT, info->subject);
    if (info->author) HPDF_SetInfoAttr(doc, HPDF_INFO_AUTHOR, info->author);
    if (info->keywords) HPDF_SetInfoAttr(doc, HPDF_INFO_KEYWORDS, info->keywords);
    static const char creator[] = "kyodo " KY_VERSION;
    static const char producer[] = "kyodo " KY_VERSION " with libharu";
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, creator);
    HPDF_SetInfoAttr(doc, HPDF_INFO_PRODUCER, producer);
    char date[64] = "";
    if (info->has_date) set_date(doc, info->date, date, sizeof date);
    if (info->lang)
        HPDF_Dict_Add(doc->catalog, "Lang", HPDF_String_New(doc->mmgr, info->lang, NULL));
    if (pdf->standard == KY_STANDARD_PDFA_2U &&
        add_pdfa(pdf, info, creator, producer, info->has_date ? date : NULL) != 0) {
        if (diags->errors == pdf->errors) ky_error(diags, path, 0, "cannot add the PDF/A metadata");
        ky_pdf_free(pdf);
        return NULL;
    }
    return pdf;
}

void ky_pdf_free(ky_pdf *pdf)
{
    if (!pdf) return;
    if (pdf->doc) HPDF_Free(pdf->doc);
    for (size_t i = 0; i < KY_PDF_MAX_INPUTS; i++)
        free((char *)pdf->inputs[i].path);
    if (pdf->spill >= 0) close(pdf->spill);
    free(pdf->pages);
    free(pdf->ops);
    free(pdf->packed);
    free(pdf->codes);
    /* After HPDF_Free: its ParentTree arrays hold the references. */
    for (size_t i = 0; i < pdf->elem_capacity; i++) {
        free(pdf->elems[i].kids);
        free(pdf->elems[i].ref);
    }
    free(pdf->elems);
    for (size_t i = 0; i < pdf->link_count; i++)
        free(pdf->links[i].ref);
    free(pdf->links);
    free(pdf->parts);
    free(pdf->page_parents);
    free(pdf->note_places);
    free(pdf);
}

/* The subset of every face the document used, as a libharu font in the
 * shared font resources under the name its pages use (K0, K1, …). */
static int embed_fonts(ky_pdf *pdf)
{
    ky_fontset *fontset = pdf->fonts;
    for (int i = 0; i < fontset->face_count; i++) {
        ky_face *face = &fontset->faces[i];
        size_t count = ky_font_code_count(fontset, i);
        if (count == 0) continue;
        if (count > KY_CODE_COUNT) {
            ky_error(pdf->diags, face->path, 0,
                     "the document sets %zu different characters in font '%s'; at most %u fit "
                     "the PDF backend's two-byte codes",
                     count, face->id, KY_CODE_COUNT);
            return -1;
        }
        ky_subset subset;
        if (ky_font_subset(fontset, i, &subset, pdf->diags)) return -1;
        if (check_glyphs(pdf, face, &subset)) {
            ky_subset_free(&subset);
            return -1;
        }
        sha256_update(&pdf->id_hash, subset.size, (const uint8_t *)subset.data);
        const char *name = load_subset(pdf->doc, &subset, face->id, pdf);
        HPDF_Font font = name ? HPDF_GetFont(pdf->doc, name, "UTF-8") : NULL;
        int status = font ? 0 : -1;
        if (font) {
            flag_all_glyphs(font);
            shorten_cid_map(font, subset.glyphs, subset.count);
            /* libharu writes no /CapHeight, which PDF requires of fonts
             * with Latin characters and PDF/A of every font. */
            HPDF_Dict descriptor = font_descriptor(font);
            if (!descriptor ||
                HPDF_Dict_AddNumber(descriptor, "CapHeight",
                                    (HPDF_INT32)lround(1000 * ky_font_cap_height(fontset, i))) !=
                    HPDF_OK)
                status = -1;
            char key[16];
            snprintf(key, sizeof key, "K%d", i);
            if (set_to_unicode(pdf->doc, font, subset.cps, subset.count) != 0 ||
                HPDF_Dict_Add(pdf->font_resources, key, font) != HPDF_OK)
                status = -1;
        }
        ky_subset_free(&subset);
        if (status) {
            if (pdf->diags->errors == pdf->errors)
                ky_error(pdf->diags, face->path, 0, "the PDF library cannot use font '%s'",
                         face->id);
            return -1;
        }
    }
    return 0;
}

/* Outline: each language version's title, its headings under it, each
 * heading under the last one of the level above it in its own language
 * (the parallel layout places both languages' headings in turn). */
static void add_outline(ky_pdf *pdf, const ky_pages *pages)
{
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf->doc, "UTF-8");
    HPDF_Outline parents[KY_LANG_COUNT][KY_SECTION_MAX_DEPTH + 1] = {{NULL}};
    for (const ky_bookmark *mark = pages->bookmarks; mark; mark = mark->next) {
        if (mark->page >= pdf->page_count) continue;
        int level = mark->level < 0                      ? 0
                    : mark->level > KY_SECTION_MAX_DEPTH ? KY_SECTION_MAX_DEPTH
                                                         : mark->level;
        HPDF_Outline *own = parents[mark->lang == KY_JA ? KY_JA : KY_EN];
        /* A level with no entry above it (a section heading without its
         * parent's) goes under the nearest one there is. */
        HPDF_Outline parent = NULL;
        for (int up = level - 1; up >= 0 && !parent; up--)
            parent = own[up];
        HPDF_Outline outline = HPDF_CreateOutline(pdf->doc, parent, mark->title, utf8);
        if (!outline) continue;
        own[level] = outline;
        for (int down = level + 1; down <= KY_SECTION_MAX_DEPTH; down++)
            own[down] = NULL;
        if (level == 0) HPDF_Outline_SetOpened(outline, HPDF_TRUE);
        /* The destination is a direct array: libharu's are indirect
         * objects, which PDFBox's PDF/A checks cannot read (and which
         * cost an object each). */
        HPDF_Array dest = HPDF_Array_New(pdf->doc->mmgr);
        if (!dest || HPDF_Array_Add(dest, pdf->pages[mark->page]) != HPDF_OK ||
            HPDF_Array_AddName(dest, "FitH") != HPDF_OK ||
            HPDF_Array_AddReal(dest, (HPDF_REAL)(mark->y + print_margin(pdf))) != HPDF_OK)
            continue;
        HPDF_Dict_Add(outline, "Dest", dest);
    }
}

/* Page labels: "EN-1", "JA-1", … per language version, plain numbers for a
 * parallel document. */
static void add_page_labels(ky_pdf *pdf, const ky_pages *pages)
{
    bool labelled_first = false;
    for (const ky_part *part = pages->parts; part; part = part->next) {
        if (part->first >= pdf->page_count) continue;
        if (part->first > 0 && !labelled_first) {
            /* A title page before the first part. */
            HPDF_AddPageLabel(pdf->doc, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
        }
        labelled_first = true;
        HPDF_AddPageLabel(pdf->doc, (HPDF_UINT)part->first, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
                          part->parallel        ? NULL
                          : part->lang == KY_EN ? "EN-"
                                                : "JA-");
    }
}

/* Footnotes (PDF/UA-1, 7.9): each Note has an /ID unique in the document,
 * which the StructTreeRoot's /IDTree maps to it, and the Reference of its
 * mark refers to it by /Ref. /Ref is PDF 2.0's key; ISO 32000-1 (7.3.7)
 * has readers ignore keys they do not know, PDF/A-2 allows them in
 * structure elements, and a PDF 2.0 reader finds the note from its mark.
 * The mark's link goes to a named destination of the same name. */
struct ky_note_id {
    char id[40];
    HPDF_Dict dict;                    /* its Note, NULL untagged */
    const struct ky_note_place *place; /* where it begins, NULL: not drawn */
};

static int compare_ids(const void *a, const void *b)
{
    return strcmp(((const struct ky_note_id *)a)->id, ((const struct ky_note_id *)b)->id);
}

/* A name tree of ids[0..count) (in order) to each one's Note (dests
 * false) or destination, in root: its /Names, or /Kids of leaves when a
 * leaf would hold more than 4,095 pairs (8,191 array elements, ISO
 * 32000-1, annex C). */
static int name_tree(ky_pdf *pdf, HPDF_Dict root, const struct ky_note_id *ids, size_t count,
                     bool dests)
{
    enum { KY_LEAF_MAX = 4095 };
    HPDF_Doc doc = pdf->doc;
    HPDF_Array leaves = count > KY_LEAF_MAX ? HPDF_Array_New(doc->mmgr) : NULL;
    if (count > KY_LEAF_MAX && (!leaves || HPDF_Dict_Add(root, "Kids", leaves) != HPDF_OK))
        return -1;
    for (size_t first = 0; first < count; first += KY_LEAF_MAX) {
        size_t end = first + KY_LEAF_MAX < count ? first + KY_LEAF_MAX : count;
        HPDF_Dict leaf = leaves ? HPDF_Dict_New(doc->mmgr) : root;
        HPDF_Array names = HPDF_Array_New(doc->mmgr);
        /* Kids are indirect objects (ISO 32000-1, table 36). */
        if (!leaf || !names || (leaves && HPDF_Xref_Add(doc->xref, leaf) != HPDF_OK) ||
            HPDF_Dict_Add(leaf, "Names", names) != HPDF_OK)
            return -1;
        for (size_t i = first; i < end; i++) {
            void *value = ids[i].dict;
            if (dests) {
                HPDF_Array dest = HPDF_Array_New(doc->mmgr);
                if (!dest || HPDF_Array_Add(dest, pdf->pages[ids[i].place->page]) != HPDF_OK ||
                    HPDF_Array_AddName(dest, "FitH") != HPDF_OK ||
                    HPDF_Array_AddReal(dest, (HPDF_REAL)ids[i].place->y) != HPDF_OK)
                    return -1;
                value = dest;
            }
            if (HPDF_Array_Add(names, HPDF_String_New(doc->mmgr, ids[i].id, NULL)) != HPDF_OK ||
                HPDF_Array_Add(names, value) != HPDF_OK)
                return -1;
        }
        HPDF_Array limits = leaves ? HPDF_Array_New(doc->mmgr) : NULL;
        if (leaves &&
            (!limits ||
             HPDF_Array_Add(limits, HPDF_String_New(doc->mmgr, ids[first].id, NULL)) != HPDF_OK ||
             HPDF_Array_Add(limits, HPDF_String_New(doc->mmgr, ids[end - 1].id, NULL)) != HPDF_OK ||
             HPDF_Dict_Add(leaf, "Limits", limits) != HPDF_OK ||
             HPDF_Array_Add(leaves, leaf) != HPDF_OK))
            return -1;
    }
    return 0;
}

/* Tagged, the Notes' /IDs, the IDTree and the References' /Ref; tagged
 * or not, the named destinations of the notes' marks' links. */
static int add_notes(ky_pdf *pdf, const ky_pages *pages)
{
    HPDF_Doc doc = pdf->doc;
    struct ky_note_id *ids = calloc(pages->note_count + 1, sizeof *ids);
    if (!ids) ky_out_of_memory();
    size_t count = 0, placed = 0;
    int status = 0;
    for (size_t i = 0; i < pages->note_count && status == 0; i++) {
        const struct ky_note_tag *tag = &pages->notes[i];
        struct ky_note_id id = {.dict = NULL};
        if (tag->note >= 0 && (size_t)tag->note < pdf->elem_capacity)
            id.dict = pdf->elems[tag->note].dict;
        for (size_t k = 0; k < pdf->note_place_count && !id.place; k++)
            if (pdf->note_places[k].note == tag->note) id.place = &pdf->note_places[k];
        if (!id.dict && !id.place) continue; /* never drawn */
        note_id(tag, id.id, sizeof id.id);
        HPDF_Dict reference = tag->reference >= 0 && (size_t)tag->reference < pdf->elem_capacity
                                  ? pdf->elems[tag->reference].dict
                                  : NULL;
        HPDF_Array ref = reference && id.dict ? HPDF_Array_New(doc->mmgr) : NULL;
        if ((id.dict &&
             HPDF_Dict_Add(id.dict, "ID", HPDF_String_New(doc->mmgr, id.id, NULL)) != HPDF_OK) ||
            (reference && id.dict &&
             (!ref || HPDF_Array_Add(ref, id.dict) != HPDF_OK ||
              HPDF_Dict_Add(reference, "Ref", ref) != HPDF_OK)))
            status = -1;
        placed += id.place != NULL;
        ids[count++] = id;
    }
    qsort(ids, count, sizeof *ids, compare_ids);
    if (status == 0 && pdf->tagged && count) {
        /* Every note drawn tagged has its Note: the dicts stand first. */
        size_t tagged = 0;
        for (size_t i = 0; i < count; i++)
            if (ids[i].dict) ids[tagged++] = ids[i];
        HPDF_Dict tree = HPDF_Dict_New(doc->mmgr);
        if (!tree || HPDF_Dict_Add(pdf->struct_root, "IDTree", tree) != HPDF_OK ||
            name_tree(pdf, tree, ids, tagged, false))
            status = -1;
        count = tagged;
    }
    if (status == 0 && placed) {
        size_t n = 0;
        for (size_t i = 0; i < count; i++)
            if (ids[i].place && ids[i].place->page < pdf->page_count) ids[n++] = ids[i];
        HPDF_Dict names = HPDF_Dict_GetItem(doc->catalog, "Names", HPDF_OCLASS_DICT);
        HPDF_Dict dests = HPDF_Dict_New(doc->mmgr);
        bool made = names || ((names = HPDF_Dict_New(doc->mmgr)) &&
                              HPDF_Dict_Add(doc->catalog, "Names", names) == HPDF_OK);
        if (!made || !dests || HPDF_Dict_Add(names, "Dests", dests) != HPDF_OK ||
            name_tree(pdf, dests, ids, n, true))
            status = -1;
    }
    free(ids);
    return status;
}

/* The Parts into the Document: each language's in turn, languages in the
 * order they first appeared. */
static int add_parts(ky_pdf *pdf, const ky_pages *pages)
{
    if (!pdf->part_count) return 0;
    struct ky_elem_out *doc = elem_out(pdf, pages, 0);
    if (!doc) return -1;
    bool done[KY_LANG_COUNT] = {false};
    for (size_t i = 0; i < pdf->part_count; i++) {
        int lang = pages->elems[pdf->parts[i]].lang;
        if (done[lang]) continue;
        done[lang] = true;
        for (size_t k = i; k < pdf->part_count; k++)
            if (pages->elems[pdf->parts[k]].lang == lang &&
                add_kid(pdf, doc, KY_KID_ELEM, pdf->parts[k]))
                return -1;
    }
    return 0;
}

int ky_pdf_finish(ky_pdf *pdf, const ky_pages *pages)
{
    ky_diags *diags = pdf->diags;
    /* A face that could not be opened was reported (once) and layout went on
     * with the next face of its chain: that is no PDF to write. */
    if (pdf->fonts->failed) return -1;
    if (diags->errors == pdf->errors && embed_fonts(pdf) == 0) {
        add_outline(pdf, pages);
        add_page_labels(pdf, pages);
    }
    if (diags->errors != pdf->errors) return -1;
    if (add_notes(pdf, pages) != 0) return failed(pdf);
    if (pdf->standard == KY_STANDARD_PDFA_2U) {
        pdf->tree = pages;
        /* PDF/A-2 is based on PDF 1.7; libharu would write the lowest
         * version its own features need. */
        pdf->doc->pdf_version = HPDF_VER_17;
        if (add_parts(pdf, pages) != 0 ||
            HPDF_Dict_AddNumber(pdf->struct_root, "ParentTreeNextKey", pdf->next_key) != HPDF_OK)
            return failed(pdf);
        if (add_id(pdf) != 0) {
            if (diags->errors == pdf->errors) ky_error(diags, pdf->path, 0, "cannot add the /ID");
            return -1;
        }
    }
    if (HPDF_SaveToStream(pdf->doc) != HPDF_OK) {
        if (diags->errors == pdf->errors) ky_error(diags, pdf->path, 0, "cannot serialize the PDF");
        return -1;
    }
    return write_output(pdf);
}

const char *ky_pdf_library_version(void)
{
    return HPDF_GetVersion();
}

const char *ky_pdf_zlib_version(void)
{
    return zlibVersion();
}
