#include "xml.h"

#include "arena.h"
#include "file.h"
#include "rng.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char ky_schema_draft[], ky_schema_draft_end[];
extern const char ky_schema_template[], ky_schema_template_end[];
extern const char ky_schema_fontset[], ky_schema_fontset_end[];

/* libxml2 under kyodo's policies: its allocations stop with "out of
 * memory" like kyodo's own, and it never prints to stderr by itself (its
 * errors reach kyodo through the structured handlers below). */
static void *xml_malloc(size_t size)
{
    return ky_xmalloc(size);
}

static void *xml_realloc(void *block, size_t size)
{
    return ky_xrealloc(block, 1, size);
}

static void quiet(void *data, const char *message, ...)
{
    (void)data;
    (void)message;
}

const char *ky_xml_library_version(char *out, size_t size)
{
    /* The running library's own version: xmlParserVersion is "20914". */
    int v = atoi(xmlParserVersion);
    snprintf(out, size, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
    return out;
}

void ky_xml_init(void)
{
    xmlMemSetup(free, xml_malloc, xml_realloc, ky_xstrdup);
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet);
}

typedef struct {
    ky_diags *diags;
    const char *path;
} ky_xml_sink;

static void on_parser_error(void *ctx, xmlErrorPtr error)
{
    xmlParserCtxtPtr ctxt = ctx;
    ky_xml_sink *sink = ctxt->_private;
    if (error->level == XML_ERR_WARNING) return;
    ky_diag_add(sink->diags, KY_ERROR, sink->path, error->line, error->int2, "%s",
                error->message ? error->message : "XML error");
}

static void on_schema_error(void *data, xmlErrorPtr error)
{
    ky_xml_sink *sink = data;
    if (error->level == XML_ERR_WARNING) return;
    int line = error->line;
    if (line == 0 && error->node) line = xmlGetLineNo((xmlNodePtr)error->node);
    ky_diag_add(sink->diags, KY_ERROR, sink->path, line, 0, "%s",
                error->message ? error->message : "schema violation");
}

/* Through file.c, which reads only regular files and checks the size cap
 * before reading; an empty file is no XML document. */
static char *read_file(const char *path, size_t *size, ky_diags *diags)
{
    char *buffer = ky_read_file(path, KY_XML_MAX_BYTES, diags, size);
    if (buffer && *size == 0) {
        ky_error(diags, path, 0, "file is empty");
        free(buffer);
        return NULL;
    }
    return buffer;
}

/* The copy of the schema built into the binary. */
static const char *schema_text(ky_schema schema, size_t *size)
{
    const char *start = ky_schema_draft, *end = ky_schema_draft_end;
    if (schema == KY_SCHEMA_TEMPLATE)
        start = ky_schema_template, end = ky_schema_template_end;
    else if (schema == KY_SCHEMA_FONTSET)
        start = ky_schema_fontset, end = ky_schema_fontset_end;
    *size = (size_t)(end - start);
    return start;
}

/* The schema compiled from the copy built into the binary. */
static xmlRelaxNGPtr compile_schema(ky_schema schema, ky_diags *diags)
{
    size_t size;
    const char *start = schema_text(schema, &size), *end = start + size;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(start, (int)(end - start));
    ky_xml_sink schema_sink = {diags, "<built-in schema>"};
    xmlRelaxNGSetParserStructuredErrors(pctxt, on_schema_error, &schema_sink);
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return rng;
}

/* The line (1-based) of byte offset in text, counting LF bytes: right for
 * UTF-8 and for the ASCII-compatible Japanese encodings. */
static int line_at(const char *text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        line += text[i] == '\n';
    return line;
}

/* libxml2 2.9 checks every attribute of a start tag against all those before
 * it and appends it to a list it walks from the head: time quadratic in the
 * attributes of one element (20,000 took a second, a 16 MB tag would take
 * hours). It also reads an attribute value holding references to declared
 * entities by concatenating its pieces one strcat at a time (a million
 * references took 42 s), and libharu refuses strings over 64 KB (a long
 * status reaches the PDF's keywords). No element of the three schemas has
 * more than a dozen attributes, nor a value longer than a file name, so a
 * tag with more, or a longer value, is refused before libxml2 parses it.
 * Counting needs only a scan of start tags for '=' and quoted values, past
 * comments, processing instructions, CDATA sections and declarations; UTF-16
 * is scanned by code unit. */
enum { KY_XML_MAX_ATTRIBUTES = 100, KY_XML_MAX_VALUE = 4096 };

typedef struct {
    const unsigned char *bytes;
    size_t count; /* code units */
    int width;    /* bytes per code unit: 1, or 2 for UTF-16 */
    bool big;     /* UTF-16BE */
} ky_units;

static unsigned unit_at(const ky_units *u, size_t i)
{
    if (u->width == 1) return u->bytes[i];
    const unsigned char *b = u->bytes + 2 * i;
    return u->big ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
}

static bool units_match(const ky_units *u, size_t i, const char *ascii)
{
    for (size_t k = 0; ascii[k]; k++)
        if (i + k >= u->count || unit_at(u, i + k) != (unsigned char)ascii[k]) return false;
    return true;
}

/* The index just past the next `end` at or after i (count if none). */
static size_t units_skip_to(const ky_units *u, size_t i, const char *end)
{
    while (i < u->count && !units_match(u, i, end))
        i++;
    return i < u->count ? i + strlen(end) : u->count;
}

typedef enum { KY_TAGS_OK, KY_TAGS_ATTRIBUTES, KY_TAGS_VALUE } ky_tags_verdict;

/* Whether every start tag is within the bounds; *offset receives the byte
 * offset of the first one that is not. */
