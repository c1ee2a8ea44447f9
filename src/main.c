/* kyodo's command line: parses arguments and calls the pipeline. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "check.h"
#include "diff.h"
#include "draft.h"
#include "file.h"
#include "diag.h"
#include "font.h"
#include "i18n.h"
#include "linebreak.h"
#include "pdf.h"
#include "render.h"
#include "template.h"
#include "typeset.h"
#include "version.h"
#include "watch.h"
#include "xml.h"

/* The help texts are marked N_() for xgettext and translated where they
 * are printed; clang-format is kept off them, so that the marks do not
 * re-indent every line of them. */
// clang-format off
static const char main_help[] = N_(
    "Usage: kyodo COMMAND [options]\n"
    "\n"
    "Turns XML drafts of bilingual (English/Japanese) joint statements into\n"
    "typeset, print-ready PDFs.\n"
    "\n"
    "Commands:\n"
    "  render DRAFT.xml   validate one draft and write its PDF\n"
    "  build [DRAFT|DIR]... -o OUTDIR\n"
    "                     render many drafts in parallel, only what changed\n"
    "  check [DRAFT|DIR]...\n"
    "                     validate and lint drafts for CI; no PDF written\n"
    "  diff OLD.xml NEW.xml\n"
    "                     the paragraphs that changed between two revisions\n"
    "  fonts              list the font set and check every font's SHA-256\n"
    "  templates          list the templates found, with what they extend\n"
    "  new FILE           write a skeleton draft that passes check\n"
    "  watch DRAFT.xml    render again on every save of the draft, its template\n"
    "                     or fonts\n"
    "\n"
    "'kyodo COMMAND --help' or 'kyodo help COMMAND' describes a command.\n"
    "Options take their value as --name VALUE or --name=VALUE (-j 4 or -j4); long\n"
    "options are written in full; '--' ends the options (a draft named -x.xml).\n"
    "kyodo --version prints the versions of kyodo, its libraries and fonts.\n"
    "\n"
    "Environment:\n"
    "  KYODO_TEMPLATE_PATH  colon-separated template directories, searched after\n"
    "                       --template-dir and before the built-in directory\n"
    "  KYODO_FONTSET        the font set configuration file\n"
    "  KYODO_HYPHEN_DICT    English hyphenation patterns (default: Debian's\n"
    "                       /usr/share/hyphen/hyph_en_US.dic)\n"
    "  CI                   when set, build prints one line per draft\n"
    "\n"
    "Exit status: 0 success; 1 a draft (or its template or fonts) has errors;\n"
    "2 usage or setup error; 130 build interrupted by a signal.\n");
// clang-format on

// clang-format off
static const char render_options_help[] = N_(
    "  --layout LAYOUT    sequential (default: one language, then the other from\n"
    "                     a new page), parallel (two columns side by side, each\n"
    "                     paragraph pair on one baseline), en or ja (one language)\n"
    "  --first LANG       en or ja: the language that comes first (sequential) or\n"
    "                     on the left (parallel); default: English, or in a\n"
    "                     party's copy that party's language (<party lang=...>)\n"
    "  --title-page       sequential: begin with a bilingual title page\n"
    "  --print            for a print shop: 3 mm bleed, crop marks, TrimBox and\n"
    "                     BleedBox around the trimmed page\n"
    "  --standard STD     pdfa-2u (default: PDF/A-2u, for archives: XMP metadata,\n"
    "                     a gray OutputIntent, a document ID) or none (the\n"
    "                     smallest file)\n"
    "  --copy PARTY       that party's original (alternat): it is named first in\n"
    "                     titles that use <parties/>, its language comes first,\n"
    "                     its signatory signs in the first place\n"
    "  --template NAME    use template NAME instead of the draft's template\n"
    "                     attribute (default: joint-statement)\n"
    "  --template-dir DIR look for templates in DIR first (repeatable)\n"
    "  --fontset FILE     font set configuration (default: $KYODO_FONTSET or the\n"
    "                     built-in fonts/fontset.xml)\n"
    "  --encoding NAME    the draft's encoding (an iconv name: SHIFT_JIS, CP932,\n"
    "                     EUC-JP, ISO-2022-JP, UTF-16) when it does not declare one;\n"
    "                     undeclared drafts are otherwise read as UTF-8\n"
    "  --changes-since OLD.xml\n"
    "                     change bars in the outer margin beside every line of a\n"
    "                     paragraph that changed, was added or moved since OLD\n");
// clang-format on

// clang-format off
static const char render_report_help[] = N_(
    "  --report           after rendering, print per language how hard the line\n"
    "                     breaking worked: word spaces (maximum and mean, as a\n"
    "                     multiple of their natural width), letter-spaced lines,\n"
    "                     hyphenated lines, lines of paragraphs that needed a\n"
    "                     looser rule (loose kinsoku, emergency breaks), emergency\n"
    "                     breaks (to standard error with -o -)\n"
    "  --report-json      the same as a JSON object\n");
// clang-format on

// clang-format off
static const char render_help[] = N_(
    "Usage: kyodo render DRAFT.xml|- [-o OUT.pdf|-] [options]\n"
    "\n"
    "Validates the draft, merges it with its template, lays it out and writes\n"
    "the PDF (default: the draft's name with .pdf, in the current directory).\n"
    "A draft '-' is read from standard input; its PDF then goes to standard\n"
    "output unless -o names a file.\n"
    "The PDF is written beside the target and renamed over it when complete\n"
    "(through a symbolic link, to the file it names); a FIFO or character device\n"
    "is written in place. kyodo never writes over its draft, template or fonts.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  where to write the PDF; - for standard output\n"
    "  --format text|json diagnostics as text lines on standard error (default) or\n"
    "                     one JSON array, as kyodo check prints it, on standard\n"
    "                     output (on standard error with -o -; a --report then\n"
    "                     goes to standard error)\n"
    "  --color[=WHEN]     colour messages: auto (default: on a terminal, unless\n"
    "                     NO_COLOR is set or TERM=dumb), never or always\n");
