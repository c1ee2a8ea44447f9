/* The PDF backend: the only part of kyodo that calls libharu. Pages are
 * written as the layout finishes them (ky_pdf_sink), each page's content
 * compressed at once, so that a document's memory does not grow with its
 * page count; fonts, outline and page labels follow at the end. */
#ifndef KY_PDF_H
#define KY_PDF_H

#include "diag.h"
#include "file.h"
#include "font.h"
#include "layout.h"

enum { KY_PDF_MAX_INPUTS = 4 };

/* The standard the PDF is written to (--standard). The first is the
 * default, so that zeroed options ask for it. */
typedef enum {
    KY_STANDARD_PDFA_2U, /* PDF/A-2u: PDF 1.7, XMP, OutputIntent, /ID */
    KY_STANDARD_NONE,    /* the smallest file: none of that */
} ky_standard;

/* "pdfa-2u", "none"; false for another name. */
bool ky_standard_parse(const char *name, ky_standard *standard);
const char *ky_standard_name(ky_standard standard);

typedef struct ky_pdf_info {
    ky_standard standard;
    const char *title;
    /* The title in each language the document sets (NULL for a language
     * it does not): the XMP's dc:title alternatives. */
    const char *titles[KY_LANG_COUNT];
    const char *subject;
    const char *author;
    const char *keywords;
    const char *lang; /* the document's language for the catalog (BCP 47) */
    long long date;   /* creation and modification time, seconds since 1970 */
    bool has_date;
    bool print; /* --print: 3 mm bleed, crop marks, TrimBox and BleedBox */
    /* The files the PDF is made from (draft, template, earlier revision):
     * the output may not be one of them. The font set and fonts are added. */
    ky_input inputs[KY_PDF_MAX_INPUTS];
} ky_pdf_info;

typedef struct ky_pdf ky_pdf;

/* A document for path, described by info; NULL with a diagnostic. */
ky_pdf *ky_pdf_new(ky_fontset *fonts, const ky_pdf_info *info, const char *path, ky_diags *diags);
/* Where the layout sends finished pages and their overlays. */
ky_page_sink ky_pdf_sink(ky_pdf *pdf);
/* Embeds the fonts' subsets, adds the outline and page labels of pages,
 * and writes the file as file.c's ky_output_open describes: a regular file
 * is replaced atomically (never a partial PDF), a FIFO or device is written
 * in place, "-" is standard output, an input is never replaced. */
int ky_pdf_finish(ky_pdf *pdf, const ky_pages *pages);
void ky_pdf_free(ky_pdf *pdf);

/* The versions of libharu and zlib in use (for --version). */
const char *ky_pdf_library_version(void);
const char *ky_pdf_zlib_version(void);

#endif
