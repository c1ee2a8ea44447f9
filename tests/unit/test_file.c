#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/* Each test works in a directory of its own, removed at the end. */
static int make_dir(void **state)
{
    char *dir = strdup("/tmp/kyodo-test-file-XXXXXX");
    if (!dir || !mkdtemp(dir)) return -1;
    *state = dir;
    return 0;
}

static int remove_dir(void **state)
{
    char *dir = *state;
    DIR *d = opendir(dir);
    struct dirent *entry;
    while (d && (entry = readdir(d))) {
        if (entry->d_name[0] == '.' && (!entry->d_name[1] || !strcmp(entry->d_name, "..")))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(dir);
    free(dir);
    return 0;
}

static char *path_in(void **state, const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", (char *)*state, name);
    return path;
}

static void write_bytes(const char *path, const char *bytes, size_t size)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(bytes, 1, size, file), size);
    fclose(file);
}

/* Files in the test directory (".", ".." not counted). */
static int entries(void **state)
{
    DIR *d = opendir(*state);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(d)))
        count += entry->d_name[0] != '.';
    closedir(d);
    return count;
}

static void reads_up_to_the_cap(void **state)
{
    ky_diags diags;
    ky_diags_init(&diags);
    char *path = path_in(state, "ten.xml");
    write_bytes(path, "0123456789", 10);
    /* Either side of the cap: 10 bytes read with a cap of 10, refused at 9. */
    size_t size = 0;
    char *data = ky_read_file(path, 10, &diags, &size);
    assert_non_null(data);
    assert_int_equal(size, 10);
    assert_int_equal(data[10], '\0');
    free(data);
    assert_null(ky_read_file(path, 9, &diags, &size));
    assert_int_equal(diags.errors, 1);
    assert_string_equal(diags.first->message, "file is larger than 9 bytes");
    /* Empty is not an error for the reader. */
    write_bytes(path, "", 0);
    data = ky_read_file(path, 10, &diags, &size);
    assert_non_null(data);
    assert_int_equal(size, 0);
    free(data);
    ky_diags_free(&diags);
}

static void refuses_what_is_not_a_regular_file(void **state)
{
    ky_diags diags;
    ky_diags_init(&diags);
    char *path = path_in(state, "fifo.xml");
    assert_int_equal(mkfifo(path, 0600), 0);
    size_t size = 1;
    /* Returns at once (a blocking open would wait for a writer forever). */
    assert_null(ky_read_file(path, 100, &diags, &size));
    assert_string_equal(diags.first->message, "not a regular file");
    assert_null(ky_read_file_as(path, "font 'x'", 100, &diags, &size));
    assert_string_equal(diags.last->message, "font 'x' is not a regular file");
    assert_null(ky_read_file(*state, 100, &diags, &size));
    assert_int_equal(diags.errors, 3);
    /* Without diagnostics: only the answer. */
    assert_int_equal(ky_file_open(path, NULL, 100, NULL, &size), -1);
    assert_int_equal(diags.errors, 3);
    ky_diags_free(&diags);
}

static void replaces_only_on_commit(void **state)
{
    ky_diags diags;
    ky_diags_init(&diags);
    char *path = strdup(path_in(state, "out.pdf"));
    write_bytes(path, "old", 3);
    ky_output out;
    assert_int_equal(ky_output_open(&out, path, NULL, 0, &diags), 0);
    assert_int_equal(ky_output_write(&out, "new!", 4, &diags), 0);
    /* Written but not committed: the old file is whole, the new one beside. */
    size_t size = 0;
    char *data = ky_read_file(path, 100, &diags, &size);
    assert_memory_equal(data, "old", 3);
    free(data);
    assert_int_equal(entries(state), 2);
    ky_output_abort(&out);
    assert_int_equal(entries(state), 1);
    assert_int_equal(ky_output_open(&out, path, NULL, 0, &diags), 0);
    assert_int_equal(ky_output_write(&out, "new!", 4, &diags), 0);
    assert_int_equal(ky_output_commit(&out, &diags), 0);
    data = ky_read_file(path, 100, &diags, &size);
    assert_int_equal(size, 4);
    assert_memory_equal(data, "new!", 4);
    free(data);
    assert_int_equal(entries(state), 1);
    assert_int_equal(diags.errors, 0);
    free(path);
    ky_diags_free(&diags);
}

static void never_replaces_an_input(void **state)
{
    ky_diags diags;
    ky_diags_init(&diags);
    char *draft = strdup(path_in(state, "draft.xml"));
    char *link = strdup(path_in(state, "link.pdf"));
    write_bytes(draft, "<statement/>", 12);
    assert_int_equal(symlink("draft.xml", link), 0);
    ky_input inputs[] = {{"template", NULL}, {"draft", draft}};
    ky_output out;
    assert_int_equal(ky_output_open(&out, link, inputs, 2, &diags), -1);
    assert_int_equal(diags.errors, 1);
    assert_non_null(strstr(diags.first->message, "the output is the draft itself"));
    assert_int_equal(entries(state), 2);
    free(draft);
    free(link);
    ky_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_up_to_the_cap, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(refuses_what_is_not_a_regular_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(replaces_only_on_commit, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(never_replaces_an_input, make_dir, remove_dir),
    };
    return cmocka_run_group_tests_name("file", tests, NULL, NULL);
}
