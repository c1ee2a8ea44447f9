/* kyodo build: many drafts, in parallel, rebuilding only what changed. */
#ifndef KY_BUILD_H
#define KY_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "render.h"

enum { KY_BUILD_MAX_LAYOUTS = 4, KY_BUILD_MAX_COPIES = 8 };

/* Exit codes, as documented in --help and the man page. */
enum { KY_EXIT_OK = 0, KY_EXIT_FAILED = 1, KY_EXIT_USAGE = 2, KY_EXIT_INTERRUPTED = 130 };

typedef struct ky_build_options {
    char **inputs; /* drafts and directories */
    size_t input_count;
    const char *outdir;
    int jobs;
    ky_layout_kind layouts[KY_BUILD_MAX_LAYOUTS];
    size_t layout_count;
    const char *copies[KY_BUILD_MAX_COPIES]; /* none: one copy in the draft's order */
    size_t copy_count;
    const char *name_pattern; /* NULL: "{draft}-{layout}{-copy}" */
    bool force, quiet;
    bool json;                     /* --format json: every diagnostic in one JSON array on stdout */
    const char *changes_since_ref; /* --changes-since REF: old drafts from `git show` */
    ky_render_options render;      /* templates, fonts, --first, --title-page */
} ky_build_options;

int ky_build(const ky_build_options *options);

/* The drafts named by inputs: files as given, directories searched with
 * their subdirectories for *.xml, in name order, leaving out hidden
 * directories and outdir (NULL: none). Paths are malloc'd. Finding none is
 * an error. */
int ky_find_drafts(char *const *inputs, size_t input_count, const char *outdir, char ***drafts,
                   size_t *count, ky_diags *diags);

#endif
