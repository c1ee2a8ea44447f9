#include "build.h"

#include <dirent.h>
#include <fts.h>
#include <search.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "draft.h"
#include "font.h"
#include "hyphenate.h"
#include "i18n.h"
#include "template.h"
#include "version.h"
#include "xml.h"

extern char **environ;

/* Set by the signal handler, read by the job loop: the one piece of
 * process-wide state a signal leaves us. */
static volatile sig_atomic_t interrupted;

static void on_signal(int signal)
{
    interrupted = signal;
}

/* A git object id: 40 hex digits (SHA-1) or 64 (SHA-256). */
enum { KY_GIT_ID_SIZE = 72 };

typedef struct {
    char *draft;
    ky_layout_kind layout;
    const char *copy;
    char *output;
    char *state_path;
    char key[65];
    /* The draft's bytes, read once: hashed for the key, then rendered by
     * the job's child, so the state never claims content it did not render. */
    char *text;
    size_t size;
    char blob[KY_GIT_ID_SIZE]; /* the draft at --changes-since, "" if none */
    char *note;                /* why the draft has no change bars */
    bool duplicate;
    enum { JOB_PENDING, JOB_RUNNING, JOB_RENDERED, JOB_UP_TO_DATE, JOB_FAILED } state;
    pid_t pid;
    FILE *log; /* the child's diagnostics */
} ky_job;

typedef struct {
    ky_job *items;
    size_t count, capacity;
} ky_jobs;

/* What every job of one build shares. */
typedef struct {
    const ky_build_options *options;
    struct sha256_ctx common;    /* the hash of the inputs every job has */
    char commit[KY_GIT_ID_SIZE]; /* --changes-since, resolved once */
} ky_build_ctx;

/* ---- finding drafts ----------------------------------------------------- */

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

static int compare_names(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

static bool is_draft_name(const char *name)
{
    size_t len = strlen(name);
    return len >= 5 && strcmp(name + len - 4, ".xml") == 0;
}

/* Walks one directory tree with fts(3) (no global state, unlike nftw):
 * *.xml files and links in name order, hidden directories and the output
 * directory (skip, when given) left out. Links to directories are not
 * followed, so a tree with a loop still ends. */
static int walk(const char *root, const struct stat *skip, char ***drafts, size_t *count,
                size_t *capacity, ky_diags *diags)
{
    char *paths[] = {(char *)root, NULL};
    FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, compare_names);
    if (!fts) {
        ky_error(diags, root, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    int status = 0;
    for (FTSENT *e; status == 0 && (e = fts_read(fts));) {
        switch (e->fts_info) {
        case FTS_D:
            if ((e->fts_level > 0 && e->fts_name[0] == '.') ||
                (skip && e->fts_statp->st_dev == skip->st_dev &&
                 e->fts_statp->st_ino == skip->st_ino))
                fts_set(fts, e, FTS_SKIP);
            break;
        case FTS_DNR:
        case FTS_ERR:
            ky_error(diags, e->fts_path, 0, "cannot read: %s", strerror(e->fts_errno));
            status = -1;
            break;
        case FTS_F:
        case FTS_SL:
        case FTS_SLNONE:
        case FTS_DEFAULT:
            /* Not only regular files: what is not one is reported by the
             * build (never opened), not silently passed over. */
            if (e->fts_level > 0 && is_draft_name(e->fts_name) &&
                add_draft(drafts, count, capacity, ky_xstrdup(e->fts_path)))
                ky_out_of_memory();
            break;
        default:
            break;
        }
    }
    fts_close(fts);
    return status;
}

static int find_drafts(char *const *inputs, size_t input_count, const char *outdir, char ***drafts,
                       size_t *count, ky_diags *diags)
{
    size_t capacity = 0;
    *drafts = NULL;
    *count = 0;
    struct stat out;
    bool skip = outdir && stat(outdir, &out) == 0;
    for (size_t i = 0; i < input_count; i++) {
        const char *input = inputs[i];
        struct stat st;
        if (stat(input, &st) != 0) {
            ky_error(diags, input, 0, "%s", strerror(errno));
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (add_draft(drafts, count, &capacity, ky_xstrdup(input))) ky_out_of_memory();
        } else if (walk(input, skip ? &out : NULL, drafts, count, &capacity, diags) != 0) {
            return -1;
        }
    }
    if (*count == 0) {
        ky_error(diags, input_count == 1 ? inputs[0] : NULL, 0, "no drafts (*.xml) found");
        return -1;
    }
    return 0;
}

int ky_find_drafts(char *const *inputs, size_t input_count, const char *outdir, char ***drafts,
                   size_t *count, ky_diags *diags)
{
    if (find_drafts(inputs, input_count, outdir, drafts, count, diags) == 0) return 0;
    for (size_t i = 0; i < *count; i++)
        free((*drafts)[i]);
    free(*drafts);
    *drafts = NULL;
    *count = 0;
    return -1;
}

/* ---- reading files ----------------------------------------------------- */

/* file.c reads inputs (regular files only, the cap checked before reading);
 * build keeps its message as text: hashed for a file that cannot be read,
 * reported for a draft. */
static void keep_why(ky_diags *scratch, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s", scratch->first ? scratch->first->message : "cannot read");
    ky_diags_free(scratch);
}

static int open_regular(const char *path, char *why, size_t why_size)
{
    ky_diags scratch;
    ky_diags_init(&scratch);
    size_t size = 0;
    int fd = ky_file_open(path, NULL, SIZE_MAX, &scratch, &size);
    keep_why(&scratch, why, why_size);
    return fd;
}

/* A regular file's bytes (NUL-terminated), at most max of them. */
static char *read_regular(const char *path, size_t max, size_t *size, char *why, size_t why_size)
{
    ky_diags scratch;
    ky_diags_init(&scratch);
    char *text = ky_read_file(path, max, &scratch, size);
    keep_why(&scratch, why, why_size);
    return text;
}

/* ---- content hashes ------------------------------------------------------ */

/* Every field is delimited (strings by their NUL, byte runs by their length
 * after them), so that no two different inputs hash the same stream. */
static void hash_string(struct sha256_ctx *sha, const char *text)
{
    if (!text) text = "";
    sha256_update(sha, strlen(text) + 1, (const uint8_t *)text);
}

/* An option that may be absent: absent differs from empty. */
static void hash_optional(struct sha256_ctx *sha, const char *name, const char *value)
{
    hash_string(sha, name);
    hash_string(sha, value ? "set" : "unset");
    if (value) hash_string(sha, value);
}

static void hash_bytes(struct sha256_ctx *sha, const char *text, size_t size)
{
    char length[32];
    sha256_update(sha, size, (const uint8_t *)text);
    snprintf(length, sizeof length, "%zu", size);
    hash_string(sha, length);
}

/* A file by its name and content; a missing or irregular file hashes as
 * such, and is never read. Returns whether the file could be read. */
static bool hash_file(struct sha256_ctx *sha, const char *path)
{
    char why[256] = "";
    hash_string(sha, path);
    int fd = open_regular(path, why, sizeof why);
    if (fd < 0) {
        hash_string(sha, why);
        return false;
    }
    hash_string(sha, "content");
    unsigned char chunk[1 << 16];
    size_t total = 0;
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) break;
        sha256_update(sha, (size_t)got, chunk);
        total += (size_t)got;
    }
    char length[48];
    snprintf(length, sizeof length, "%zu%s", total, got < 0 ? " read error" : "");
    hash_string(sha, length);
    close(fd);
    return got == 0;
}

