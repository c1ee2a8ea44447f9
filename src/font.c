#include "font.h"

#include <errno.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "arena.h"
#include "utf8.h"
#include "xml.h"

/* A face's file, mapped (a regular file of at most KY_FONT_MAX_BYTES: a
 * FIFO named in a font set would otherwise hang the render). Messages name
 * it "font 'serif' from Debian package fonts-liberation2". */
static const void *map_face_file(const ky_face *face, ky_diags *diags, size_t *size)
{
    char *what = NULL;
    if (asprintf(&what, "font '%s' from Debian package %s", face->id, face->package) < 0) {
        ky_error(diags, face->path, 0, "out of memory");
        return NULL;
    }
    const void *data = ky_map_file(face->path, what, KY_FONT_MAX_BYTES, diags, size);
    free(what);
    return data;
}

typedef struct {
    const void *data;
    size_t size;
} ky_mapping;

static void unmap_blob(void *user)
{
    ky_mapping *mapping = user;
    ky_unmap_file(mapping->data, mapping->size);
    free(mapping);
}

static int find_face(const ky_fontset *fonts, const char *id)
{
    for (int i = 0; i < fonts->face_count; i++)
        if (strcmp(fonts->faces[i].id, id) == 0) return i;
    return -1;
}

/* A face file is named relative to the set's directory and may not leave it. */
static int safe_relative(const char *file)
{
    if (file[0] == '/' || strncmp(file, "../", 3) == 0 || strstr(file, "/../") ||
        strcmp(file, "..") == 0)
        return 0;
    size_t len = strlen(file);
    return !(len >= 3 && strcmp(file + len - 3, "/..") == 0);
}

static int read_face(ky_fontset *fonts, xmlNodePtr node, const char *dir, ky_diags *diags)
{
    int line = ky_xml_line(node);
    if (fonts->face_count == KY_MAX_FACES) {
        ky_error(diags, fonts->config_path, line, "more than %d faces", KY_MAX_FACES);
        return -1;
    }
    char *id = ky_xml_attr(node, "id");
    char *file = ky_xml_attr(node, "file");
    char *package = ky_xml_attr(node, "package");
    char *sha = ky_xml_attr(node, "sha256");
    int status = 0;
    if (find_face(fonts, id) >= 0) {
        ky_error(diags, fonts->config_path, line, "duplicate face id '%s'", id);
        status = -1;
    } else if (!safe_relative(file)) {
        ky_error(diags, fonts->config_path, line,
                 "face file '%s' must be a path inside the font directory", file);
        status = -1;
    } else {
        ky_face *face = &fonts->faces[fonts->face_count++];
        face->id = strdup(id);
        size_t plen = strlen(dir) + strlen(file) + 2;
        face->path = malloc(plen);
        if (face->path) snprintf(face->path, plen, "%s/%s", dir, file);
        face->package = strdup(package);
        snprintf(face->sha256, sizeof face->sha256, "%s", sha);
    }
    xmlFree(id);
    xmlFree(file);
    xmlFree(package);
    xmlFree(sha);
    return status;
}

static const char *const role_names[KY_ROLE_COUNT] = {"body", "bold", "italic"};

const char *ky_role_name(ky_role role)
{
    return role < KY_ROLE_COUNT ? role_names[role] : "?";
}

bool ky_role_parse(const char *name, ky_role *role)
{
    for (int i = 0; name && i < KY_ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *role = (ky_role)i;
            return true;
        }
    return false;
}

