#include "file.h"

#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* ---- reading ---------------------------------------------------------------- */

/* The readers take NULL diags from callers that only need to know whether
 * a file can be read (a content hash of what may be missing). */
#define report(diags, ...)                                                                         \
    do {                                                                                           \
        if (diags) ky_error(diags, __VA_ARGS__);                                                   \
    } while (0)

/* "16 MB" for a whole number of megabytes, else the bytes. */
static void describe_cap(size_t cap, char *text, size_t size)
{
    if (cap % (1024 * 1024) == 0)
        snprintf(text, size, "%zu MB", cap / (1024 * 1024));
    else
        snprintf(text, size, "%zu bytes", cap);
}

static void not_regular(const char *path, const char *what, ky_diags *diags)
{
    if (what)
        report(diags, path, 0, "%s is not a regular file", what);
    else
        report(diags, path, 0, "not a regular file");
}

int ky_file_open(const char *path, const char *what, size_t cap, ky_diags *diags, size_t *size)
{
    /* stat first, so that a device is never opened at all (opening some
     * devices does something: a tape rewinds, a watchdog starts). */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        not_regular(path, what, diags);
        return -1;
    }
    /* O_NONBLOCK: should path become a FIFO after that stat, opening it
     * returns at once instead of waiting for a writer that never comes. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (what)
            report(diags, path, 0, "cannot open %s: %s", what, strerror(errno));
        else
            report(diags, path, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    /* What was opened decides, not what the name was a moment before. */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        not_regular(path, what, diags);
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > cap) {
        char limit[32];
        describe_cap(cap, limit, sizeof limit);
        if (what)
            report(diags, path, 0, "%s is larger than %s", what, limit);
        else
            report(diags, path, 0, "file is larger than %s", limit);
        close(fd);
        return -1;
    }
    /* A regular file never blocks, but the flag would make a read on some
     * file systems (FUSE, NFS) fail with EAGAIN instead of waiting. */
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    *size = (size_t)st.st_size;
    return fd;
}

char *ky_read_file_as(const char *path, const char *what, size_t cap, ky_diags *diags, size_t *size)
{
    size_t expected = 0;
    int fd = ky_file_open(path, what, cap, diags, &expected);
    if (fd < 0) return NULL;
    char *buffer = malloc(expected + 1);
    if (!buffer) {
        report(diags, path, 0, "out of memory");
        close(fd);
        return NULL;
    }
    /* Up to the size fstat gave, which the cap checked: a file that grows
     * meanwhile is read as it was, one that shrinks as it is. */
    size_t got = 0;
    while (got < expected) {
        ssize_t n = read(fd, buffer + got, expected - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            report(diags, path, 0, "read error: %s", strerror(errno));
            free(buffer);
            close(fd);
            return NULL;
        }
        if (n == 0) break;
        got += (size_t)n;
    }
    close(fd);
    buffer[got] = '\0';
    *size = got;
    return buffer;
}

const void *ky_map_file(const char *path, const char *what, size_t cap, ky_diags *diags,
                        size_t *size)
{
    int fd = ky_file_open(path, what, cap, diags, size);
    if (fd < 0) return NULL;
    /* mmap cannot map nothing; an empty file is a valid empty input. */
    static const char empty[1];
    void *data = *size ? mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)empty;
    int err = errno;
    close(fd);
    if (data == MAP_FAILED) {
        report(diags, path, 0, "read error: %s", strerror(err));
        return NULL;
    }
    return data;
}

void ky_unmap_file(const void *data, size_t size)
{
    if (data && size) munmap((void *)data, size);
}

char *ky_read_file(const char *path, size_t cap, ky_diags *diags, size_t *size)
{
    return ky_read_file_as(path, NULL, cap, diags, size);
}

/* ---- writing ---------------------------------------------------------------- */

/* The umask, without changing it: umask(2) can only read it by setting it,
 * and a moment with another mask would apply to any file created meanwhile
 * (by another thread, or a library). Linux shows it in /proc/self/status. */
