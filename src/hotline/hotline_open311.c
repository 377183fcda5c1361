/* Open311 parsing and rendering without the database (hotline_open311.h): form bodies and query
 * strings, W3C date-times, lists of request ids, and GeoReport XML. */
#include "hotline/hotline_open311.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/err.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into out (room for len + 1); the decoded length, or -1 for a broken escape. */
static long decode(const char *s, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len)
				return -1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = 0;
	return (long)o;
}

int o311_form_parse(const char *s, size_t len, o311_form_t *f, const char **why)
{
	memset(f, 0, sizeof *f);
	*why = "";
	if (!len)
		return 0;
	/* each decoded string is no longer than its source; one NUL each */
	f->buf = malloc(len + 2 * O311_FORM_MAX + 2);
	if (!f->buf) {
		*why = "内存不足";
		return YW_EIO;
	}
	char *w = f->buf;
	size_t i = 0;
	while (i <= len) {
		size_t j = i;
		while (j < len && s[j] != '&')
			j++;
		if (j > i) { /* empty pairs ("a=1&&b=2") are skipped */
			if (f->n == O311_FORM_MAX) {
				*why = "参数过多";
				return YW_EINVAL;
			}
			size_t eq = i;
			while (eq < j && s[eq] != '=')
				eq++;
			long kl = decode(s + i, eq - i, w);
			if (kl < 0) {
				*why = "参数中的百分号编码有误";
				return YW_EINVAL;
			}
			if (kl == 0) {
				*why = "参数名为空";
				return YW_EINVAL;
			}
			if (!utf8_valid(w, (size_t)kl)) {
				*why = "参数不是有效的 UTF-8 文本";
				return YW_EINVAL;
			}
			char *k = w;
			w += kl + 1;
			long vl = eq < j ? decode(s + eq + 1, j - eq - 1, w) : (*w = 0, 0);
			if (vl < 0) {
				*why = "参数中的百分号编码有误";
				return YW_EINVAL;
			}
			if (!utf8_valid(w, (size_t)vl)) {
				*why = "参数不是有效的 UTF-8 文本";
				return YW_EINVAL;
			}
			if (o311_form_get(f, k)) {
				*why = "参数重复";
				return YW_EINVAL;
			}
			f->key[f->n] = k;
			f->val[f->n] = w;
			f->n++;
			w += vl + 1;
		}
		i = j + 1;
	}
	return 0;
}

const char *o311_form_get(const o311_form_t *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->key[i], key) == 0)
			return f->val[i];
	return NULL;
}

void o311_form_free(o311_form_t *f)
{
	free(f->buf);
	memset(f, 0, sizeof *f);
}

/* ---- dates ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int o311_parse_datetime(const char *s, int64_t *out)
{
	if (!s || strlen(s) < 10 || strlen(s) > 40)
		return YW_EINVAL;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1970 || s[4] != '-' || s[7] != '-' || mo < 1 || mo > 12 || d < 1)
		return YW_EINVAL;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return YW_EINVAL;
	int64_t day = days_from_civil(y, mo, d);
	if (!s[10]) { /* a bare date: its start in China time */
		*out = day * 86400 - 8 * 3600;
		return 0;
	}
	const char *t = s + 10;
	if (*t != 'T' && *t != 't' && *t != ' ')
		return YW_EINVAL;
	t++;
	if (strlen(t) < 8)
		return YW_EINVAL;
	int hh = digits(t, 2), mm = digits(t + 3, 2), ss = digits(t + 6, 2);
	if (hh < 0 || hh > 23 || t[2] != ':' || mm < 0 || mm > 59 || t[5] != ':' || ss < 0 || ss > 60)
		return YW_EINVAL;
	t += 8;
	if (*t == '.' || *t == ',') {
		t++;
		if (*t < '0' || *t > '9')
			return YW_EINVAL;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	int64_t off;
	if ((*t == 'Z' || *t == 'z') && !t[1]) {
		off = 0;
	} else if (*t == '+' || *t == '-') {
		int oh = digits(t + 1, 2), om;
		if (oh < 0 || oh > 14)
			return YW_EINVAL;
		if (t[3] == ':' && strlen(t) == 6)
			om = digits(t + 4, 2);
		else if (strlen(t) == 5)
			om = digits(t + 3, 2);
		else if (strlen(t) == 3)
			om = 0;
		else
			return YW_EINVAL;
		if (om < 0 || om > 59)
			return YW_EINVAL;
		off = (*t == '-' ? -1 : 1) * ((int64_t)oh * 3600 + om * 60);
	} else {
		return YW_EINVAL; /* the specification requires the zone */
	}
	*out = day * 86400 + hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss) - off;
	return 0;
}

