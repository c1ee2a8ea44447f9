/* kyodo's command line: parses arguments and calls the pipeline. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "font.h"
#include "render.h"
#include "version.h"

enum { EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: kyodo render DRAFT.xml [-o OUT.pdf] [options]\n"
    "       kyodo fonts [--fontset FILE]\n"
    "       kyodo --help | --version\n"
    "\n"
    "Turns an XML draft of a bilingual (English/Japanese) joint statement into a\n"
    "typeset PDF.\n"
    "\n"
    "Commands:\n"
    "  render             validate the draft and write the PDF (default output:\n"
    "                     the draft's name with .pdf, in the current directory)\n"
    "  fonts              list the font set and check every font file's SHA-256\n"
    "\n"
    "Options for render:\n"
    "  -o, --output FILE  where to write the PDF\n"
    "  --layout LAYOUT    sequential (default: one language, then the other from\n"
    "                     a new page), parallel (two columns side by side, each\n"
    "                     paragraph pair on one baseline), en or ja (one language)\n"
    "  --first LANG       en or ja: the language that comes first (sequential) or\n"
    "                     on the left (parallel); default: English, or in a\n"
    "                     party's copy that party's language (<party lang=...>)\n"
    "  --title-page       sequential: begin with a bilingual title page\n"
    "  --copy PARTY       that party's original (alternat): it is named first in\n"
    "                     titles that use <parties/>, its language comes first,\n"
    "                     its signatory signs in the first place\n"
    "  --template NAME    use template NAME instead of the draft's template\n"
    "                     attribute (default: joint-statement)\n"
    "  --template-dir DIR look for templates in DIR first (repeatable)\n"
    "  --fontset FILE     font set configuration (default: $KYODO_FONTSET or the\n"
    "                     built-in fonts/fontset.xml)\n"
    "\n"
    "Environment:\n"
    "  KYODO_TEMPLATE_PATH  colon-separated template directories, searched after\n"
    "                       --template-dir and before the built-in directory\n"
    "  KYODO_FONTSET        the font set configuration file\n"
    "  KYODO_HYPHEN_DICT    English hyphenation patterns (default: Debian's\n"
    "                       /usr/share/hyphen/hyph_en_US.dic)\n"
    "\n"
    "Exit status: 0 success, 1 the draft (or a template or font) has errors and no\n"
    "PDF was written, 2 usage error.\n";

static int usage_error(const char *message, const char *arg)
{
    fprintf(stderr, "kyodo: %s%s%s\n", message, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'kyodo --help'.\n");
    return EXIT_USAGE;
}

static char *default_output(const char *draft)
{
    const char *base = strrchr(draft, '/');
    base = base ? base + 1 : draft;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".xml") == 0) len -= 4;
    char *out = malloc(len + 5);
    if (!out) return NULL;
    memcpy(out, base, len);
    memcpy(out + len, ".pdf", 5);
    return out;
}

static int finish(ky_diags *diags, int status)
{
    ky_diags_print(diags, stderr);
    ky_diags_free(diags);
    return status;
}

static int cmd_render(int argc, char **argv)
{
    ky_render_options options = {.first_lang = -1};
    ky_template_dirs cli_dirs = {0};
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int takes_value = strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
                          strcmp(arg, "--layout") == 0 || strcmp(arg, "--template") == 0 ||
                          strcmp(arg, "--first") == 0 || strcmp(arg, "--copy") == 0 ||
                          strcmp(arg, "--template-dir") == 0 || strcmp(arg, "--fontset") == 0;
        if (takes_value && !value) return usage_error("option needs a value", arg);
        if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            options.output_path = value;
        } else if (strcmp(arg, "--layout") == 0) {
            if (strcmp(value, "sequential") == 0)
                options.layout = KY_LAYOUT_SEQUENTIAL;
            else if (strcmp(value, "en") == 0)
                options.layout = KY_LAYOUT_EN;
            else if (strcmp(value, "ja") == 0)
                options.layout = KY_LAYOUT_JA;
            else if (strcmp(value, "parallel") == 0)
                options.layout = KY_LAYOUT_PARALLEL;
            else
                return usage_error("unknown layout (sequential, parallel, en, ja)", value);
        } else if (strcmp(arg, "--copy") == 0) {
            options.copy = value;
        } else if (strcmp(arg, "--first") == 0) {
            if (strcmp(value, "en") == 0)
                options.first_lang = KY_EN;
            else if (strcmp(value, "ja") == 0)
                options.first_lang = KY_JA;
            else
                return usage_error("--first takes en or ja", value);
        } else if (strcmp(arg, "--template") == 0) {
            options.template_name = value;
        } else if (strcmp(arg, "--template-dir") == 0) {
            if (ky_template_dirs_add(&cli_dirs, value) != 0)
                return usage_error("too many --template-dir options", NULL);
        } else if (strcmp(arg, "--fontset") == 0) {
            options.fontset_path = value;
        } else if (strcmp(arg, "--title-page") == 0) {
            options.title_page = true;
            continue;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return usage_error("unknown option", arg);
        } else if (!options.draft_path) {
            options.draft_path = arg;
            continue;
        } else {
            return usage_error("render takes one draft", arg);
        }
        i++;
    }
    if (!options.draft_path) return usage_error("render needs a draft", NULL);
    options.template_dirs = cli_dirs;
    ky_render_options_defaults(&options);
    char *output = NULL;
    if (!options.output_path) options.output_path = output = default_output(options.draft_path);
    ky_diags diags;
    ky_diags_init(&diags);
    int status = ky_render(&options, &diags);
    free(output);
    return finish(&diags, status == 0 ? 0 : 1);
}

static int cmd_fonts(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--fontset") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else
            return usage_error("unknown argument", argv[i]);
    }
    if (!path) path = ky_default_fontset();
    ky_diags diags;
    ky_diags_init(&diags);
    ky_fontset fonts;
    int status = ky_fontset_load(&fonts, path, &diags);
    if (status == 0) {
        printf("font set %s\n", path);
        for (int i = 0; i < fonts.face_count; i++)
            printf("  %-13s %-24s %s\n", fonts.faces[i].id, fonts.faces[i].package,
                   fonts.faces[i].path);
        status = ky_fontset_verify(&fonts, &diags);
        printf("%s\n", status == 0 ? "all fonts match their SHA-256" : "font check failed");
    }
    ky_fontset_free(&fonts);
    return finish(&diags, status == 0 ? 0 : 1);
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage_error("no command", NULL);
    const char *command = argv[1];
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(command, "--version") == 0) {
        printf("kyodo %s\n", KY_VERSION);
        return 0;
    }
    if (strcmp(command, "render") == 0) return cmd_render(argc - 2, argv + 2);
    if (strcmp(command, "fonts") == 0) return cmd_fonts(argc - 2, argv + 2);
    return usage_error("unknown command", command);
}