static ky_tags_verdict check_tags(const char *text, size_t size, size_t *offset)
{
    const unsigned char *b = (const unsigned char *)text;
    ky_units u = {b, size, 1, false};
    if (size >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
        u = (ky_units){b, size / 2, 2, b[0] == 0xFE};
    size_t i = 0;
    while (i < u.count) {
        if (unit_at(&u, i) != '<') {
            i++;
            continue;
        }
        *offset = i * (size_t)u.width;
        if (units_match(&u, i, "<!--")) {
            i = units_skip_to(&u, i + 4, "-->");
        } else if (units_match(&u, i, "<![CDATA[")) {
            i = units_skip_to(&u, i + 9, "]]>");
        } else if (units_match(&u, i, "<?")) {
            i = units_skip_to(&u, i + 2, "?>");
        } else {
            /* A start or end tag, or a declaration (<!DOCTYPE …>, whose
             * internal subset nests declarations and comments in brackets). */
            bool declaration = units_match(&u, i, "<!");
            unsigned quote = 0;
            size_t value_start = 0;
            int depth = 0, equals = 0;
            for (i++; i < u.count; i++) {
                unsigned c = unit_at(&u, i);
                if (quote) {
                    if (c == quote) quote = 0;
                    if (!declaration && i - value_start > KY_XML_MAX_VALUE) return KY_TAGS_VALUE;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    value_start = i + 1;
                } else if (declaration && units_match(&u, i, "<!--")) {
                    i = units_skip_to(&u, i + 4, "-->") - 1;
                } else if (declaration && c == '[') {
                    depth++;
                } else if (declaration && c == ']') {
                    depth--;
                } else if (c == '=' && !declaration && ++equals > KY_XML_MAX_ATTRIBUTES) {
                    return KY_TAGS_ATTRIBUTES;
                } else if (c == '>' && depth <= 0) {
                    i++;
                    break;
                }
            }
        }
    }
    return KY_TAGS_OK;
}

/* Whether the document says how it is encoded: a byte order mark, or an
 * encoding in its XML declaration. */
static bool declares_encoding(const char *text, size_t size)
{
    const unsigned char *b = (const unsigned char *)text;
    if (size >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
        return true;
    if (size >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return true;
    if (size < 5 || strncmp(text, "<?xml", 5) != 0) return false;
    const char *end = memchr(text, '>', size < 200 ? size : 200);
    if (!end) return false;
    for (const char *c = text; c + 8 < end; c++)
        if (strncmp(c, "encoding", 8) == 0) return true;
    return false;
}

/* Whether the document declares an encoding other than UTF-8 (a UTF-16
 * byte order mark, or another name in its XML declaration): its bytes are
 * then not UTF-8, and its lines cannot be quoted as they are. */
static bool declared_encoding(const char *text, size_t size, char *name, size_t name_size)
{
    name[0] = '\0';
    if (size < 5 || strncmp(text, "<?xml", 5) != 0) return false;
    const char *end = memchr(text, '>', size < 200 ? size : 200);
    if (!end) return false;
    for (const char *c = text; c + 8 < end; c++)
        if (strncmp(c, "encoding", 8) == 0) {
            c += 8;
            while (c < end && (*c == ' ' || *c == '=' || *c == '"' || *c == '\''))
                c++;
            size_t n = 0;
            while (c < end && *c != '"' && *c != '\'' && *c != ' ' && n + 1 < name_size)
                name[n++] = *c++;
            name[n] = '\0';
            return n > 0;
        }
    return false;
}

static bool declares_foreign_encoding(const char *text, size_t size)
{
    const unsigned char *b = (const unsigned char *)text;
    if (size >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
        return true;
    char name[64];
    return declared_encoding(text, size, name, sizeof name) && strcasecmp(name, "UTF-8") != 0 &&
           strcasecmp(name, "UTF8") != 0;
}

/* Transcodes from the named encoding to UTF-8 with iconv; a byte that is not
 * valid in that encoding is an error with its line and offset. */
static char *transcode(const char *path, const char *encoding, char *text, size_t *size,
                       ky_diags *diags)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        ky_error(diags, path, 0, "unknown encoding '%s' (iconv: %s)", encoding, strerror(errno));
        return NULL;
    }
    size_t capacity = *size * 4 + 16;
    char *out = malloc(capacity);
    char *in = text, *next = out;
    size_t in_left = *size, out_left = capacity;
    if (out && iconv(cd, &in, &in_left, &next, &out_left) == (size_t)-1) {
        size_t offset = (size_t)(in - text);
        ky_diag_add(diags, KY_ERROR, path, line_at(text, offset), 0,
                    "byte 0x%02X at offset %zu is not valid %s", (unsigned char)*in, offset,
                    encoding);
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out) *size = (size_t)(next - out);
    return out;
}

/* Parses and validates buffer (malloc'd, NUL-terminated; freed here). */
typedef struct {
    const char *at;
    size_t left;
} ky_xml_reader;

static int read_piece(void *data, char *out, int len)
{
    ky_xml_reader *reader = data;
    size_t n = len > 0 && (size_t)len < reader->left ? (size_t)len : reader->left;
    memcpy(out, reader->at, n);
    reader->at += n;
    reader->left -= n;
    return (int)n;
}

/* The bytes libxml2 is given: transcoded to UTF-8 when --encoding names
 * the encoding (parse_as then says UTF-8), else as read, which must then be
 * UTF-8 unless the document declares its encoding. buffer is freed on
 * failure or replaced. */
static char *prepare(const char *path, char *buffer, size_t *size, const char *encoding,
                     const char **parse_as, ky_diags *diags)
{
    *parse_as = NULL;
    if (encoding) {
        char *utf8 = transcode(path, encoding, buffer, size, diags);
        free(buffer);
        if (!utf8) return NULL;
        /* The bytes are UTF-8 now, whatever the declaration says. */
        *parse_as = "UTF-8";
        return utf8;
    }
    if (!declares_encoding(buffer, *size)) {
        /* Undeclared, a document must be UTF-8: say so plainly rather than
         * let a Shift_JIS draft become mojibake or a puzzling parser error. */
        size_t pos = 0;
        while (pos < *size) {
            size_t at = pos;
            if (ky_utf8_next(buffer, *size, &pos) == KY_UTF8_INVALID) {
                ky_diag_add(diags, KY_ERROR, path, line_at(buffer, at), 0,
                            "not UTF-8 (byte 0x%02X at offset %zu) and no encoding declared: "
                            "add encoding=\"...\" to the XML declaration or use --encoding",
                            (unsigned char)buffer[at], at);
                free(buffer);
                return NULL;
            }
        }
    }
    size_t at = 0;
    ky_tags_verdict verdict = check_tags(buffer, *size, &at);
    if (verdict != KY_TAGS_OK) {
        if (verdict == KY_TAGS_ATTRIBUTES)
            ky_diag_add(diags, KY_ERROR, path, line_at(buffer, at), 0,
                        "an element with more than %d attributes", KY_XML_MAX_ATTRIBUTES);
        else
            ky_diag_add(diags, KY_ERROR, path, line_at(buffer, at), 0,
                        "an attribute value longer than %d bytes", KY_XML_MAX_VALUE);
        free(buffer);
        return NULL;
    }
    return buffer;
}

/* No network, no entity substitution, no DTD loading, no huge mode: a
 * document can never pull in another file or expand without bound. Big
 * lines: elements past line 65535 are otherwise all numbered 65535. */
static const int parse_options =
    XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_BIG_LINES;

/* An element open in the first pass, with what kyodo needs to say what is
 * wrong in it: which children it had (names interned in the reader's
 * dictionary, compared as pointers). */
enum { KY_SEEN_MAX = 24 };
typedef struct {
    const xmlChar *name;
    int line;
    size_t tag; /* offset of its start tag's '<' (SIZE_MAX: unknown) */
    const xmlChar *last_child;
    const xmlChar *seen[KY_SEEN_MAX];
    int seen_count;
} ky_open_element;

struct ky_xml_stream {
    const char *path;
    char *buffer;
    size_t size;
    xmlRelaxNGPtr rng;
    xmlTextReaderPtr reader;
    ky_diags *diags;
    ky_diags parse_errors, validity_errors; /* kept apart: see ky_xml_stream_close */
    int status; /* of the last xmlTextReaderRead: 1 while there is more */
    bool expanded;
    /* ---- for messages in the draft's terms (the first pass) ---- */
    ky_schema schema;
    ky_rng *table; /* the schema as a table, read at the first violation */
    bool tracking; /* open[] follows the reader */
    bool quotable; /* buffer is UTF-8: its lines can be quoted */
    ky_open_element *open;
    size_t open_count, open_capacity;
    const xmlChar *root;
    ky_open_element closed;   /* the element that ended last */
    bool just_closed;         /* by the node read last */
    bool lost;                /* after a content violation (see explain_violation) */
    xmlNodePtr attributes_of; /* whose attributes were explained */
    int attributes_line;
    size_t tags;     /* just past the start tag of the element read last */
    bool tags_lost;  /* the scan for start tags lost its place */
    int cursor_line; /* a line and where it starts, to find lines fast */
    size_t cursor_offset;
};

static ky_xml_stream *validated(const char *path, char *buffer, size_t size, const char *parse_as,
                                ky_schema schema, ky_diags *diags);
static void stream_free(ky_xml_stream *stream);

/* Templates and font sets are checked as drafts are, by the streaming first
 * pass (one wording for every file kyodo reads), then parsed whole. */
static xmlDocPtr parse_buffer(const char *path, char *buffer, size_t size, ky_schema schema,
                              const char *encoding, ky_diags *diags)
{
    const char *parse_as = NULL;
    buffer = prepare(path, buffer, &size, encoding, &parse_as, diags);
    if (!buffer) return NULL;
    ky_xml_stream *stream = validated(path, buffer, size, parse_as, schema, diags);
    if (!stream) return NULL;
    ky_xml_sink sink = {diags, path};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) ky_out_of_memory();
    ctxt->_private = &sink;
    ctxt->sax->serror = on_parser_error;
    int before = diags->errors;
    /* Read through a callback rather than xmlCtxtReadMemory, which copies
     * the whole input into a buffer of its own: libxml2 then takes the
     * document in small pieces and drops what it has parsed. */
    ky_xml_reader reader = {stream->buffer, stream->size};
    xmlDocPtr doc = xmlCtxtReadIO(ctxt, read_piece, NULL, &reader, path, parse_as, parse_options);
    xmlFreeParserCtxt(ctxt);
    stream_free(stream);
    if (!doc || diags->errors > before) {
        if (diags->errors == before) ky_error(diags, path, 0, "not well-formed XML");
        if (doc) xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlDocPtr ky_xml_load_encoded(const char *path, ky_schema schema, const char *encoding,
                              ky_diags *diags)
{
    size_t size = 0;
    char *buffer = read_file(path, &size, diags);
    if (!buffer) return NULL;
    return parse_buffer(path, buffer, size, schema, encoding, diags);
}

xmlDocPtr ky_xml_load_memory(const char *path, const char *text, size_t size, ky_schema schema,
                             const char *encoding, ky_diags *diags)
{
    if (size > KY_XML_MAX_BYTES) {
        ky_error(diags, path, 0, "file is larger than %zu MB", KY_XML_MAX_BYTES / (1024 * 1024));
        return NULL;
    }
    if (size == 0) {
        ky_error(diags, path, 0, "file is empty");
        return NULL;
    }
    char *buffer = malloc(size + 1);
    if (!buffer) {
        ky_error(diags, path, 0, "out of memory");
        return NULL;
    }
    memcpy(buffer, text, size);
    buffer[size] = '\0';
    return parse_buffer(path, buffer, size, schema, encoding, diags);
}

xmlDocPtr ky_xml_load(const char *path, ky_schema schema, ky_diags *diags)
{
    return ky_xml_load_encoded(path, schema, NULL, diags);
}

xmlNodePtr ky_xml_first_element(xmlNodePtr node)
{
    for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE) return child;
    return NULL;
}

xmlNodePtr ky_xml_next_element(xmlNodePtr node)
{
    for (xmlNodePtr next = node->next; next; next = next->next)
        if (next->type == XML_ELEMENT_NODE) return next;
    return NULL;
}

int ky_xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr ky_xml_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr child = ky_xml_first_element(node); child; child = ky_xml_next_element(child))
        if (ky_xml_is(child, name)) return child;
    return NULL;
}

