#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "build.h"
#include "file.h"
#include "font.h"
#include "hyphenate.h"
#include "i18n.h"
#include "xml.h"

enum { KY_WATCH_MAX = 64 };

/* A file the PDF is made of: the directory watched for it (editors save by
 * writing a new file and renaming it over the old one, so the file's own
 * inode would stop being the file) and its name there. */
typedef struct {
    int wd;
    char name[NAME_MAX + 1];
} ky_watched;

typedef struct {
    int fd; /* inotify */
    ky_watched files[KY_WATCH_MAX];
    size_t count;
    size_t dropped; /* files past KY_WATCH_MAX, not watched */
} ky_watcher;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Watches path (through a symbolic link, the file it names; a file that is
 * missing, its directory, so that its creation is seen). */
static void watch_file(ky_watcher *watcher, const char *path, ky_diags *diags)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) snprintf(real, sizeof real, "%s", path);
    char *slash = strrchr(real, '/');
    const char *name = slash ? slash + 1 : real;
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == real ? 1 : (int)(slash - real), real);
    size_t name_len = strlen(name);
    if (watcher->count == KY_WATCH_MAX || name_len > NAME_MAX) {
        watcher->dropped++;
        return;
    }
    /* The same directory again gives the same watch. */
    int wd = inotify_add_watch(watcher->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
    if (wd < 0) {
        ky_diag_add(diags, KY_WARNING, path, 0, 0, "cannot watch it: %s", strerror(errno));
        return;
    }
    ky_watched *file = &watcher->files[watcher->count++];
    file->wd = wd;
    memcpy(file->name, name, name_len + 1);
}

typedef struct {
    ky_watcher *watcher;
    ky_arena *arena;
    ky_diags *diags;
    ky_diags *scratch; /* what the render says better, and has said */
} ky_chain_walk;

/* One template of the draft's chain: watched, and its parent named. */
static int visit_template(void *data, const char *path, const char **extends, int *extends_line)
{
    ky_chain_walk *walk = data;
    watch_file(walk->watcher, path, walk->diags);
    size_t size = 0;
    char *text = ky_read_file(path, KY_XML_MAX_BYTES, NULL, &size);
    if (!text) return -1;
    char *parent = ky_xml_root_attribute(path, text, size, NULL, "extends", walk->scratch);
    free(text);
    if (parent) *extends = ky_arena_strdup(walk->arena, parent);
    *extends_line = 0;
    free(parent);
    return 0;
}

/* What the PDF is made of, as the render that just ran found it: the
 * draft, the template it names (or --template) and what that extends, the
 * old revision of --changes-since, the font set and its fonts. Found anew
 * after every render: a save may name another template. */
static void watch_inputs(ky_watcher *watcher, const ky_render_options *options, ky_diags *diags)
{
    watcher->count = 0;
    watcher->dropped = 0;
    /* What is wrong with these files the render has said already. */
    ky_diags scratch;
    ky_diags_init(&scratch);
    watch_file(watcher, options->draft_path, diags);
    if (options->changes_since) watch_file(watcher, options->changes_since, diags);
    char *name = NULL;
    if (!options->template_name) {
        size_t size = 0;
        char *text = ky_read_file(options->draft_path, KY_XML_MAX_BYTES, NULL, &size);
        if (text)
            name = ky_xml_root_attribute(options->draft_path, text, size, options->encoding,
                                         "template", &scratch);
        free(text);
    }
    ky_arena arena;
    ky_arena_init(&arena);
    ky_chain_walk walk = {watcher, &arena, diags, &scratch};
    const char *template_name = options->template_name ? options->template_name
                                : name                 ? name
                                                       : KY_DEFAULT_TEMPLATE;
    ky_template_chain(template_name, &options->template_dirs, visit_template, &walk, &arena,
                      &scratch, NULL, 0);
    ky_arena_free(&arena);
    free(name);
    watch_file(watcher, options->fontset_path, diags);
    ky_fontset fonts;
    if (ky_fontset_load(&fonts, options->fontset_path, &scratch) == 0)
        for (int i = 0; i < fonts.face_count; i++)
            watch_file(watcher, fonts.faces[i].path, diags);
    ky_fontset_free(&fonts);
    ky_diags_free(&scratch);
}

