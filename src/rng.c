#include "rng.h"

#include <libxml/parser.h>
#include <libxml/xmlschemastypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define XSD_LIBRARY "http://www.w3.org/2001/XMLSchema-datatypes"

struct ky_rng {
    xmlDocPtr doc;
    xmlNodePtr grammar; /* holds the <define>s */
    xmlNodePtr start;   /* the pattern of the document */
};

/* Refs only recurse through elements, where walks stop; the bound is for a
 * schema that is not one. */
enum { MAX_NESTING = 48, MAX_RAW = 256, MAX_DEFS = 32 };

static bool is_rng(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns &&
           xmlStrcmp(node->ns->href, BAD_CAST RNG_NS) == 0 &&
           (!name || xmlStrcmp(node->name, BAD_CAST name) == 0);
}

static const char *name_of(xmlNodePtr node)
{
    for (xmlAttrPtr attr = node->properties; attr; attr = attr->next)
        if (xmlStrcmp(attr->name, BAD_CAST "name") == 0 && attr->children)
            return (const char *)attr->children->content;
    return NULL;
}

ky_rng *ky_rng_load(const char *text, size_t size)
{
    xmlDocPtr doc = xmlReadMemory(text, (int)size, "schema.rng", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc) return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ky_rng *rng = calloc(1, sizeof *rng);
    if (!rng || !is_rng(root, NULL)) {
        free(rng);
        xmlFreeDoc(doc);
        return NULL;
    }
    rng->doc = doc;
    rng->grammar = root;
    /* A schema that is a single pattern is its own start. */
    rng->start = root;
    if (is_rng(root, "grammar"))
        for (xmlNodePtr child = root->children; child; child = child->next)
            if (is_rng(child, "start")) rng->start = child;
    return rng;
}

void ky_rng_free(ky_rng *rng)
{
    if (!rng) return;
    xmlFreeDoc(rng->doc);
    free(rng);
}

typedef struct {
    const ky_rng *rng;
    ky_rng_item elements[MAX_RAW], attributes[MAX_RAW];
    size_t element_count, attribute_count;
    bool text;
} walk_state;

static void walk(walk_state *state, xmlNodePtr pattern, bool required, int nesting);

static void walk_defines(walk_state *state, xmlNodePtr scope, const char *name, bool required,
                         int nesting)
{
    for (xmlNodePtr child = scope->children; child; child = child->next) {
        if (is_rng(child, "div")) walk_defines(state, child, name, required, nesting + 1);
        if (is_rng(child, "define") && name_of(child) && strcmp(name_of(child), name) == 0)
            walk(state, child, required, nesting + 1);
    }
}

static void add(ky_rng_item *items, size_t *count, const char *name, bool required, xmlNodePtr def)
{
    if (name && *count < MAX_RAW) items[(*count)++] = (ky_rng_item){name, required, def};
}

/* Collects what the patterns under `pattern` allow, without entering the
 * elements and attributes they define. */
static void walk(walk_state *state, xmlNodePtr pattern, bool required, int nesting)
{
    if (nesting > MAX_NESTING) return;
    for (xmlNodePtr p = pattern->children; p; p = p->next) {
        if (!is_rng(p, NULL)) continue;
        const char *kind = (const char *)p->name;
        if (strcmp(kind, "element") == 0) {
            add(state->elements, &state->element_count, name_of(p), required, p);
        } else if (strcmp(kind, "attribute") == 0) {
            add(state->attributes, &state->attribute_count, name_of(p), required, p);
        } else if (strcmp(kind, "ref") == 0) {
            if (name_of(p)) walk_defines(state, state->rng->grammar, name_of(p), required, nesting);
        } else if (strcmp(kind, "optional") == 0 || strcmp(kind, "zeroOrMore") == 0 ||
                   strcmp(kind, "choice") == 0) {
            walk(state, p, false, nesting + 1);
        } else if (strcmp(kind, "group") == 0 || strcmp(kind, "oneOrMore") == 0 ||
                   strcmp(kind, "interleave") == 0) {
            walk(state, p, required, nesting + 1);
        } else if (strcmp(kind, "mixed") == 0) {
            state->text = true;
            walk(state, p, required, nesting + 1);
        } else if (strcmp(kind, "text") == 0 || strcmp(kind, "data") == 0 ||
                   strcmp(kind, "value") == 0 || strcmp(kind, "list") == 0) {
            state->text = true;
        }
    }
}

/* Every <element name="name"> of the schema, wherever it is. */
static void find_elements(xmlNodePtr node, const char *name, xmlNodePtr *defs, size_t *count,
                          int nesting)
{
    if (nesting > MAX_NESTING) return;
    for (xmlNodePtr child = node->children; child; child = child->next) {
        if (is_rng(child, "element") && name_of(child) && strcmp(name_of(child), name) == 0 &&
            *count < MAX_DEFS)
            defs[(*count)++] = child;
        if (child->type == XML_ELEMENT_NODE) find_elements(child, name, defs, count, nesting + 1);
    }
}

static void dedupe(const ky_rng_item *raw, size_t raw_count, ky_rng_item *out, size_t *count)
{
    *count = 0;
    for (size_t i = 0; i < raw_count; i++) {
        size_t k = 0;
        while (k < *count && strcmp(out[k].name, raw[i].name) != 0)
            k++;
        if (k < *count)
            out[k].required = out[k].required && raw[i].required;
        else if (*count < KY_RNG_MAX_ITEMS)
            out[(*count)++] = raw[i];
    }
}