char *ky_xml_attr(xmlNodePtr node, const char *name)
{
    return (char *)xmlGetProp(node, (const xmlChar *)name);
}

int ky_xml_line(xmlNodePtr node)
{
    return (int)xmlGetLineNo(node);
}

/* ---- reading a document part by part --------------------------------------
 * A long draft's tree is several times its size. The stream reads it with
 * libxml2's xmlTextReader, validating against the schema as it goes, and
 * hands out the root's children one at a time, each with its subtree, which
 * the reader frees when it moves on: memory follows the largest part, not
 * the document. */
/* ---- positions in the source ---------------------------------------------- */

/* Where line (1-based) begins: from the line last asked for, as errors come
 * in document order (linear in the document overall). */
static bool line_start(ky_xml_stream *s, int line, size_t *offset)
{
    if (line < 1 || !s->buffer) return false;
    size_t at = s->cursor_offset;
    int n = s->cursor_line;
    if (n < 1 || line < n / 2) at = 0, n = 1;
    while (n > line) {
        at--; /* onto the newline that ends the line before */
        while (at > 0 && s->buffer[at - 1] != '\n')
            at--;
        n--;
    }
    while (n < line) {
        const char *nl = memchr(s->buffer + at, '\n', s->size - at);
        if (!nl) return false;
        at = (size_t)(nl - s->buffer) + 1;
        n++;
    }
    s->cursor_line = n;
    s->cursor_offset = at;
    *offset = at;
    return true;
}

static size_t line_end(const ky_xml_stream *s, size_t start)
{
    const char *nl = memchr(s->buffer + start, '\n', s->size - start);
    return nl ? (size_t)(nl - s->buffer) : s->size;
}

/* The column (1-based, in characters, as libxml2 counts) of offset. */
static int column_at(const ky_xml_stream *s, size_t offset)
{
    size_t start = offset;
    while (start > 0 && s->buffer[start - 1] != '\n')
        start--;
    int column = 1;
    /* (a byte that is not UTF-8 counts as one character) */
    for (size_t pos = start; pos < offset; column++)
        ky_utf8_next(s->buffer, offset, &pos);
    return column;
}

/* The line of offset, from the line last asked for (linear overall when
 * asked in document order). Counted here, not taken from libxml2, which
 * numbers every line past 65535 65535 in places. */
static int line_of(ky_xml_stream *s, size_t offset)
{
    size_t start = s->cursor_line >= 1 ? s->cursor_offset : 0;
    int line = s->cursor_line >= 1 ? s->cursor_line : 1;
    while (offset < start) {
        start--; /* onto the newline that ends the line before */
        while (start > 0 && s->buffer[start - 1] != '\n')
            start--;
        line--;
    }
    for (;;) {
        const char *nl = memchr(s->buffer + start, '\n', s->size - start);
        if (!nl || (size_t)(nl - s->buffer) >= offset) break;
        start = (size_t)(nl - s->buffer) + 1;
        line++;
    }
    s->cursor_line = line;
    s->cursor_offset = start;
    return line;
}

static void position_at(ky_xml_stream *s, size_t offset, int *at_line, int *at_column)
{
    *at_line = line_of(s, offset);
    *at_column = column_at(s, offset);
}

