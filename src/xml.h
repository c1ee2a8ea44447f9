/* Loading and validating the XML files kyodo reads (drafts, templates, the
 * font set): one place that sets safe parser options and turns libxml2's
 * errors into diagnostics. */
#ifndef KY_XML_H
#define KY_XML_H

#include <libxml/tree.h>
#include <stddef.h>

#include "diag.h"
#include "file.h" /* KY_XML_MAX_BYTES */

/* Puts libxml2 under kyodo's policies (allocation, no output of its own);
 * called once, first, by main. */
void ky_xml_init(void);
/* The version of libxml2 in use ("2.9.14"), for --version. */
const char *ky_xml_library_version(char *out, size_t size);

/* KY_SCHEMA_NONE: read without validating (a root attribute only). */
typedef enum { KY_SCHEMA_DRAFT, KY_SCHEMA_TEMPLATE, KY_SCHEMA_FONTSET, KY_SCHEMA_NONE } ky_schema;

/* Reads path, parses it without network or external entities, validates it
 * against the schema. Returns NULL (with diagnostics) on any problem. */
xmlDocPtr ky_xml_load(const char *path, ky_schema schema, ky_diags *diags);

/* A document read part by part (drafts): validated as it is read, each
 * child of the root handed out with its subtree and freed when the next is
 * asked for, so that memory follows the largest part, not the document.
 * text (size bytes) is the document already read, or NULL to read path. */
typedef struct ky_xml_stream ky_xml_stream;
ky_xml_stream *ky_xml_stream_open(const char *path, const char *text, size_t size, ky_schema schema,
                                  const char *encoding, ky_diags *diags);
/* The root element (its attributes; no children), or NULL. */
xmlNodePtr ky_xml_stream_root(ky_xml_stream *stream);
/* The root's next child element with its subtree, or NULL after the last. */
xmlNodePtr ky_xml_stream_next(ky_xml_stream *stream);
/* The value of the root element's attribute name (malloc'd), or NULL;
 * reads the document only as far as its root's start tag. */
char *ky_xml_root_attribute(const char *path, const char *text, size_t size, const char *encoding,
                            const char *name, ky_diags *diags);
/* Reads what is left and reports what is wrong with the document: only its
 * parse errors when it is not well-formed, else its schema violations.
 * Returns 0 for a well-formed, valid document; frees the stream. */
int ky_xml_stream_close(ky_xml_stream *stream);
/* The same for a document in the given encoding (transcoded with iconv
 * first), or with NULL: as declared (BOM or XML declaration), else UTF-8. */
xmlDocPtr ky_xml_load_encoded(const char *path, ky_schema schema, const char *encoding,
                              ky_diags *diags);

/* The same for a document already read (kyodo build parses the very bytes
 * it hashed); path names it in diagnostics. */
xmlDocPtr ky_xml_load_memory(const char *path, const char *text, size_t size, ky_schema schema,
                             const char *encoding, ky_diags *diags);

/* The element children of node, skipping text and comments. */
xmlNodePtr ky_xml_first_element(xmlNodePtr node);
xmlNodePtr ky_xml_next_element(xmlNodePtr node);
xmlNodePtr ky_xml_child(xmlNodePtr node, const char *name);
int ky_xml_is(xmlNodePtr node, const char *name);
/* Attribute value or NULL; the result is owned by the caller (xmlFree). */
char *ky_xml_attr(xmlNodePtr node, const char *name);
int ky_xml_line(xmlNodePtr node);

#endif
