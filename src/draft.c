#include "draft.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "date.h"
#include "template.h"
#include "utf8.h"
#include "xml.h"

/* A revision counts the drafts of one statement: six digits leave room for
 * a CI build number, and any int-sized count stays exact in messages. */
enum { KY_REVISION_MAX = 999999, KY_TEXT_MAX_BYTES = 2 * 1024 * 1024 };

typedef struct {
    ky_arena *arena;
    ky_diags *diags;
    const char *path;
    int notes[KY_LANG_COUNT]; /* numbered so far, per language */
    const ky_doc *doc;        /* its parties, read first, for <party ref> */
} ky_draft_ctx;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t ky_collapse_space(ky_ws_state *state, const char *in, size_t len, char *out)
{
    size_t n = 0;
    size_t pos = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)in[pos];
        if (is_space(c)) {
            state->pending_space = 1;
            if (c == '\n') state->pending_newline = 1;
            pos++;
            continue;
        }
        size_t start = pos;
        uint32_t cp = ky_utf8_next(in, len, &pos);
        if (state->pending_space && state->last_cp != 0) {
            /* A line break between two Japanese characters is a source
             * line wrap, not a word space. */
            int joined = state->pending_newline && ky_is_wide(state->last_cp) && ky_is_wide(cp);
            if (!joined) out[n++] = ' ';
        }
        state->pending_space = 0;
        state->pending_newline = 0;
        memcpy(out + n, in + start, pos - start);
        n += pos - start;
        state->last_cp = cp;
    }
    return n;
}

/* NFC, so that the PDF's text is the canonical form of the draft's. */
static const char *normalize_nfc(ky_draft_ctx *ctx, const char *text, size_t *len)
{
    int ascii = 1;
    for (size_t i = 0; i < *len; i++)
        if ((unsigned char)text[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) return text;
    /* ICU's own allocations follow kyodo's policy too; its other failures
     * (none expected on validated UTF-8) leave the text as it is. */
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (status == U_MEMORY_ALLOCATION_ERROR) ky_out_of_memory();
    if (U_FAILURE(status)) return text;
    /* The UTF-16 forms are scratch memory, freed here: only a text that
     * changes keeps a new copy (nearly all drafts are NFC already). */
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, text, (int32_t)*len, &status);
    status = U_ZERO_ERROR;
    UChar *utf16 = ky_xcalloc((size_t)ulen + 1, sizeof(UChar));
    UChar *normal = NULL;
    const char *result = text;
    u_strFromUTF8(utf16, ulen + 1, NULL, text, (int32_t)*len, &status);
    if (U_FAILURE(status) || unorm2_quickCheck(nfc, utf16, ulen, &status) == UNORM_YES) goto done;
    status = U_ZERO_ERROR;
    int32_t nlen = unorm2_normalize(nfc, utf16, ulen, NULL, 0, &status);
    status = U_ZERO_ERROR;
    normal = ky_xcalloc((size_t)nlen + 1, sizeof(UChar));
    unorm2_normalize(nfc, utf16, ulen, normal, nlen + 1, &status);
    if (status == U_MEMORY_ALLOCATION_ERROR) ky_out_of_memory();
    if (U_FAILURE(status)) goto done;
    int32_t blen = 0;
    u_strToUTF8(NULL, 0, &blen, normal, nlen, &status);
    status = U_ZERO_ERROR;
    char *out = ky_arena_alloc(ctx->arena, (size_t)blen + 1);
    u_strToUTF8(out, blen + 1, NULL, normal, nlen, &status);
    if (U_FAILURE(status)) goto done;
    *len = (size_t)blen;
    result = out;
done:
    free(utf16);
    free(normal);
    return result;
}

/* Appends raw's text as a span; text that collapses to nothing (white
 * space between elements) adds none, which is not an error. */
static ky_span *add_span(ky_draft_ctx *ctx, ky_span ***tail, ky_ws_state *ws, const char *raw,
                         unsigned style)
{
    size_t raw_len = strlen(raw);
    char *buffer = ky_arena_alloc(ctx->arena, raw_len + 2);
    size_t len = ky_collapse_space(ws, raw, raw_len, buffer);
    if (len == 0) return NULL;
    ky_span *span = KY_NEW(ctx->arena, ky_span);
    span->text = normalize_nfc(ctx, buffer, &len);
    span->len = len;
    span->style = style;
    **tail = span;
    *tail = &span->next;
    return span;
}

static const char *attr_dup(ky_draft_ctx *ctx, xmlNodePtr node, const char *name);

/* A <note>: its reference attaches to the word before it (white space
 * before <note> is dropped, as a footnote mark stands against its word);
 * its text is read as any text is. */
static void read_note(ky_draft_ctx *ctx, xmlNodePtr element, ky_lang lang, ky_span ***tail,
                      ky_ws_state *ws);

/* A span that merge fills in (a party's name): white space around it
 * counts as around a word. */
static ky_span *add_placeholder(ky_draft_ctx *ctx, ky_span ***tail, ky_ws_state *ws, unsigned style)
{
    if (ws->pending_space && ws->last_cp) {
        ky_span *space = KY_NEW(ctx->arena, ky_span);
        space->text = " ";
        space->len = 1;
        **tail = space;
        *tail = &space->next;
    }
    ky_span *span = KY_NEW(ctx->arena, ky_span);
    span->text = "";
    span->style = style;
    **tail = span;
    *tail = &span->next;
    ws->pending_space = 0;
    ws->pending_newline = 0;
    ws->last_cp = 'A';
    return span;
}