// clang-format on

// clang-format off
static const char build_help[] = N_(
    "Usage: kyodo build [DRAFT|DIR]... -o OUTDIR [options]\n"
    "\n"
    "Renders every draft given (directories are searched for *.xml with their\n"
    "subdirectories, but not hidden ones or OUTDIR) in parallel,\n"
    "to OUTDIR/<draft>-<layout>[-<copy>].pdf. A PDF is rebuilt only when its\n"
    "draft, template (and what it extends), font set, the kyodo binary or the\n"
    "options changed, by a content hash kept in OUTDIR/.kyodo/. A bad draft does\n"
    "not stop the others. Interrupted (SIGINT, SIGTERM), it removes partial PDFs.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR   where the PDFs go (created if missing)\n"
    "  -j, --jobs N       renders at once (default: the number of online CPUs)\n"
    "  --layout L1,L2     layouts to render, comma-separated (default: sequential)\n"
    "  --copy P1,P2       party copies to render, comma-separated (default: one,\n"
    "                     in the draft's order)\n"
    "  --name PATTERN     output names: {draft} {layout} {copy} {-copy}\n"
    "                     (default: {draft}-{layout}{-copy})\n"
    "  --changes-since REF\n"
    "                     change bars against each draft as it was in git\n"
    "                     revision REF (git show REF:./DRAFT)\n"
    "  --force            render everything, changed or not\n"
    "  -q, --quiet        print only errors\n"
    "  --format text|json diagnostics as text lines on standard error (default) or\n"
    "                     one JSON array, as kyodo check prints it, on standard\n"
    "                     output; progress stays on standard error\n"
    "  --first LANG, --title-page, --print, --template NAME, --template-dir DIR,\n"
    "  --fontset FILE, --encoding NAME, --standard STD\n"
    "                     as for render\n"
    "\n"
    "Output: on a terminal one progress line ([12/40] input/x.xml); otherwise (or\n"
    "with CI set) one line per PDF; a summary line at the end.\n"
    "Exit status: 0 all rendered or up to date, 1 some drafts failed, 2 usage or\n"
    "setup error, 130 interrupted.\n");
// clang-format on

// clang-format off
static const char check_help[] = N_(
    "Usage: kyodo check [DRAFT|DIR]... [options]\n"
    "\n"
    "The CI gate: validates each draft against the schema and lints it; no PDF\n"
    "is written. Each finding is 'file:line: error|warning: message [rule]':\n"
    "  schema               the draft does not match the schema\n"
    "  missing-translation  a text lacks its English or Japanese, or it is empty\n"
    "  template             the template cannot be found or is broken\n"
    "  missing-parameter    the template's formulas need what the draft lacks\n"
    "                       (<done>, <issued> with <place>)\n"
    "  unsigned-party       a party does not sign a signed instrument (error), or\n"
    "                       has no signatory where the others sign (warning)\n"
    "  party-signs-twice    a party has two signatories (warning)\n"
    "  missing-glyph        a character no configured font has\n"
    "  leftover-marker      TODO, TBD, XXX, 【要確認】 or ＊＊ in a final statement\n"
    "  ja-ascii-punctuation ASCII , or . in Japanese prose (warning)\n"
    "  ja-halfwidth-kana    half-width katakana in Japanese (warning)\n"
    "  en-fullwidth         full-width Latin or 、。 in English (warning)\n"
    "  number-mismatch      the two languages state different numbers (warning)\n"
    "  ascii-quotes         ASCII quotes, when the template has smart-quotes=\"report\"\n"
    "                       (warning)\n"
    "  note-mismatch        a text has more notes in one language (warning)\n"
    "  link-mismatch        a text has more links in one language (warning)\n"
    "  check-ignore         a check-ignore attribute names a rule it cannot ignore\n"
    "check-ignore=\"RULE...\" on an element silences those rules for it and what\n"
    "it contains (--format json still lists them, with \"suppressed\": true).\n"
    "Signatories naming undeclared parties and duplicate ids are schema errors.\n"
    "\n"
    "Options:\n"
    "  --format text|json  findings as text lines (default) or one JSON array\n"
    "  --werror           warnings fail the check too\n"
    "  --color[=WHEN]     colour findings: auto (default), never or always\n"
    "  --template NAME, --template-dir DIR, --fontset FILE, --encoding NAME\n"
    "                     as for render\n"
    "\n"
    "Exit status: 0 no errors (and with --werror no warnings), 1 findings, 2\n"
    "usage error.\n");
// clang-format on

// clang-format off
static const char diff_help[] = N_(
    "Usage: kyodo diff OLD.xml NEW.xml [--encoding NAME]   (either may be -, stdin)\n"
    "\n"
    "Prints, per language, the paragraphs, headings and items of NEW that changed,\n"
    "were added or moved since OLD, numbered as in the document, with the old\n"
    "text under a changed one, and those OLD had that NEW removed.\n"
    "Exit status: 0 no changes, 1 changes, 2 usage error or a draft that cannot\n"
    "be read.\n");
// clang-format on

// clang-format off
static const char fonts_help[] = N_(
    "Usage: kyodo fonts [--fontset FILE]\n"
    "\n"
    "Lists the font set and checks every font file against its SHA-256.\n");
// clang-format on

static int usage_error(const char *command, const char *message, const char *arg)
{
    fprintf(stderr, "kyodo: %s%s%s\n", _(message), arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, _("Try 'kyodo %s%s--help'.\n"), command ? command : "", command ? " " : "");
    return KY_EXIT_USAGE;
}

/* An unknown option or command, with the nearest known one when it looks
 * like a typo of it. */
static int unknown_near(const char *command, const char *what, const char *arg, const char *near)
{
    if (near)
        fprintf(stderr, _("kyodo: unknown %s: %s (did you mean %s?)\n"), _(what), arg, near);
    else
        fprintf(stderr, _("kyodo: unknown %s: %s\n"), _(what), arg);
    fprintf(stderr, _("Try 'kyodo %s%s--help'.\n"), command ? command : "", command ? " " : "");
    return KY_EXIT_USAGE;
}