static bool name_ends(char c)
{
    return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

/* The start tag "<name" that ends on line (libxml2 numbers an element by
 * the line its start tag ends on): its offset. The last on the line. */
static bool find_tag(ky_xml_stream *s, int line, const char *name, size_t *offset)
{
    size_t start, len = strlen(name);
    if (!line_start(s, line, &start)) return false;
    size_t end = line_end(s, start);
    /* A start tag is at most about 100 attributes of 4 KB (check_tags). */
    size_t limit = end > ((size_t)1 << 20) ? end - ((size_t)1 << 20) : 0;
    for (size_t i = end; i-- > limit;)
        if (s->buffer[i] == '<' && i + 1 + len <= s->size &&
            memcmp(s->buffer + i + 1, name, len) == 0 &&
            name_ends(i + 1 + len < s->size ? s->buffer[i + 1 + len] : '\0')) {
            *offset = i;
            return true;
        }
    return false;
}

/* The attribute name="…" in the start tag at tag: its offset. */
static bool find_attribute(const ky_xml_stream *s, size_t tag, const char *name, size_t *offset)
{
    size_t len = strlen(name);
    char quote = 0;
    for (size_t i = tag + 1; i < s->size; i++) {
        char c = s->buffer[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return false;
        } else if ((c == ' ' || c == '\t' || c == '\n' || c == '\r') && i + 1 + len < s->size &&
                   memcmp(s->buffer + i + 1, name, len) == 0) {
            size_t j = i + 1 + len;
            while (j < s->size && (s->buffer[j] == ' ' || s->buffer[j] == '\t' ||
                                   s->buffer[j] == '\n' || s->buffer[j] == '\r'))
                j++;
            if (j < s->size && s->buffer[j] == '=') {
                *offset = i + 1;
                return true;
            }
        }
    }
    return false;
}

/* The next start tag at or after from, past comments, CDATA sections,
 * processing instructions, declarations and end tags: the reader hands out
 * elements in document order, so the next element it reads is this one. */
static bool next_start_tag(const ky_xml_stream *s, size_t from, const char *name, size_t *offset)
{
    static const char *const skips[][2] = {
        {"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"}, {"</", ">"}};
    size_t len = strlen(name);
    while (from < s->size) {
        const char *lt = memchr(s->buffer + from, '<', s->size - from);
        if (!lt) return false;
        size_t at = (size_t)(lt - s->buffer), left = s->size - at;
        const char *end = NULL;
        for (size_t k = 0; k < sizeof skips / sizeof skips[0] && !end; k++)
            if (left >= strlen(skips[k][0]) && memcmp(lt, skips[k][0], strlen(skips[k][0])) == 0) {
                const char *close = memmem(lt + 1, left - 1, skips[k][1], strlen(skips[k][1]));
                end = close ? close + strlen(skips[k][1]) : s->buffer + s->size;
            }
        if (end) {
            from = (size_t)(end - s->buffer);
            continue;
        }
        if (left > len && memcmp(lt + 1, name, len) == 0 && name_ends(lt[1 + len])) {
            *offset = at;
            return true;
        }
        return false; /* another element: the reader is not where kyodo thought */
    }
    return false;
}

/* The start tag of node: the element read last or one still open, or the
 * next one (libxml2 reports an element's errors as it reads its start);
 * else the last "<name" on its line. */
static bool tag_of(ky_xml_stream *s, const xmlChar *name, int line, const ky_open_element *element,
                   size_t *offset)
{
    if (!s->quotable) return false;
    if (element && element->tag != SIZE_MAX) {
        *offset = element->tag;
        return true;
    }
    /* (a tag begins on the line libxml2 gives, which is where it ends, or
     * before; past 65535 libxml2's lines say nothing) */
    if (!element && !s->tags_lost && next_start_tag(s, s->tags, (const char *)name, offset) &&
        (line >= 65535 || line_of(s, *offset) <= line))
        return true;
    return find_tag(s, line, (const char *)name, offset);
}

/* The last of the characters in `chars` before column on line: its
 * column (0 if none). */
static int last_before(ky_xml_stream *s, int line, int column, const char *chars, char *found)
{
    size_t start;
    if (!line_start(s, line, &start)) return 0;
    size_t end = line_end(s, start), pos = start;
    int at = 1, last = 0;
    while (pos < end && at < column) {
        uint32_t cp = ky_utf8_next(s->buffer, end, &pos);
        if (cp < 0x80 && cp && strchr(chars, (int)cp)) last = at, *found = (char)cp;
        at++;
    }
    return last;
}

/* The column of the last "</name" before column on line (0 if none). */
static int end_tag_before(ky_xml_stream *s, int line, int column, const char *name)
{
    size_t start;
    if (!line_start(s, line, &start)) return 0;
    size_t end = line_end(s, start), len = strlen(name), found = 0;
    bool any = false;
    for (size_t i = start; i + 2 + len <= end; i++) {
        if (s->buffer[i] == '<' && s->buffer[i + 1] == '/' &&
            memcmp(s->buffer + i + 2, name, len) == 0 && column_at(s, i) < column)
            found = i, any = true;
    }
    return any ? column_at(s, found) : 0;
}

/* Adds an error at line:column with the source line quoted under it. */
static void report(ky_xml_stream *s, ky_diags *to, int line, int column, const char *format, ...)
    __attribute__((format(printf, 5, 6)));
static void report(ky_xml_stream *s, ky_diags *to, int line, int column, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    ky_diag_vadd(to, KY_ERROR, s->path, line, column, format, args);
    va_end(args);
    size_t start;
    if (column > 0 && s->quotable && line_start(s, line, &start))
        ky_diags_quote(to, s->buffer + start, line_end(s, start) - start);
}

/* ---- what the schema wanted, in words ----------------------------------- */

static const char *const *open_path(const ky_xml_stream *s, size_t count, const char *extra)
{
    const char **path = ky_xmalloc((count + 2) * sizeof *path);
    for (size_t i = 0; i < count; i++)
        path[i] = (const char *)s->open[i].name;
    path[count] = extra;
    return path;
}

/* The content of the element at open[0..count-1] (and extra under it). */
static void content_of(ky_xml_stream *s, size_t count, const char *extra, ky_rng_content *out)
{
    const char *const *path = open_path(s, count, extra);
    ky_rng_content_at(s->table, path, count + (extra ? 1 : 0), out);
    free((void *)path);
}

/* "<heading>, <p>, <list>…", at most twelve (all of the inline elements). */
static void list_names(const ky_rng_item *items, size_t count, bool brackets, char *out,
                       size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count && i < 12; i++) {
        int w = snprintf(out + n, size - n, "%s%s%s%s", i ? ", " : "", brackets ? "<" : "",
                         items[i].name, brackets ? ">" : "");
        if (w < 0 || (size_t)w >= size - n) break;
        n += (size_t)w;
    }
    if (count > 12) snprintf(out + n, size - n, "…");
}

/* " (did you mean <heading>?)" when name is a typo of one of items. */
static void hint(const char *name, const ky_rng_item *items, size_t count, bool brackets, char *out,
                 size_t size)
{
    const char *names[KY_RNG_MAX_ITEMS];
    for (size_t i = 0; i < count; i++)
        names[i] = items[i].name;
    const char *close = count > 1 ? ky_closest(name, names, count) : NULL;
    if (close)
        snprintf(out, size, " (did you mean %s%s%s?)", brackets ? "<" : "", close,
                 brackets ? ">" : "");
    else
        out[0] = '\0';
}

/* "a <title>", "an <item>", "<parties>" (a plural needs none). */
static const char *article(const char *name)
{
    size_t len = strlen(name);
    if (len > 1 && name[len - 1] == 's') return "";
    return strchr("aeiou", name[0]) ? "an " : "a ";
}

static bool has_seen(const ky_open_element *element, const char *name)
{
    for (int i = 0; i < element->seen_count; i++)
        if (strcmp((const char *)element->seen[i], name) == 0) return true;
    return false;
}

static bool has_child(const ky_rng_content *content, const char *name)
{
    for (size_t i = 0; i < content->child_count; i++)
        if (strcmp(content->children[i].name, name) == 0) return true;
    return false;
}

/* An element where the schema does not allow it (in the element at the
 * top of open[]). */