static void digest_hex(struct sha256_ctx *sha, char hex[65])
{
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(sha, sizeof digest, digest);
    for (int k = 0; k < SHA256_DIGEST_SIZE; k++)
        snprintf(hex + 2 * k, 3, "%02x", digest[k]);
}

/* An attribute of the root element (malloc'd, or NULL), read as a render
 * reads the document (its encoding, --encoding) but no further. */
static char *root_attribute(const char *text, size_t size, const char *url, const char *encoding,
                            const char *name)
{
    ky_diags scratch;
    ky_diags_init(&scratch);
    char *value = ky_xml_root_attribute(url, text, size, encoding, name, &scratch);
    ky_diags_free(&scratch);
    return value;
}

typedef struct {
    struct sha256_ctx *sha;
    ky_arena *arena;
} ky_template_hash;

/* One template file of a draft's chain (see ky_template_chain). */
static int hash_template_file(void *data, const char *path, const char **extends, int *extends_line)
{
    ky_template_hash *hash = data;
    char why[256] = "";
    size_t size = 0;
    char *text = read_regular(path, KY_XML_MAX_BYTES, &size, why, sizeof why);
    hash_string(hash->sha, path);
    if (!text) {
        /* The render fails on it too, and says why. */
        hash_string(hash->sha, why);
        return -1;
    }
    hash_bytes(hash->sha, text, size);
    char *parent = root_attribute(text, size, path, NULL, "extends");
    free(text);
    if (parent) *extends = ky_arena_strdup(hash->arena, parent);
    *extends_line = 0;
    free(parent);
    return 0;
}

/* What every job shares: the kyodo binary, the font set (its configuration,
 * and each font file's size, times and inode — their contents are checked
 * against the configured SHA-256 by `kyodo fonts`), the hyphenation
 * patterns, and the options and environment ky_render reads. */