static int unknown(const char *command, const char *what, const char *arg, const char *const *names,
                   size_t count)
{
    return unknown_near(command, what, arg, ky_closest(arg, names, count));
}

/* ---- options: getopt_long, one table per command --------------------------- */

/* Codes of the long options that have no short form. */
enum {
    OPT_LAYOUT = 256,
    OPT_FIRST,
    OPT_TITLE_PAGE,
    OPT_PRINT,
    OPT_STANDARD,
    OPT_COPY,
    OPT_TEMPLATE,
    OPT_TEMPLATE_DIR,
    OPT_FONTSET,
    OPT_ENCODING,
    OPT_CHANGES_SINCE,
    OPT_REPORT,
    OPT_REPORT_JSON,
    OPT_FORMAT,
    OPT_NAME,
    OPT_FORCE,
    OPT_WERROR,
    OPT_VERSION,
    OPT_COLOR,
};

/* clang-format off */
/* Where the template and fonts come from: render, build, check and watch
 * (shared_option reads them). */
#define KY_SOURCE_OPTIONS                                         \
    {"template",      required_argument, NULL, OPT_TEMPLATE},     \
    {"template-dir",  required_argument, NULL, OPT_TEMPLATE_DIR}, \
    {"fontset",       required_argument, NULL, OPT_FONTSET},      \
    {"encoding",      required_argument, NULL, OPT_ENCODING}

/* How the statement is set: render, build and watch (shared_option reads
 * them; a new one is a line here, a code in the enum above and a case
 * there). */
#define KY_LOOK_OPTIONS                                        \
    {"first",         required_argument, NULL, OPT_FIRST},      \
    {"title-page",    no_argument,       NULL, OPT_TITLE_PAGE}, \
    {"print",         no_argument,       NULL, OPT_PRINT},      \
    {"standard",      required_argument, NULL, OPT_STANDARD}

static const struct option render_longs[] = {
    {"output",        required_argument, NULL, 'o'},
    {"layout",        required_argument, NULL, OPT_LAYOUT},
    {"copy",          required_argument, NULL, OPT_COPY},
    {"changes-since", required_argument, NULL, OPT_CHANGES_SINCE},
    {"report",        no_argument,       NULL, OPT_REPORT},
    {"report-json",   no_argument,       NULL, OPT_REPORT_JSON},
    {"format",        required_argument, NULL, OPT_FORMAT},
    {"color",         optional_argument, NULL, OPT_COLOR},
    {"help",          no_argument,       NULL, 'h'},
    KY_LOOK_OPTIONS,
    KY_SOURCE_OPTIONS,
    {0},
};

static const struct option build_longs[] = {
    {"output",        required_argument, NULL, 'o'},
    {"jobs",          required_argument, NULL, 'j'},
    {"layout",        required_argument, NULL, OPT_LAYOUT},
    {"copy",          required_argument, NULL, OPT_COPY},
    {"name",          required_argument, NULL, OPT_NAME},
    {"changes-since", required_argument, NULL, OPT_CHANGES_SINCE},
    {"force",         no_argument,       NULL, OPT_FORCE},
    {"quiet",         no_argument,       NULL, 'q'},
    {"format",        required_argument, NULL, OPT_FORMAT},
    {"help",          no_argument,       NULL, 'h'},
    KY_LOOK_OPTIONS,
    KY_SOURCE_OPTIONS,
    {0},
};

static const struct option check_longs[] = {
    {"format",        required_argument, NULL, OPT_FORMAT},
    {"color",         optional_argument, NULL, OPT_COLOR},
    {"werror",        no_argument,       NULL, OPT_WERROR},
    {"help",          no_argument,       NULL, 'h'},
    KY_SOURCE_OPTIONS,
    {0},
};

static const struct option diff_longs[] = {
    {"encoding",      required_argument, NULL, OPT_ENCODING},
    {"help",          no_argument,       NULL, 'h'},
    {0},
};

static const struct option fonts_longs[] = {
    {"fontset",       required_argument, NULL, OPT_FONTSET},
    {"help",          no_argument,       NULL, 'h'},
    {0},
};

static const struct option templates_longs[] = {
    {"template-dir",  required_argument, NULL, OPT_TEMPLATE_DIR},
    {"help",          no_argument,       NULL, 'h'},
    {0},
};

static const struct option new_longs[] = {
    {"template",      required_argument, NULL, OPT_TEMPLATE},
    {"help",          no_argument,       NULL, 'h'},
    {0},
};

static const struct option main_longs[] = {
    {"help",          no_argument,       NULL, 'h'},
    {"version",       no_argument,       NULL, OPT_VERSION},
    {0},
};
/* clang-format on */

/* One command's options for getopt_long. The short options start with "-"
 * (arguments come back in order, as code 1, so that nothing is permuted and
 * "--" ends the options) and ":" (a missing value is told apart from an
 * unknown option). */
typedef struct {
    const char *command; /* NULL for kyodo's own options */
    const char *shorts;
    const struct option *longs;
} ky_cli;

/* The state of one walk over a command's arguments. */
typedef struct {
    const ky_cli *cli;
    int argc;
    char **argv;
    bool rest; /* past "--": everything left is an argument */
} ky_args;

static ky_args args_start(const ky_cli *cli, int argc, char **argv)
{
    optind = 0; /* getopt's own state, reset for each walk */
    opterr = 0; /* kyodo says what is wrong, with "did you mean" */
    return (ky_args){.cli = cli, .argc = argc, .argv = argv};
}

/* The option names of a command, "--name", for "did you mean". */
static size_t option_names(const ky_cli *cli, char names[][32], const char **list, size_t max)
{
    size_t count = 0;
    for (const struct option *o = cli->longs; o->name && count < max; o++, count++) {
        snprintf(names[count], 32, "--%s", o->name);
        list[count] = names[count];
    }
    return count;
}