void o311_format_datetime(int64_t t, char out[26])
{
	int64_t local = t + 8 * 3600;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - days * 86400;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	snprintf(out, 26, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", (int)y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		 (int)(sec % 60));
}

/* ---- ids and formats ---- */

int o311_id_list(const char *s, char *buf, size_t bufsz, const char **ids, int max)
{
	size_t len = strlen(s);
	if (len + 1 > bufsz)
		return -1;
	memcpy(buf, s, len + 1);
	int n = 0;
	char *p = buf;
	for (;;) {
		char *end = strchr(p, ',');
		if (end)
			*end = 0;
		while (*p == ' ')
			p++;
		size_t l = strlen(p);
		while (l && p[l - 1] == ' ')
			p[--l] = 0;
		if (l == 0 || l > 32 || n == max)
			return -1;
		for (size_t i = 0; i < l; i++)
			if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z')))
				return -1;
		ids[n++] = p;
		if (!end)
			return n;
		p = end + 1;
	}
}

char o311_split_format(const char *seg, char name[64])
{
	const char *dot = strrchr(seg, '.');
	if (!dot || dot == seg || (size_t)(dot - seg) > 63)
		return 0;
	char f = strcmp(dot, ".json") == 0 ? 'j' : strcmp(dot, ".xml") == 0 ? 'x' : 0;
	if (f) {
		memcpy(name, seg, (size_t)(dot - seg));
		name[dot - seg] = 0;
	}
	return f;
}

/* ---- XML ---- */

typedef struct xbuf {
	char *s;
	size_t n, cap;
	bool oom;
} xbuf_t;

static void put(xbuf_t *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (b->n + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void puts_(xbuf_t *b, const char *s) { put(b, s, strlen(s)); }

/* Escaped text; code points XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF)
 * are dropped. The text is UTF-8 from jansson. */
static void text(xbuf_t *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': puts_(b, "&amp;"); break;
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '"': puts_(b, "&quot;"); break;
		case '\'': puts_(b, "&apos;"); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				break;
			if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				p += 2;
				break;
			}
			put(b, (const char *)p, 1);
		}
	}
}

static const char *singular(const char *plural)
{
	if (strcmp(plural, "attributes") == 0)
		return "attribute";
	if (strcmp(plural, "values") == 0)
		return "value";
	if (strcmp(plural, "endpoints") == 0)
		return "endpoint";
	if (strcmp(plural, "formats") == 0)
		return "format";
	return "item";
}

static void element(xbuf_t *b, const char *name, json_t *v, int depth)
{
	puts_(b, "<");
	puts_(b, name);
	puts_(b, ">");
	char num[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *e;
		json_object_foreach(v, k, e)
			if (depth < 8)
				element(b, k, e, depth + 1);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (depth < 8)
				element(b, singular(name), e, depth + 1);
		break;
	}
	case JSON_STRING: text(b, json_string_value(v)); break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		puts_(b, num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof num, "%.15g", json_real_value(v));
		puts_(b, num);
		break;
	case JSON_TRUE: puts_(b, "true"); break;
	case JSON_FALSE: puts_(b, "false"); break;
	case JSON_NULL: break;
	}
	puts_(b, "</");
	puts_(b, name);
	puts_(b, ">");
}

char *o311_xml(const char *root, const char *item, json_t *items)
{
	xbuf_t b = {0};
	puts_(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<");
	puts_(&b, root);
	puts_(&b, ">");
	size_t i;
	json_t *e;
	if (json_is_object(items)) { /* one answer object (the service definition): its members */
		const char *k;
		json_object_foreach(items, k, e)
			element(&b, k, e, 1);
	} else {
		json_array_foreach(items, i, e)
			element(&b, item, e, 0);
	}
	puts_(&b, "</");
	puts_(&b, root);
	puts_(&b, ">\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