static ky_party_form read_form(xmlNodePtr node, ky_party_form otherwise)
{
    char *form = ky_xml_attr(node, "form");
    ky_party_form out = !form                             ? otherwise
                        : strcmp(form, "short") == 0      ? KY_FORM_SHORT
                        : strcmp(form, "government") == 0 ? KY_FORM_GOVERNMENT
                                                          : KY_FORM_NAME;
    xmlFree(form);
    return out;
}

/* Inline content in style (the bits of the elements around it) and, in a
 * <link>, with its target. */
static void read_inline(ky_draft_ctx *ctx, xmlNodePtr element, ky_lang lang, ky_span ***tail_io,
                        ky_ws_state *ws_io, unsigned style, const char *href, int foreign)
{
    ky_span **tail = *tail_io;
    ky_ws_state ws = *ws_io;
    for (xmlNodePtr child = element->children; child; child = child->next) {
        if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
            ky_span *span = add_span(ctx, &tail, &ws, (const char *)child->content, style);
            if (span) span->href = href, span->lang = foreign;
        } else if (child->type != XML_ELEMENT_NODE) {
            continue;
        } else if (ky_xml_is(child, "parties")) {
            /* Expanded at merge time, when the order of the parties is known. */
            ky_span *span = add_placeholder(ctx, &tail, &ws, style | KY_SPAN_PARTIES);
            span->lang = foreign;
            char *joiner = ky_xml_attr(child, "joiner");
            span->running = joiner != NULL;
            xmlFree(joiner);
            span->form = read_form(child, span->running ? KY_FORM_NAME : KY_FORM_SHORT);
        } else if (ky_xml_is(child, "party")) {
            ky_span *span = add_placeholder(ctx, &tail, &ws, style | KY_SPAN_PARTY);
            span->lang = foreign;
            span->party = attr_dup(ctx, child, "ref");
            span->form = read_form(child, KY_FORM_NAME);
            bool known = false;
            for (size_t i = 0; ctx->doc && i < ctx->doc->party_count; i++)
                known = known || strcmp(ctx->doc->parties[i].id, span->party) == 0;
            if (!known)
                ky_error(ctx->diags, ctx->path, ky_xml_line(child),
                         "<party ref=\"%s\"> names a party that <parties> does not declare",
                         span->party);
        } else if (ky_xml_is(child, "note")) {
            read_note(ctx, child, lang, &tail, &ws);
        } else if (ky_xml_is(child, "br")) {
            ky_span *span = KY_NEW(ctx->arena, ky_span);
            span->text = "";
            span->style = KY_SPAN_BREAK;
            *tail = span;
            tail = &span->next;
            /* The next line starts with the next word. */
            ws = (ky_ws_state){0, 0, 0};
        } else if (ky_xml_is(child, "link")) {
            const char *target = attr_dup(ctx, child, "href");
            if (!child->children) {
                /* <link href="…"/>: the address is the text. */
                ky_span *span = add_span(ctx, &tail, &ws, target, style | KY_SPAN_LINK);
                if (span) span->href = target, span->lang = foreign;
            } else {
                read_inline(ctx, child, lang, &tail, &ws, style | KY_SPAN_LINK, target, foreign);
            }
        } else if (ky_xml_is(child, "foreign")) {
            /* The schema allows only en and ja. */
            char *code = ky_xml_attr(child, "lang");
            int inner = code && strcmp(code, "ja") == 0 ? KY_JA : KY_EN;
            xmlFree(code);
            read_inline(ctx, child, lang, &tail, &ws, style | KY_SPAN_FOREIGN, href, inner);
        } else {
            unsigned inner = style;
            if (ky_xml_is(child, "em")) inner ^= KY_SPAN_EMPHASIS;
            if (ky_xml_is(child, "strong")) inner |= KY_SPAN_STRONG;
            if (ky_xml_is(child, "nobreak")) inner |= KY_SPAN_NOBREAK;
            if (ky_xml_is(child, "sup"))
                inner = (inner & ~(unsigned)KY_SPAN_SUBSCRIPT) | KY_SPAN_SUPERSCRIPT;
            if (ky_xml_is(child, "sub"))
                inner = (inner & ~(unsigned)KY_SPAN_SUPERSCRIPT) | KY_SPAN_SUBSCRIPT;
            read_inline(ctx, child, lang, &tail, &ws, inner, href, foreign);
        }
    }
    *tail_io = tail;
    *ws_io = ws;
}

static void read_note(ky_draft_ctx *ctx, xmlNodePtr element, ky_lang lang, ky_span ***tail,
                      ky_ws_state *ws)
{
    ky_note *note = KY_NEW(ctx->arena, ky_note);
    note->line = ky_xml_line(element);
    note->number = ++ctx->notes[lang];
    ky_span **body = &note->spans;
    ky_ws_state body_ws = {0, 0, 0};
    read_inline(ctx, element, lang, &body, &body_ws, 0, NULL, -1);
    ky_span *span = KY_NEW(ctx->arena, ky_span);
    span->text = "";
    span->style = KY_SPAN_NOTE | KY_SPAN_SUPERSCRIPT;
    span->note = note;
    **tail = span;
    *tail = &span->next;
    /* What follows the mark is spaced as after a word. */
    ws->pending_space = 0;
    ws->pending_newline = 0;
    ws->last_cp = '1';
}