static void hash_common(struct sha256_ctx *sha, const ky_build_options *options)
{
    const ky_render_options *render = &options->render;
    sha256_init(sha);
    hash_string(sha, "kyodo " KY_VERSION);
    hash_file(sha, "/proc/self/exe");
    hash_string(sha, "fontset");
    if (hash_file(sha, render->fontset_path)) {
        ky_diags diags;
        ky_diags_init(&diags);
        ky_fontset fonts;
        if (ky_fontset_load(&fonts, render->fontset_path, &diags) == 0)
            for (int i = 0; i < fonts.face_count; i++) {
                struct stat st;
                char stamp[160] = "";
                if (stat(fonts.faces[i].path, &st) == 0)
                    snprintf(stamp, sizeof stamp, "%lld %lld.%09ld %lld.%09ld %llu %llu",
                             (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                             st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                             (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
                hash_string(sha, fonts.faces[i].path);
                hash_string(sha, stamp);
            }
        ky_fontset_free(&fonts);
        ky_diags_free(&diags);
    }
    hash_string(sha, "hyphenation");
    hash_file(sha, ky_hyphen_default_path());
    /* ky_render dates the PDF by it. */
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    hash_optional(sha, "SOURCE_DATE_EPOCH", epoch && *epoch ? epoch : NULL);
    hash_optional(sha, "template", render->template_name);
    hash_optional(sha, "encoding", render->encoding);
    char flags[96];
    snprintf(flags, sizeof flags, "first=%d title-page=%d print=%d standard=%s", render->first_lang,
             render->title_page, render->print, ky_standard_name(render->standard));
    hash_string(sha, flags);
}

/* ---- git ----------------------------------------------------------------------- */

/* Runs git with an argument vector — no shell, so a ref is one argument
 * whatever its characters — and collects its output: up to max bytes are
 * kept, more only make *size max + 1. Returns 0 when git exits 0, else -1
 * with why: git's first line of errors, or why it could not run. */
static int run_git(char *const argv[], size_t max, char **out, size_t *size, char *why,
                   size_t why_size)
{
    int out_pipe[2], err_pipe[2];
    *out = NULL;
    *size = 0;
    why[0] = '\0';
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        snprintf(why, why_size, "cannot run git: %s", strerror(errno));
        return -1;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(why, why_size, "cannot run git: %s", strerror(errno));
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    pid_t pid;
    int failed = posix_spawnp(&pid, "git", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (failed) {
        snprintf(why, why_size, "cannot run git: %s", strerror(failed));
        close(out_pipe[0]);
        close(err_pipe[0]);
        return -1;
    }
    size_t capacity = 0, used = 0, err_used = 0;
    char *text = NULL, err[512];
    bool no_memory = false;
    struct pollfd fds[2] = {{.fd = out_pipe[0], .events = POLLIN},
                            {.fd = err_pipe[0], .events = POLLIN}};
    for (int open_fds = 2; open_fds > 0;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            char chunk[1 << 16];
            ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
                continue;
            }
            if (i == 1) {
                size_t take = (size_t)got < sizeof err - 1 - err_used ? (size_t)got
                                                                      : sizeof err - 1 - err_used;
                memcpy(err + err_used, chunk, take);
                err_used += take;
                continue;
            }
            size_t take = used + (size_t)got > max + 1 ? max + 1 - used : (size_t)got;
            if (used + take + 1 > capacity && !no_memory) {
                size_t grown = capacity ? capacity : 4096;
                while (grown < used + take + 1)
                    grown *= 2;
                char *bigger = realloc(text, grown);
                if (bigger) {
                    text = bigger;
                    capacity = grown;
                } else {
                    no_memory = true;
                }
            }
            if (!no_memory) {
                memcpy(text + used, chunk, take);
                used += take;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0) close(fds[i].fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    err[err_used] = '\0';
    err[strcspn(err, "\n")] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || no_memory) {
        if (no_memory)
            snprintf(why, why_size, "out of memory");
        else if (err[0])
            snprintf(why, why_size, "%s", err);
        else if (WIFSIGNALED(status))
            snprintf(why, why_size, "git was killed by signal %d", WTERMSIG(status));
        else
            snprintf(why, why_size, "git exited with status %d", WEXITSTATUS(status));
        free(text);
        return -1;
    }
    if (!text) text = calloc(1, 1);
    if (!text) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    text[used] = '\0';
    *out = text;
    *size = used;
    return 0;
}

/* The object id git prints on a line of its own, or -1. */
static int object_id(char *text, char id[KY_GIT_ID_SIZE])
{
    text[strcspn(text, "\n")] = '\0';
    size_t len = strlen(text);
    if ((len != 40 && len != 64) || strspn(text, "0123456789abcdef") != len) return -1;
    memcpy(id, text, len + 1);
    return 0;
}

/* --changes-since REF as a commit id, so that every draft of the build is
 * compared with the same revision even if REF moves meanwhile. */
static int resolve_commit(const char *ref, char commit[KY_GIT_ID_SIZE], ky_diags *diags)
{
    size_t len = strlen(ref) + 16;
    char *spec = malloc(len);
    if (!spec) {
        ky_error(diags, NULL, 0, "out of memory");
        return -1;
    }
    snprintf(spec, len, "%s^{commit}", ref);
    char *argv[] = {"git", "rev-parse", "--verify", "--end-of-options", spec, NULL};
    char *out = NULL, why[512];
    size_t size = 0;
    int status = run_git(argv, 4096, &out, &size, why, sizeof why);
    free(spec);
    if (status == 0 && object_id(out, commit) != 0) {
        snprintf(why, sizeof why, "git rev-parse printed no commit id");
        status = -1;
    }
    free(out);
    if (status != 0)
        ky_error(diags, NULL, 0, "--changes-since %s: cannot compare with it (git rev-parse: %s)",
                 ref, why);
    return status;
}

/* The draft's blob at the build's commit; a draft that is not there has
 * no change bars, and job->note says why. */
static void find_blob(const ky_build_ctx *ctx, ky_job *job)
{
    job->blob[0] = '\0';
    size_t len = strlen(ctx->commit) + strlen(job->draft) + 8;
    char *spec = malloc(len);
    if (!spec) return;
    /* The commit id is hex, so the argument can never read as an option. */
    snprintf(spec, len, "%s:./%s", ctx->commit, job->draft);
    char *argv[] = {"git", "rev-parse", spec, NULL};
    char *out = NULL, why[512];
    size_t size = 0;
    int status = run_git(argv, 4096, &out, &size, why, sizeof why);
    free(spec);
    if (status == 0 && object_id(out, job->blob) != 0) {
        snprintf(why, sizeof why, "git rev-parse printed no object id");
        status = -1;
    }
    free(out);
    if (status != 0) {
        size_t nlen = strlen(ctx->options->changes_since_ref) + strlen(why) + 64;
        job->note = malloc(nlen);
        if (job->note)
            snprintf(job->note, nlen, "not in %s (%s): no change bars",
                     ctx->options->changes_since_ref, why);
    }
}

/* ---- the state of an output ------------------------------------------------
 *
 * OUT/.kyodo/NAME.sha256 records the key of the inputs a PDF was rendered
 * from and the size and SHA-256 of the PDF written, so that a PDF damaged or
 * replaced since is rendered again. */

static int hash_output(const char *path, char hex[65], long long *size)
{
    char why[256];
    int fd = open_regular(path, why, sizeof why);
    if (fd < 0) return -1;
    struct sha256_ctx sha;
    sha256_init(&sha);
    unsigned char chunk[1 << 16];
    long long total = 0;
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) break;
        sha256_update(&sha, (size_t)got, chunk);
        total += got;
    }
    close(fd);
    if (got < 0) return -1;
    digest_hex(&sha, hex);
    *size = total;
    return 0;
}

static bool up_to_date(const ky_job *job)
{
    /* O_NOFOLLOW: a symbolic link planted at the state is no state. */
    int fd = open(job->state_path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    char text[512];
    ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, text, sizeof text - 1) : -1;
    close(fd);
    if (got <= 0) return false;
    text[got] = '\0';
    char key[65], pdf_hash[65], actual[65];
    long long pdf_size = -1, actual_size = -2;
    if (sscanf(text, "kyodo-state 1\nkey %64s\noutput %lld %64s\n", key, &pdf_size, pdf_hash) != 3)
        return false;
    if (strcmp(key, job->key) != 0) return false;
    return hash_output(job->output, actual, &actual_size) == 0 && actual_size == pdf_size &&
           strcmp(actual, pdf_hash) == 0;
}

/* Written by the job's child once its PDF is in place. The temporary file
 * is made by mkstemp (O_EXCL: a planted link is never followed) and renamed
 * over the state, which replaces whatever link stood there. */
static void store_state(const ky_job *job, ky_diags *diags)
{
    char pdf_hash[65];
    long long pdf_size = 0;
    if (hash_output(job->output, pdf_hash, &pdf_size) != 0) {
        ky_diag_add(diags, KY_WARNING, job->output, 0, 0,
                    "cannot read the PDF back: it will be rendered again");
        return;
    }
    size_t len = strlen(job->state_path) + 16;
    char *tmp = malloc(len);
    if (!tmp) return;
    snprintf(tmp, len, "%s.tmp-XXXXXX", job->state_path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ky_diag_add(diags, KY_WARNING, job->state_path, 0, 0,
                    "cannot record the state (%s): the PDF will be rendered again",
                    strerror(errno));
        free(tmp);
        return;
    }
    FILE *file = fdopen(fd, "w");
    bool written = file && fprintf(file, "kyodo-state 1\nkey %s\noutput %lld %s\n", job->key,
                                   pdf_size, pdf_hash) > 0;
    if (file ? fclose(file) != 0 : close(fd) != 0) written = false;
    if (!written || rename(tmp, job->state_path) != 0) {
        ky_diag_add(diags, KY_WARNING, job->state_path, 0, 0,
                    "cannot record the state (%s): the PDF will be rendered again",
                    strerror(errno));
        unlink(tmp);
    }
    free(tmp);
}

/* The hash of everything the job's PDF depends on: what all jobs share,
 * the draft's bytes as read, its templates, layout, copy and old revision. */
static void job_key(const ky_build_ctx *ctx, const ky_job *job, char key[65])
{
    const ky_build_options *options = ctx->options;
    struct sha256_ctx sha = ctx->common;
    hash_string(&sha, "draft");
    hash_bytes(&sha, job->text, job->size);
    /* The template as ky_render chooses it: --template, else the draft's. */
    char *name = options->render.template_name
                     ? strdup(options->render.template_name)
                     : root_attribute(job->text, job->size, job->draft, options->render.encoding,
                                      "template");
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags scratch; /* the render reports what is wrong with a template */
    ky_diags_init(&scratch);
    ky_template_hash hash = {&sha, &arena};
    hash_string(&sha, "templates");
    int chain = ky_template_chain(name ? name : KY_DEFAULT_TEMPLATE, &options->render.template_dirs,
                                  hash_template_file, &hash, &arena, &scratch, NULL, 0);
    hash_string(&sha, chain == 0 ? "complete" : "incomplete");
    ky_diags_free(&scratch);
    ky_arena_free(&arena);
    free(name);
    hash_string(&sha, ky_layout_name(job->layout));
    hash_optional(&sha, "copy", job->copy);
    /* Change bars follow the old revision's content: its blob id. */
    if (ctx->commit[0])
        hash_optional(&sha, "changes-since", job->blob[0] ? job->blob : NULL);
    else
        hash_string(&sha, "no changes-since");
    digest_hex(&sha, key);
}

/* Reads the draft, once: the key and the render both use these bytes. */
static int prepare(const ky_build_ctx *ctx, ky_job *job, ky_diags *diags)
{
    char why[256] = "";
    job->text = read_regular(job->draft, KY_XML_MAX_BYTES, &job->size, why, sizeof why);
    if (!job->text) {
        ky_error(diags, job->draft, 0, "%s", why);
        return -1;
    }
    if (ctx->commit[0]) find_blob(ctx, job);
    job_key(ctx, job, job->key);
    return 0;
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

/* A job's diagnostics, into its log: text lines, or with --format json one
 * JSON object a line, which the parent joins into one array. */
static void emit(const ky_build_options *options, ky_diags *diags, FILE *out)
{
    if (options->json)
        ky_diags_print_json_lines(diags, out);
    else
        ky_diags_print(diags, out);
}

/* One message of the parent's own about a job, into its log. */
static void emit_error(const ky_build_options *options, FILE *log, const char *file,
                       const char *format, ...) __attribute__((format(printf, 4, 5)));
static void emit_error(const ky_build_options *options, FILE *log, const char *file,
                       const char *format, ...)
{
    ky_diags diags;
    ky_diags_init(&diags);
    va_list ap;
    va_start(ap, format);
    ky_diag_vadd(&diags, KY_ERROR, file, 0, 0, format, ap);
    va_end(ap);
    emit(options, &diags, log);
    ky_diags_free(&diags);
}

/* With --format json, standard output holds one JSON array: "[" when the
 * build starts, each diagnostic as it comes, "]" at the end. */
typedef struct {
    bool json;
    size_t items;
} ky_json_out;

static void json_begin(ky_json_out *out)
{
    if (out->json) fputs("[", stdout);
}

/* An object, as a job's log line holds it (its newline is dropped). */
static void json_item(ky_json_out *out, const char *object)
{
    fputs(out->items++ ? ",\n  " : "\n  ", stdout);
    fwrite(object, 1, strcspn(object, "\n"), stdout);
}

static void json_end(ky_json_out *out)
{
    if (out->json) fputs(out->items ? "\n]\n" : "]\n", stdout);
    fflush(stdout);
}

/* The parent's own diagnostics: on standard error, or into the array. */
static void print_diags(ky_json_out *out, const ky_diags *diags)
{
    if (!out->json) {
        ky_diags_print(diags, stderr);
        return;
    }
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        fputs(out->items++ ? ",\n  " : "\n  ", stdout);
        ky_diag_print_json(diag, stdout);
    }
}

static int run_child(const ky_build_ctx *ctx, const ky_job *job)
{
    const ky_build_options *options = ctx->options;
    ky_render_options render = options->render;
    render.draft_path = job->draft;
    render.draft_text = job->text;
    render.draft_size = job->size;
    render.output_path = job->output;
    render.layout = job->layout;
    render.copy = job->copy;
    ky_diags diags;
    ky_diags_init(&diags);
    char *old = NULL, *old_name = NULL;
    int status = 0;
    if (job->note) ky_diag_add(&diags, KY_WARNING, job->draft, 0, 0, "%s", job->note);
    if (job->blob[0]) {
        char *argv[] = {"git", "cat-file", "blob", (char *)job->blob, NULL};
        char why[512];
        size_t size = 0;
        status = run_git(argv, KY_XML_MAX_BYTES, &old, &size, why, sizeof why);
        if (status != 0) {
            ky_error(&diags, job->draft, 0, "cannot read it as of %s (git cat-file: %s)",
                     options->changes_since_ref, why);
        } else {
            /* Messages about the old revision name it REF:DRAFT, as git does. */
            size_t len = strlen(options->changes_since_ref) + strlen(job->draft) + 2;
            old_name = malloc(len);
            if (old_name) snprintf(old_name, len, "%s:%s", options->changes_since_ref, job->draft);
            render.changes_since = old_name ? old_name : job->draft;
            render.changes_since_text = old;
            render.changes_since_size = size;
        }
    }
    if (status == 0) status = ky_render(&render, &diags);
    /* A template that changed while the render read it may have been read
     * either way: then no state, and the next build renders it again. */
    char key[65];
    if (status == 0) job_key(ctx, job, key);
    if (status == 0 && strcmp(key, job->key) == 0)
        store_state(job, &diags);
    else if (status == 0)
        ky_diag_add(&diags, KY_WARNING, job->draft, 0, 0,
                    "a template changed during the render: it will be rendered again");
    free(old);
    free(old_name);
    FILE *log = job->log ? job->log : stderr;
    emit(options, &diags, log);
    fflush(log);
    ky_diags_free(&diags);
    return status == 0 ? 0 : 1;
}

static void start(const ky_build_ctx *ctx, ky_job *job)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        _exit(run_child(ctx, job));
    }
    if (pid < 0) {
        job->state = JOB_FAILED;
        if (job->log)
            emit_error(ctx->options, job->log, NULL, "cannot start a job: %s", strerror(errno));
        return;
    }
    job->pid = pid;
    job->state = JOB_RUNNING;
}