static bool explain_element(ky_xml_stream *s, xmlNodePtr node, int line)
{
    const char *name = (const char *)node->name;
    const ky_open_element *parent = s->open_count ? &s->open[s->open_count - 1] : NULL;
    if (parent && (!node->parent || xmlStrcmp(node->parent->name, parent->name) != 0)) return false;
    ky_rng_content content;
    content_of(s, s->open_count, NULL, &content);
    char expected[512], maybe[128];
    list_names(content.children, content.child_count, true, expected, sizeof expected);
    hint(name, content.children, content.child_count, true, maybe, sizeof maybe);
    size_t tag = 0;
    int at_line = line, at_column = 0;
    if (tag_of(s, node->name, line, NULL, &tag)) position_at(s, tag, &at_line, &at_column);
    ky_diags *to = &s->validity_errors;
    if (!parent) {
        report(s, to, at_line, at_column, "unknown root element <%s>; expected %s", name, expected);
        return true;
    }
    const char *in = (const char *)parent->name;
    if (has_child(&content, name)) {
        /* Allowed here, but not at this point: a required element that
         * comes first is missing, or this one is out of order. */
        for (size_t i = 0; i < content.child_count && strcmp(content.children[i].name, name) != 0;
             i++)
            if (content.children[i].required && !has_seen(parent, content.children[i].name)) {
                report(s, to, at_line, at_column, "<%s> needs %s<%s> before <%s>", in,
                       article(content.children[i].name), content.children[i].name, name);
                return true;
            }
        if (parent->last_child)
            report(s, to, at_line, at_column, "<%s> cannot follow <%s> in <%s>", name,
                   (const char *)parent->last_child, in);
        else
            report(s, to, at_line, at_column, "<%s> cannot come first in <%s>", name, in);
        return true;
    }
    ky_rng_content anywhere;
    ky_rng_content_at(s->table, &name, 1, &anywhere);
    if (content.child_count == 0)
        report(s, to, at_line, at_column, "%s <%s> in <%s>, which holds %s",
               anywhere.known ? "element" : "unknown element", name, in,
               content.text ? "only text" : "nothing");
    else if (anywhere.known)
        report(s, to, at_line, at_column, "<%s> does not belong in <%s>; expected %s%s", name, in,
               expected, maybe);
    else
        report(s, to, at_line, at_column, "unknown element <%s> in <%s>; expected %s%s", name, in,
               expected, maybe);
    return true;
}

/* A violation libxml2 finds while it validates a part as a whole (inline
 * markup is mixed content, where the schema is not deterministic): it
 * names the part (an <en> in an interleave) or an element below it, but
 * not where the part goes wrong. The first element under node that its
 * parent may not hold, by the schema table and the element's ancestors
 * in the tree, is the explanation. */
static bool explain_inside(ky_xml_stream *s, xmlNodePtr node)
{
    for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue;
        const char *path[64];
        size_t depth = 0;
        for (xmlNodePtr up = node; up && up->type == XML_ELEMENT_NODE && depth < 64;
             up = up->parent)
            depth++;
        if (depth == 64) return false;
        size_t i = depth;
        for (xmlNodePtr up = node; i > 0; up = up->parent)
            path[--i] = (const char *)up->name;
        ky_rng_content content;
        ky_rng_content_at(s->table, path, depth, &content);
        const char *name = (const char *)child->name;
        if (!has_child(&content, name)) {
            char expected[512], maybe[128];
            list_names(content.children, content.child_count, true, expected, sizeof expected);
            hint(name, content.children, content.child_count, true, maybe, sizeof maybe);
            ky_rng_content anywhere;
            ky_rng_content_at(s->table, &name, 1, &anywhere);
            int line = (int)xmlGetLineNo(child), column = 0;
            size_t tag = 0;
            if (tag_of(s, child->name, line, NULL, &tag)) position_at(s, tag, &line, &column);
            const char *in = (const char *)node->name;
            const char *of = depth > 1 ? path[depth - 2] : NULL;
            if (content.child_count == 0)
                report(s, &s->validity_errors, line, column, "%s <%s> in <%s>, which holds %s",
                       anywhere.known ? "element" : "unknown element", name, in,
                       content.text ? "only text" : "nothing");
            else if (anywhere.known)
                report(s, &s->validity_errors, line, column,
                       "<%s> is not allowed in the <%s> of <%s>; expected %s", name, in,
                       of ? of : in, expected);
            else
                report(s, &s->validity_errors, line, column,
                       "unknown element <%s> in the <%s> of <%s>; expected %s%s", name, in,
                       of ? of : in, expected, maybe);
            return true;
        }
        if (explain_inside(s, child)) return true;
    }
    return false;
}

/* The end of the tag, comment or declaration at `at` (just past it). */
static size_t skip_markup(const ky_xml_stream *s, size_t at)
{
    const char *b = s->buffer + at;
    size_t left = s->size - at;
    const char *end = NULL;
    if (left >= 4 && memcmp(b, "<!--", 4) == 0)
        end = memmem(b + 4, left - 4, "-->", 3), end = end ? end + 3 : NULL;
    else if (left >= 2 && b[1] == '?')
        end = memmem(b + 2, left - 2, "?>", 2), end = end ? end + 2 : NULL;
    else {
        char quote = 0;
        for (size_t i = 1; i < left && !end; i++)
            if (quote)
                quote = b[i] == quote ? 0 : quote;
            else if (b[i] == '"' || b[i] == '\'')
                quote = b[i];
            else if (b[i] == '>')
                end = b + i + 1;
    }
    return end ? (size_t)(end - s->buffer) : s->size;
}

/* The first character of text directly in the element whose start tag is
 * at tag (not in its children): where "text directly in <p>" points. */
static bool first_text(const ky_xml_stream *s, size_t tag, size_t *offset)
{
    int depth = 0;
    for (size_t at = skip_markup(s, tag); at < s->size;) {
        const char *b = s->buffer + at;
        if (*b != '<') {
            if (depth == 0 && *b != ' ' && *b != '\t' && *b != '\n' && *b != '\r') {
                *offset = at;
                return true;
            }
            at++;
            continue;
        }
        if (s->size - at >= 9 && memcmp(b, "<![CDATA[", 9) == 0 && depth == 0) {
            *offset = at;
            return true;
        }
        size_t end = skip_markup(s, at);
        if (b[1] == '/') {
            if (depth-- == 0) return false; /* the element's own end */
        } else if (b[1] != '!' && b[1] != '?' && !(end >= 2 && s->buffer[end - 2] == '/')) {
            depth++;
        }
        at = end;
    }
    return false;
}

/* Text in an element that holds only elements (node, the top of open[]). */
static bool explain_text(ky_xml_stream *s, xmlNodePtr node, int line)
{
    /* libxml2 points at the element, or at the child the text follows. */
    if (!s->open_count || (xmlStrcmp(s->open[s->open_count - 1].name, node->name) != 0 &&
                           !(s->just_closed && xmlStrcmp(s->closed.name, node->name) == 0)))
        return false;
    const ky_open_element *element = &s->open[s->open_count - 1];
    const char *name = (const char *)element->name;
    line = element->line;
    ky_rng_content content;
    content_of(s, s->open_count, NULL, &content);
    size_t tag = 0;
    int at_line = line, at_column = 0;
    if (tag_of(s, element->name, line, element, &tag)) {
        size_t text = 0;
        position_at(s, first_text(s, tag, &text) ? text : tag, &at_line, &at_column);
    }
    char expected[512];
    list_names(content.children, content.child_count, true, expected, sizeof expected);
    if (has_child(&content, "en") && has_child(&content, "ja"))
        report(s, &s->validity_errors, at_line, at_column,
               "text directly in <%s>: put it in <en> and <ja>", name);
    else if (content.child_count == 0)
        report(s, &s->validity_errors, at_line, at_column, "text in <%s>, which must be empty",
               name);
    else
        report(s, &s->validity_errors, at_line, at_column, "text directly in <%s>; expected %s",
               name, expected);
    return true;
}