static void read_ltext(ky_draft_ctx *ctx, xmlNodePtr element, ky_ltext *text)
{
    text->present = 1;
    text->line = ky_xml_line(element);
    ky_span **tail = &text->spans;
    ky_ws_state ws = {0, 0, 0};
    read_inline(ctx, element, ky_xml_is(element, "ja") ? KY_JA : KY_EN, &tail, &ws, 0, NULL, -1);
    /* Setting a paragraph takes memory in proportion to its length (its
     * boxes, glue and breaks are all alive while its lines are chosen):
     * this bound keeps any draft under the 16 MB cap within about 1 GB. */
    size_t len = 0;
    for (const ky_span *span = text->spans; span; span = span->next)
        len += span->len;
    if (len > KY_TEXT_MAX_BYTES)
        ky_error(ctx->diags, ctx->path, text->line,
                 "<%s> holds %.1f MB of text; one text holds at most %d MB (split the paragraph)",
                 (const char *)element->name, (double)len / (1024 * 1024),
                 KY_TEXT_MAX_BYTES / (1024 * 1024));
}

static void read_btext(ky_draft_ctx *ctx, xmlNodePtr element, ky_btext *text)
{
    text->line = ky_xml_line(element);
    for (xmlNodePtr child = ky_xml_first_element(element); child;
         child = ky_xml_next_element(child)) {
        if (ky_xml_is(child, "en"))
            read_ltext(ctx, child, &text->lang[KY_EN]);
        else if (ky_xml_is(child, "ja"))
            read_ltext(ctx, child, &text->lang[KY_JA]);
    }
}

static const char *attr_dup(ky_draft_ctx *ctx, xmlNodePtr node, const char *name)
{
    char *value = ky_xml_attr(node, name);
    if (!value) return NULL;
    const char *copy = ky_arena_strdup(ctx->arena, value);
    xmlFree(value);
    return copy;
}

static void read_issued(ky_draft_ctx *ctx, xmlNodePtr issued, ky_doc *doc)
{
    doc->has_issued = 1;
    char *date = ky_xml_attr(issued, "date");
    const char *why = ky_parse_date(date ? date : "", &doc->year, &doc->month, &doc->day);
    if (why)
        ky_error(ctx->diags, ctx->path, ky_xml_line(issued), "invalid date '%s': %s",
                 date ? date : "", why);
    xmlFree(date);
    char *calendar = ky_xml_attr(issued, "calendar");
    if (calendar) doc->calendar = strcmp(calendar, "japanese") == 0 ? 1 : -1;
    xmlFree(calendar);
    doc->issued_line = ky_xml_line(issued);
    char *position = ky_xml_attr(issued, "position");
    if (position) doc->issued_position = strcmp(position, "end") == 0 ? 1 : -1;
    xmlFree(position);
    xmlNodePtr place = ky_xml_child(issued, "place");
    if (place) read_btext(ctx, place, &doc->place);
}

static void read_parties(ky_draft_ctx *ctx, xmlNodePtr parties, ky_doc *doc)
{
    size_t count = 0;
    for (xmlNodePtr p = ky_xml_first_element(parties); p; p = ky_xml_next_element(p))
        count++;
    doc->parties = KY_NEW_ARRAY(ctx->arena, ky_party, count);
    for (xmlNodePtr p = ky_xml_first_element(parties); p; p = ky_xml_next_element(p)) {
        ky_party *party = &doc->parties[doc->party_count];
        party->id = attr_dup(ctx, p, "id");
        party->line = ky_xml_line(p);
        const char *lang = attr_dup(ctx, p, "lang");
        party->lang = !lang ? -1 : strcmp(lang, "ja") == 0 ? KY_JA : KY_EN;
        for (size_t i = 0; i < doc->party_count; i++)
            if (strcmp(doc->parties[i].id, party->id) == 0)
                ky_error(ctx->diags, ctx->path, party->line, "duplicate party id '%s'", party->id);
        read_btext(ctx, ky_xml_child(p, "name"), &party->name);
        xmlNodePtr shortname = ky_xml_child(p, "short");
        read_btext(ctx, shortname ? shortname : ky_xml_child(p, "name"), &party->shortname);
        read_btext(ctx, ky_xml_child(p, "government"), &party->government);
        doc->party_count++;
    }
}

static void read_signatures(ky_draft_ctx *ctx, xmlNodePtr signatures, ky_doc *doc)
{
    size_t count = 0;
    for (xmlNodePtr s = ky_xml_first_element(signatures); s; s = ky_xml_next_element(s))
        count++;
    doc->signatories = KY_NEW_ARRAY(ctx->arena, ky_signatory, count);
    for (xmlNodePtr s = ky_xml_first_element(signatures); s; s = ky_xml_next_element(s)) {
        ky_signatory *sig = &doc->signatories[doc->signatory_count++];
        sig->party_id = attr_dup(ctx, s, "party");
        sig->line = ky_xml_line(s);
        for (size_t i = 0; i < doc->party_count; i++)
            if (strcmp(doc->parties[i].id, sig->party_id) == 0) sig->party = &doc->parties[i];
        if (!sig->party)
            ky_error(ctx->diags, ctx->path, sig->line,
                     "signatory refers to party '%s', which <parties> does not declare",
                     sig->party_id);
        char *capacity = ky_xml_attr(s, "capacity");
        sig->own_capacity = capacity && strcmp(capacity, "own") == 0;
        xmlFree(capacity);
        read_btext(ctx, ky_xml_child(s, "name"), &sig->name);
        xmlNodePtr title = ky_xml_child(s, "title");
        if (title) read_btext(ctx, title, &sig->title);
    }
}

