/* kyodo check: schema validation and lint for CI; no PDF is written. */
#ifndef KY_CHECK_H
#define KY_CHECK_H

#include <stdbool.h>

#include "diag.h"
#include "render.h"

/* Validates and lints one draft, adding findings (each with a rule id) to
 * diags. Returns the number of errors added. */
int ky_check(const char *path, const ky_render_options *options, ky_diags *diags);

#endif