/* An element that ended without what it needs: libxml2 says so as the
 * reader moves past its end, pointing at its last child (or at itself). */
static bool explain_missing(ky_xml_stream *s)
{
    const ky_open_element *element = NULL;
    size_t depth = s->open_count;
    /* (node may be a child the reader has freed: only its pointer is used) */
    if (s->just_closed)
        element = &s->closed;
    else if (s->open_count)
        element = &s->open[--depth];
    if (!element) return false;
    const char *name = (const char *)element->name;
    ky_rng_content content;
    content_of(s, depth, name, &content);
    ky_rng_item missing[KY_RNG_MAX_ITEMS];
    size_t count = 0;
    for (size_t i = 0; i < content.child_count; i++)
        if (content.children[i].required && !has_seen(element, content.children[i].name))
            missing[count++] = content.children[i];
    if (count == 0) return false;
    char names[512];
    list_names(missing, count, true, names, sizeof names);
    for (char *and = strrchr(names, ','); and&&count > 1; and = NULL)
        memmove(and+4, and+1, strlen(and+1) + 1), memcpy(and, " and", 4);
    size_t tag = 0;
    int at_line = element->line, at_column = 0;
    if (tag_of(s, element->name, element->line, element, &tag))
        position_at(s, tag, &at_line, &at_column);
    report(s, &s->validity_errors, at_line, at_column, "<%s> needs %s%s", name,
           count == 1 ? article(missing[0].name) : "", names);
    return true;
}

/* What is wrong with node's attributes: each unknown one, each value of the
 * wrong form, each required one missing. */
static bool explain_attributes(ky_xml_stream *s, xmlNodePtr node, int line)
{
    if (node == s->attributes_of && line == s->attributes_line) return true;
    const char *name = (const char *)node->name;
    ky_rng_content content;
    bool pushed = s->open_count && xmlStrcmp(s->open[s->open_count - 1].name, node->name) == 0 &&
                  s->open[s->open_count - 1].line == line;
    content_of(s, s->open_count, pushed ? NULL : name, &content);
    size_t tag = 0;
    int tag_line = line, tag_column = 0;
    bool found_tag = tag_of(s, node->name, line, pushed ? &s->open[s->open_count - 1] : NULL, &tag);
    if (found_tag) position_at(s, tag, &tag_line, &tag_column);
    ky_diags *to = &s->validity_errors;
    int before = to->errors;
    char allowed[512], maybe[128], words[512];
    list_names(content.attributes, content.attribute_count, false, allowed, sizeof allowed);
    for (xmlAttrPtr attr = node->properties; attr; attr = attr->next) {
        char full[256];
        snprintf(full, sizeof full, "%s%s%s",
                 attr->ns && attr->ns->prefix ? (const char *)attr->ns->prefix : "",
                 attr->ns && attr->ns->prefix ? ":" : "", (const char *)attr->name);
        int at_line = tag_line, at_column = tag_column;
        size_t offset;
        if (found_tag && find_attribute(s, tag, full, &offset))
            position_at(s, offset, &at_line, &at_column);
        const ky_rng_item *def = NULL;
        for (size_t i = 0; i < content.attribute_count && !def; i++)
            if (strcmp(content.attributes[i].name, full) == 0) def = &content.attributes[i];
        if (!def) {
            hint(full, content.attributes, content.attribute_count, false, maybe, sizeof maybe);
            if (content.attribute_count)
                report(s, to, at_line, at_column, "unknown attribute %s on <%s>; expected %s%s",
                       full, name, allowed, maybe);
            else
                report(s, to, at_line, at_column, "unknown attribute %s on <%s>, which takes none",
                       full, name);
            continue;
        }
        xmlChar *value = xmlNodeListGetString(node->doc, attr->children, 1);
        const char *expect = NULL;
        if (!ky_rng_value_ok(def, value ? (const char *)value : "", words, sizeof words, &expect) &&
            expect)
            report(s, to, at_line, at_column, "%s \"%.80s%s\" must be %s", full,
                   value ? (const char *)value : "", value && xmlStrlen(value) > 80 ? "…" : "",
                   expect);
        xmlFree(value);
    }
    for (size_t i = 0; i < content.attribute_count; i++) {
        const ky_rng_item *def = &content.attributes[i];
        if (!def->required) continue;
        bool present = false;
        for (xmlAttrPtr attr = node->properties; attr && !present; attr = attr->next)
            present = strcmp((const char *)attr->name, def->name) == 0;
        if (!present)
            report(s, to, tag_line, tag_column, "<%s> needs a%s %s attribute", name,
                   strchr("aeiou", def->name[0]) ? "n" : "", def->name);
    }
    s->attributes_of = node;
    s->attributes_line = line;
    return to->errors > before;
}

static ky_rng *load_table(ky_schema schema)
{
    size_t size;
    const char *text = schema_text(schema, &size);
    return ky_rng_load(text, size);
}

/* A schema violation in the draft's terms; libxml2's words when kyodo has
 * none (never nothing). */
static void explain_violation(ky_xml_stream *s, xmlErrorPtr error)
{
    /* libxml2 names the element a violation is about; at an element's end
     * that may be a child the reader has freed, so kyodo's own record of
     * the open elements is used there, and the node only when current. */
    bool at_end = false, attributes = false;
    switch (error->code) {
    case XML_RELAXNG_ERR_NOELEM:
    case XML_RELAXNG_ERR_NOTELEM:
    case XML_RELAXNG_ERR_CONTENTVALID:
    case XML_RELAXNG_ERR_INTERSEQ:
    case XML_RELAXNG_ERR_INTERNODATA:
    case XML_RELAXNG_ERR_EXTRACONTENT:
        at_end = true;
        break;
    case XML_RELAXNG_ERR_TYPEVAL:
    case XML_RELAXNG_ERR_TYPE:
    case XML_RELAXNG_ERR_ATTRVALID:
    case XML_RELAXNG_ERR_INVALIDATTR:
    case XML_RELAXNG_ERR_ATTRNAME:
    case XML_RELAXNG_ERR_ATTREXTRANS:
    case XML_RELAXNG_ERR_DATATYPE:
    case XML_RELAXNG_ERR_VALUE:
    case XML_RELAXNG_ERR_LIST:
        attributes = true;
        break;
    default:
        break;
    }
    /* An element whose attribute was wrong (<foreign lang="fr">) then
     * lacks, to libxml2, the content it was matched for: no news. Only the
     * pointer is compared (at the end the node may be freed). */
    if (at_end && error->node && (xmlNodePtr)error->node == s->attributes_of &&
        error->line == s->attributes_line)
        return;
    xmlNodePtr node = at_end ? NULL : error->node;
    if (node && node->type != XML_ELEMENT_NODE) node = NULL;
    int line = error->line;
    /* libxml2 caps the line it reports at 65535; the node knows better. */
    if ((line == 0 || line == 65535) && node) line = (int)xmlGetLineNo(node);
    /* Validating a part as a whole (where the schema is not deterministic),
     * libxml2 names the element but points at a child of it. */
    if (attributes && node && error->str1 && error->code == XML_RELAXNG_ERR_ATTRVALID &&
        xmlStrcmp(node->name, BAD_CAST error->str1) != 0 && node->parent &&
        node->parent->type == XML_ELEMENT_NODE &&
        xmlStrcmp(node->parent->name, BAD_CAST error->str1) == 0)
        node = node->parent;
    if (attributes && node && node == s->attributes_of && line == s->attributes_line)
        return; /* a consequence of what was said of its attributes */
    bool explained = false;
    if (s->tracking && !s->table) s->table = load_table(s->schema);
    if (s->tracking && s->table) {
        if (at_end)
            explained = explain_missing(s);
        else if (attributes)
            explained = node && explain_attributes(s, node, line);
        else if (error->code == XML_RELAXNG_ERR_TEXTWRONG)
            explained = node && explain_text(s, node, line);
        else if (error->code == XML_RELAXNG_ERR_ELEMWRONG)
            explained = node && (explain_element(s, node, line) ||
                                 (node->parent && explain_inside(s, node->parent)));
        else if (error->code == XML_RELAXNG_ERR_INTEREXTRA)
            explained = error->node && explain_inside(s, (xmlNodePtr)error->node);
    }
    if (!explained)
        ky_diag_add(&s->validity_errors, KY_ERROR, s->path, line, 0, "%s",
                    error->message ? error->message : "schema violation");
    /* Once an element's content is wrong, libxml2 loses its place in it and
     * in every element around it: what it says after is a consequence. */
    if (!attributes) s->lost = true;
}

