/* libFuzzer harness: bytes as a template and a font set, with which the
 * sample draft is rendered in each layout. The input is the template, then
 * optionally a NUL byte and the font set; an empty template part means the
 * built-in template (only the font set is fuzzed), no font set part the
 * built-in one. Both are written to files in a directory of the process's
 * own and loaded through template.c and font.c as kyodo loads them; the
 * template may extend the built-in ones. `make fuzz` runs it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

#ifndef KY_FUZZ_DRAFT
#error "KY_FUZZ_DRAFT: the sample draft's absolute path"
#endif

/* A directory of this process's own for the two files (libFuzzer runs one
 * input at a time in a process). */
static char dir[] = "/tmp/kyodo-fuzz-template-XXXXXX";
static char template_path[64], fontset_path[64], pdf_path[64];

static void remove_dir(void)
{
    unlink(template_path);
    unlink(fontset_path);
    unlink(pdf_path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!mkdtemp(dir)) abort();
    snprintf(template_path, sizeof template_path, "%s/fuzz.xml", dir);
    snprintf(fontset_path, sizeof fontset_path, "%s/fontset.xml", dir);
    snprintf(pdf_path, sizeof pdf_path, "%s/out.pdf", dir);
    atexit(remove_dir);
    return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *file = fopen(path, "wb");
    if (!file) return -1;
    size_t written = size ? fwrite(data, 1, size, file) : 0;
    return fclose(file) == 0 && written == size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t template_size = nul ? (size_t)(nul - data) : size;
    unlink(template_path);
    unlink(fontset_path);
    if (template_size && write_file(template_path, data, template_size) != 0) return 0;
    if (nul && write_file(fontset_path, nul + 1, size - template_size - 1) != 0) return 0;
    static const ky_layout_kind layouts[] = {KY_LAYOUT_SEQUENTIAL, KY_LAYOUT_PARALLEL};
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        ky_render_options options = {.draft_path = KY_FUZZ_DRAFT,
                                     .output_path = pdf_path,
                                     .layout = layouts[i],
                                     .first_lang = -1,
                                     .template_name = template_size ? "fuzz" : "joint-statement",
                                     .fontset_path = nul ? fontset_path : NULL};
        /* The fuzzed template is found first; what it extends comes from
         * the built-in directory. */
        ky_template_dirs_add(&options.template_dirs, dir);
        ky_render_options_defaults(&options);
        ky_diags diags;
        ky_diags_init(&diags);
        int status = ky_render(&options, &diags);
        ky_diags_free(&diags);
        unlink(pdf_path);
        if (status != 0) break; /* a bad template fails the same in every layout */
    }
    return 0;
}