static mode_t current_umask(void)
{
    FILE *status = fopen("/proc/self/status", "re");
    unsigned mask = 0;
    bool found = false;
    if (status) {
        char line[256];
        while (!found && fgets(line, sizeof line, status))
            found = sscanf(line, "Umask: %o", &mask) == 1;
        fclose(status);
    }
    if (found) return (mode_t)mask;
    /* No /proc (a chroot): kyodo is single-threaded, so setting and
     * restoring it creates nothing with the wrong mask. */
    mode_t old = umask(077);
    umask(old);
    return old;
}

/* The output is one of the files the PDF is made from: replacing it would
 * destroy the input (a draft overwritten by its own PDF). Compared by device
 * and inode, so that ./x.xml, a hard link and a symbolic link are caught. */
static bool is_input(const char *path, const struct stat *st, const ky_input *inputs, size_t count,
                     ky_diags *diags)
{
    for (size_t i = 0; i < count; i++) {
        struct stat in;
        if (!inputs[i].path || stat(inputs[i].path, &in) != 0) continue;
        if (in.st_dev == st->st_dev && in.st_ino == st->st_ino) {
            ky_error(diags, path, 0,
                     "the output is the %s itself (%s): kyodo does not replace its input",
                     inputs[i].what, inputs[i].path);
            return true;
        }
    }
    return false;
}

static void release(ky_output *out)
{
    if (out->fd >= 0 && !out->borrowed) close(out->fd);
    out->fd = -1;
    free(out->tmp);
    free(out->target);
    out->tmp = out->target = NULL;
}

/* Creates the temporary file beside target that will replace it: in the
 * same directory, so that rename(2) is atomic, and named after the target
 * (TARGET.tmp-XXXXXX) so that `kyodo build` finds and removes it when
 * interrupted. A name too long for that is shortened to fit NAME_MAX. */