/* Lists nest at most this deep: each level takes an indent from the
 * measure, and a narrow parallel column has no room for more. */
enum { KY_LIST_MAX_DEPTH = 6 };

static void append_node(ky_node ***tail, ky_node *node)
{
    **tail = node;
    *tail = &node->next;
}

static void read_list(ky_draft_ctx *ctx, xmlNodePtr list, const ky_node *owner, ky_node ***tail);

/* An element's own text (<en>, <ja>) and its lists, in document order, into
 * node (already in the list) and the nodes after it: the list's items, and
 * for text after a list a node that continues the element. */
static void read_parts(ky_draft_ctx *ctx, xmlNodePtr element, ky_node *node, ky_node ***tail)
{
    ky_node *current = node;
    current->text.line = ky_xml_line(element);
    for (xmlNodePtr child = ky_xml_first_element(element); child;
         child = ky_xml_next_element(child)) {
        if (ky_xml_is(child, "list")) {
            read_list(ctx, child, node, tail);
            current = NULL;
            continue;
        }
        if (!ky_xml_is(child, "en") && !ky_xml_is(child, "ja")) continue;
        if (!current) {
            current = KY_NEW(ctx->arena, ky_node);
            *current = (ky_node){.kind = node->kind,
                                 .line = ky_xml_line(child),
                                 .number = node->number,
                                 .section = node->section,
                                 .depth = node->depth,
                                 .list_style = node->list_style,
                                 .list_line = node->list_line,
                                 .continued = true,
                                 .implicit = node->implicit,
                                 .preamble = node->preamble,
                                 .paragraph = node->paragraph};
            current->text.line = ky_xml_line(child);
            append_node(tail, current);
        }
        ky_lang lang = ky_xml_is(child, "ja") ? KY_JA : KY_EN;
        if (current->text.lang[lang].present) {
            ky_error(ctx->diags, ctx->path, ky_xml_line(child),
                     "a second <%s> before any <list>: a text has one <en> and one <ja>, and "
                     "text after a list a pair of its own",
                     ky_lang_code(lang));
            continue;
        }
        read_ltext(ctx, child, &current->text.lang[lang]);
    }
}

/* A <list>'s items, one level under owner (a paragraph, an item, or NULL
 * for a list on its own). */
static void read_list(ky_draft_ctx *ctx, xmlNodePtr list, const ky_node *owner, ky_node ***tail)
{
    int line = ky_xml_line(list);
    int depth = owner ? owner->depth + 1 : 1;
    ky_list_style style = KY_LIST_BULLET;
    char *name = ky_xml_attr(list, "style");
    if (name && !ky_list_style_parse(name, &style)) {
        ky_error(ctx->diags, ctx->path, line, "unknown list style '%s' (known: %s)", name,
                 ky_list_style_names());
        xmlFree(name);
        return;
    }
    xmlFree(name);
    if (depth > KY_LIST_MAX_DEPTH) {
        ky_error(ctx->diags, ctx->path, line, "lists nest more than %d deep", KY_LIST_MAX_DEPTH);
        return;
    }
    int number = 0;
    for (xmlNodePtr item = ky_xml_first_element(list); item; item = ky_xml_next_element(item)) {
        if (!ky_xml_is(item, "item")) continue;
        ky_node *node = KY_NEW(ctx->arena, ky_node);
        *node = (ky_node){.kind = KY_NODE_ITEM,
                          .line = ky_xml_line(item),
                          .number = ++number,
                          .section = owner ? owner->section : 0,
                          .depth = depth,
                          .list_style = style,
                          .list_line = line,
                          .paragraph = owner ? owner->paragraph : 0};
        append_node(tail, node);
        read_parts(ctx, item, node, tail);
    }
    if (number == 0) ky_error(ctx->diags, ctx->path, line, "list has no items (<item>)");
}

/* A column's width: a length ("20mm"), a share ("2*", "*": one share) or
 * "auto"; false when it is none of these. */
static bool parse_width(const char *text, ky_table_column *column)
{
    if (strcmp(text, "auto") == 0) {
        column->kind = KY_WIDTH_AUTO;
        return true;
    }
    size_t len = strlen(text);
    if (len > 0 && text[len - 1] == '*') {
        column->kind = KY_WIDTH_FRACTION;
        if (len == 1) {
            column->value = 1;
            return true;
        }
        char number[32];
        if (len > sizeof number) return false;
        memcpy(number, text, len - 1);
        number[len - 1] = '\0';
        column->value = ky_parse_length(number); /* a bare number: its value */
        return column->value > 0 && column->value <= 1000;
    }
    column->kind = KY_WIDTH_FIXED;
    column->value = ky_parse_length(text);
    /* A bare number is a length in points for the template, but a column
     * of "2" is far more likely a share missing its star. */
    return column->value > 0 && column->value <= 14400 && !isdigit((unsigned char)text[len - 1]);
}