/* A mistyped or shortened option: a name that begins what was written (an
 * abbreviation) or else the closest one. */
static int unknown_option(const ky_cli *cli, const char *written)
{
    char names[32][32];
    const char *list[32];
    size_t count = option_names(cli, names, list, 32);
    size_t len = strcspn(written, "=");
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), written);
    if (len > 2 && strncmp(word, "--", 2) == 0)
        for (size_t i = 0; i < count; i++)
            if (strncmp(list[i], word, strlen(word)) == 0)
                return unknown_near(cli->command, N_("option"), word, list[i]);
    return unknown(cli->command, N_("option"), word, list, count);
}

/* The next option: its code (its value, if any, in *value), 1 for an
 * argument (in *value), -1 at the end, or '?' after a usage error (already
 * printed). Long options must be written in full: getopt_long would take
 * --lay for --layout, but a shortening that works today stops working the
 * day another option begins the same way, and scripts break. */
static int next_option(ky_args *args, char **value)
{
    *value = NULL;
    if (args->rest) {
        if (optind >= args->argc) return -1;
        *value = args->argv[optind++];
        return 1;
    }
    int at = optind ? optind : 1; /* the element getopt looks at now */
    int index = -1;
    int c = getopt_long(args->argc, args->argv, args->cli->shorts, args->cli->longs, &index);
    const char *written = at < args->argc ? args->argv[at] : "";
    if (c == -1) {
        /* In order mode, getopt ends only at the end or after "--". */
        args->rest = true;
        return next_option(args, value);
    }
    if (c == ':') {
        char name[3] = {'-', (char)optopt, '\0'};
        size_t len = strcspn(written, "=");
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), written);
        usage_error(args->cli->command, "option needs a value",
                    strncmp(written, "--", 2) == 0 ? word : name);
        return '?';
    }
    if (c == '?') {
        if (strncmp(written, "--", 2) == 0) return unknown_option(args->cli, written), '?';
        char name[3] = {'-', (char)optopt, '\0'};
        return unknown_option(args->cli, name), '?';
    }
    if (index >= 0) {
        const char *name = args->cli->longs[index].name;
        size_t len = strlen(name);
        if (strncmp(written + 2, name, len) != 0 || (written[2 + len] && written[2 + len] != '='))
            return unknown_option(args->cli, written), '?';
    }
    *value = optarg;
    return c;
}

/* --format text|json: 1 for JSON, 0 for text, -1 after a usage error. */
static int format_option(const char *command, const char *value)
{
    if (strcmp(value, "json") == 0) return 1;
    if (strcmp(value, "text") == 0) return 0;
    usage_error(command, "--format takes text or json", value);
    return -1;
}

/* The options of KY_SOURCE_OPTIONS and KY_LOOK_OPTIONS. Returns 1 if c was
 * one, 0 if not, -1 after a usage error (already printed). */
static int shared_option(const char *command, int c, const char *value, ky_render_options *options,
                         ky_template_dirs *dirs)
{
    switch (c) {
    case OPT_TEMPLATE:
        options->template_name = value;
        return 1;
    case OPT_TEMPLATE_DIR:
        if (ky_template_dirs_add(dirs, value) != 0)
            return usage_error(command, "too many --template-dir options", NULL), -1;
        return 1;
    case OPT_FONTSET:
        options->fontset_path = value;
        return 1;
    case OPT_ENCODING:
        options->encoding = value;
        return 1;
    case OPT_FIRST:
        if (strcmp(value, "en") != 0 && strcmp(value, "ja") != 0)
            return usage_error(command, "--first takes en or ja", value), -1;
        options->first_lang = strcmp(value, "ja") == 0 ? KY_JA : KY_EN;
        return 1;
    case OPT_TITLE_PAGE:
        options->title_page = true;
        return 1;
    case OPT_PRINT:
        options->print = true;
        return 1;
    case OPT_STANDARD:
        if (!ky_standard_parse(value, &options->standard))
            return usage_error(command, "--standard takes pdfa-2u or none", value), -1;
        return 1;
    default:
        return 0;
    }
}

static int print_help(const char *text, bool render_options)
{
    fputs(_(text), stdout);
    if (render_options) fputs(_(render_options_help), stdout);
    if (render_options && text == render_help) fputs(_(render_report_help), stdout);
    return 0;
}

/* The figures of --report, as text or JSON. */
static void print_report(FILE *out, const ky_typeset_report *report, bool json)
{
    if (json) fputs("{", out);
    for (int l = 0; l < KY_LANG_COUNT; l++) {
        const ky_typeset_stats *s = &report->lang[l];
        double mean = s->word_spaces ? s->word_space_sum / (double)s->word_spaces : 0;
        if (json)
            fprintf(out,
                    "%s\"%s\": {\"lines\": %zu, \"word_spaces\": %zu, \"word_space_max\": %.3f, "
                    "\"word_space_mean\": %.3f, \"letter_spaced_lines\": %zu, "
                    "\"letter_space_max_em\": %.4f, \"hyphenated_lines\": %zu, "
                    "\"relaxed_lines\": %zu, \"emergency_breaks\": %zu, \"ragged_lines\": %zu, "
                    "\"ragged_fill_min\": %.3f}",
                    l ? ", " : "", ky_lang_code((ky_lang)l), s->lines, s->word_spaces,
                    s->word_space_max, mean, s->letter_spaced_lines, s->letter_space_max,
                    s->hyphenated_lines, s->relaxed_lines, s->emergency_breaks, s->ragged_lines,
                    s->ragged_fill_min);
        else
            fprintf(out,
                    _("%s: %zu lines; word spaces: %zu, max %.2fx, mean %.2fx; letter-spaced "
                      "lines: %zu (max %.3f em); hyphenated lines: %zu; relaxed lines: %zu; "
                      "emergency breaks: %zu\n"),
                    ky_lang_code((ky_lang)l), s->lines, s->word_spaces, s->word_space_max, mean,
                    s->letter_spaced_lines, s->letter_space_max, s->hyphenated_lines,
                    s->relaxed_lines, s->emergency_breaks);
    }
    if (json) fputs("}\n", out);
}

