#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/xmlreader.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "font.h"
#include "hyphenate.h"
#include "version.h"

/* Set by the signal handler, read by the job loop: the one piece of
 * process-wide state a signal leaves us. */
static volatile sig_atomic_t interrupted;

static void on_signal(int signal)
{
    interrupted = signal;
}

typedef struct {
    char *draft;
    ky_layout_kind layout;
    const char *copy;
    char *output;
    char *hash_path;
    char key[65];
    enum { JOB_PENDING, JOB_RUNNING, JOB_RENDERED, JOB_UP_TO_DATE, JOB_FAILED } state;
    pid_t pid;
    FILE *log; /* the child's diagnostics */
} ky_job;

typedef struct {
    ky_job *items;
    size_t count, capacity;
} ky_jobs;

/* ---- finding drafts ----------------------------------------------------- */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_draft(char ***drafts, size_t *count, size_t *capacity, char *path)
{
    if (*count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 64;
        char **bigger = realloc(*drafts, grown * sizeof **drafts);
        if (!bigger) return -1;
        *drafts = bigger;
        *capacity = grown;
    }
    (*drafts)[(*count)++] = path;
    return 0;
}

int ky_find_drafts(char *const *inputs, size_t input_count, char ***drafts, size_t *count)
{
    size_t capacity = 0;
    *drafts = NULL;
    *count = 0;
    for (size_t i = 0; i < input_count; i++) {
        const char *input = inputs[i];
        struct stat st;
        if (stat(input, &st) != 0) {
            fprintf(stderr, "kyodo: %s: %s\n", input, strerror(errno));
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (add_draft(drafts, count, &capacity, strdup(input))) return -1;
            continue;
        }
        DIR *dir = opendir(input);
        if (!dir) {
            fprintf(stderr, "kyodo: %s: %s\n", input, strerror(errno));
            return -1;
        }
        size_t first = *count;
        for (struct dirent *entry; (entry = readdir(dir));) {
            size_t len = strlen(entry->d_name);
            if (len < 5 || strcmp(entry->d_name + len - 4, ".xml") != 0) continue;
            size_t plen = strlen(input) + len + 2;
            char *path = malloc(plen);
            if (!path) break;
            snprintf(path, plen, "%s/%s", input, entry->d_name);
            if (add_draft(drafts, count, &capacity, path)) break;
        }
        closedir(dir);
        qsort(*drafts + first, *count - first, sizeof **drafts, compare_strings);
    }
    return 0;
}

static char *command_output(const char *command, size_t *size);
static char *git_spec(const char *verb, const char *ref, const char *draft);

/* ---- content hashes ------------------------------------------------------ */

static void hash_file(struct sha256_ctx *sha, const char *path)
{
    FILE *file = fopen(path, "rb");
    /* The name goes in too, so that a missing file differs from an empty one. */
    sha256_update(sha, strlen(path) + 1, (const uint8_t *)path);
    if (!file) return;
    unsigned char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        sha256_update(sha, got, chunk);
    fclose(file);
}

static void hash_string(struct sha256_ctx *sha, const char *text)
{
    sha256_update(sha, strlen(text) + 1, (const uint8_t *)(text ? text : ""));
}

/* An attribute of the root element, read without parsing the whole file. */
static char *root_attribute(const char *path, const char *name)
{
    xmlTextReaderPtr reader =
        xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!reader) return NULL;
    char *value = NULL;
    while (xmlTextReaderRead(reader) == 1)
        if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_ELEMENT) {
            xmlChar *attr = xmlTextReaderGetAttribute(reader, (const xmlChar *)name);
            if (attr) value = strdup((const char *)attr);
            xmlFree(attr);
            break;
        }
    xmlFreeTextReader(reader);
    return value;
}

