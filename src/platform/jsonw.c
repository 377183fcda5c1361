/* See jsonw.h. tests/unit/test_jsonw.c holds the output side by side with jansson's. */
#include "platform/jsonw.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/arena.h"

/* Appends without terminating: the public functions terminate once at their end. */
static inline void put(jsonw_t *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		w->cap = (w->len + n + 1) * 2;
		w->p = xrealloc(w->p, w->cap);
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static inline void put_char(jsonw_t *w, char c)
{
	if (w->len + 2 > w->cap) {
		w->cap = (w->len + 2) * 2;
		w->p = xrealloc(w->p, w->cap);
	}
	w->p[w->len++] = c;
}

void jsonw_put(jsonw_t *w, const char *s, size_t n)
{
	put(w, s, n);
	w->p[w->len] = 0;
}

/* Length of the UTF-8 sequence at s (n bytes left), 0 when it is not valid UTF-8: the rules of
 * jansson's utf8_check_first/utf8_check_full (no overlong forms, no surrogates, at most U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* One pass: what was written is taken back when an invalid sequence turns up. */
static void string(jsonw_t *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t start = w->len, run = 0, i = 0;
	put_char(w, '"');
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			if (c < 0x80) {
				i++;
				continue;
			}
			size_t k = utf8_len(s + i, n - i);
			if (!k) {
				w->len = start;
				put(w, "\"\"", 2);
				return;
			}
			i += k;
			continue;
		}
		put(w, str + run, i - run);
		run = ++i;
		char esc[8];
		switch (c) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default: put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X", c)); break;
		}
	}
	put(w, str + run, n - run);
	put_char(w, '"');
}

void jsonw_string(jsonw_t *w, const char *s, size_t len)
{
	string(w, s, len);
	w->p[w->len] = 0;
}

static void integer(jsonw_t *w, int64_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--n] = '-';
	put(w, tmp + n, sizeof tmp - n);
}

void jsonw_int(jsonw_t *w, int64_t v)
{
	integer(w, v);
	w->p[w->len] = 0;
}

/* Deeper than any answer nests; a guard against a json_t that holds itself. */
#define MAX_DEPTH 256

static bool dump(jsonw_t *w, const json_t *j, int depth)
{
	if (depth > MAX_DEPTH)
		return false;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		put_char(w, '{');
		const char *key;
		json_t *v;
		bool first = true;
		/* insertion order, as json_dumps without JSON_SORT_KEYS */
		json_object_foreach((json_t *)j, key, v) {
			if (!first)
				put_char(w, ',');
			first = false;
			string(w, key, strlen(key));
			put_char(w, ':');
			if (!dump(w, v, depth + 1))
				return false;
		}
		put_char(w, '}');
		return true;
	}
	case JSON_ARRAY: {
		put_char(w, '[');
		for (size_t i = 0, n = json_array_size(j); i < n; i++) {
			if (i)
				put_char(w, ',');
			if (!dump(w, json_array_get(j, i), depth + 1))
				return false;
		}
		put_char(w, ']');
		return true;
	}
	case JSON_STRING:
		string(w, json_string_value(j), json_string_length(j));
		return true;
	case JSON_INTEGER:
		integer(w, json_integer_value(j));
		return true;
	case JSON_REAL: {
		/* jansson's own format for reals ("%.17g" and its trimmings): few in any answer */
		char *s = json_dumps(j, JSON_ENCODE_ANY);
		if (!s)
			return false;
		put(w, s, strlen(s));
		free(s);
		return true;
	}
	case JSON_TRUE: put(w, "true", 4); return true;
	case JSON_FALSE: put(w, "false", 5); return true;
	case JSON_NULL: put(w, "null", 4); return true;
	}
	return false;
}

char *jsonw_dump(const json_t *j, size_t *len)
{
	jsonw_t w = {.p = xmalloc(1024), .cap = 1024};
	w.p[0] = 0;
	if (!j || !dump(&w, j, 0)) {
		free(w.p);
		return NULL;
	}
	w.p[w.len] = 0;
	if (len)
		*len = w.len;
	return w.p;
}