static char *default_output(const char *draft)
{
    const char *base = strrchr(draft, '/');
    base = base ? base + 1 : draft;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".xml") == 0) len -= 4;
    char *out = malloc(len + 5);
    if (!out) ky_out_of_memory();
    snprintf(out, len + 5, "%.*s.pdf", (int)len, base);
    return out;
}

static int finish(ky_diags *diags, int status)
{
    ky_diags_print(diags, stderr);
    ky_diags_free(diags);
    return status;
}

/* As finish, or with json_out (--format json) the diagnostics as one JSON
 * array there, the shape kyodo check prints: empty when all went well. */
static int finish_as(ky_diags *diags, int status, FILE *json_out)
{
    if (!json_out) return finish(diags, status);
    ky_diags_print_json(diags, json_out);
    ky_diags_free(diags);
    return status;
}

static const ky_cli render_cli = {"render", "-:o:h", render_longs};

static int cmd_render(int argc, char **argv)
{
    ky_render_options options = {.first_lang = -1};
    ky_template_dirs dirs = {0};
    ky_typeset_report report = {0};
    int report_format = 0; /* 1 text, 2 JSON */
    int json = 0;
    ky_color color = KY_COLOR_AUTO;
    ky_args args = args_start(&render_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        int shared = shared_option("render", c, value, &options, &dirs);
        if (shared < 0) return KY_EXIT_USAGE;
        if (shared) continue;
        switch (c) {
        case 1:
            if (options.draft_path) return usage_error("render", "render takes one draft", value);
            options.draft_path = value;
            break;
        case 'o':
            options.output_path = value;
            break;
        case OPT_LAYOUT:
            if (!ky_layout_parse(value, &options.layout))
                return usage_error("render", "unknown layout (sequential, parallel, en, ja)",
                                   value);
            break;
        case OPT_COPY:
            options.copy = value;
            break;
        case OPT_CHANGES_SINCE:
            options.changes_since = value;
            break;
        case OPT_REPORT:
        case OPT_REPORT_JSON:
            report_format = c == OPT_REPORT_JSON ? 2 : 1;
            options.report = &report;
            break;
        case OPT_FORMAT:
            if ((json = format_option("render", value)) < 0) return KY_EXIT_USAGE;
            break;
        case OPT_COLOR:
            if (!ky_color_parse(value ? value : "always", &color))
                return usage_error("render", "--color takes auto, never or always", value);
            break;
        case 'h':
            return print_help(render_help, true);
        default:
            return KY_EXIT_USAGE;
        }
    }
    if (!options.draft_path) return usage_error("render", "render needs a draft", NULL);
    options.template_dirs = dirs;
    ky_render_options_defaults(&options);
    ky_diags diags;
    ky_diags_init(&diags);
    diags.color = color;
    char *output = NULL, *input = NULL;
    if (strcmp(options.draft_path, "-") == 0) {
        /* A draft from a pipe: its PDF goes to standard output unless -o
         * names a file (a terminal gets no PDF). */
        if (!options.output_path && isatty(STDOUT_FILENO))
            return usage_error("render", "a draft read from standard input needs -o FILE", NULL);
        if (!options.output_path) options.output_path = "-";
    }
    /* What render prints goes where the PDF does not: standard output, or
     * standard error when the PDF is on standard output. */
    FILE *side = strcmp(options.output_path ? options.output_path : "", "-") == 0 ? stderr : stdout;
    int status = 0;
    if (strcmp(options.draft_path, "-") == 0) {
        if ((input = ky_read_stdin(KY_XML_MAX_BYTES, &diags, &options.draft_size))) {
            options.draft_text = input;
            options.draft_path = "<stdin>";
        } else {
            status = -1;
        }
    }
    if (!options.output_path) options.output_path = output = default_output(options.draft_path);
    if (status == 0) status = ky_render(&options, &diags);
    /* With --format json the array alone is on its stream: a report moves
     * to standard error. */
    if (status == 0 && report_format)
        print_report(json ? stderr : side, &report, report_format == 2);
    free(output);
    free(input);
    return finish_as(&diags, status == 0 ? KY_EXIT_OK : KY_EXIT_FAILED, json ? side : NULL);
}

/* Splits "a,b,c" into at most max parts (the string is modified). */
static size_t split_list(char *list, const char **parts, size_t max)
{
    size_t count = 0;
    char *save = NULL;
    for (char *part = strtok_r(list, ",", &save); part && count < max;
         part = strtok_r(NULL, ",", &save))
        parts[count++] = part;
    return count;
}

static const ky_cli build_cli = {"build", "-:o:j:qh", build_longs};

