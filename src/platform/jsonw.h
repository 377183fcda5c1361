/* Writing JSON text fast, byte for byte as jansson's json_dumps(JSON_COMPACT | JSON_ENCODE_ANY)
 * writes it: jansson's own dump took 13 µs for a 1.2 KB case (over a quarter of a submission's
 * HTTP side), and every answer goes through it. A growing buffer (jsonw_t), the pieces the audit
 * trail's row snapshots are written with (strings, integers), and the whole of a json_t. The
 * audit chain stores and compares these bytes: tests/unit/test_jsonw.c and test_audit.c hold
 * them side by side with jansson's. */
#ifndef YW_JSONW_H
#define YW_JSONW_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jsonw {
	char *p; /* NUL-terminated; the caller frees it */
	size_t len, cap;
} jsonw_t;

void jsonw_put(jsonw_t *w, const char *s, size_t n);
/* s (len bytes) as a JSON string as jansson writes it: quotes, backslash and control characters
 * escaped (\u00XX in upper case), UTF-8 kept as it is. Text that is not valid UTF-8 becomes ""
 * (jansson refuses to make a string of it). */
void jsonw_string(jsonw_t *w, const char *s, size_t len);
/* v in decimal. */
void jsonw_int(jsonw_t *w, int64_t v);
/* j as compact JSON text (objects' keys in insertion order, as jansson writes them), its length
 * into *len when len is not NULL; NULL when j nests deeper than 256 levels (or holds itself).
 * Caller frees. */
char *jsonw_dump(const json_t *j, size_t *len);

#endif