static void finish(const ky_build_options *options, ky_job *job, int status)
{
    job->state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? JOB_RENDERED : JOB_FAILED;
    /* A child that died says nothing itself. */
    if (WIFSIGNALED(status) && job->log)
        emit_error(options, job->log, job->draft, "the render was killed by signal %d",
                   WTERMSIG(status));
}

/* The messages already printed: a draft that fails in every layout and copy
 * says why once, not once per PDF. */
typedef struct {
    struct hsearch_data table;
    bool usable;
    char **keys;
    size_t count, capacity;
} ky_seen;

static void seen_init(ky_seen *seen, size_t jobs)
{
    memset(seen, 0, sizeof *seen);
    seen->capacity = 4 * jobs + 64;
    seen->usable = hcreate_r(seen->capacity, &seen->table) != 0;
    seen->keys = ky_xcalloc(seen->capacity, sizeof *seen->keys);
}

static void seen_free(ky_seen *seen)
{
    if (seen->usable) hdestroy_r(&seen->table);
    for (size_t i = 0; i < seen->count; i++)
        free(seen->keys[i]);
    free(seen->keys);
}

/* Whether line was printed before (and remembers it now). A full table
 * remembers no more: lines then print again, never vanish. */
static bool seen_before(ky_seen *seen, const char *line)
{
    if (!seen->usable || seen->count + 1 >= seen->capacity) return false;
    ENTRY query = {.key = (char *)line}, *found = NULL;
    if (hsearch_r(query, FIND, &found, &seen->table) && found) return true;
    char *key = ky_xstrdup(line);
    query.key = key;
    if (!hsearch_r(query, ENTER, &found, &seen->table)) {
        free(key);
        return false;
    }
    seen->keys[seen->count++] = key;
    return false;
}