static int cmd_build(int argc, char **argv)
{
    ky_build_options options = {.render = {.first_lang = -1}};
    ky_template_dirs dirs = {0};
    options.inputs = calloc((size_t)argc + 1, sizeof *options.inputs);
    if (!options.inputs) return KY_EXIT_USAGE;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    options.jobs = cpus > 0 ? (int)cpus : 1;
    int status = KY_EXIT_USAGE;
    ky_args args = args_start(&build_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        int shared = shared_option("build", c, value, &options.render, &dirs);
        if (shared < 0) goto done;
        if (shared) continue;
        switch (c) {
        case 1:
            options.inputs[options.input_count++] = value;
            break;
        case 'o':
            options.outdir = value;
            break;
        case 'j': {
            char *end;
            errno = 0;
            long jobs = strtol(value, &end, 10);
            /* strtol would take " 4" and "+4": only digits. */
            if (!isdigit((unsigned char)*value) || *end || errno || jobs < 1 || jobs > INT_MAX) {
                usage_error("build", "-j takes a number of at least 1", value);
                goto done;
            }
            options.jobs = (int)jobs;
            break;
        }
        case OPT_LAYOUT: {
            const char *names[KY_BUILD_MAX_LAYOUTS];
            size_t n = split_list(value, names, KY_BUILD_MAX_LAYOUTS);
            for (size_t k = 0; k < n; k++)
                if (!ky_layout_parse(names[k], &options.layouts[k])) {
                    usage_error("build", "unknown layout (sequential, parallel, en, ja)", names[k]);
                    goto done;
                }
            options.layout_count = n;
            break;
        }
        case OPT_COPY:
            options.copy_count = split_list(value, options.copies, KY_BUILD_MAX_COPIES);
            break;
        case OPT_NAME:
            options.name_pattern = value;
            break;
        case OPT_CHANGES_SINCE:
            /* For build, a git revision rather than a file. */
            options.changes_since_ref = value;
            break;
        case OPT_FORCE:
            options.force = true;
            break;
        case 'q':
            options.quiet = true;
            break;
        case OPT_FORMAT: {
            int json = format_option("build", value);
            if (json < 0) goto done;
            options.json = json;
            break;
        }
        case 'h':
            status = print_help(build_help, false);
            goto done;
        default:
            goto done;
        }
    }
    if (!options.outdir) {
        usage_error("build", "build needs -o OUTDIR", NULL);
        goto done;
    }
    if (options.input_count == 0) {
        usage_error("build", "build needs drafts or directories", NULL);
        goto done;
    }
    if (options.layout_count == 0) options.layouts[options.layout_count++] = KY_LAYOUT_SEQUENTIAL;
    options.render.template_dirs = dirs;
    ky_render_options_defaults(&options.render);
    status = ky_build(&options);
done:
    free(options.inputs);
    return status;
}

static const ky_cli check_cli = {"check", "-:h", check_longs};

static int cmd_check(int argc, char **argv)
{
    ky_render_options options = {.first_lang = -1};
    ky_template_dirs dirs = {0};
    bool json = false, werror = false;
    ky_color color = KY_COLOR_AUTO;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t input_count = 0;
    if (!inputs) return KY_EXIT_USAGE;
    int status = KY_EXIT_USAGE;
    ky_args args = args_start(&check_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        int shared = shared_option("check", c, value, &options, &dirs);
        if (shared < 0) goto done;
        if (shared) continue;
        switch (c) {
        case 1:
            inputs[input_count++] = value;
            break;
        case OPT_FORMAT: {
            int format = format_option("check", value);
            if (format < 0) goto done;
            json = format;
            break;
        }
        case OPT_WERROR:
            werror = true;
            break;
        case OPT_COLOR:
            if (!ky_color_parse(value ? value : "always", &color)) {
                usage_error("check", "--color takes auto, never or always", value);
                goto done;
            }
            break;
        case 'h':
            status = print_help(check_help, false);
            goto done;
        default:
            goto done;
        }
    }
    if (input_count == 0) {
        usage_error("check", "check needs drafts or directories", NULL);
        goto done;
    }
    options.template_dirs = dirs;
    ky_render_options_defaults(&options);
    char **drafts;
    size_t draft_count;
    ky_diags diags;
    ky_diags_init(&diags);
    diags.color = color;
    if (ky_find_drafts(inputs, input_count, NULL, &drafts, &draft_count, &diags) != 0) {
        ky_diags_print(&diags, stderr);
        ky_diags_free(&diags);
        status = KY_EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < draft_count; i++)
        ky_check(drafts[i], &options, &diags);
    if (json)
        ky_diags_print_json(&diags, stdout);
    else
        ky_diags_print(&diags, stdout);
    status = diags.errors || (werror && diags.warnings) ? KY_EXIT_FAILED : KY_EXIT_OK;
    ky_diags_free(&diags);
    for (size_t i = 0; i < draft_count; i++)
        free(drafts[i]);
    free(drafts);
done:
    free(inputs);
    return status;
}

static const ky_cli diff_cli = {"diff", "-:h", diff_longs};

static int cmd_diff(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL}, *encoding = NULL;
    int count = 0;
    ky_args args = args_start(&diff_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        switch (c) {
        case 1:
            if (count == 2) return usage_error("diff", "diff takes two drafts", value);
            paths[count++] = value;
            break;
        case OPT_ENCODING:
            encoding = value;
            break;
        case 'h':
            return print_help(diff_help, false);
        default:
            return KY_EXIT_USAGE;
        }
    }
    if (count != 2) return usage_error("diff", "diff takes two drafts", NULL);
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    if (strcmp(paths[0], "-") == 0 && strcmp(paths[1], "-") == 0)
        return usage_error("diff", "only one draft can come from standard input", NULL);
    /* "-" reads standard input: `git show REV:draft.xml | kyodo diff - draft.xml`. */
    ky_doc *docs[2] = {NULL, NULL};
    char *input = NULL;
    for (int i = 0; i < 2; i++) {
        if (strcmp(paths[i], "-") != 0) {
            docs[i] = ky_draft_load(paths[i], encoding, &arena, &diags);
            continue;
        }
        size_t size = 0;
        input = ky_read_stdin(KY_XML_MAX_BYTES, &diags, &size);
        if (input) docs[i] = ky_draft_load_memory("<stdin>", input, size, encoding, &arena, &diags);
    }
    int status = KY_EXIT_USAGE;
    if (docs[0] && docs[1]) status = ky_print_diff(docs[0], docs[1], stdout, &arena) > 0 ? 1 : 0;
    free(input);
    ky_arena_free(&arena);
    return finish(&diags, status);
}

static const ky_cli fonts_cli = {"fonts", "-:h", fonts_longs};

