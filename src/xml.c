#include "xml.h"

#include "arena.h"
#include "file.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The schema compiled from the copy built into the binary. */
static xmlRelaxNGPtr compile_schema(ky_schema schema, ky_diags *diags)
{
    const char *start = ky_schema_draft, *end = ky_schema_draft_end;
    if (schema == KY_SCHEMA_TEMPLATE)
        start = ky_schema_template, end = ky_schema_template_end;
    else if (schema == KY_SCHEMA_FONTSET)
        start = ky_schema_fontset, end = ky_schema_fontset_end;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(start, (int)(end - start));
    ky_xml_sink schema_sink = {diags, "<built-in schema>"};
    xmlRelaxNGSetParserStructuredErrors(pctxt, on_schema_error, &schema_sink);
    xmlRelaxNGPtr rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return rng;
}

static int validate(xmlDocPtr doc, ky_schema schema, ky_xml_sink *sink)
{
    xmlRelaxNGPtr rng = compile_schema(schema, sink->diags);
    if (!rng) return -1;
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_schema_error, sink);
    int before = sink->diags->errors;
    int result = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlRelaxNGFree(rng);
    if (result != 0 && sink->diags->errors == before)
        ky_error(sink->diags, sink->path, 0, "does not match the schema");
    return result == 0 ? 0 : -1;
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
 * document can never pull in another file or expand without bound. */
static const int parse_options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;

static xmlDocPtr parse_buffer(const char *path, char *buffer, size_t size, ky_schema schema,
                              const char *encoding, ky_diags *diags)
{
    const char *parse_as = NULL;
    buffer = prepare(path, buffer, &size, encoding, &parse_as, diags);
    if (!buffer) return NULL;
    ky_xml_sink sink = {diags, path};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        free(buffer);
        ky_error(diags, path, 0, "out of memory");
        return NULL;
    }
    ctxt->_private = &sink;
    ctxt->sax->serror = on_parser_error;
    int options = parse_options;
    int before = diags->errors;
    /* Read through a callback rather than xmlCtxtReadMemory, which copies
     * the whole input into a buffer of its own: libxml2 then takes the
     * draft in small pieces and drops what it has parsed. */
    ky_xml_reader reader = {buffer, size};
    xmlDocPtr doc = xmlCtxtReadIO(ctxt, read_piece, NULL, &reader, path, parse_as, options);
    xmlFreeParserCtxt(ctxt);
    free(buffer);
    if (!doc || diags->errors > before) {
        if (diags->errors == before) ky_error(diags, path, 0, "not well-formed XML");
        if (doc) xmlFreeDoc(doc);
        return NULL;
    }
    if (validate(doc, schema, &sink) != 0) {
        xmlFreeDoc(doc);
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
struct ky_xml_stream {
    const char *path;
    char *buffer;
    xmlRelaxNGPtr rng;
    xmlTextReaderPtr reader;
    ky_diags *diags;
    ky_diags parse_errors, validity_errors; /* kept apart: see ky_xml_stream_close */
    int status;        /* of the last xmlTextReaderRead: 1 while there is more */
    int validity_line; /* of the last schema violation reported */
    bool expanded;
};

static void on_reader_error(void *data, xmlErrorPtr error)
{
    ky_xml_stream *stream = data;
    if (error->level == XML_ERR_WARNING) return;
    bool validity = error->domain == XML_FROM_RELAXNGV || error->domain == XML_FROM_RELAXNGP;
    int line = error->line;
    if (line == 0 && error->node) line = xmlGetLineNo((xmlNodePtr)error->node);
    /* The streaming validator follows its first message on a line with
     * consequences of it ("Element issued failed to validate attributes",
     * "Invalid attribute date"): one message per problem. */
    if (validity && line > 0 && line == stream->validity_line) return;
    if (validity) stream->validity_line = line;
    ky_diag_add(validity ? &stream->validity_errors : &stream->parse_errors, KY_ERROR, stream->path,
                line, validity ? 0 : error->int2, "%s",
                error->message ? error->message : (validity ? "schema violation" : "XML error"));
}

static void stream_free(ky_xml_stream *stream)
{
    ky_diags_free(&stream->parse_errors);
    ky_diags_free(&stream->validity_errors);
    if (stream->reader) xmlFreeTextReader(stream->reader);
    if (stream->rng) xmlRelaxNGFree(stream->rng);
    free(stream->buffer);
    free(stream);
}

/* What is wrong with what the reader read, reported: only its parse errors
 * when it is not well-formed (as a whole-tree parse would: validity errors
 * before the break add nothing), else, when asked, its schema violations.
 * Returns 0 for a well-formed (and valid) document. */
static int verdict(ky_xml_stream *stream, bool validity)
{
    if (stream->status != 0 || stream->parse_errors.errors) {
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
    ky_xml_stream *stream = ky_xcalloc(1, sizeof *stream);
    stream->path = path;
    stream->buffer = buffer;
    stream->diags = diags;
    ky_diags_init(&stream->parse_errors);
    ky_diags_init(&stream->validity_errors);
    if (schema != KY_SCHEMA_NONE) {
        /* A first pass validates the whole document, streaming too (a few
         * megabytes whatever its size): the model is then built only from
         * a valid draft, so that draft.c may rely on the schema. */
        if (!(stream->rng = compile_schema(schema, diags))) {
            stream_free(stream);
            return NULL;
        }
        stream->reader = xmlReaderForMemory(buffer, (int)size, path, parse_as, parse_options);
        if (!stream->reader) ky_out_of_memory();
        xmlTextReaderSetStructuredErrorHandler(stream->reader, on_reader_error, stream);
        xmlTextReaderRelaxNGSetSchema(stream->reader, stream->rng);
        while ((stream->status = xmlTextReaderRead(stream->reader)) == 1)
            ;
        int valid = verdict(stream, true);
        xmlFreeTextReader(stream->reader);
        stream->reader = NULL;
        if (valid != 0) {
            stream_free(stream);
            return NULL;
        }
    }
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