static void report(const ky_build_options *options, const ky_job *job, size_t done, size_t total,
                   bool tty, ky_seen *seen, ky_json_out *json)
{
    if (job->log) {
        rewind(job->log);
        char *line = NULL;
        size_t size = 0;
        bool any = false;
        while (getline(&line, &size, job->log) > 0) {
            if (seen_before(seen, line)) continue;
            if (json->json) {
                json_item(json, line);
                continue;
            }
            if (!any && tty) fputs("\r\033[K", stderr);
            any = true;
            fputs(line, stderr);
        }
        free(line);
    }
    if (options->quiet) return;
    const char *what = job->state == JOB_RENDERED     ? _("rendered")
                       : job->state == JOB_UP_TO_DATE ? _("up to date")
                                                      : _("FAILED");
    if (tty)
        fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, total, job->draft);
    else
        fprintf(stderr, "[%zu/%zu] %s -> %s: %s\n", done, total, job->draft, job->output, what);
}

/* A job is reported once, when it is done; its log is closed then, so that
 * a build of thousands of jobs does not hold thousands of files open. */
static void conclude(const ky_build_options *options, ky_job *job, size_t done, size_t total,
                     bool tty, ky_seen *seen, ky_json_out *json)
{
    report(options, job, done, total, tty, seen, json);
    if (job->log) fclose(job->log);
    job->log = NULL;
}