static void read_table(ky_draft_ctx *ctx, xmlNodePtr element, int section, ky_node ***tail)
{
    int line = ky_xml_line(element);
    ky_table *table = KY_NEW(ctx->arena, ky_table);
    table->line = line;
    xmlNodePtr columns = ky_xml_child(element, "columns");
    for (xmlNodePtr c = ky_xml_first_element(columns); c; c = ky_xml_next_element(c))
        table->column_count++;
    table->columns = KY_NEW_ARRAY(ctx->arena, ky_table_column, table->column_count);
    int errors = ctx->diags->errors;
    size_t n = 0;
    for (xmlNodePtr c = ky_xml_first_element(columns); c; c = ky_xml_next_element(c), n++) {
        ky_table_column *column = &table->columns[n];
        *column = (ky_table_column){.kind = KY_WIDTH_FRACTION, .value = 1, .align = KY_ALIGN_LEFT};
        char *width = ky_xml_attr(c, "width");
        if (width && !parse_width(width, column))
            ky_error(ctx->diags, ctx->path, ky_xml_line(c),
                     "unknown column width '%.24s%s' (a length such as 20mm, a share such as 2*, "
                     "or auto)",
                     width, strlen(width) > 24 ? "…" : "");
        xmlFree(width);
        char *align = ky_xml_attr(c, "align");
        if (align)
            column->align = strcmp(align, "center") == 0  ? KY_ALIGN_CENTER
                            : strcmp(align, "right") == 0 ? KY_ALIGN_RIGHT
                                                          : KY_ALIGN_LEFT;
        xmlFree(align);
    }
    for (xmlNodePtr r = ky_xml_first_element(element); r; r = ky_xml_next_element(r))
        if (ky_xml_is(r, "row")) table->row_count++;
    table->rows = KY_NEW_ARRAY(ctx->arena, ky_table_row, table->row_count ? table->row_count : 1);
    size_t index = 0;
    for (xmlNodePtr r = ky_xml_first_element(element); r; r = ky_xml_next_element(r)) {
        if (!ky_xml_is(r, "row")) continue;
        ky_table_row *row = &table->rows[index++];
        row->line = ky_xml_line(r);
        char *head = ky_xml_attr(r, "head");
        row->head = head && strcmp(head, "yes") == 0;
        xmlFree(head);
        if (row->head && table->head_count + 1 < index)
            ky_error(ctx->diags, ctx->path, row->line,
                     "a head row after the table's body rows: head rows come first");
        if (row->head) table->head_count++;
        for (xmlNodePtr c = ky_xml_first_element(r); c; c = ky_xml_next_element(c))
            row->count++;
        row->cells = KY_NEW_ARRAY(ctx->arena, ky_cell, row->count);
        size_t k = 0, covered = 0;
        for (xmlNodePtr c = ky_xml_first_element(r); c; c = ky_xml_next_element(c), k++) {
            ky_cell *cell = &row->cells[k];
            cell->column = covered;
            cell->span = 1;
            char *span = ky_xml_attr(c, "span");
            long value = 1;
            if (span && ky_parse_int(span, 1, 1000, &value) != 0)
                ky_error(ctx->diags, ctx->path, ky_xml_line(c),
                         "span '%.24s' must be a whole number from 1 to the table's columns", span);
            xmlFree(span);
            cell->span = (size_t)value;
            covered += cell->span;
            if (ky_xml_child(c, "en") || ky_xml_child(c, "ja")) {
                read_btext(ctx, c, &cell->text);
            } else {
                cell->shared = true;
                cell->text.line = ky_xml_line(c);
                read_ltext(ctx, c, &cell->text.lang[KY_EN]);
                cell->text.lang[KY_JA] = cell->text.lang[KY_EN];
            }
        }
        if (covered != table->column_count)
            ky_error(ctx->diags, ctx->path, row->line,
                     "row %zu has cells for %zu column%s; the table has %zu", index, covered,
                     covered == 1 ? "" : "s", table->column_count);
    }
    if (table->head_count == table->row_count)
        ky_error(ctx->diags, ctx->path, line, "table has no body rows (only head rows)");
    if (ctx->diags->errors > errors) return;
    ky_node *node = KY_NEW(ctx->arena, ky_node);
    *node = (ky_node){.kind = KY_NODE_TABLE, .line = line, .section = section, .table = table};
    node->text.line = line;
    append_node(tail, node);
}

static ky_node *read_paragraph(ky_draft_ctx *ctx, xmlNodePtr p, int *number, int section,
                               ky_node ***tail)
{
    ky_node *node = KY_NEW(ctx->arena, ky_node);
    node->kind = KY_NODE_PARAGRAPH;
    node->line = ky_xml_line(p);
    node->section = section;
    char *numbered = ky_xml_attr(p, "numbered");
    node->numbered = !numbered || strcmp(numbered, "no") != 0;
    xmlFree(numbered);
    if (node->numbered) node->number = ++*number;
    node->paragraph = node->number;
    append_node(tail, node);
    read_parts(ctx, p, node, tail);
    return node;
}

/* Where the reading of the body stands, across the functions that read
 * its parts. */
