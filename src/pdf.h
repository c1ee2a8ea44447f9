/* The PDF backend: the only part of kyodo that calls libharu. */
#ifndef KY_PDF_H
#define KY_PDF_H

#include "diag.h"
#include "font.h"
#include "layout.h"

typedef struct ky_pdf_info {
    const char *title;
    const char *subject;
    const char *author;
    const char *keywords;
    const char *lang; /* the document's language for the catalog (BCP 47) */
    long long date;   /* creation and modification time, seconds since 1970 */
    bool has_date;
    bool print; /* --print: 3 mm bleed, crop marks, TrimBox and BleedBox */
} ky_pdf_info;

/* Writes the pages to path: into a temporary file beside it, renamed over
 * path only when complete, so a failure never leaves a partial PDF. */
int ky_pdf_write(const ky_pages *pages, ky_fontset *fonts, const ky_pdf_info *info,
                 const char *path, ky_diags *diags);

#endif
