/* libFuzzer harness: bytes as a draft, through the whole pipeline (parse,
 * validate, merge, layout, subset, PDF) in each layout. Findings (crashes,
 * sanitizer reports, leaks) stop the fuzzer; `make fuzz` runs it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The draft lives in memory; kyodo reads it by path like any draft. */
    int fd = memfd_create("draft", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char draft[64], output[] = "/tmp/kyodo-fuzz-XXXXXX";
    snprintf(draft, sizeof draft, "/proc/self/fd/%d", fd);
    if (!mkdtemp(output)) {
        close(fd);
        return 0;
    }
    char pdf[64];
    snprintf(pdf, sizeof pdf, "%s/out.pdf", output);
    static const ky_layout_kind layouts[] = {KY_LAYOUT_SEQUENTIAL, KY_LAYOUT_PARALLEL};
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        ky_render_options options = {
            .draft_path = draft, .output_path = pdf, .layout = layouts[i], .first_lang = -1};
        ky_render_options_defaults(&options);
        ky_diags diags;
        ky_diags_init(&diags);
        int status = ky_render(&options, &diags);
        ky_diags_free(&diags);
        unlink(pdf);
        if (status != 0) break; /* a bad draft fails the same in every layout */
    }
    rmdir(output);
    close(fd);
    return 0;
}