/* The template files a draft depends on: its template and what that extends. */
static void hash_templates(struct sha256_ctx *sha, const char *draft,
                           const ky_render_options *render)
{
    char *name =
        render->template_name ? strdup(render->template_name) : root_attribute(draft, "template");
    if (!name) name = strdup("joint-statement");
    for (int depth = 0; name && depth < 8; depth++) {
        char path[4096] = "";
        for (int i = 0; i < render->template_dirs.count; i++) {
            snprintf(path, sizeof path, "%s/%s.xml", render->template_dirs.dirs[i], name);
            if (access(path, R_OK) == 0) break;
            path[0] = '\0';
        }
        free(name);
        name = NULL;
        if (!path[0]) break;
        hash_file(sha, path);
        name = root_attribute(path, "extends");
    }
    free(name);
}

/* What every job shares: the kyodo binary and the font set (its
 * configuration, and each font file's size and modification time — their
 * contents are checked against the configured SHA-256 by `kyodo fonts`). */
static void hash_common(struct sha256_ctx *sha, const ky_render_options *render)
{
    sha256_init(sha);
    hash_string(sha, "kyodo " KY_VERSION);
    hash_file(sha, "/proc/self/exe");
    hash_file(sha, render->fontset_path);
    ky_diags diags;
    ky_diags_init(&diags);
    ky_fontset fonts;
    if (ky_fontset_load(&fonts, render->fontset_path, &diags) == 0)
        for (int i = 0; i < fonts.face_count; i++) {
            struct stat st;
            char stamp[128] = "";
            if (stat(fonts.faces[i].path, &st) == 0)
                snprintf(stamp, sizeof stamp, "%lld %lld.%09ld", (long long)st.st_size,
                         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
            hash_string(sha, fonts.faces[i].path);
            hash_string(sha, stamp);
        }
    ky_fontset_free(&fonts);
    ky_diags_free(&diags);
}

static void job_key(const struct sha256_ctx *common, const ky_build_options *options, ky_job *job)
{
    struct sha256_ctx sha = *common;
    hash_file(&sha, job->draft);
    hash_templates(&sha, job->draft, &options->render);
    char opts[256];
    snprintf(opts, sizeof opts, "layout=%s copy=%s first=%d title-page=%d print=%d template=%s",
             ky_layout_name(job->layout), job->copy ? job->copy : "", options->render.first_lang,
             options->render.title_page, options->render.print,
             options->render.template_name ? options->render.template_name : "");
    hash_string(&sha, opts);
    if (options->changes_since_ref) {
        /* The old revision's blob: change bars follow it. */
        char *command = git_spec("rev-parse", options->changes_since_ref, job->draft);
        size_t size = 0;
        char *blob = command ? command_output(command, &size) : NULL;
        hash_string(&sha, options->changes_since_ref);
        if (blob) sha256_update(&sha, size, (const uint8_t *)blob);
        free(blob);
        free(command);
    }
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&sha, sizeof digest, digest);
    for (int k = 0; k < SHA256_DIGEST_SIZE; k++)
        snprintf(job->key + 2 * k, 3, "%02x", digest[k]);
}

static bool up_to_date(const ky_job *job)
{
    struct stat st;
    if (stat(job->output, &st) != 0) return false;
    FILE *file = fopen(job->hash_path, "r");
    if (!file) return false;
    char stored[80] = "";
    bool same = fgets(stored, sizeof stored, file) && strncmp(stored, job->key, 64) == 0;
    fclose(file);
    return same;
}

static void store_key(const ky_job *job)
{
    size_t len = strlen(job->hash_path) + 8;
    char *tmp = malloc(len);
    if (!tmp) return;
    snprintf(tmp, len, "%s.tmp", job->hash_path);
    FILE *file = fopen(tmp, "w");
    if (file) {
        fprintf(file, "%s\n", job->key);
        if (fclose(file) == 0) rename(tmp, job->hash_path);
    }
    free(tmp);
}

/* ---- output names ---------------------------------------------------------- */