/* A well-formedness error in plain words; libxml2's when kyodo has none. */
static void explain_parse_error(ky_xml_stream *s, xmlErrorPtr error)
{
    int line = error->line, column = error->int2;
    ky_diags *to = &s->parse_errors;
    char found = 0;
    int at;
    switch (error->code) {
    case XML_ERR_NAME_REQUIRED:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
    case XML_ERR_LT_IN_ATTRIBUTE:
        at = last_before(s, line, column, "&<", &found);
        if (found == '&' && error->code != XML_ERR_LT_IN_ATTRIBUTE) {
            report(s, to, line, at, "\"&\" must be written \"&amp;\"");
            return;
        }
        if (found == '<' && error->code != XML_ERR_ENTITYREF_SEMICOL_MISSING) {
            report(s, to, line, at, "\"<\" must be written \"&lt;\"");
            return;
        }
        break;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        at = last_before(s, line, column, "&", &found);
        if (found && error->str1) {
            report(s, to, line, at,
                   "unknown entity \"&%s;\": write the character itself (\"&amp;\" for \"&\")",
                   (const char *)error->str1);
            return;
        }
        break;
    case XML_ERR_TAG_NAME_MISMATCH:
        if (error->str1 && error->str2) {
            at = end_tag_before(s, line, column, (const char *)error->str2);
            report(s, to, line, at ? at : column, "</%s> closes <%s> opened at line %d",
                   (const char *)error->str2, (const char *)error->str1, error->int1);
            return;
        }
        break;
    case XML_ERR_TAG_NOT_FINISHED:
    case XML_ERR_DOCUMENT_END:
        if (s->tracking && s->open_count) {
            const ky_open_element *element = &s->open[s->open_count - 1];
            size_t tag = 0;
            int at_line = element->line, at_column = 0;
            if (tag_of(s, element->name, element->line, element, &tag))
                position_at(s, tag, &at_line, &at_column);
            report(s, to, at_line, at_column,
                   "<%s> is never closed: the file ends before its </%s>",
                   (const char *)element->name, (const char *)element->name);
            return;
        }
        if (error->code == XML_ERR_DOCUMENT_END && s->tracking && s->root) {
            report(s, to, line, column,
                   "more after the end of <%s>: a document has one root element",
                   (const char *)s->root);
            return;
        }
        break;
    default:
        if (error->message && strstr(error->message, "Char value ")) {
            long value = strtol(strstr(error->message, "Char value ") + 11, NULL, 10);
            report(s, to, line, column, "character U+%04lX is not allowed in XML", value);
            return;
        }
        if (error->message && strncmp(error->message, "Input is not proper UTF-8", 25) == 0) {
            const char *bytes = strstr(error->message, "Bytes: ");
            report(s, to, line, column,
                   "byte %.4s is not UTF-8, the encoding the draft declares: save it as UTF-8, "
                   "or declare the encoding it is in",
                   bytes ? bytes + 7 : "?");
            return;
        }
        break;
    }
    report(s, to, line, column, "%s", error->message ? error->message : "XML error");
}

/* Follows the reader through the first pass: the elements open, and the
 * children each has had. */
static void track(ky_xml_stream *s)
{
    int type = xmlTextReaderNodeType(s->reader), depth = xmlTextReaderDepth(s->reader);
    s->just_closed = false;
    if (depth < 0) return;
    if (type == XML_READER_TYPE_ELEMENT) {
        const xmlChar *name = xmlTextReaderConstName(s->reader);
        if ((size_t)depth < s->open_count) s->open_count = (size_t)depth;
        if (s->open_count) {
            ky_open_element *parent = &s->open[s->open_count - 1];
            parent->last_child = name;
            int i = 0;
            while (i < parent->seen_count && parent->seen[i] != name)
                i++;
            if (i == parent->seen_count && i < KY_SEEN_MAX)
                parent->seen[parent->seen_count++] = name;
        } else {
            s->root = name;
        }
        if (s->open_count == s->open_capacity) {
            s->open_capacity = s->open_capacity ? 2 * s->open_capacity : 32;
            s->open = ky_xrealloc(s->open, s->open_capacity, sizeof *s->open);
        }
        xmlNodePtr node = xmlTextReaderCurrentNode(s->reader);
        size_t tag = SIZE_MAX;
        /* Once the reader and the scan disagree (an element from an entity,
         * a declaration kyodo skips wrongly), the scan stops for good:
         * searching again from the same place for every element would
         * cost time quadratic in the document. */
        if (s->quotable && !s->tags_lost) {
            /* (a start tag begins on the line libxml2 gives or before it,
             * below 65535) */
            long line = node ? xmlGetLineNo(node) : 0;
            if (next_start_tag(s, s->tags, (const char *)name, &tag) &&
                (line <= 0 || line >= 65535 || line_of(s, tag) <= line)) {
                s->tags = tag + 1;
            } else {
                s->tags_lost = true;
                tag = SIZE_MAX;
            }
        }
        s->open[s->open_count++] = (ky_open_element){.name = name,
                                                     .line = tag != SIZE_MAX ? line_of(s, tag)
                                                             : node ? (int)xmlGetLineNo(node)
                                                                    : 0,
                                                     .tag = tag};
        if (xmlTextReaderIsEmptyElement(s->reader)) {
            s->closed = s->open[--s->open_count];
            s->just_closed = true;
        }
    } else if (type == XML_READER_TYPE_END_ELEMENT && (size_t)depth < s->open_count) {
        s->open_count = (size_t)depth;
        s->closed = s->open[depth];
        s->just_closed = true;
    }
}

static void on_reader_error(void *data, xmlErrorPtr error)
{
    ky_xml_stream *stream = data;
    if (error->level == XML_ERR_WARNING) return;
    bool validity = error->domain == XML_FROM_RELAXNGV || error->domain == XML_FROM_RELAXNGP;
    if (validity) {
        if (stream->lost) return;
        explain_violation(stream, error);
    } else if (stream->parse_errors.errors == 0) {
        /* The first error is the problem; the parser loses its way after. */
        explain_parse_error(stream, error);
    }
}

static void stream_free(ky_xml_stream *stream)
{
    ky_rng_free(stream->table);
    free(stream->open);
    ky_diags_free(&stream->parse_errors);
    ky_diags_free(&stream->validity_errors);
    if (stream->reader) xmlFreeTextReader(stream->reader);
    if (stream->rng) xmlRelaxNGFree(stream->rng);
    free(stream->buffer);
    free(stream);
}

