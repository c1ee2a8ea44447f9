/* What a RELAX NG schema allows where, read from the schema itself: the
 * child elements and attributes of an element, which of them are required,
 * and an attribute's datatype. libxml2 validates but exposes little of its
 * automaton; kyodo needs these to say what is wrong in the draft's terms
 * ("expected <heading>, <p>…"). No copy of the schema is kept in C. */
#ifndef KY_RNG_H
#define KY_RNG_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ky_rng ky_rng;

/* Parses the schema (text, size bytes); NULL if it is not XML. */
ky_rng *ky_rng_load(const char *text, size_t size);
void ky_rng_free(ky_rng *rng);

typedef struct {
    const char *name; /* "heading"; for attributes as written ("xml:lang") */
    bool required;    /* outside any optional, zeroOrMore or choice */
    xmlNodePtr def;   /* its <element> or <attribute> in the schema */
} ky_rng_item;

enum { KY_RNG_MAX_ITEMS = 64 };

/* What an element may hold, over every definition it may have at its place
 * in the document: children in schema order, each name once. */
typedef struct {
    ky_rng_item children[KY_RNG_MAX_ITEMS];
    size_t child_count;
    ky_rng_item attributes[KY_RNG_MAX_ITEMS];
    size_t attribute_count;
    bool text;  /* may hold text */
    bool known; /* the element has a definition at all */
} ky_rng_content;

/* The content of the element at path (names from the root, depth of them;
 * depth 0: the document, whose only child is the root). An element whose
 * path leaves the schema is looked up by its name alone. */
void ky_rng_content_at(const ky_rng *rng, const char *const *path, size_t depth,
                       ky_rng_content *out);

/* Whether value is one the attribute definition allows; if not, *expect
 * receives how to write it ("YYYY-MM-DD", "one of en, ja", …; static or
 * written into buffer). */
bool ky_rng_value_ok(const ky_rng_item *attribute, const char *value, char *buffer, size_t size,
                     const char **expect);

#endif