static char *output_name(const ky_build_options *options, const char *draft, ky_layout_kind layout,
                         const char *copy)
{
    const char *base = strrchr(draft, '/');
    base = base ? base + 1 : draft;
    size_t stem =
        strlen(base) - (strlen(base) > 4 && !strcmp(base + strlen(base) - 4, ".xml") ? 4 : 0);
    const char *pattern = options->name_pattern ? options->name_pattern : "{draft}-{layout}{-copy}";
    char name[1024];
    size_t at = 0;
    for (const char *c = pattern; *c && at + 1 < sizeof name;) {
        const char *value = NULL;
        size_t vlen = 0, skip = 1;
        if (!strncmp(c, "{draft}", 7))
            value = base, vlen = stem, skip = 7;
        else if (!strncmp(c, "{layout}", 8))
            value = ky_layout_name(layout), vlen = strlen(value), skip = 8;
        else if (!strncmp(c, "{copy}", 6))
            value = copy ? copy : "", vlen = strlen(value), skip = 6;
        else if (!strncmp(c, "{-copy}", 7)) {
            skip = 7;
            if (copy) {
                name[at++] = '-';
                value = copy, vlen = strlen(copy);
            }
        }
        if (value) {
            if (at + vlen >= sizeof name) break;
            memcpy(name + at, value, vlen);
            at += vlen;
        } else if (skip == 1) {
            name[at++] = *c;
        }
        c += skip;
    }
    name[at] = '\0';
    size_t len = strlen(options->outdir) + at + 8;
    char *path = malloc(len);
    if (path) snprintf(path, len, "%s/%s.pdf", options->outdir, name);
    return path;
}

/* ---- running --------------------------------------------------------------- */

/* Output of a command, or NULL when it fails. */
static char *command_output(const char *command, size_t *size)
{
    FILE *pipe = popen(command, "r");
    if (!pipe) return NULL;
    size_t capacity = 4096, used = 0;
    char *out = malloc(capacity);
    for (size_t got; out && (got = fread(out + used, 1, capacity - used, pipe)) > 0;) {
        used += got;
        if (used == capacity) {
            char *bigger = realloc(out, capacity *= 2);
            if (!bigger) free(out);
            out = bigger;
        }
    }
    if (pclose(pipe) != 0) {
        free(out);
        return NULL;
    }
    *size = used;
    return out;
}

/* `git show REF:./DRAFT` for a draft given by a path relative to the
 * current directory, quoted for the shell. */
static char *git_spec(const char *verb, const char *ref, const char *draft)
{
    size_t len = strlen(ref) + strlen(draft) * 4 + 64;
    char *command = malloc(len);
    if (!command) return NULL;
    size_t at = (size_t)snprintf(command, len, "git %s '", verb);
    for (const char *c = ref; *c; c++)
        at += (size_t)snprintf(command + at, len - at, *c == '\'' ? "'\\''" : "%c", *c);
    at += (size_t)snprintf(command + at, len - at, ":./");
    for (const char *c = draft; *c; c++)
        at += (size_t)snprintf(command + at, len - at, *c == '\'' ? "'\\''" : "%c", *c);
    snprintf(command + at, len - at, "' 2>/dev/null");
    return command;
}

static int run_child(const ky_build_options *options, const ky_job *job)
{
    ky_render_options render = options->render;
    render.draft_path = job->draft;
    render.output_path = job->output;
    render.layout = job->layout;
    render.copy = job->copy;
    ky_diags diags;
    ky_diags_init(&diags);
    char old_path[] = "/tmp/kyodo-old-XXXXXX";
    int old_fd = -1;
    if (options->changes_since_ref) {
        /* The draft as it was at REF; a draft REF does not have is all new. */
        char *command = git_spec("show", options->changes_since_ref, job->draft);
        size_t size = 0;
        char *old = command ? command_output(command, &size) : NULL;
        free(command);
        old_fd = mkstemp(old_path);
        if (old && old_fd >= 0 && write(old_fd, old, size) == (ssize_t)size)
            render.changes_since = old_path;
        else if (!old)
            ky_diag_add(&diags, KY_WARNING, job->draft, 0, 0,
                        "not in %s (git show failed): no change bars", options->changes_since_ref);
        free(old);
    }
    int status = ky_render(&render, &diags);
    if (old_fd >= 0) {
        close(old_fd);
        unlink(old_path);
    }
    ky_diags_print(&diags, job->log);
    fflush(job->log);
    ky_diags_free(&diags);
    return status == 0 ? 0 : 1;
}

