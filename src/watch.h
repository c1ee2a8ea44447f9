/* kyodo watch: a draft rendered again whenever it, its template chain or
 * its font set changes on disk. */
#ifndef KY_WATCH_H
#define KY_WATCH_H

#include <stdbool.h>

#include "render.h"

/* Renders options' draft to its output, then again after every save of
 * what the PDF is made of, until SIGINT or SIGTERM. A broken save leaves
 * the last good PDF in place. Diagnostics and a line per render go to
 * standard error (with json, each render's diagnostics as one JSON array
 * on standard output). Returns 0 when stopped by a signal, 2 when the
 * files cannot be watched. */
int ky_watch(const ky_render_options *options, bool json);

#endif
