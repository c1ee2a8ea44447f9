#include "pdf.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"
#include "version.h"

typedef struct {
    ky_diags *diags;
    const char *path;
} ky_pdf_ctx;

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
    ky_pdf_ctx *ctx = data;
    ky_error(ctx->diags, ctx->path, 0, "PDF library error 0x%04X (detail %u)", (unsigned)error,
             (unsigned)detail);
}

/* libharu 2.3.0 reads TrueType only from a file, so the subset HarfBuzz made
 * in memory is handed over as an anonymous in-memory file. */
static const char *load_subset(HPDF_Doc pdf, hb_blob_t *blob, const char *face_id, ky_pdf_ctx *ctx)
{
    unsigned length = 0;
    const char *data = hb_blob_get_data(blob, &length);
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
 * rejects ("Invalid 'begincidrange' operator"). Its UTF-8 fonts use the
 * Unicode code point as the character code, so the correct map is the
 * identity over the characters placed: that is what this writes instead. */
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

/* libharu writes a CIDToGIDMap for all 65,536 codes (128 KB to deflate per
 * font); the compact codes need only KY_CODE_BASE + count entries. */
static void shorten_cid_map(HPDF_Font font, const hb_codepoint_t *glyphs, size_t count)
{
    HPDF_Array descendants = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid_font = descendants ? HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict map = cid_font ? HPDF_Dict_GetItem(cid_font, "CIDToGIDMap", HPDF_OCLASS_DICT) : NULL;
    if (!map || !map->stream) return;
    size_t size = 2 * (KY_CODE_BASE + count);
    unsigned char *data = calloc(1, size);
    if (!data) return;
    for (size_t i = 0; i < count; i++) {
        data[2 * (KY_CODE_BASE + i)] = (unsigned char)(glyphs[i] >> 8);
        data[2 * (KY_CODE_BASE + i) + 1] = (unsigned char)glyphs[i];
    }
    HPDF_MemStream_FreeData(map->stream);
    HPDF_Stream_Write(map->stream, data, (HPDF_UINT)size);
    free(data);
}

/* The code points a face sets, in order: their positions are the codes. */
typedef struct {
    uint32_t *cps;
    size_t count;
} ky_codes;

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Bytes of a fragment's text shown at once (below libharu's string limit
 * even at 3 bytes of code for each). */
enum { KY_SHOW_MAX = 16384 };

/* Rewrites a fragment's text in its face's compact codes (as UTF-8, which
 * libharu's encoder turns into the two-byte codes). out holds 3 bytes for
 * each byte of text, and one more. */
static void encode(const ky_codes *codes, const char *text, size_t len, char *out)
{
    size_t pos = 0, at = 0;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(text, len, &pos);
        const uint32_t *found = bsearch(&cp, codes->cps, codes->count, sizeof cp, compare_u32);
        uint32_t code = found ? KY_CODE_BASE + (uint32_t)(found - codes->cps) : 0xFFFD;
        at += ky_utf8_encode(code, out + at);
    }
    out[at] = '\0';
}