static int open_temp(ky_output *out, const struct stat *existing, ky_diags *diags)
{
    const char *slash = strrchr(out->target, '/');
    size_t dir_len = slash ? (size_t)(slash - out->target) + 1 : 0;
    const char *base = out->target + dir_len;
    size_t base_len = strlen(base);
    const size_t suffix = sizeof ".tmp-XXXXXX" - 1;
    if (base_len + suffix > NAME_MAX) base_len = NAME_MAX - suffix;
    out->tmp = malloc(dir_len + base_len + suffix + 1);
    if (!out->tmp) {
        ky_error(diags, out->path, 0, "out of memory");
        return -1;
    }
    snprintf(out->tmp, dir_len + base_len + suffix + 1, "%.*s%.*s.tmp-XXXXXX", (int)dir_len,
             out->target, (int)base_len, base);
    out->fd = mkostemp(out->tmp, O_CLOEXEC);
    if (out->fd < 0) {
        ky_error(diags, out->path, 0, "cannot create a file beside it: %s", strerror(errno));
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    if (existing) {
        /* Replacing a file keeps what writing into it would keep: its mode
         * (not set-id bits, which a PDF has no use for) and its owner. */
        out->mode = (int)(existing->st_mode & 0777);
        out->chown = existing->st_uid != geteuid() || existing->st_gid != getegid();
        out->uid = existing->st_uid;
        out->gid = existing->st_gid;
    } else {
        /* mkstemp makes the file private (0600); a new PDF gets what
         * open(path, …, 0666) would give it: the user's umask decides. */
        out->mode = (int)(0666 & ~current_umask());
    }
    return 0;
}

/* Where a symbolic link finally points, for renaming over the target and
 * not over the link. */
static char *link_target(const char *path, const struct stat *st, ky_diags *diags)
{
    char *target = realpath(path, NULL);
    struct stat again;
    if (!target) {
        ky_error(diags, path, 0, "cannot follow the symbolic link: %s", strerror(errno));
        return NULL;
    }
    /* The link may have changed since it was opened: replace only the file
     * that was checked. */
    if (stat(target, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
        ky_error(diags, path, 0, "the symbolic link changed while kyodo followed it");
        free(target);
        return NULL;
    }
    return target;
}

/* Whether following path's symbolic links passes through one on /proc.
 * Those are not names of files but of descriptors some process holds open
 * (/dev/stdout is a link to /proc/self/fd/1): `-o /dev/stdout >> log` means
 * "append to the log", not "replace the file the log happens to be". */
static bool through_proc(const char *path)
{
    char *at = strdup(path);
    bool proc = false;
    /* 40: the kernel's own limit on links followed (ELOOP). */
    for (int hops = 0; at && !proc && hops < 40; hops++) {
        struct stat st;
        if (lstat(at, &st) != 0 || !S_ISLNK(st.st_mode)) break;
        char *slash = strrchr(at, '/');
        char *dir = slash ? strndup(at, slash == at ? 1 : (size_t)(slash - at)) : strdup(".");
        struct statfs fs;
        proc = dir && statfs(dir, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
        char target[PATH_MAX];
        ssize_t len = readlink(at, target, sizeof target - 1);
        char *next = NULL;
        if (!proc && dir && len > 0) {
            target[len] = '\0';
            if (target[0] == '/')
                next = strdup(target);
            else if (asprintf(&next, "%s/%s", dir, target) < 0)
                next = NULL;
        }
        free(dir);
        free(at);
        at = next;
    }
    free(at);
    return proc;
}

/* Opens a FIFO, a character device, a socket or a descriptor named through
 * /proc for writing in place. The process's own standard output or error is
 * written through its descriptor, which keeps how the caller opened it
 * (appending, a socket that open(2) cannot reopen). */
static int open_stream(ky_output *out, const struct stat *st, ky_diags *diags)
{
    for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
        struct stat std;
        if (fstat(fd, &std) == 0 && std.st_dev == st->st_dev && std.st_ino == st->st_ino) {
            out->fd = fd;
            out->stream = out->borrowed = true;
            return 0;
        }
    }
    /* Renaming over these would replace the node itself (`-o /dev/null` as
     * root would put a PDF where the system's /dev/null was): they get the
     * bytes, written in place. A FIFO waits here for its reader, as any
     * writer to it does. O_TRUNC matters only for a regular file named
     * through /proc, which is then written as `> file` would. */
    out->fd =
        open(out->path, O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISREG(st->st_mode) ? O_TRUNC : 0));
    if (out->fd < 0) {
        ky_error(diags, out->path, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    out->stream = true;
    return 0;
}

int ky_output_open(ky_output *out, const char *path, const ky_input *inputs, size_t input_count,
                   ky_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    out->path = path;
    struct stat st;
    if (strcmp(path, "-") == 0) {
        /* Standard output, whatever it is: `-o - >> draft.xml` must not
         * append the PDF to the draft it is made from. */
        if (fstat(STDOUT_FILENO, &st) != 0) {
            ky_error(diags, path, 0, "standard output: %s", strerror(errno));
            return -1;
        }
        if (is_input("<standard output>", &st, inputs, input_count, diags)) return -1;
        out->fd = STDOUT_FILENO;
        out->stream = out->borrowed = true;
        return 0;
    }
    /* O_PATH follows symbolic links as an open would (with the kernel's
     * protected_symlinks rules in sticky directories) but opens nothing: a
     * FIFO does not block, a device is not touched. */
    int probe = open(path, O_PATH | O_CLOEXEC);
    if (probe < 0) {
        int err = errno;
        struct stat link;
        if (err == ENOENT && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
            /* cp(1) refuses this too: a name planted as a link to nowhere
             * would make kyodo create a file the user never named. */
            ky_error(diags, path, 0,
                     "a symbolic link to a missing file: kyodo does not create "
                     "files through it");
            return -1;
        }
        if (err != ENOENT) {
            ky_error(diags, path, 0, "cannot write: %s", strerror(err));
            return -1;
        }
        out->target = strdup(path);
        if (!out->target) {
            ky_error(diags, path, 0, "out of memory");
            return -1;
        }
        if (open_temp(out, NULL, diags) != 0) {
            release(out);
            return -1;
        }
        return 0;
    }
    int ok = fstat(probe, &st);
    close(probe);
    if (ok != 0) {
        ky_error(diags, path, 0, "cannot write: %s", strerror(errno));
        return -1;
    }
    if (is_input(path, &st, inputs, input_count, diags)) return -1;
    struct stat link;
    bool is_link = lstat(path, &link) == 0 && S_ISLNK(link.st_mode);
    if (S_ISREG(st.st_mode) && !(is_link && through_proc(path))) {
        out->target = is_link ? link_target(path, &st, diags) : strdup(path);
        if (!out->target) {
            if (!is_link) ky_error(diags, path, 0, "out of memory");
            return -1;
        }
        if (open_temp(out, &st, diags) != 0) {
            release(out);
            return -1;
        }
        return 0;
    }
    if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))
        return open_stream(out, &st, diags);
    if (S_ISDIR(st.st_mode))
        ky_error(diags, path, 0, "is a directory: name the PDF file to write");
    else
        ky_error(diags, path, 0,
                 "not a regular file, pipe or character device: kyodo does not "
                 "write a PDF there");
    return -1;
}

int ky_output_write(ky_output *out, const void *data, size_t size, ky_diags *diags)
{
    const char *bytes = data;
    size_t done = 0;
    while (done < size) {
        ssize_t wrote = write(out->fd, bytes + done, size - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
            ky_error(diags, out->path, 0, "write failed: %s",
                     wrote < 0 ? strerror(errno) : "nothing written");
            return -1;
        }
        done += (size_t)wrote;
    }
    return 0;
}

int ky_output_commit(ky_output *out, ky_diags *diags)
{
    int status = 0;
    if (out->stream) {
        if (!out->borrowed && close(out->fd) != 0) {
            ky_error(diags, out->path, 0, "write failed: %s", strerror(errno));
            status = -1;
        }
        out->fd = -1;
        release(out);
        return status;
    }
    if (out->chown && fchown(out->fd, out->uid, out->gid) != 0) {
        /* Not permitted (only root may give a file away): the new file is
         * the writer's, and no more open than the umask allows, so that a
         * group the old file was shared with does not become this one. */
        out->mode &= ~(int)current_umask();
    }
    if (fchmod(out->fd, (mode_t)out->mode) != 0) {
        ky_error(diags, out->path, 0, "cannot set the mode: %s", strerror(errno));
        status = -1;
    }
    /* On disk before the rename: after a crash, the old PDF or the whole new
     * one, never an empty file under the PDF's name. (EINVAL: a file system
     * that cannot sync, such as some FUSE ones; nothing to wait for.) */
    if (status == 0 && fsync(out->fd) != 0 && errno != EINVAL) {
        ky_error(diags, out->path, 0, "write failed: %s", strerror(errno));
        status = -1;
    }
    if (close(out->fd) != 0 && status == 0) {
        ky_error(diags, out->path, 0, "write failed: %s", strerror(errno));
        status = -1;
    }
    out->fd = -1;
    if (status == 0 && rename(out->tmp, out->target) != 0) {
        ky_error(diags, out->path, 0, "cannot replace: %s", strerror(errno));
        status = -1;
    }
    if (status != 0) unlink(out->tmp);
    release(out);
    return status;
}

void ky_output_abort(ky_output *out)
{
    if (out->tmp) {
        if (out->fd >= 0) close(out->fd);
        out->fd = -1;
        unlink(out->tmp);
    }
    release(out);
}

char *ky_read_stdin(size_t cap, ky_diags *diags, size_t *size)
{
    size_t capacity = 65536, got = 0;
    char *buffer = ky_xmalloc(capacity + 1);
    for (;;) {
        if (got == capacity) {
            capacity *= 2;
            buffer = ky_xrealloc(buffer, capacity + 1, 1);
        }
        ssize_t n = read(STDIN_FILENO, buffer + got, capacity - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            report(diags, "<stdin>", 0, "read error: %s", strerror(errno));
            free(buffer);
            return NULL;
        }
        if (n == 0) break;
        got += (size_t)n;
        /* The cap holds for a pipe too, which has no size to check first. */
        if (got > cap) {
            char limit[32];
            describe_cap(cap, limit, sizeof limit);
            report(diags, "<stdin>", 0, "file is larger than %s", limit);
            free(buffer);
            return NULL;
        }
    }
    buffer[got] = '\0';
    *size = got;
    return buffer;
}