static int read_chain(ky_fontset *fonts, xmlNodePtr node, ky_diags *diags)
{
    int line = ky_xml_line(node);
    char *lang_code = ky_xml_attr(node, "lang");
    char *role_name = ky_xml_attr(node, "role");
    ky_lang lang = strcmp(lang_code, "ja") == 0 ? KY_JA : KY_EN;
    ky_role parsed = KY_ROLE_BODY;
    int role = ky_role_parse(role_name, &parsed) ? (int)parsed : KY_ROLE_COUNT;
    xmlFree(lang_code);
    xmlFree(role_name);
    xmlChar *content = xmlNodeGetContent(node);
    int status = 0;
    fonts->chain_len[lang][role] = 0;
    char *save = NULL;
    for (char *tok = strtok_r((char *)content, " \t\r\n", &save); tok;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        int face = find_face(fonts, tok);
        if (face < 0) {
            ky_error(diags, fonts->config_path, line, "chain names unknown face '%s'", tok);
            status = -1;
        } else if (fonts->chain_len[lang][role] == KY_CHAIN_MAX) {
            ky_error(diags, fonts->config_path, line, "chain longer than %d faces", KY_CHAIN_MAX);
            status = -1;
        } else {
            fonts->chain[lang][role][fonts->chain_len[lang][role]++] = face;
        }
    }
    xmlFree(content);
    return status;
}

int ky_fontset_load(ky_fontset *fonts, const char *config_path, ky_diags *diags)
{
    memset(fonts, 0, sizeof(*fonts));
    fonts->config_path = strdup(config_path);
    xmlDocPtr xml = ky_xml_load(config_path, KY_SCHEMA_FONTSET, diags);
    if (!xml) return -1;
    xmlNodePtr root = xmlDocGetRootElement(xml);
    char *dir = ky_xml_attr(root, "dir");
    int status = 0;
    for (xmlNodePtr node = ky_xml_first_element(root); node; node = ky_xml_next_element(node)) {
        if (ky_xml_is(node, "face") && read_face(fonts, node, dir, diags) != 0) status = -1;
        if (ky_xml_is(node, "chain") && read_chain(fonts, node, diags) != 0) status = -1;
    }
    xmlFree(dir);
    for (int lang = 0; lang < KY_LANG_COUNT && status == 0; lang++)
        for (int role = 0; role < KY_ROLE_COUNT; role++)
            if (fonts->chain_len[lang][role] == 0) {
                ky_error(diags, config_path, 0, "no chain for lang=\"%s\" role=\"%s\"",
                         ky_lang_code((ky_lang)lang), ky_role_name((ky_role)role));
                status = -1;
            }
    xmlFreeDoc(xml);
    fonts->buffer = hb_buffer_create();
    return status;
}

void ky_fontset_free(ky_fontset *fonts)
{
    for (int i = 0; i < fonts->face_count; i++) {
        ky_face *face = &fonts->faces[i];
        hb_font_destroy(face->font);
        hb_face_destroy(face->face);
        hb_blob_destroy(face->blob);
        hb_map_destroy(face->codes);
        free(face->cps);
        free(face->id);
        free(face->path);
        free(face->package);
    }
    hb_buffer_destroy(fonts->buffer);
    free(fonts->config_path);
    memset(fonts, 0, sizeof(*fonts));
}

int ky_fontset_verify(ky_fontset *fonts, ky_diags *diags)
{
    int status = 0;
    for (int i = 0; i < fonts->face_count; i++) {
        ky_face *face = &fonts->faces[i];
        size_t size = 0;
        const void *data = map_face_file(face, diags, &size);
        if (!data) {
            status = -1;
            continue;
        }
        struct sha256_ctx sha;
        sha256_init(&sha);
        sha256_update(&sha, size, data);
        ky_unmap_file(data, size);
        unsigned char digest[SHA256_DIGEST_SIZE];
        sha256_digest(&sha, sizeof digest, digest);
        char hex[65];
        for (int k = 0; k < SHA256_DIGEST_SIZE; k++)
            snprintf(hex + 2 * k, 3, "%02x", digest[k]);
        if (strcmp(hex, face->sha256) != 0) {
            ky_error(diags, face->path, 0,
                     "font '%s' has SHA-256 %s, but %s expects %s (package %s changed?)", face->id,
                     hex, fonts->config_path, face->sha256, face->package);
            status = -1;
        }
    }
    return status;
}