static void start(const ky_build_options *options, ky_job *job)
{
    job->log = tmpfile();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        _exit(run_child(options, job));
    }
    if (pid < 0) {
        job->state = JOB_FAILED;
        if (job->log) fprintf(job->log, "kyodo: error: cannot start a job: %s\n", strerror(errno));
        return;
    }
    job->pid = pid;
    job->state = JOB_RUNNING;
}

static void finish(ky_job *job, int status)
{
    job->state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? JOB_RENDERED : JOB_FAILED;
    if (job->state == JOB_RENDERED) store_key(job);
}

static void report(const ky_build_options *options, const ky_job *job, size_t done, size_t total,
                   bool tty)
{
    if (job->log) {
        rewind(job->log);
        char line[4096];
        bool any = false;
        while (fgets(line, sizeof line, job->log)) {
            if (!any && tty) fputs("\r\033[K", stderr);
            any = true;
            fputs(line, stderr);
        }
    }
    if (options->quiet) return;
    const char *what = job->state == JOB_RENDERED     ? "rendered"
                       : job->state == JOB_UP_TO_DATE ? "up to date"
                                                      : "FAILED";
    if (tty)
        fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, total, job->draft);
    else
        fprintf(stderr, "[%zu/%zu] %s -> %s: %s\n", done, total, job->draft, job->output, what);
}