static int cmd_fonts(int argc, char **argv)
{
    const char *path = NULL;
    ky_args args = args_start(&fonts_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        switch (c) {
        case 1:
            return usage_error("fonts", "fonts takes no arguments", value);
        case OPT_FONTSET:
            path = value;
            break;
        case 'h':
            return print_help(fonts_help, false);
        default:
            return KY_EXIT_USAGE;
        }
    }
    if (!path) path = ky_default_fontset();
    ky_diags diags;
    ky_diags_init(&diags);
    ky_fontset fonts;
    int status = ky_fontset_load(&fonts, path, &diags);
    if (status == 0) {
        printf(_("font set %s\n"), path);
        for (int i = 0; i < fonts.face_count; i++)
            printf("  %-13s %-24s %s\n", fonts.faces[i].id, fonts.faces[i].package,
                   fonts.faces[i].path);
        status = ky_fontset_verify(&fonts, &diags);
        printf("%s\n", status == 0 ? _("all fonts match their SHA-256") : _("font check failed"));
    }
    ky_fontset_free(&fonts);
    return finish(&diags, status == 0 ? KY_EXIT_OK : KY_EXIT_FAILED);
}

// clang-format off
static const char templates_help[] = N_(
    "Usage: kyodo templates [--template-dir DIR]...\n"
    "\n"
    "Lists the templates kyodo finds (in each --template-dir, then each directory\n"
    "of $KYODO_TEMPLATE_PATH, then the built-in ones): name, description, what it\n"
    "extends and its file. A name found twice is the first one's.\n");
// clang-format on

static const ky_cli templates_cli = {"templates", "-:h", templates_longs};

static int cmd_templates(int argc, char **argv)
{
    ky_render_options options = {.first_lang = -1};
    ky_template_dirs dirs = {0};
    ky_args args = args_start(&templates_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        switch (c) {
        case 1:
            return usage_error("templates", "templates takes no arguments", value);
        case OPT_TEMPLATE_DIR:
            if (ky_template_dirs_add(&dirs, value) != 0)
                return usage_error("templates", "too many --template-dir options", NULL);
            break;
        case 'h':
            return print_help(templates_help, false);
        default:
            return KY_EXIT_USAGE;
        }
    }
    options.template_dirs = dirs;
    ky_render_options_defaults(&options);
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    ky_template_info *list;
    size_t count;
    ky_template_list(&options.template_dirs, &list, &count, &arena, &diags);
    for (size_t i = 0; i < count; i++) {
        printf("%-28s %s\n", list[i].name, list[i].description ? list[i].description : "");
        if (list[i].extends) printf(_("%-28s extends %s\n"), "", list[i].extends);
        printf("%-28s %s\n", "", list[i].path);
    }
    ky_arena_free(&arena);
    return finish(&diags, diags.errors ? KY_EXIT_FAILED : KY_EXIT_OK);
}

// clang-format off
static const char watch_help[] = N_(
    "Usage: kyodo watch DRAFT.xml [-o OUT.pdf] [options]\n"
    "\n"
    "Renders the draft, then again each time it, its template (and what that\n"
    "extends), --changes-since's draft, the font set or a font is saved, until\n"
    "Ctrl-C (SIGINT) or SIGTERM. Each render prints its diagnostics and one line:\n"
    "the PDF written and how long it took, or, when the save is broken, that the\n"
    "last good PDF was kept (PDF viewers such as Evince and Okular reload it by\n"
    "themselves). Editors that save by renaming a new file over the old one are\n"
    "seen as well as those that write in place (inotify on the directories).\n"
    "\n"
    "Options: those of render (-o cannot be -, and the draft cannot be -);\n"
    "--format json prints each render's diagnostics as one JSON array on\n"
    "standard output.\n"
    "Exit status: 0 stopped by a signal, 2 usage error or the files cannot be\n"
    "watched.\n");
// clang-format on

static const ky_cli watch_cli = {"watch", "-:o:h", render_longs};

static int cmd_watch(int argc, char **argv)
{
    ky_render_options options = {.first_lang = -1};
    ky_template_dirs dirs = {0};
    int json = 0;
    ky_args args = args_start(&watch_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        int shared = shared_option("watch", c, value, &options, &dirs);
        if (shared < 0) return KY_EXIT_USAGE;
        if (shared) continue;
        switch (c) {
        case 1:
            if (options.draft_path) return usage_error("watch", "watch takes one draft", value);
            options.draft_path = value;
            break;
        case 'o':
            options.output_path = value;
            break;
        case OPT_LAYOUT:
            if (!ky_layout_parse(value, &options.layout))
                return usage_error("watch", "unknown layout (sequential, parallel, en, ja)", value);
            break;
        case OPT_COPY:
            options.copy = value;
            break;
        case OPT_CHANGES_SINCE:
            options.changes_since = value;
            break;
        case OPT_REPORT:
        case OPT_REPORT_JSON:
            return usage_error("watch", "--report is for render", NULL);
        case OPT_FORMAT:
            if ((json = format_option("watch", value)) < 0) return KY_EXIT_USAGE;
            break;
        case 'h':
            return print_help(watch_help, true);
        default:
            return KY_EXIT_USAGE;
        }
    }
    if (!options.draft_path) return usage_error("watch", "watch needs a draft", NULL);
    /* A pipe is read once, and a PDF on standard output cannot be replaced. */
    if (strcmp(options.draft_path, "-") == 0)
        return usage_error("watch", "watch needs a draft file, not standard input", NULL);
    if (options.output_path && strcmp(options.output_path, "-") == 0)
        return usage_error("watch", "watch needs a PDF file, not standard output", NULL);
    options.template_dirs = dirs;
    ky_render_options_defaults(&options);
    char *output = NULL;
    if (!options.output_path) options.output_path = output = default_output(options.draft_path);
    int status = ky_watch(&options, json);
    free(output);
    return status;
}

extern const char ky_skeleton_draft[], ky_skeleton_draft_end[];

// clang-format off
static const char new_help[] = N_(
    "Usage: kyodo new [--template NAME] FILE\n"
    "\n"
    "Writes a commented skeleton draft to FILE (never over an existing file): two\n"
    "parties, a title, a date and place, a preamble, a section with a list, the\n"
    "closing formula's parameters and two signatories. It passes kyodo check;\n"
    "replace its texts with the statement's.\n");