/* The reader stops without a word when the bytes are not in the encoding
 * the document declares (libxml2 only prints "encoder error" by itself):
 * kyodo finds the first such byte with iconv, and says when the file
 * looks like UTF-8 instead. */
static void explain_encoding(ky_xml_stream *s)
{
    char name[64];
    if (!declared_encoding(s->buffer, s->size, name, sizeof name)) return;
    ky_diags scratch;
    ky_diags_init(&scratch);
    size_t size = s->size;
    char *decoded = transcode(s->path, name, s->buffer, &size, &scratch);
    free(decoded);
    if (scratch.first) {
        bool utf8 = true;
        for (size_t pos = 0; pos < s->size && utf8;)
            utf8 = ky_utf8_next(s->buffer, s->size, &pos) != KY_UTF8_INVALID;
        ky_diag_add(&s->parse_errors, KY_ERROR, s->path, scratch.first->line, 0,
                    "%s, the encoding the XML declaration names%s", scratch.first->message,
                    utf8 ? ": the file is UTF-8, so declare encoding=\"UTF-8\"" : "");
    }
    ky_diags_free(&scratch);
}

/* What is wrong with what the reader read, reported: only its parse errors
 * when it is not well-formed (as a whole-tree parse would: validity errors
 * before the break add nothing), else, when asked, its schema violations.
 * Returns 0 for a well-formed (and valid) document. */
static int verdict(ky_xml_stream *stream, bool validity)
{
    if (stream->status != 0 || stream->parse_errors.errors) {
        if (stream->parse_errors.errors == 0) explain_encoding(stream);
        if (stream->parse_errors.errors == 0)
            ky_error(stream->diags, stream->path, 0, "not well-formed XML");
        ky_diags_append(stream->diags, &stream->parse_errors);
        return -1;
    }
    if (validity && (stream->validity_errors.errors || xmlTextReaderIsValid(stream->reader) != 1)) {
        if (stream->validity_errors.errors == 0)
            ky_error(stream->diags, stream->path, 0, "does not match the schema");
        ky_diags_append(stream->diags, &stream->validity_errors);
        return -1;
    }
    return 0;
}

/* A stream over buffer (prepared: see prepare; owned from here on), its
 * first pass done: the document read through once, streaming (a few
 * megabytes whatever its size), checked well-formed and, unless schema is
 * KY_SCHEMA_NONE, valid, with what is wrong said in the document's terms.
 * NULL (with diagnostics) if it is not. */
static ky_xml_stream *validated(const char *path, char *buffer, size_t size, const char *parse_as,
                                ky_schema schema, ky_diags *diags)
{
    ky_xml_stream *stream = ky_xcalloc(1, sizeof *stream);
    stream->path = path;
    stream->buffer = buffer;
    stream->size = size;
    stream->diags = diags;
    stream->schema = schema;
    stream->quotable = parse_as || !declares_foreign_encoding(buffer, size);
    ky_diags_init(&stream->parse_errors);
    ky_diags_init(&stream->validity_errors);
    if (schema != KY_SCHEMA_NONE) {
        /* The model is then built only from a valid draft, so that
         * draft.c may rely on the schema. */
        if (!(stream->rng = compile_schema(schema, diags))) {
            stream_free(stream);
            return NULL;
        }
        stream->reader = xmlReaderForMemory(buffer, (int)size, path, parse_as, parse_options);
        if (!stream->reader) ky_out_of_memory();
        xmlTextReaderSetStructuredErrorHandler(stream->reader, on_reader_error, stream);
        xmlTextReaderRelaxNGSetSchema(stream->reader, stream->rng);
        stream->tracking = true;
        while ((stream->status = xmlTextReaderRead(stream->reader)) == 1)
            track(stream);
        int valid = verdict(stream, true);
        stream->tracking = false;
        xmlFreeTextReader(stream->reader);
        stream->reader = NULL;
        if (valid != 0) {
            stream_free(stream);
            return NULL;
        }
    }
    return stream;
}

ky_xml_stream *ky_xml_stream_open(const char *path, const char *text, size_t size, ky_schema schema,
                                  const char *encoding, ky_diags *diags)
{
    char *buffer;
    if (text) {
        if (size > KY_XML_MAX_BYTES) {
            ky_error(diags, path, 0, "file is larger than %zu MB",
                     KY_XML_MAX_BYTES / (1024 * 1024));
            return NULL;
        }
        if (size == 0) {
            ky_error(diags, path, 0, "file is empty");
            return NULL;
        }
        buffer = ky_xmalloc(size + 1);
        memcpy(buffer, text, size);
        buffer[size] = '\0';
    } else if (!(buffer = read_file(path, &size, diags))) {
        return NULL;
    }
    const char *parse_as = NULL;
    if (!(buffer = prepare(path, buffer, &size, encoding, &parse_as, diags))) return NULL;
    ky_xml_stream *stream = validated(path, buffer, size, parse_as, schema, diags);
    if (!stream) return NULL;
    /* xmlReaderForMemory reads the buffer in place, without a copy. */
    stream->reader = xmlReaderForMemory(buffer, (int)size, path, parse_as, parse_options);
    if (!stream->reader) ky_out_of_memory();
    xmlTextReaderSetStructuredErrorHandler(stream->reader, on_reader_error, stream);
    stream->status = 1;
    return stream;
}

/* Reads on to the next element at depth (0: the root, 1: its children);
 * NULL at the end of that level or of the document. */
static xmlNodePtr next_element(ky_xml_stream *stream, int depth)
{
    while (stream->status == 1) {
        /* Past an expanded part: skip its subtree (the reader validates it
         * and frees it on the way). */
        stream->status = stream->expanded ? xmlTextReaderNext(stream->reader)
                                          : xmlTextReaderRead(stream->reader);
        stream->expanded = false;
        if (stream->status != 1) break;
        int type = xmlTextReaderNodeType(stream->reader);
        int at = xmlTextReaderDepth(stream->reader);
        if (type == XML_READER_TYPE_END_ELEMENT && at < depth) return NULL;
        if (type != XML_READER_TYPE_ELEMENT || at != depth) continue;
        if (depth == 0) return xmlTextReaderCurrentNode(stream->reader);
        stream->expanded = true;
        return xmlTextReaderExpand(stream->reader);
    }
    return NULL;
}

xmlNodePtr ky_xml_stream_root(ky_xml_stream *stream)
{
    return next_element(stream, 0);
}

xmlNodePtr ky_xml_stream_next(ky_xml_stream *stream)
{
    return next_element(stream, 1);
}

char *ky_xml_root_attribute(const char *path, const char *text, size_t size, const char *encoding,
                            const char *name, ky_diags *diags)
{
    ky_xml_stream *stream = ky_xml_stream_open(path, text, size, KY_SCHEMA_NONE, encoding, diags);
    if (!stream) return NULL;
    xmlNodePtr root = ky_xml_stream_root(stream);
    char *attr = root ? ky_xml_attr(root, name) : NULL;
    char *value = attr ? ky_xstrdup(attr) : NULL;
    xmlFree(attr);
    stream_free(stream);
    return value;
}

int ky_xml_stream_close(ky_xml_stream *stream)
{
    if (!stream) return -1;
    /* Whatever the caller did not read is still read (validation was the
     * first pass's). */
    while (stream->reader && stream->status == 1)
        next_element(stream, 99);
    int status = stream->reader ? verdict(stream, false) : -1;
    stream_free(stream);
    return status;
}