/* Temporary files of interrupted renders: pdf.c writes OUT.pdf.tmp-XXXXXX. */
static size_t remove_temporaries(const ky_jobs *jobs)
{
    size_t removed = 0;
    DIR *dir = NULL;
    for (size_t i = 0; i < jobs->count; i++) {
        const ky_job *job = &jobs->items[i];
        const char *slash = strrchr(job->output, '/');
        size_t dirlen = slash ? (size_t)(slash - job->output) : 0;
        char dirname[4096];
        snprintf(dirname, sizeof dirname, "%.*s", (int)dirlen, dirlen ? job->output : ".");
        const char *base = slash ? slash + 1 : job->output;
        dir = opendir(dirname);
        if (!dir) continue;
        size_t blen = strlen(base);
        for (struct dirent *entry; (entry = readdir(dir));)
            if (!strncmp(entry->d_name, base, blen) && !strncmp(entry->d_name + blen, ".tmp-", 5)) {
                char path[8192];
                snprintf(path, sizeof path, "%s/%s", dirname, entry->d_name);
                if (unlink(path) == 0) removed++;
            }
        closedir(dir);
    }
    return removed;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ky_build(const ky_build_options *options)
{
    double started = now();
    if (mkdir(options->outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "kyodo: %s: %s\n", options->outdir, strerror(errno));
        return KY_EXIT_USAGE;
    }
    char hashdir[4096];
    snprintf(hashdir, sizeof hashdir, "%s/.kyodo", options->outdir);
    if (mkdir(hashdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "kyodo: %s: %s\n", hashdir, strerror(errno));
        return KY_EXIT_USAGE;
    }
    char **drafts;
    size_t draft_count;
    if (ky_find_drafts(options->inputs, options->input_count, &drafts, &draft_count) != 0)
        return KY_EXIT_USAGE;
    ky_jobs jobs = {0};
    size_t copies = options->copy_count ? options->copy_count : 1;
    jobs.capacity = draft_count * options->layout_count * copies;
    jobs.items = calloc(jobs.capacity ? jobs.capacity : 1, sizeof *jobs.items);
    struct sha256_ctx common;
    hash_common(&common, &options->render);
    for (size_t d = 0; d < draft_count; d++)
        for (size_t l = 0; l < options->layout_count; l++)
            for (size_t c = 0; c < copies; c++) {
                ky_job *job = &jobs.items[jobs.count++];
                job->draft = drafts[d];
                job->layout = options->layouts[l];
                job->copy = options->copy_count ? options->copies[c] : NULL;
                job->output = output_name(options, job->draft, job->layout, job->copy);
                const char *base = strrchr(job->output, '/') + 1;
                size_t hlen = strlen(hashdir) + strlen(base) + 16;
                job->hash_path = malloc(hlen);
                snprintf(job->hash_path, hlen, "%s/%s.sha256", hashdir, base);
                job_key(&common, options, job);
            }

    /* What every render needs and no render changes is loaded once, before
     * the jobs fork, and shared copy-on-write: the hyphenation patterns. */
    ky_hyphenator hyphenator;
    ky_hyphenator_init(&hyphenator, ky_hyphen_default_path());
    ky_diags preload;
    ky_diags_init(&preload);
    bool after[16];
    ky_hyphenate(&hyphenator, "preloading", 10, after, &preload);
    ky_diags_free(&preload);
    ky_build_options shared = *options;
    if (hyphenator.dict) shared.render.hyphenator = &hyphenator;
    options = &shared;

    struct sigaction action = {0}, old_int, old_term;
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    bool tty = isatty(STDERR_FILENO) && !getenv("CI");
    int jobs_max = options->jobs > 0 ? options->jobs : 1;
    size_t next = 0, done = 0, running = 0;
    while ((next < jobs.count || running > 0) && !interrupted) {
        while (next < jobs.count && running < (size_t)jobs_max && !interrupted) {
            ky_job *job = &jobs.items[next++];
            if (!options->force && up_to_date(job)) {
                job->state = JOB_UP_TO_DATE;
                report(options, job, ++done, jobs.count, tty);
                continue;
            }
            start(options, job);
            if (job->state == JOB_RUNNING)
                running++;
            else
                report(options, job, ++done, jobs.count, tty);
        }
        if (running == 0) continue;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) continue; /* EINTR: a signal; the loop condition sees it */
        for (size_t i = 0; i < jobs.count; i++)
            if (jobs.items[i].state == JOB_RUNNING && jobs.items[i].pid == pid) {
                finish(&jobs.items[i], status);
                running--;
                report(options, &jobs.items[i], ++done, jobs.count, tty);
            }
    }
    int exit_code = KY_EXIT_OK;
    if (interrupted) {
        for (size_t i = 0; i < jobs.count; i++)
            if (jobs.items[i].state == JOB_RUNNING) kill(jobs.items[i].pid, SIGTERM);
        while (waitpid(-1, NULL, 0) > 0)
            ;
        size_t removed = remove_temporaries(&jobs);
        fprintf(stderr,
                "%skyodo: interrupted by signal %d; %zu partial PDF%s removed, finished "
                "PDFs kept\n",
                tty ? "\r\033[K" : "", (int)interrupted, removed, removed == 1 ? "" : "s");
        exit_code = KY_EXIT_INTERRUPTED;
    }
    size_t rendered = 0, current = 0, failed = 0;
    for (size_t i = 0; i < jobs.count; i++) {
        ky_job *job = &jobs.items[i];
        rendered += job->state == JOB_RENDERED;
        current += job->state == JOB_UP_TO_DATE;
        failed += job->state == JOB_FAILED;
        if (job->log) fclose(job->log);
        free(job->output);
        free(job->hash_path);
    }
    if (exit_code == KY_EXIT_OK && failed) exit_code = KY_EXIT_FAILED;
    if (!options->quiet || failed)
        fprintf(stderr, "%skyodo build: %zu rendered, %zu up to date, %zu failed in %.2f s\n",
                tty && !options->quiet ? "\r\033[K" : "", rendered, current, failed,
                now() - started);
    for (size_t d = 0; d < draft_count; d++)
        free(drafts[d]);
    free(drafts);
    free(jobs.items);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    interrupted = 0;
    ky_hyphenator_free(&hyphenator);
    return exit_code;
}