int ky_face_open(ky_fontset *fonts, int index, ky_diags *diags)
{
    ky_face *face = &fonts->faces[index];
    if (face->font) return 0;
    /* Layout asks once per character: a face that failed has said so once
     * and stays failed, quietly (and keeps what it had opened, for
     * ky_fontset_free, rather than opening it again). */
    if (face->failed) return -1;
    face->failed = true;
    fonts->failed++;
    size_t size = 0;
    const void *data = map_face_file(face, diags, &size);
    ky_mapping *mapping = data ? malloc(sizeof *mapping) : NULL;
    if (!mapping) {
        if (data) ky_error(diags, face->path, 0, "out of memory");
        ky_unmap_file(data, size);
        return -1;
    }
    *mapping = (ky_mapping){data, size};
    /* As hb_blob_create_from_file would, from the descriptor checked above:
     * the blob owns the mapping (unmapped when HarfBuzz lets it go). */
    face->blob = hb_blob_create(data, (unsigned)size, HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE,
                                mapping, unmap_blob);
    face->face = hb_face_create(face->blob, 0);
    if (hb_face_get_glyph_count(face->face) == 0) {
        ky_error(diags, face->path, 0, "font '%s' is not a font HarfBuzz can read", face->id);
        return -1;
    }
    hb_blob_t *glyf = hb_face_reference_table(face->face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glyf_length = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    if (glyf_length == 0) {
        ky_error(diags, face->path, 0,
                 "font '%s' has no TrueType outlines (glyf); the PDF backend needs TrueType",
                 face->id);
        return -1;
    }
    face->font = hb_font_create(face->face);
    face->upem = hb_face_get_upem(face->face);
    hb_font_set_scale(face->font, (int)face->upem, (int)face->upem);
    hb_font_extents_t extents;
    hb_font_get_h_extents(face->font, &extents);
    face->ascender = (double)extents.ascender / face->upem;
    face->descender = (double)-extents.descender / face->upem;
    face->codes = hb_map_create();
    face->failed = false;
    fonts->failed--;
    return 0;
}

const char *ky_font_library_version(void)
{
    return hb_version_string();
}

const char *ky_face_version(ky_fontset *fonts, int face, char *out, size_t size)
{
    unsigned len = (unsigned)size;
    if (ky_face_open(fonts, face, NULL) != 0 ||
        hb_ot_name_get_utf8(fonts->faces[face].face, HB_OT_NAME_ID_VERSION_STRING,
                            hb_language_from_string("en", -1), &len, out) == 0)
        snprintf(out, size, "(version unknown)");
    return out;
}

double ky_font_cap_height(ky_fontset *fonts, int index)
{
    if (ky_face_open(fonts, index, NULL) != 0) return 0;
    ky_face *face = &fonts->faces[index];
    hb_position_t cap = 0;
    /* OS/2 has sCapHeight from its version 2 on; an older font's capitals
     * are as tall as its 'H'. */
    if (!hb_ot_metrics_get_position(face->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0) {
        hb_codepoint_t glyph;
        hb_glyph_extents_t extents;
        if (hb_font_get_nominal_glyph(face->font, 'H', &glyph) &&
            hb_font_get_glyph_extents(face->font, glyph, &extents))
            cap = extents.y_bearing;
        else
            return face->ascender;
    }
    return (double)cap / face->upem;
}

bool ky_font_has(ky_fontset *fonts, int face, uint32_t cp)
{
    hb_codepoint_t glyph;
    return ky_face_open(fonts, face, NULL) == 0 &&
           hb_font_get_nominal_glyph(fonts->faces[face].font, cp, &glyph);
}

int ky_font_pick(ky_fontset *fonts, ky_lang lang, ky_role role, uint32_t cp, ky_diags *diags)
{
    for (int i = 0; i < fonts->chain_len[lang][role]; i++) {
        int index = fonts->chain[lang][role][i];
        /* A face that cannot be opened has reported it (once): the next
         * face measures in its place, so that layout goes on without a
         * message per character, and ky_pdf_write writes nothing. */
        if (ky_face_open(fonts, index, diags) != 0) continue;
        hb_codepoint_t glyph;
        if (hb_font_get_nominal_glyph(fonts->faces[index].font, cp, &glyph)) return index;
    }
    return -1;
}

/* Shapes text with the font's kerning but without ligatures or contextual
 * forms: libharu draws each character's own glyph, so the glyphs must stay
 * one per character. */
static unsigned shape(ky_fontset *fonts, ky_face *face, const char *text, size_t len,
                      hb_glyph_position_t **positions, hb_glyph_info_t **infos)
{
    hb_buffer_t *buffer = fonts->buffer;
    hb_buffer_clear_contents(buffer);
    hb_buffer_add_utf8(buffer, text, (int)len, 0, (int)len);
    hb_buffer_guess_segment_properties(buffer);
    static const hb_feature_t features[] = {
        {HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
        {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
        {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1},
        {HB_TAG('d', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
    };
    hb_shape(face->font, buffer, features, sizeof features / sizeof features[0]);
    unsigned count = 0;
    *positions = hb_buffer_get_glyph_positions(buffer, &count);
    if (infos) *infos = hb_buffer_get_glyph_infos(buffer, NULL);
    return count;
}

double ky_font_width(ky_fontset *fonts, int index, double size, const char *text, size_t len)
{
    ky_face *face = &fonts->faces[index];
    size_t pos = 0;
    uint32_t first = ky_utf8_next(text, len, &pos);
    if (pos == len) {
        /* One character: its advance, without the cost of a shaping call. */
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(face->font, first, &glyph);
        return hb_font_get_glyph_h_advance(face->font, glyph) * size / face->upem;
    }
    hb_glyph_position_t *positions;
    unsigned count = shape(fonts, face, text, len, &positions, NULL);
    long total = 0;
    for (unsigned i = 0; i < count; i++)
        total += positions[i].x_advance;
    return total * size / face->upem;
}

size_t ky_font_kerned_pieces(ky_fontset *fonts, int index, double size, const char *text,
                             size_t len, uint32_t *starts, double *x, size_t max)
{
    ky_face *face = &fonts->faces[index];
    hb_glyph_position_t *positions;
    hb_glyph_info_t *infos;
    unsigned count = shape(fonts, face, text, len, &positions, &infos);
    size_t pieces = 1;
    starts[0] = 0;
    x[0] = 0;
    long pen = 0, nominal = 0;
    for (unsigned i = 0; i < count; i++) {
        if (pen != nominal && pieces < max) {
            /* The PDF draws each piece with nominal advances from its start. */
            starts[pieces] = infos[i].cluster;
            x[pieces] = pen * size / face->upem;
            pieces++;
            nominal = pen;
        }
        pen += positions[i].x_advance;
        nominal += hb_font_get_glyph_h_advance(face->font, infos[i].codepoint);
    }
    return pieces;
}

typedef struct {
    ky_outline_fn emit;
    void *data;
    double scale, pen;
} ky_outline_ctx;

static void outline_move(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st, float x, float y,
                         void *user)
{
    (void)f, (void)st, (void)user;
    ky_outline_ctx *o = data;
    double px = o->pen + x * o->scale, py = y * o->scale;
    o->emit(o->data, 'm', &px, &py);
}

static void outline_line(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st, float x, float y,
                         void *user)
{
    (void)f, (void)st, (void)user;
    ky_outline_ctx *o = data;
    double px = o->pen + x * o->scale, py = y * o->scale;
    o->emit(o->data, 'l', &px, &py);
}

static void outline_cubic(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st, float c1x, float c1y,
                          float c2x, float c2y, float x, float y, void *user)
{
    (void)f, (void)st, (void)user;
    ky_outline_ctx *o = data;
    double px[3] = {o->pen + c1x * o->scale, o->pen + c2x * o->scale, o->pen + x * o->scale};
    double py[3] = {c1y * o->scale, c2y * o->scale, y * o->scale};
    o->emit(o->data, 'c', px, py);
}

static void outline_quadratic(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st, float cx,
                              float cy, float x, float y, void *user)
{
    /* The cubic curve with the same shape: control points two thirds of
     * the way from each end to the quadratic control point. */
    float x0 = st->current_x, y0 = st->current_y;
    outline_cubic(f, data, st, x0 + 2.0f / 3 * (cx - x0), y0 + 2.0f / 3 * (cy - y0),
                  x + 2.0f / 3 * (cx - x), y + 2.0f / 3 * (cy - y), x, y, user);
}

static void outline_close(hb_draw_funcs_t *f, void *data, hb_draw_state_t *st, void *user)
{
    (void)f, (void)st, (void)user;
    ky_outline_ctx *o = data;
    o->emit(o->data, 'h', NULL, NULL);
}

void ky_font_outline(ky_fontset *fonts, int index, double size, const char *text, size_t len,
                     ky_outline_fn emit, void *data)
{
    ky_face *face = &fonts->faces[index];
    hb_draw_funcs_t *funcs = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(funcs, outline_move, NULL, NULL);
    hb_draw_funcs_set_line_to_func(funcs, outline_line, NULL, NULL);
    hb_draw_funcs_set_quadratic_to_func(funcs, outline_quadratic, NULL, NULL);
    hb_draw_funcs_set_cubic_to_func(funcs, outline_cubic, NULL, NULL);
    hb_draw_funcs_set_close_path_func(funcs, outline_close, NULL, NULL);
    ky_outline_ctx o = {emit, data, size / face->upem, 0};
    size_t pos = 0;
    while (pos < len) {
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(face->font, ky_utf8_next(text, len, &pos), &glyph);
        hb_font_get_glyph_shape(face->font, glyph, funcs, &o);
        o.pen += hb_font_get_glyph_h_advance(face->font, glyph) * o.scale;
    }
    hb_draw_funcs_destroy(funcs);
}

size_t ky_font_encode(ky_fontset *fonts, int index, const char *text, size_t len, uint16_t *out)
{
    ky_face *face = &fonts->faces[index];
    size_t pos = 0, n = 0;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(text, len, &pos);
        hb_codepoint_t code = hb_map_get(face->codes, cp);
        if (code == HB_MAP_VALUE_INVALID) {
            /* A new character takes the next code while codes last; the
             * PDF backend reports a face that ran out of them. */
            code = (hb_codepoint_t)face->cp_count;
            if (face->cp_count == face->cp_capacity) {
                size_t grown = face->cp_capacity ? 2 * face->cp_capacity : 256;
                uint32_t *bigger = realloc(face->cps, grown * sizeof *bigger);
                if (!bigger) ky_out_of_memory();
                face->cps = bigger;
                face->cp_capacity = grown;
            }
            face->cps[face->cp_count++] = cp;
            hb_map_set(face->codes, cp, code);
        }
        out[n++] = code < KY_CODE_COUNT ? (uint16_t)(KY_CODE_BASE + code) : 0;
    }
    return n;
}

size_t ky_font_code_count(const ky_fontset *fonts, int index)
{
    return fonts->faces[index].cp_count;
}

static void put16(unsigned char *at, unsigned value)
{
    at[0] = (unsigned char)(value >> 8);
    at[1] = (unsigned char)value;
}

static void put32(unsigned char *at, unsigned long value)
{
    put16(at, (unsigned)(value >> 16));
    put16(at + 2, (unsigned)value);
}

/* A cmap with one (3,1) format 4 subtable: KY_CODE_BASE + i -> glyphs[i]. */
static hb_blob_t *compact_cmap(const uint32_t *glyphs, unsigned count)
{
    const unsigned segments = 2; /* the run, and the 0xFFFF terminator */
    size_t sub = 16 + 8 * segments + 2 * count;
    size_t size = 4 + 8 + sub;
    unsigned char *data = calloc(1, size);
    if (!data) ky_out_of_memory();
    put16(data, 0);      /* version */
    put16(data + 2, 1);  /* one subtable */
    put16(data + 4, 3);  /* Windows */
    put16(data + 6, 1);  /* Unicode BMP */
    put32(data + 8, 12); /* offset of the subtable */
    unsigned char *t = data + 12;
    put16(t, 4);
    put16(t + 2, (unsigned)sub);
    put16(t + 4, 0);
    put16(t + 6, 2 * segments);
    put16(t + 8, 4); /* searchRange: 2 * 2^floor(log2 segments) */
    put16(t + 10, 1);
    put16(t + 12, 0);
    unsigned char *ends = t + 14, *starts = ends + 2 * segments + 2;
    unsigned char *deltas = starts + 2 * segments, *offsets = deltas + 2 * segments;
    unsigned char *glyph_array = offsets + 2 * segments;
    put16(ends, KY_CODE_BASE + count - 1);
    put16(ends + 2, 0xFFFF);
    put16(starts, KY_CODE_BASE);
    put16(starts + 2, 0xFFFF);
    put16(deltas, 0);
    put16(deltas + 2, 1);
    /* idRangeOffset: from this field to the glyph array. */
    put16(offsets, (unsigned)(glyph_array - offsets));
    put16(offsets + 2, 0);
    for (unsigned i = 0; i < count; i++)
        put16(glyph_array + 2 * i, glyphs[i]);
    return hb_blob_create((const char *)data, (unsigned)size, HB_MEMORY_MODE_WRITABLE, data, free);
}

int ky_font_subset(ky_fontset *fonts, int index, ky_subset *out, ky_diags *diags)
{
    ky_face *face = &fonts->faces[index];
    memset(out, 0, sizeof *out);
    size_t count = face->cp_count < KY_CODE_COUNT ? face->cp_count : KY_CODE_COUNT;
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input) ky_out_of_memory();
    hb_set_t *unicodes = hb_subset_input_unicode_set(input);
    for (size_t i = 0; i < count; i++)
        hb_set_add(unicodes, face->cps[i]);
    /* Hinting is for screens at small sizes; print does not need it. */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *subset = hb_subset_or_fail(face->face, input);
    hb_subset_input_destroy(input);
    if (!subset) {
        ky_error(diags, face->path, 0, "HarfBuzz could not subset font '%s'", face->id);
        return -1;
    }
    /* The subset's glyph of each code, in the order codes were given. */
    hb_font_t *font = hb_font_create(subset);
    uint32_t *glyphs = calloc(count ? count : 1, sizeof *glyphs);
    if (!glyphs) ky_out_of_memory();
    for (size_t i = 0; i < count; i++) {
        hb_codepoint_t glyph = 0;
        hb_font_get_nominal_glyph(font, face->cps[i], &glyph);
        glyphs[i] = glyph;
    }
    hb_font_destroy(font);
    /* The same font with the compact cmap in place of its own. (The subset
     * is a builder face, which cannot list its tables: read its bytes.) */
    hb_blob_t *bytes = hb_face_reference_blob(subset);
    hb_face_destroy(subset);
    hb_face_t *parsed = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_face_t *builder = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned tag_count = 64;
    hb_face_get_table_tags(parsed, 0, &tag_count, tags);
    for (unsigned i = 0; i < tag_count; i++) {
        hb_blob_t *table = tags[i] == HB_TAG('c', 'm', 'a', 'p')
                               ? compact_cmap(glyphs, (unsigned)count)
                               : hb_face_reference_table(parsed, tags[i]);
        hb_face_builder_add_table(builder, tags[i], table);
        hb_blob_destroy(table);
    }
    hb_face_destroy(parsed);
    hb_blob_t *blob = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    unsigned size = 0;
    out->data = hb_blob_get_data(blob, &size);
    out->size = size;
    out->cps = face->cps;
    out->glyphs = glyphs;
    out->count = count;
    out->owner = blob;
    return 0;
}

void ky_subset_free(ky_subset *subset)
{
    hb_blob_destroy(subset->owner);
    free(subset->glyphs);
    memset(subset, 0, sizeof *subset);
}