typedef struct {
    int number;       /* paragraphs numbered so far: numbers run through the body */
    int sections;     /* sections started so far, at every level: each one's id */
    int top_sections; /* sections at the top level: their headings' numbers */
    bool started;     /* a paragraph, list or section was read: no <preamble> after it */
    bool preamble;    /* a <preamble> was read */
} ky_body_state;

/* A <section>, its heading and its parts, and the sections inside it, one
 * level deeper; ordinal is its place among its parent's sections. */
static void read_section(ky_draft_ctx *ctx, xmlNodePtr element, int depth, int ordinal,
                         ky_body_state *body, ky_node ***tail)
{
    if (depth > KY_SECTION_MAX_DEPTH) {
        ky_error(ctx->diags, ctx->path, ky_xml_line(element), "sections nest more than %d deep",
                 KY_SECTION_MAX_DEPTH);
        return;
    }
    int section = ++body->sections;
    int items = 0, paragraph = 0, subsections = 0;
    for (xmlNodePtr part = ky_xml_first_element(element); part; part = ky_xml_next_element(part)) {
        if (ky_xml_is(part, "heading")) {
            ky_node *node = KY_NEW(ctx->arena, ky_node);
            *node = (ky_node){.kind = KY_NODE_HEADING,
                              .line = ky_xml_line(part),
                              .number = ordinal,
                              .section = section,
                              .level = depth};
            read_btext(ctx, part, &node->text);
            append_node(tail, node);
        } else if (ky_xml_is(part, "item")) {
            /* An item outside a <list>: the paragraph before it introduces
             * an implicit list. */
            ky_node *node = KY_NEW(ctx->arena, ky_node);
            *node = (ky_node){.kind = KY_NODE_ITEM,
                              .line = ky_xml_line(part),
                              .number = ++items,
                              .section = section,
                              .depth = 1,
                              .list_style = KY_LIST_ALPHA,
                              .list_line = ky_xml_line(part),
                              .implicit = true,
                              .paragraph = paragraph};
            append_node(tail, node);
            read_parts(ctx, part, node, tail);
        } else if (ky_xml_is(part, "p")) {
            ky_node *node = read_paragraph(ctx, part, &body->number, section, tail);
            paragraph = node ? node->paragraph : 0;
            items = 0;
        } else if (ky_xml_is(part, "list")) {
            ky_node owner = {.section = section};
            read_list(ctx, part, &owner, tail);
            items = 0;
        } else if (ky_xml_is(part, "table")) {
            read_table(ctx, part, section, tail);
        } else if (ky_xml_is(part, "section")) {
            read_section(ctx, part, depth + 1, ++subsections, body, tail);
        }
    }
}

/* The <preamble>'s recitals: unnumbered paragraphs before the first
 * paragraph or section. The schema lets a preamble stand anywhere in the
 * body so that this can say what is wrong with one that comes late. */
static void read_preamble(ky_draft_ctx *ctx, xmlNodePtr element, ky_body_state *body,
                          ky_node ***tail)
{
    int line = ky_xml_line(element);
    if (body->preamble) {
        ky_error(ctx->diags, ctx->path, line, "a statement has one <preamble>");
        return;
    }
    body->preamble = true;
    if (body->started) {
        ky_error(ctx->diags, ctx->path, line,
                 "<preamble> must come before the first paragraph, list or section");
        return;
    }
    for (xmlNodePtr p = ky_xml_first_element(element); p; p = ky_xml_next_element(p)) {
        if (!ky_xml_is(p, "p")) continue;
        ky_node *node = KY_NEW(ctx->arena, ky_node);
        *node = (ky_node){.kind = KY_NODE_PARAGRAPH, .line = ky_xml_line(p), .preamble = true};
        append_node(tail, node);
        read_parts(ctx, p, node, tail);
    }
}

/* An <annex>: its title and its own body, numbered afresh. */
static void read_annex(ky_draft_ctx *ctx, xmlNodePtr element, ky_doc *doc, ky_annex ***tail)
{
    ky_annex *annex = KY_NEW(ctx->arena, ky_annex);
    annex->line = ky_xml_line(element);
    ky_node **body_tail = &annex->body;
    ky_body_state body = {0};
    for (xmlNodePtr part = ky_xml_first_element(element); part; part = ky_xml_next_element(part)) {
        if (ky_xml_is(part, "title"))
            read_btext(ctx, part, &annex->title);
        else if (ky_xml_is(part, "p"))
            read_paragraph(ctx, part, &body.number, 0, &body_tail);
        else if (ky_xml_is(part, "list"))
            read_list(ctx, part, NULL, &body_tail);
        else if (ky_xml_is(part, "table"))
            read_table(ctx, part, 0, &body_tail);
        else if (ky_xml_is(part, "section"))
            read_section(ctx, part, 1, ++body.top_sections, &body, &body_tail);
    }
    **tail = annex;
    *tail = &annex->next;
    doc->annex_count++;
}

/* The draft's parts come one at a time from the stream (each freed when
 * the next is read), so the tree is never whole in memory. */