void ky_rng_content_at(const ky_rng *rng, const char *const *path, size_t depth,
                       ky_rng_content *out)
{
    memset(out, 0, sizeof *out);
    walk_state *state = calloc(1, sizeof *state);
    if (!state) return;
    state->rng = rng;
    walk(state, rng->start, true, 0);
    if (rng->start == rng->grammar && is_rng(rng->grammar, "element")) {
        state->element_count = 0;
        add(state->elements, &state->element_count, name_of(rng->grammar), true, rng->grammar);
    }
    out->known = true;
    for (size_t level = 0; level < depth; level++) {
        xmlNodePtr defs[MAX_DEFS];
        size_t def_count = 0;
        for (size_t i = 0; i < state->element_count && def_count < MAX_DEFS; i++)
            if (strcmp(state->elements[i].name, path[level]) == 0)
                defs[def_count++] = state->elements[i].def;
        if (def_count == 0) {
            /* Off the schema's paths: the element's definitions anywhere. */
            find_elements(rng->grammar, path[depth - 1], defs, &def_count, 0);
            level = depth - 1;
        }
        memset(state, 0, sizeof *state);
        state->rng = rng;
        for (size_t d = 0; d < def_count; d++)
            walk(state, defs[d], true, 0);
        out->known = def_count > 0;
    }
    dedupe(state->elements, state->element_count, out->children, &out->child_count);
    dedupe(state->attributes, state->attribute_count, out->attributes, &out->attribute_count);
    out->text = state->text;
    free(state);
}

/* The first pattern inside an attribute's definition (NULL: text). */
static xmlNodePtr attribute_pattern(xmlNodePtr def)
{
    for (xmlNodePtr child = def->children; child; child = child->next)
        if (is_rng(child, NULL) && !is_rng(child, "name")) return child;
    return NULL;
}

/* What kyodo's authors know these types as. */
static const char *type_words(const char *type)
{
    static const char *const words[][2] = {
        {"date", "YYYY-MM-DD"},
        {"NCName", "a name (letters, digits, '-', '_' and '.', not beginning with a digit)"},
        {"nonNegativeInteger", "a whole number (0 or more)"},
        {"positiveInteger", "a whole number (1 or more)"},
        {"integer", "a whole number"},
        {"language", "a language tag such as en or ja"},
        {"boolean", "true or false"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(type, words[i][0]) == 0) return words[i][1];
    return NULL;
}

/* Whitespace collapsed, as the token type compares values. */
static void collapse(const char *value, char *out, size_t size)
{
    size_t n = 0;
    bool space = false;
    for (const char *c = value; *c && n + 2 < size; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
            space = n > 0;
            continue;
        }
        if (space) out[n++] = ' ';
        space = false;
        out[n++] = *c;
    }
    out[n] = '\0';
}

static const char *datatype_library(xmlNodePtr node)
{
    for (; node && node->type == XML_ELEMENT_NODE; node = node->parent) {
        xmlAttrPtr attr = xmlHasProp(node, BAD_CAST "datatypeLibrary");
        if (attr && attr->children) return (const char *)attr->children->content;
    }
    return "";
}

bool ky_rng_value_ok(const ky_rng_item *attribute, const char *value, char *buffer, size_t size,
                     const char **expect)
{
    *expect = NULL;
    xmlNodePtr pattern = attribute_pattern(attribute->def);
    if (!pattern || is_rng(pattern, "text")) return true;
    if (is_rng(pattern, "data")) {
        xmlChar *type = xmlGetProp(pattern, BAD_CAST "type");
        bool ok = true;
        if (type && strcmp(datatype_library(pattern), XSD_LIBRARY) == 0) {
            xmlSchemaTypePtr xsd = xmlSchemaGetPredefinedType(type, BAD_CAST XSD_LIBRARY);
            if (!xsd)
                xsd = xmlSchemaGetPredefinedType(type, BAD_CAST "http://www.w3.org/2001/XMLSchema");
            xmlSchemaValPtr parsed = NULL;
            ok = !xsd || xmlSchemaValPredefTypeNode(xsd, BAD_CAST value, &parsed, NULL) == 0;
            if (parsed) xmlSchemaFreeValue(parsed);
            if (!ok) {
                *expect = type_words((const char *)type);
                if (!*expect) {
                    snprintf(buffer, size, "a valid %s", (const char *)type);
                    *expect = buffer;
                }
            }
        }
        xmlFree(type);
        return ok;
    }
    if (is_rng(pattern, "value") || is_rng(pattern, "choice")) {
        char wanted[256];
        collapse(value, wanted, sizeof wanted);
        xmlNodePtr values[16];
        size_t count = 0;
        if (is_rng(pattern, "value"))
            values[count++] = pattern;
        else
            for (xmlNodePtr v = pattern->children; v; v = v->next) {
                if (!is_rng(v, "value")) return true; /* a choice kyodo cannot word */
                if (count < 16) values[count++] = v;
            }
        size_t n = 0;
        buffer[0] = '\0';
        for (size_t i = 0; i < count; i++) {
            const char *text =
                values[i]->children ? (const char *)values[i]->children->content : "";
            if (strcmp(text, wanted) == 0) return true;
            const char *join = i == 0                         ? (count > 2 ? "one of " : "")
                               : i + 1 == count && count == 2 ? " or "
                                                              : ", ";
            /* Values with a space are quoted, to read as one. */
            const char *quote = strchr(text, ' ') ? "\"" : "";
            int w =
                snprintf(buffer + n, n < size ? size - n : 0, "%s%s%s%s", join, quote, text, quote);
            if (w > 0) n += (size_t)w;
        }
        *expect = buffer;
        return false;
    }
    return true;
}