/* One render, said in one line: written, or the last good PDF kept. */
static void render_once(const ky_render_options *options, bool json)
{
    double started = now_ms();
    ky_diags diags;
    ky_diags_init(&diags);
    int status = ky_render(options, &diags);
    double took = now_ms() - started;
    if (json)
        ky_diags_print_json(&diags, stdout);
    else
        ky_diags_print(&diags, stderr);
    fflush(stdout);
    struct stat st;
    if (status == 0)
        fprintf(stderr, _("kyodo watch: %s written in %.0f ms\n"), options->output_path, took);
    else if (stat(options->output_path, &st) == 0)
        fprintf(stderr, _("kyodo watch: %s has errors; %s kept as it was\n"), options->draft_path,
                options->output_path);
    else
        fprintf(stderr, _("kyodo watch: %s has errors; no PDF yet\n"), options->draft_path);
    ky_diags_free(&diags);
}

/* Whether the events in buf touch a watched file (an overflowed queue may
 * have lost one: it counts as a change). */
static bool relevant(const ky_watcher *watcher, const char *buf, ssize_t len)
{
    bool hit = false;
    for (ssize_t at = 0; at < len;) {
        const struct inotify_event *event = (const struct inotify_event *)(buf + at);
        if (event->mask & IN_Q_OVERFLOW) hit = true;
        for (size_t i = 0; !hit && event->len && i < watcher->count; i++)
            hit = watcher->files[i].wd == event->wd && !strcmp(watcher->files[i].name, event->name);
        at += (ssize_t)(sizeof *event + event->len);
    }
    return hit;
}

int ky_watch(const ky_render_options *options_in, bool json)
{
    ky_render_options options = *options_in;
    /* The patterns are read once, not for every save. */
    ky_hyphenator hyphenator;
    ky_hyphenator_init(&hyphenator, ky_hyphen_default_path());
    if (hyphenator.dict) options.hyphenator = &hyphenator;

    /* SIGINT and SIGTERM arrive as reads, between renders: a render is
     * never cut short, and the loop ends with everything released. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, &old);
    int sfd = signalfd(-1, &stop, SFD_CLOEXEC);
    ky_watcher watcher = {.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)};
    int status = KY_EXIT_OK;
    if (sfd < 0 || watcher.fd < 0) {
        fprintf(stderr, _("kyodo: error: cannot watch files: %s\n"), strerror(errno));
        status = KY_EXIT_USAGE;
        goto done;
    }
    size_t said = (size_t)-1;
    for (bool again = true;;) {
        if (again) {
            render_once(&options, json);
            ky_diags diags;
            ky_diags_init(&diags);
            watch_inputs(&watcher, &options, &diags);
            ky_diags_print(&diags, stderr);
            ky_diags_free(&diags);
            if (watcher.count != said)
                fprintf(stderr,
                        _("kyodo watch: watching %zu files (the draft, its templates, the "
                          "font set and its fonts)%s; Ctrl-C stops\n"),
                        watcher.count, watcher.dropped ? _(", not all") : "");
            said = watcher.count;
            again = false;
        }
        struct pollfd fds[2] = {{.fd = watcher.fd, .events = POLLIN},
                                {.fd = sfd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, _("kyodo: error: cannot watch files: %s\n"), strerror(errno));
            status = KY_EXIT_USAGE;
            break;
        }
        if (fds[1].revents & POLLIN) {
            /* Taken, so that it is not delivered when the mask is restored. */
            struct signalfd_siginfo info;
            if (read(sfd, &info, sizeof info) != (ssize_t)sizeof info) status = KY_EXIT_USAGE;
            break;
        }
        /* A save is often several events (write, rename, attributes):
         * those that follow within a few milliseconds make one render. */
        char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
        for (int quiet = 0; quiet < 2;) {
            ssize_t len = read(watcher.fd, buf, sizeof buf);
            if (len > 0) {
                again = again || relevant(&watcher, buf, len);
                quiet = 0;
                continue;
            }
            if (!again) break;
            struct pollfd settle = {.fd = watcher.fd, .events = POLLIN};
            if (poll(&settle, 1, 3) <= 0) quiet++;
        }
    }
done:
    if (sfd >= 0) close(sfd);
    if (watcher.fd >= 0) close(watcher.fd);
    sigprocmask(SIG_SETMASK, &old, NULL);
    ky_hyphenator_free(&hyphenator);
    return status;
}
