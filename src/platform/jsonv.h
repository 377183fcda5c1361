/* Field-by-field validation of JSON input with errors a clerk can read: each problem is
 * recorded as {"field": "materials[2].name", "message": "不能为空"} and validation goes on, so
 * one response lists everything that is wrong (the 一次性告知 principle applied to forms). */
#ifndef YW_JSONV_H
#define YW_JSONV_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct vctx {
	json_t *errors; /* array, created on first error; owned by the caller (json_decref) */
	char prefix[96]; /* "materials[2]." while validating a nested object */
} vctx_t;

void v_error(vctx_t *v, const char *field, const char *message);
bool v_ok(const vctx_t *v);
/* Number of Unicode code points in valid UTF-8 s. */
size_t utf8_chars(const char *s);

/* Length in bytes of the blank at s, 0 when there is none: ASCII white space, the no-break and
 * ideographic spaces (U+00A0, U+3000), and the invisible format characters a pasted text carries
 * (U+200B-U+200F, U+2060, U+FEFF). */
size_t utf8_blank_len(const char *s);
/* True when s holds a character other than those blanks. */
bool utf8_has_visible(const char *s);
/* Rewrites s in place with the full-width forms a Chinese input method types (U+FF01-U+FF5E:
 * ４３０１…, １３８…, ＋, －, ＡＢＣ) as their ASCII characters and the ideographic space U+3000 as
 * ' ', so that a number, a phone or a code is judged by what it says rather than its width.
 * Nothing else changes; the text only gets shorter. */
void utf8_halfwidth(char *s);

/* A string field with min..max characters; absent or null counts as "" (and fails min > 0), and so
 * does, with min > 0, a text with nothing visible in it (utf8_has_visible: only spaces or invisible
 * characters). Returns the string (owned by o) or "" on error. */
const char *v_str(vctx_t *v, json_t *o, const char *key, size_t min, size_t max);
/* An integer in [min, max]; absent uses def when !required. */
int64_t v_int(vctx_t *v, json_t *o, const char *key, int64_t min, int64_t max, bool required, int64_t def);
bool v_bool(vctx_t *v, json_t *o, const char *key, bool def);
/* An optional array: returns it or NULL when absent; wrong type records an error. */
json_t *v_array(vctx_t *v, json_t *o, const char *key, bool required);

#endif