static int write_file(const char *path, const unsigned char *data, size_t size, ky_diags *diags)
{
    size_t plen = strlen(path) + 16;
    char *tmp = malloc(plen);
    if (!tmp) return -1;
    snprintf(tmp, plen, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ky_error(diags, path, 0, "cannot create a file beside it: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    size_t done = 0;
    int status = 0;
    while (done < size) {
        ssize_t wrote = write(fd, data + done, size - done);
        if (wrote <= 0) {
            ky_error(diags, path, 0, "write failed: %s", strerror(errno));
            status = -1;
            break;
        }
        done += (size_t)wrote;
    }
    /* mkstemp makes the file private; a PDF is meant to be shared. */
    if (status == 0) (void)fchmod(fd, 0644);
    if (close(fd) != 0 && status == 0) {
        ky_error(diags, path, 0, "write failed: %s", strerror(errno));
        status = -1;
    }
    if (status == 0 && rename(tmp, path) != 0) {
        ky_error(diags, path, 0, "cannot replace: %s", strerror(errno));
        status = -1;
    }
    if (status != 0) unlink(tmp);
    free(tmp);
    return status;
}

/* The print shop's 3 mm of bleed around the trimmed page. */
#define KY_BLEED (3 * 72 / 25.4)
/* Crop marks stand off the trim by this much, this long. */
#define KY_MARK_OFFSET (3 * 72 / 25.4)
#define KY_MARK_LENGTH (5 * 72 / 25.4)

static void set_box(HPDF_Doc pdf, HPDF_Page page, const char *name, double left, double bottom,
                    double right, double top)
{
    HPDF_Box box = {(HPDF_REAL)left, (HPDF_REAL)bottom, (HPDF_REAL)right, (HPDF_REAL)top};
    HPDF_Dict_Add(page, name, HPDF_Box_Array_New(pdf->mmgr, box));
}

/* Crop marks at the trim's corners, outside the bleed, in registration-free
 * DeviceGray. */
static void crop_marks(HPDF_Page out, double margin, double width, double height)
{
    HPDF_Page_SetGrayStroke(out, 0);
    HPDF_Page_SetLineWidth(out, 0.25);
    double xs[2] = {margin, margin + width}, ys[2] = {margin, margin + height};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double x = xs[i], y = ys[j];
            double hx = i == 0 ? -1 : 1, vy = j == 0 ? -1 : 1;
            HPDF_Page_MoveTo(out, (HPDF_REAL)(x + hx * KY_MARK_OFFSET), (HPDF_REAL)y);
            HPDF_Page_LineTo(out, (HPDF_REAL)(x + hx * (KY_MARK_OFFSET + KY_MARK_LENGTH)),
                             (HPDF_REAL)y);
            HPDF_Page_MoveTo(out, (HPDF_REAL)x, (HPDF_REAL)(y + vy * KY_MARK_OFFSET));
            HPDF_Page_LineTo(out, (HPDF_REAL)x,
                             (HPDF_REAL)(y + vy * (KY_MARK_OFFSET + KY_MARK_LENGTH)));
            HPDF_Page_Stroke(out);
        }
}

static HPDF_Page draw_page(HPDF_Doc pdf, const ky_page *page, HPDF_Font *fonts,
                           const ky_codes *codes, char *buffer, size_t buffer_size, bool print)
{
    HPDF_Page out = HPDF_AddPage(pdf);
    if (!out) return NULL;
    /* For print the sheet grows by the bleed and room for crop marks; the
     * page's own content moves in by as much (a translation of everything). */
    double margin = print ? KY_MARK_OFFSET + KY_MARK_LENGTH + 2 : 0;
    HPDF_Page_SetWidth(out, (HPDF_REAL)(page->width + 2 * margin));
    HPDF_Page_SetHeight(out, (HPDF_REAL)(page->height + 2 * margin));
    if (print) {
        set_box(pdf, out, "TrimBox", margin, margin, margin + page->width, margin + page->height);
        set_box(pdf, out, "BleedBox", margin - KY_BLEED, margin - KY_BLEED,
                margin + page->width + KY_BLEED, margin + page->height + KY_BLEED);
        crop_marks(out, margin, page->width, page->height);
        HPDF_Page_Concat(out, 1, 0, 0, 1, (HPDF_REAL)margin, (HPDF_REAL)margin);
    }
    if (page->rule_count) {
        HPDF_Page_SetGrayStroke(out, 0);
        for (size_t i = 0; i < page->rule_count; i++) {
            const ky_rule *rule = &page->rules[i];
            HPDF_Page_SetLineWidth(out, (HPDF_REAL)rule->width);
            HPDF_Page_MoveTo(out, (HPDF_REAL)rule->x1, (HPDF_REAL)rule->y1);
            HPDF_Page_LineTo(out, (HPDF_REAL)rule->x2, (HPDF_REAL)rule->y2);
            HPDF_Page_Stroke(out);
        }
    }
    /* Watermarks first, so that the text is drawn over them. */
    for (size_t i = 0; i < page->under_count; i++) {
        const ky_shape *shape = &page->under[i];
        HPDF_Page_SetGrayFill(out, (HPDF_REAL)shape->gray);
        for (size_t k = 0; k < shape->count; k++) {
            const ky_path_op *op = &shape->ops[k];
            if (op->op == 'm')
                HPDF_Page_MoveTo(out, (HPDF_REAL)op->x[0], (HPDF_REAL)op->y[0]);
            else if (op->op == 'l')
                HPDF_Page_LineTo(out, (HPDF_REAL)op->x[0], (HPDF_REAL)op->y[0]);
            else if (op->op == 'c')
                HPDF_Page_CurveTo(out, (HPDF_REAL)op->x[0], (HPDF_REAL)op->y[0],
                                  (HPDF_REAL)op->x[1], (HPDF_REAL)op->y[1], (HPDF_REAL)op->x[2],
                                  (HPDF_REAL)op->y[2]);
            else
                HPDF_Page_ClosePath(out);
        }
        if (shape->count) HPDF_Page_Fill(out);
    }
    if (page->frag_count == 0) return out;
    HPDF_Page_SetGrayFill(out, 0);
    HPDF_Page_BeginText(out);
    int face = -1;
    double size = -1, spacing = 0;
    for (size_t i = 0; i < page->frag_count; i++) {
        const ky_frag *frag = &page->frags[i];
        if (frag->face != face || frag->size != size) {
            HPDF_Page_SetFontAndSize(out, fonts[frag->face], (HPDF_REAL)frag->size);
            face = frag->face;
            size = frag->size;
        }
        if (frag->char_spacing != spacing) {
            HPDF_Page_SetCharSpace(out, (HPDF_REAL)frag->char_spacing);
            spacing = frag->char_spacing;
        }
        if (3 * (size_t)frag->len >= buffer_size) return NULL;
        HPDF_Page_SetTextMatrix(out, 1, 0, 0, 1, (HPDF_REAL)frag->x, (HPDF_REAL)frag->y);
        /* libharu refuses a string of more than 65,535 bytes (a hostile
         * draft's one long word): such a fragment is shown in pieces, each
         * going on where the one before ended. */
        for (size_t at = 0; at < frag->len;) {
            size_t end = frag->len - at > KY_SHOW_MAX ? at + KY_SHOW_MAX : frag->len;
            while (end < frag->len && ((unsigned char)frag->text[end] & 0xC0) == 0x80)
                end--;
            encode(&codes[frag->face], frag->text + at, end - at, buffer);
            HPDF_Page_ShowText(out, buffer);
            at = end;
        }
    }
    HPDF_Page_EndText(out);
    return out;
}

/* The position of a laid-out page among the drawn ones, or count. */
static size_t page_index(const ky_page **layout_pages, size_t count, const ky_page *page)
{
    size_t index = 0;
    while (index < count && layout_pages[index] != page)
        index++;
    return index;
}

/* Outline: each language version's title, its headings under it. */
static void add_outline(HPDF_Doc pdf, const ky_pages *pages, HPDF_Page *page_of,
                        const ky_page **layout_pages, size_t page_count)
{
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    HPDF_Outline parent = NULL;
    for (const ky_bookmark *mark = pages->bookmarks; mark; mark = mark->next) {
        size_t index = page_index(layout_pages, page_count, mark->page);
        if (index == page_count) continue;
        HPDF_Outline outline =
            HPDF_CreateOutline(pdf, mark->level == 0 ? NULL : parent, mark->title, utf8);
        if (!outline) continue;
        if (mark->level == 0) {
            parent = outline;
            HPDF_Outline_SetOpened(outline, HPDF_TRUE);
        }
        HPDF_Destination dest = HPDF_Page_CreateDestination(page_of[index]);
        HPDF_Destination_SetFitH(dest, (HPDF_REAL)mark->y);
        HPDF_Outline_SetDestination(outline, dest);
    }
}

/* Page labels: "EN-1", "JA-1", … per language version, plain numbers for a
 * parallel document. */
static void add_page_labels(HPDF_Doc pdf, const ky_pages *pages, const ky_page **layout_pages,
                            size_t page_count)
{
    bool labelled_first = false;
    for (const ky_part *part = pages->parts; part; part = part->next) {
        size_t index = page_index(layout_pages, page_count, part->first);
        if (index == page_count) continue;
        if (index > 0 && !labelled_first) {
            /* A title page before the first part. */
            HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
        }
        labelled_first = true;
        HPDF_AddPageLabel(pdf, (HPDF_UINT)index, HPDF_PAGE_NUM_STYLE_DECIMAL, 1,
                          part->parallel        ? NULL
                          : part->lang == KY_EN ? "EN-"
                                                : "JA-");
    }
}

static void set_date(HPDF_Doc pdf, long long seconds)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date date = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec,         'Z',           0,          0};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
}