static void build_doc(ky_draft_ctx *ctx, ky_xml_stream *stream, ky_doc *doc)
{
    doc->path = ctx->path;
    ctx->doc = doc;
    xmlNodePtr root = ky_xml_stream_root(stream);
    if (!root) return;
    doc->template_name = attr_dup(ctx, root, "template");
    doc->template_line = ky_xml_line(root);
    doc->status = attr_dup(ctx, root, "status");
    if (!doc->status) doc->status = "final";
    const char *provisional = attr_dup(ctx, root, "provisional");
    doc->provisional[KY_EN] = provisional && strstr(provisional, "en");
    doc->provisional[KY_JA] = provisional && strstr(provisional, "ja");
    char *revision = ky_xml_attr(root, "revision");
    long revision_number = 0;
    if (revision && ky_parse_int(revision, 0, KY_REVISION_MAX, &revision_number) != 0)
        ky_error(ctx->diags, ctx->path, ky_xml_line(root),
                 "revision '%s' must be a whole number from 0 to %d", revision, KY_REVISION_MAX);
    doc->revision = (int)revision_number;
    xmlFree(revision);

    ky_node **tail = &doc->body;
    ky_annex **annex_tail = &doc->annexes;
    ky_body_state body = {0};
    int annex_line = 0; /* of the first annex: what follows it must be an annex too */
    for (xmlNodePtr child = ky_xml_stream_next(stream); child; child = ky_xml_stream_next(stream)) {
        if (annex_line && !ky_xml_is(child, "annex")) {
            /* The schema lets an annex stand among the body's parts, so
             * that this can say where it belongs. */
            const char *name = (const char *)child->name;
            if (ky_xml_is(child, "done") || ky_xml_is(child, "signatures"))
                ky_error(ctx->diags, ctx->path, annex_line, "<annex> must come after the <%s>",
                         name);
            else
                ky_error(ctx->diags, ctx->path, ky_xml_line(child),
                         "<%s> after an <annex>: the body comes before the annexes", name);
            annex_line = 0;
        }
        if (ky_xml_is(child, "parties")) {
            read_parties(ctx, child, doc);
        } else if (ky_xml_is(child, "title")) {
            read_btext(ctx, child, &doc->title);
        } else if (ky_xml_is(child, "subtitle")) {
            doc->has_subtitle = 1;
            read_btext(ctx, child, &doc->subtitle);
        } else if (ky_xml_is(child, "issued")) {
            read_issued(ctx, child, doc);
        } else if (ky_xml_is(child, "preamble")) {
            read_preamble(ctx, child, &body, &tail);
        } else if (ky_xml_is(child, "p")) {
            body.started = true;
            read_paragraph(ctx, child, &body.number, 0, &tail);
        } else if (ky_xml_is(child, "list")) {
            body.started = true;
            read_list(ctx, child, NULL, &tail);
        } else if (ky_xml_is(child, "section")) {
            body.started = true;
            read_section(ctx, child, 1, ++body.top_sections, &body, &tail);
        } else if (ky_xml_is(child, "done")) {
            doc->has_done = 1;
            read_btext(ctx, ky_xml_child(child, "languages"), &doc->done_languages);
            read_btext(ctx, ky_xml_child(child, "authenticity"), &doc->done_authenticity);
        } else if (ky_xml_is(child, "signatures")) {
            read_signatures(ctx, child, doc);
        } else if (ky_xml_is(child, "table")) {
            body.started = true;
            read_table(ctx, child, 0, &tail);
        } else if (ky_xml_is(child, "annex")) {
            if (!annex_line && !doc->annexes) annex_line = ky_xml_line(child);
            read_annex(ctx, child, doc, &annex_tail);
        }
    }
}

/* The model is built while the draft is read and validated; what it finds
 * wrong is reported only for a draft the schema accepts, as a schema
 * violation explains the rest. */
static ky_doc *load(const char *path, const char *text, size_t size, const char *encoding,
                    ky_arena *arena, ky_diags *diags)
{
    ky_xml_stream *stream = ky_xml_stream_open(path, text, size, KY_SCHEMA_DRAFT, encoding, diags);
    if (!stream) return NULL;
    ky_diags model;
    ky_diags_init(&model);
    ky_draft_ctx ctx = {.arena = arena, .diags = &model, .path = path};
    ky_doc *doc = KY_NEW(arena, ky_doc);
    build_doc(&ctx, stream, doc);
    if (ky_xml_stream_close(stream) != 0) {
        ky_diags_free(&model);
        return NULL;
    }
    int errors = model.errors;
    ky_diags_append(diags, &model);
    return errors ? NULL : doc;
}

ky_doc *ky_draft_load(const char *path, const char *encoding, ky_arena *arena, ky_diags *diags)
{
    return load(path, NULL, 0, encoding, arena, diags);
}

ky_doc *ky_draft_load_memory(const char *path, const char *text, size_t size, const char *encoding,
                             ky_arena *arena, ky_diags *diags)
{
    return load(path, text, size, encoding, arena, diags);
}

static const char *lang_name(ky_lang lang)
{
    return lang == KY_EN ? "English" : "Japanese";
}

static int require(const ky_doc *doc, const ky_btext *text, ky_lang lang, const char *what,
                   ky_diags *diags)
{
    const ky_ltext *ltext = &text->lang[lang];
    if (!ltext->present) {
        ky_error(diags, doc->path, text->line, "%s has no %s text (<%s>)", what, lang_name(lang),
                 ky_lang_code(lang));
        return 1;
    }
    if (!ltext->spans) {
        ky_error(diags, doc->path, ltext->line, "%s has an empty %s text (<%s>)", what,
                 lang_name(lang), ky_lang_code(lang));
        return 1;
    }
    return 0;
}

