/* Reading kyodo's inputs and writing its outputs: the one place that knows
 * which files may be read (regular ones, of bounded size, never a FIFO that
 * would hang) and how an output is replaced (atomically, never over one of
 * the inputs, never over a device, pipe or symbolic link). */
#ifndef KY_FILE_H
#define KY_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Size caps, checked with fstat before a byte is read: they bound memory
 * for hostile input, far above any real draft, template, font set or font
 * (the largest TrueType CJK fonts are about 20 MB). */
#define KY_XML_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define KY_FONT_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* ---- reading ---------------------------------------------------------------
 * Only regular files are read: a FIFO, a terminal or a device would block or
 * never end. Messages: "PATH: error: cannot open: …", "not a regular file",
 * "file is larger than 16 MB", "read error: …". diags may be NULL (no message)
 * for callers that only need to know whether a file can be read. */

/* The whole file at path (at most cap bytes), NUL-terminated, malloc'd: the
 * caller frees it. *size is its length (0 for an empty file, which is not an
 * error here). NULL with a diagnostic on any problem. */
char *ky_read_file(const char *path, size_t cap, ky_diags *diags, size_t *size);
/* Standard input, read to its end (a pipe, a file, a terminal), at most
 * cap bytes; messages name it "<stdin>". NUL-terminated, malloc'd. */
char *ky_read_stdin(size_t cap, ky_diags *diags, size_t *size);
/* The same, with what naming the file in messages ("font 'serif' (install
 * Debian package fonts-liberation2)": "cannot open font 'serif' (…): …",
 * "font 'serif' (…) is not a regular file"); NULL: as ky_read_file. */
char *ky_read_file_as(const char *path, const char *what, size_t cap, ky_diags *diags,
                      size_t *size);
/* The file mapped read-only (MAP_PRIVATE), for large inputs read in parts
 * (fonts: HarfBuzz touches only the tables it needs, and nothing is
 * copied), as hb_blob_create_from_file does. A file truncated while mapped
 * would fault (SIGBUS): fonts are replaced by dpkg with rename(2), never
 * truncated, so the mapped one stays whole. NULL with a diagnostic as
 * ky_read_file_as. Release it with ky_unmap_file(data, size). */
const void *ky_map_file(const char *path, const char *what, size_t cap, ky_diags *diags,
                        size_t *size);
void ky_unmap_file(const void *data, size_t size);
/* The descriptor (blocking, close-on-exec) of the regular file at path of at
 * most cap bytes, for callers that stream it (hashing); *size from fstat.
 * -1 with a diagnostic. */
int ky_file_open(const char *path, const char *what, size_t cap, ky_diags *diags, size_t *size);

/* ---- writing ---------------------------------------------------------------
 *   ky_output out;
 *   if (ky_output_open(&out, path, inputs, count, diags) != 0) return -1;
 *   if (ky_output_write(&out, data, size, diags) != 0) {
 *       ky_output_abort(&out);
 *       return -1;
 *   }
 *   return ky_output_commit(&out, diags);
 *
 * What path is decides how it is written:
 *  - "-": standard output, streamed.
 *  - a regular file, or nothing yet: a temporary file beside it
 *    (PATH.tmp-XXXXXX), renamed over it by ky_output_commit, so that readers
 *    see the old PDF or the new one, never a part, and a failure leaves the
 *    old one intact. A new PDF gets mode 0666 less the umask (as open(2)
 *    would give it); a replaced one keeps its mode (and, where permitted,
 *    its owner), as writing into it would.
 *  - a symbolic link: followed; its target is replaced as above and the
 *    link stays a link. A link to nothing is refused, as cp(1) does.
 *  - a FIFO, a character device (a terminal), a socket: opened for writing
 *    and streamed; never renamed over, truncated or removed.
 *  - a directory or a block device: refused.
 * An output that is one of the inputs (same device and inode, however it is
 * named) is refused: "the output is the draft itself". */

/* A file the output must not be. */
typedef struct ky_input {
    const char *what; /* "draft", "template", "font set" … */
    const char *path; /* NULL: none */
} ky_input;

typedef struct ky_output {
    const char *path; /* as given, for messages */
    char *target;     /* the file renamed over (symbolic links followed) */
    char *tmp;        /* the temporary file beside target; NULL when streaming */
    int fd;
    bool stream;   /* written in place: stdout, a FIFO, a device */
    bool borrowed; /* fd is standard output: not closed */
    int mode;      /* the mode the replacing file gets */
    bool chown;    /* give it the replaced file's owner */
    unsigned uid, gid;
} ky_output;

int ky_output_open(ky_output *out, const char *path, const ky_input *inputs, size_t input_count,
                   ky_diags *diags);
int ky_output_write(ky_output *out, const void *data, size_t size, ky_diags *diags);
/* Completes the output: flushes it to disk and renames it into place.
 * Releases out in any case. */
int ky_output_commit(ky_output *out, ky_diags *diags);
/* Drops an output not committed: removes the temporary file (never the
 * target, never a stream's file). Releases out. */
void ky_output_abort(ky_output *out);

#endif