// clang-format on

static const ky_cli new_cli = {"new", "-:h", new_longs};

static int cmd_new(int argc, char **argv)
{
    const char *file = NULL, *name = KY_DEFAULT_TEMPLATE;
    ky_args args = args_start(&new_cli, argc, argv);
    char *value;
    for (int c; (c = next_option(&args, &value)) != -1;) {
        switch (c) {
        case 1:
            if (file) return usage_error("new", "new takes one file", value);
            file = value;
            break;
        case OPT_TEMPLATE:
            name = value;
            break;
        case 'h':
            return print_help(new_help, false);
        default:
            return KY_EXIT_USAGE;
        }
    }
    if (!file) return usage_error("new", "new needs a file to write", NULL);
    ky_diags diags;
    ky_diags_init(&diags);
    /* The template must exist: a skeleton that fails at once helps no one. */
    ky_render_options options = {.first_lang = -1};
    ky_render_options_defaults(&options);
    ky_arena arena;
    ky_arena_init(&arena);
    bool known = ky_template_load(name, &options.template_dirs, &arena, &diags, NULL, 0) != NULL;
    ky_arena_free(&arena);
    if (!known) return finish(&diags, KY_EXIT_FAILED);
    FILE *out = NULL;
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 || !(out = fdopen(fd, "w"))) {
        ky_error(&diags, file, 0, "cannot create: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return finish(&diags, KY_EXIT_FAILED);
    }
    /* The skeleton names its template in one place: @TEMPLATE@. */
    const char *text = ky_skeleton_draft, *end = ky_skeleton_draft_end;
    const char *mark = strstr(text, "@TEMPLATE@");
    int status = 0;
    if (!mark || mark >= end) {
        status = -1;
    } else {
        fwrite(text, 1, (size_t)(mark - text), out);
        fputs(name, out);
        fwrite(mark + 10, 1, (size_t)(end - mark - 10), out);
    }
    if (fclose(out) != 0 || status != 0) {
        ky_error(&diags, file, 0, "cannot write: %s", strerror(errno));
        unlink(file);
        return finish(&diags, KY_EXIT_FAILED);
    }
    printf(_("%s: a new draft (template %s); kyodo check %s validates it\n"), file, name, file);
    return finish(&diags, KY_EXIT_OK);
}

/* The commands: main dispatches through this table, `kyodo help COMMAND`
 * prints their help, and a mistyped one is matched against their names. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
    bool render_options;
} commands[] = {
    {"render", cmd_render, render_help, true}, {"build", cmd_build, build_help, false},
    {"check", cmd_check, check_help, false},   {"diff", cmd_diff, diff_help, false},
    {"fonts", cmd_fonts, fonts_help, false},   {"templates", cmd_templates, templates_help, false},
    {"new", cmd_new, new_help, false},         {"watch", cmd_watch, watch_help, true},
};
enum { KY_COMMAND_COUNT = sizeof commands / sizeof commands[0] };

static int unknown_command(const char *name)
{
    const char *names[KY_COMMAND_COUNT + 1];
    for (size_t i = 0; i < KY_COMMAND_COUNT; i++)
        names[i] = commands[i].name;
    names[KY_COMMAND_COUNT] = "help";
    return unknown(NULL, N_("command"), name, names, KY_COMMAND_COUNT + 1);
}

/* kyodo's version and those of what it is built on: each module names its
 * own library's. */
static int print_version(void)
{
    char xml[32], icu[32];
    printf("kyodo %s\n", KY_VERSION);
    printf("  libharu %s, zlib %s (PDF)\n", ky_pdf_library_version(), ky_pdf_zlib_version());
    printf("  libxml2 %s (XML, RELAX NG)\n", ky_xml_library_version(xml, sizeof xml));
    printf("  HarfBuzz %s (fonts)\n", ky_font_library_version());
    printf("  ICU %s (line breaking, normalization)\n", ky_break_library_version(icu, sizeof icu));
    ky_diags diags;
    ky_diags_init(&diags);
    ky_fontset fonts;
    if (ky_fontset_load(&fonts, ky_default_fontset(), &diags) == 0) {
        printf("  fonts (%s):\n", ky_default_fontset());
        for (int i = 0; i < fonts.face_count; i++) {
            char version[128];
            printf("    %-13s %s\n", fonts.faces[i].id,
                   ky_face_version(&fonts, i, version, sizeof version));
        }
    }
    ky_fontset_free(&fonts);
    ky_diags_free(&diags);
    return 0;
}

static const ky_cli main_cli = {NULL, "-:h", main_longs};

int main(int argc, char **argv)
{
    ky_i18n_init(KY_LOCALE_DIR);
    ky_xml_init();
    /* kyodo's own options, up to the command; the command's arguments are
     * then walked with its own table, argv[0] being its name. */
    ky_args args = args_start(&main_cli, argc, argv);
    char *command = NULL;
    for (int c; !command && (c = next_option(&args, &command)) != -1;) {
        if (c == 'h') return print_help(main_help, false);
        if (c == OPT_VERSION) return print_version();
        if (c != 1) return KY_EXIT_USAGE;
    }
    if (!command) return usage_error(NULL, "no command", NULL);
    int first = optind - 1; /* the command's own argv[0] */
    if (strcmp(command, "help") == 0) {
        if (first + 1 >= argc) return print_help(main_help, false);
        for (size_t i = 0; i < KY_COMMAND_COUNT; i++)
            if (strcmp(argv[first + 1], commands[i].name) == 0)
                return print_help(commands[i].help, commands[i].render_options);
        return unknown_command(argv[first + 1]);
    }
    for (size_t i = 0; i < KY_COMMAND_COUNT; i++)
        if (strcmp(command, commands[i].name) == 0)
            return commands[i].run(argc - first, argv + first);
    return unknown_command(command);
}