void ky_node_describe(const ky_node *node, char *out, size_t size)
{
    if (node->kind == KY_NODE_TABLE)
        snprintf(out, size, "table at line %d", node->line);
    else if (node->kind == KY_NODE_HEADING && node->level > 1)
        snprintf(out, size, "heading (level %d)", node->level);
    else if (node->kind == KY_NODE_HEADING)
        snprintf(out, size, "heading");
    else if (node->kind == KY_NODE_ITEM && node->implicit && !node->continued)
        snprintf(out, size, "item %d", node->number);
    else if (node->kind == KY_NODE_ITEM && node->paragraph)
        snprintf(out, size, "item %d (level %d) of paragraph %d%s", node->number, node->depth,
                 node->paragraph, node->continued ? ", after its list" : "");
    else if (node->kind == KY_NODE_ITEM)
        snprintf(out, size, "item %d (level %d) of a list at line %d%s", node->number, node->depth,
                 node->list_line, node->continued ? ", after its list" : "");
    else if (node->preamble)
        snprintf(out, size, "paragraph of the preamble%s",
                 node->continued ? ", after its list" : "");
    else if (node->continued && node->number)
        snprintf(out, size, "paragraph %d, after its list", node->number);
    else if (node->continued)
        snprintf(out, size, "unnumbered paragraph, after its list");
    else if (node->numbered)
        snprintf(out, size, "paragraph %d", node->number);
    else
        snprintf(out, size, "unnumbered paragraph");
}

/* A body's texts; a table's bilingual cells (shared ones are in no
 * language in particular). */
static void each_node_text(const ky_node *node, ky_text_visit visit, void *data)
{
    char what[96];
    for (; node; node = node->next) {
        if (node->kind != KY_NODE_TABLE) {
            ky_node_describe(node, what, sizeof what);
            visit(data, what, &node->text);
            continue;
        }
        for (size_t r = 0; r < node->table->row_count; r++) {
            const ky_table_row *row = &node->table->rows[r];
            for (size_t c = 0; c < row->count; c++) {
                if (row->cells[c].shared) continue;
                snprintf(what, sizeof what, "cell %zu of row %zu of the table at line %d", c + 1,
                         r + 1, node->line);
                visit(data, what, &row->cells[c].text);
            }
        }
    }
}

void ky_doc_each_text(const ky_doc *doc, ky_text_visit visit, void *data)
{
    char what[96];
    visit(data, "title", &doc->title);
    if (doc->has_subtitle) visit(data, "subtitle", &doc->subtitle);
    if (doc->has_issued && doc->place.line) visit(data, "place", &doc->place);
    for (size_t i = 0; i < doc->party_count; i++) {
        snprintf(what, sizeof what, "name of party '%s'", doc->parties[i].id);
        visit(data, what, &doc->parties[i].name);
        snprintf(what, sizeof what, "government of party '%s'", doc->parties[i].id);
        visit(data, what, &doc->parties[i].government);
    }
    each_node_text(doc->body, visit, data);
    if (doc->has_done) {
        visit(data, "languages of <done>", &doc->done_languages);
        visit(data, "authenticity of <done>", &doc->done_authenticity);
    }
    for (size_t i = 0; i < doc->signatory_count; i++) {
        const ky_signatory *sig = &doc->signatories[i];
        snprintf(what, sizeof what, "name of the signatory for '%s'", sig->party_id);
        visit(data, what, &sig->name);
        if (sig->title.line) {
            snprintf(what, sizeof what, "title of the signatory for '%s'", sig->party_id);
            visit(data, what, &sig->title);
        }
    }
    size_t n = 0;
    for (const ky_annex *annex = doc->annexes; annex; annex = annex->next) {
        snprintf(what, sizeof what, "title of annex %zu", ++n);
        visit(data, what, &annex->title);
        each_node_text(annex->body, visit, data);
    }
}

typedef struct {
    const ky_doc *doc;
    ky_lang lang;
    ky_diags *diags;
    int errors;
} ky_requirement;

static void require_text(void *data, const char *what, const ky_btext *text)
{
    ky_requirement *r = data;
    r->errors += require(r->doc, text, r->lang, what, r->diags);
}

int ky_doc_require_lang(const ky_doc *doc, ky_lang lang, ky_diags *diags)
{
    ky_requirement r = {doc, lang, diags, 0};
    ky_doc_each_text(doc, require_text, &r);
    return r.errors;
}

/* Notes are part of the text they stand in, in brackets where their
 * reference is: a changed note is a changed paragraph, and its numbers are
 * the paragraph's numbers too. */
static size_t spans_plain(const ky_span *spans, char *out)
{
    size_t at = 0;
    for (const ky_span *span = spans; span; span = span->next) {
        if (out) memcpy(out + at, span->text, span->len);
        at += span->len;
        if (span->note) {
            if (out) out[at] = '[';
            at += 1 + spans_plain(span->note->spans, out ? out + at + 1 : NULL);
            if (out) out[at] = ']';
            at++;
        }
    }
    return at;
}

char *ky_ltext_plain(const ky_ltext *text, ky_arena *arena)
{
    char *out = ky_arena_alloc(arena, spans_plain(text->spans, NULL) + 1);
    out[spans_plain(text->spans, out)] = '\0';
    return out;
}