int ky_pdf_write(const ky_pages *pages, ky_fontset *fontset, const ky_pdf_info *info,
                 const char *path, ky_diags *diags)
{
    ky_pdf_ctx ctx = {diags, path};
    int before = diags->errors;
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &ctx);
    if (!pdf) {
        ky_error(diags, path, 0, "cannot create a PDF document");
        return -1;
    }
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_Font fonts[KY_MAX_FACES] = {0};
    size_t longest = 0;
    for (const ky_page *page = pages->first; page; page = page->next) {
        for (size_t i = 0; i < page->frag_count; i++)
            if (page->frags[i].len > longest) longest = page->frags[i].len;
    }
    ky_codes codes[KY_MAX_FACES] = {0};
    for (int i = 0; i < fontset->face_count && diags->errors == before; i++) {
        ky_face *face = &fontset->faces[i];
        if (!face->used || hb_set_is_empty(face->used)) continue;
        codes[i].count = hb_set_get_population(face->used);
        codes[i].cps = malloc(codes[i].count * sizeof *codes[i].cps);
        if (!codes[i].cps) {
            ky_error(diags, NULL, 0, "out of memory");
            break;
        }
        hb_codepoint_t cp = HB_SET_VALUE_INVALID;
        for (size_t k = 0; hb_set_next(face->used, &cp); k++)
            codes[i].cps[k] = cp;
        if (KY_CODE_BASE + codes[i].count > 0xFFFE) {
            ky_error(diags, face->path, 0,
                     "the document sets %zu different characters in font '%s'; at most %u fit "
                     "the PDF backend's two-byte codes",
                     codes[i].count, face->id, 0xFFFEu - KY_CODE_BASE);
            break;
        }
        hb_codepoint_t *glyphs = NULL;
        hb_blob_t *subset = ky_font_subset(fontset, i, &glyphs, diags);
        if (!subset) break;
        const char *name = load_subset(pdf, subset, face->id, &ctx);
        hb_blob_destroy(subset);
        if (name) fonts[i] = HPDF_GetFont(pdf, name, "UTF-8");
        if (fonts[i] && glyphs) shorten_cid_map(fonts[i], glyphs, codes[i].count);
        free(glyphs);
        if (fonts[i] && set_to_unicode(pdf, fonts[i], codes[i].cps, codes[i].count) != 0)
            fonts[i] = NULL;
        if (!fonts[i] && diags->errors == before)
            ky_error(diags, face->path, 0, "the PDF library cannot use font '%s'", face->id);
    }
    size_t buffer_size = 3 * longest + 4;
    char *buffer = malloc(buffer_size);
    if (!buffer) ky_error(diags, NULL, 0, "out of memory");
    if (info->title) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, info->title);
    if (info->subject) HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, info->subject);
    if (info->author) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, info->author);
    if (info->keywords) HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, info->keywords);
    if (info->has_date) set_date(pdf, info->date);
    if (info->lang)
        HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, info->lang, NULL));
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "kyodo " KY_VERSION);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "kyodo " KY_VERSION " with libharu");
    HPDF_Page *page_of = calloc(pages->count + 1, sizeof *page_of);
    const ky_page **layout_pages = calloc(pages->count + 1, sizeof *layout_pages);
    size_t page_count = 0;
    for (const ky_page *page = pages->first; page && diags->errors == before; page = page->next) {
        HPDF_Page out = draw_page(pdf, page, fonts, codes, buffer, buffer_size, info->print);
        if (!out && diags->errors == before) ky_error(diags, path, 0, "cannot draw a page");
        if (page_of && layout_pages && out) {
            page_of[page_count] = out;
            layout_pages[page_count++] = page;
        }
    }
    if (diags->errors == before && page_of && layout_pages) {
        add_outline(pdf, pages, page_of, layout_pages, page_count);
        add_page_labels(pdf, pages, layout_pages, page_count);
    }
    free(page_of);
    free(layout_pages);
    for (int i = 0; i < KY_MAX_FACES; i++)
        free(codes[i].cps);
    free(buffer);
    int status = diags->errors == before ? 0 : -1;
    if (status == 0 && HPDF_SaveToStream(pdf) == HPDF_OK) {
        HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
        unsigned char *data = malloc(size ? size : 1);
        HPDF_UINT32 got = size;
        if (!data || HPDF_ReadFromStream(pdf, data, &got) != HPDF_OK || got != size) {
            if (diags->errors == before) ky_error(diags, path, 0, "cannot serialize the PDF");
            status = -1;
        } else {
            status = write_file(path, data, size, diags);
        }
        free(data);
    } else {
        status = -1;
    }
    HPDF_Free(pdf);
    return status;
}