/* Temporary files of interrupted renders: pdf.c writes OUT.pdf.tmp-XXXXXX,
 * store_state STATE.tmp-XXXXXX. Returns the number of partial PDFs. */
static size_t remove_temporaries(const ky_jobs *jobs)
{
    size_t removed = 0;
    for (size_t i = 0; i < jobs->count; i++)
        for (int kind = 0; kind < 2; kind++) {
            const char *file = kind == 0 ? jobs->items[i].output : jobs->items[i].state_path;
            const char *slash = strrchr(file, '/');
            size_t dirlen = slash ? (size_t)(slash - file) : 0;
            char dirname[4096];
            snprintf(dirname, sizeof dirname, "%.*s", (int)dirlen, dirlen ? file : ".");
            const char *base = slash ? slash + 1 : file;
            DIR *dir = opendir(dirname);
            if (!dir) continue;
            size_t blen = strlen(base);
            for (struct dirent *entry; (entry = readdir(dir));)
                if (!strncmp(entry->d_name, base, blen) &&
                    !strncmp(entry->d_name + blen, ".tmp-", 5)) {
                    char path[8192];
                    snprintf(path, sizeof path, "%s/%s", dirname, entry->d_name);
                    if (unlink(path) == 0 && kind == 0) removed++;
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

/* ---- the jobs ---------------------------------------------------------------- */

/* The state's file name: the output's name inside OUT, with '/' and '%'
 * escaped so that different outputs never share a state. */
static char *state_path(const char *statedir, const ky_build_options *options, const char *output)
{
    const char *name = output + strlen(options->outdir) + 1;
    size_t len = strlen(statedir) + 3 * strlen(name) + 16;
    char *path = malloc(len);
    if (!path) return NULL;
    size_t at = (size_t)snprintf(path, len, "%s/", statedir);
    for (const char *c = name; *c; c++)
        at += (size_t)(*c == '/'   ? snprintf(path + at, len - at, "%%2F")
                       : *c == '%' ? snprintf(path + at, len - at, "%%25")
                                   : snprintf(path + at, len - at, "%c", *c));
    snprintf(path + at, len - at, ".sha256");
    return path;
}

static int compare_outputs(const void *a, const void *b)
{
    const ky_job *x = *(ky_job *const *)a, *y = *(ky_job *const *)b;
    int order = strcmp(x->output, y->output);
    return order ? order : (x < y ? -1 : x > y);
}

static void describe(char *out, size_t size, const ky_job *job)
{
    if (job->copy)
        snprintf(out, size, "%s (%s, copy %s)", job->draft, ky_layout_name(job->layout), job->copy);
    else
        snprintf(out, size, "%s (%s)", job->draft, ky_layout_name(job->layout));
}

/* Jobs that would write one file: the same draft, layout and copy asked for
 * twice is done once; anything else is an error, found before anything is
 * rendered. Returns the number of collisions. */
static int check_collisions(ky_jobs *jobs, ky_diags *diags)
{
    ky_job **sorted = malloc((jobs->count ? jobs->count : 1) * sizeof *sorted);
    if (!sorted) {
        ky_error(diags, NULL, 0, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < jobs->count; i++)
        sorted[i] = &jobs->items[i];
    qsort(sorted, jobs->count, sizeof *sorted, compare_outputs);
    int collisions = 0;
    for (size_t i = 0; i + 1 < jobs->count;) {
        size_t end = i + 1;
        while (end < jobs->count && strcmp(sorted[i]->output, sorted[end]->output) == 0)
            end++;
        const ky_job *first = sorted[i];
        bool reported = false;
        for (size_t k = i + 1; k < end; k++) {
            ky_job *job = sorted[k];
            bool same_copy = (!job->copy && !first->copy) ||
                             (job->copy && first->copy && !strcmp(job->copy, first->copy));
            if (!strcmp(job->draft, first->draft) && job->layout == first->layout && same_copy) {
                job->duplicate = true;
                continue;
            }
            if (reported) continue;
            reported = true;
            collisions++;
            char a[4200], b[4200];
            describe(a, sizeof a, first);
            describe(b, sizeof b, job);
            const char *hint = job->layout != first->layout ? "use --name with {layout}"
                               : !same_copy                 ? "use --name with {copy}"
                                            : "rename one of the drafts or change --name";
            ky_error(diags, NULL, 0, "%s and %s would both write %s; %s", a, b, first->output,
                     hint);
        }
        i = end;
    }
    free(sorted);
    size_t kept = 0;
    for (size_t i = 0; i < jobs->count; i++) {
        if (!jobs->items[i].duplicate) {
            jobs->items[kept++] = jobs->items[i];
            continue;
        }
        free(jobs->items[i].output);
        free(jobs->items[i].state_path);
    }
    jobs->count = kept;
    return collisions;
}

/* OUT/.kyodo, a directory of its own (never a link to one), and the lock
 * that keeps a second build into OUT waiting until this one is done: two
 * builds must not interleave their PDFs and states. Returns the lock's
 * descriptor (closed at exit), or -1. */
static int lock_outdir(const char *outdir, const char *statedir, ky_diags *diags)
{
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        ky_error(diags, outdir, 0, "cannot make the output directory: %s", strerror(errno));
        return -1;
    }
    if (mkdir(statedir, 0777) != 0 && errno != EEXIST) {
        ky_error(diags, statedir, 0, "cannot make the state directory: %s", strerror(errno));
        return -1;
    }
    int dir = open(statedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) {
        int error = errno;
        struct stat st;
        bool link = lstat(statedir, &st) == 0 && S_ISLNK(st.st_mode);
        ky_error(diags, statedir, 0, "not usable as the state directory: %s",
                 link ? "it is a symbolic link" : strerror(error));
        return -1;
    }
    int fd = openat(dir, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    int error = errno;
    close(dir);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
        error = EINVAL;
    }
    if (fd < 0) {
        size_t len = strlen(statedir) + 8;
        char *path = malloc(len);
        if (path) snprintf(path, len, "%s/lock", statedir);
        ky_error(diags, path ? path : statedir, 0, "cannot open the lock file: %s",
                 error == ELOOP    ? "it is a symbolic link"
                 : error == EINVAL ? "it is not a regular file"
                                   : strerror(error));
        free(path);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            fprintf(stderr, _("kyodo: waiting for another kyodo build in %s\n"), outdir);
            int locked;
            while ((locked = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
                ;
            if (locked == 0) return fd;
        }
        ky_error(diags, statedir, 0, "cannot lock it: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int ky_build(const ky_build_options *options)
{
    double started = now();
    ky_diags diags;
    ky_diags_init(&diags);
    ky_json_out json = {.json = options->json};
    json_begin(&json);
    char **drafts;
    size_t draft_count;
    if (ky_find_drafts(options->inputs, options->input_count, options->outdir, &drafts,
                       &draft_count, &diags) != 0) {
        print_diags(&json, &diags);
        json_end(&json);
        ky_diags_free(&diags);
        return KY_EXIT_USAGE;
    }
    char statedir[4096];
    snprintf(statedir, sizeof statedir, "%s/.kyodo", options->outdir);
    ky_jobs jobs = {0};
    size_t copies = options->copy_count ? options->copy_count : 1;
    jobs.capacity = draft_count * options->layout_count * copies;
    jobs.items = calloc(jobs.capacity ? jobs.capacity : 1, sizeof *jobs.items);
    if (!jobs.items) ky_error(&diags, NULL, 0, "out of memory");
    for (size_t d = 0; jobs.items && d < draft_count; d++)
        for (size_t l = 0; l < options->layout_count; l++)
            for (size_t c = 0; c < copies; c++) {
                ky_job *job = &jobs.items[jobs.count++];
                job->draft = drafts[d];
                job->layout = options->layouts[l];
                job->copy = options->copy_count ? options->copies[c] : NULL;
                job->output = output_name(options, job->draft, job->layout, job->copy);
                job->state_path = job->output ? state_path(statedir, options, job->output) : NULL;
                if (!job->state_path && !diags.errors) ky_error(&diags, NULL, 0, "out of memory");
            }
    ky_build_ctx ctx = {.options = options};
    int lock = -1;
    int exit_code = KY_EXIT_OK;
    /* Drafts that collide and a revision that cannot be compared fail the
     * build; an output directory that cannot be locked is a setup error. */
    bool refused = diags.errors || check_collisions(&jobs, &diags) != 0;
    if (!refused && (lock = lock_outdir(options->outdir, statedir, &diags)) < 0)
        exit_code = KY_EXIT_USAGE;
    else if (!refused && options->changes_since_ref)
        refused = resolve_commit(options->changes_since_ref, ctx.commit, &diags) != 0;
    if (refused) exit_code = KY_EXIT_FAILED;
    print_diags(&json, &diags);
    ky_diags_free(&diags);
    if (exit_code != KY_EXIT_OK) {
        json_end(&json);
        if (lock >= 0) close(lock);
        for (size_t i = 0; i < jobs.count; i++) {
            free(jobs.items[i].output);
            free(jobs.items[i].state_path);
        }
        free(jobs.items);
        for (size_t d = 0; d < draft_count; d++)
            free(drafts[d]);
        free(drafts);
        return exit_code;
    }
    hash_common(&ctx.common, options);

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
    ctx.options = options;

    struct sigaction action = {0}, old_int, old_term;
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    bool tty = isatty(STDERR_FILENO) && !getenv("CI");
    ky_seen seen;
    seen_init(&seen, jobs.count);
    int jobs_max = options->jobs > 0 ? options->jobs : 1;
    size_t next = 0, done = 0, running = 0;
    while ((next < jobs.count || running > 0) && !interrupted) {
        while (next < jobs.count && running < (size_t)jobs_max && !interrupted) {
            ky_job *job = &jobs.items[next++];
            job->log = tmpfile();
            ky_diags problems;
            ky_diags_init(&problems);
            if (prepare(&ctx, job, &problems) != 0) {
                job->state = JOB_FAILED;
                emit(options, &problems, job->log ? job->log : stderr);
            } else if (!options->force && up_to_date(job)) {
                job->state = JOB_UP_TO_DATE;
            } else {
                start(&ctx, job);
            }
            ky_diags_free(&problems);
            /* The child has its copy. */
            free(job->text);
            job->text = NULL;
            if (job->state == JOB_RUNNING)
                running++;
            else
                conclude(options, job, ++done, jobs.count, tty, &seen, &json);
        }
        if (running == 0) continue;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) continue; /* EINTR: a signal; the loop condition sees it */
        for (size_t i = 0; i < jobs.count; i++)
            if (jobs.items[i].state == JOB_RUNNING && jobs.items[i].pid == pid) {
                finish(options, &jobs.items[i], status);
                running--;
                conclude(options, &jobs.items[i], ++done, jobs.count, tty, &seen, &json);
            }
    }
    if (interrupted) {
        for (size_t i = 0; i < jobs.count; i++)
            if (jobs.items[i].state == JOB_RUNNING) kill(jobs.items[i].pid, SIGTERM);
        while (waitpid(-1, NULL, 0) > 0)
            ;
        size_t removed = remove_temporaries(&jobs);
        fprintf(stderr,
                P_("%skyodo: interrupted by signal %d; %zu partial PDF removed, "
                   "finished PDFs kept\n",
                   "%skyodo: interrupted by signal %d; %zu partial PDFs removed, "
                   "finished PDFs kept\n",
                   removed),
                tty ? "\r\033[K" : "", (int)interrupted, removed);
        exit_code = KY_EXIT_INTERRUPTED;
    }
    close(lock);
    seen_free(&seen);
    size_t rendered = 0, current = 0, failed = 0;
    for (size_t i = 0; i < jobs.count; i++) {
        ky_job *job = &jobs.items[i];
        rendered += job->state == JOB_RENDERED;
        current += job->state == JOB_UP_TO_DATE;
        failed += job->state == JOB_FAILED;
        if (job->log) fclose(job->log);
        job->log = NULL;
        free(job->output);
        free(job->state_path);
        free(job->note);
    }
    if (exit_code == KY_EXIT_OK && failed) exit_code = KY_EXIT_FAILED;
    json_end(&json);
    if (!options->quiet || failed)
        fprintf(stderr, _("%skyodo build: %zu rendered, %zu up to date, %zu failed in %.2f s\n"),
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
