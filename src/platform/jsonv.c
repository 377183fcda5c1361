/* See jsonv.h. */
#include "platform/jsonv.h"

#include <stdio.h>
#include <string.h>

void v_error(vctx_t *v, const char *field, const char *message)
{
	if (!v->errors)
		v->errors = json_array();
	char name[160];
	snprintf(name, sizeof name, "%s%s", v->prefix, field);
	json_array_append_new(v->errors, json_pack("{s:s, s:s}", "field", name, "message", message));
}

bool v_ok(const vctx_t *v)
{
	return !v->errors || json_array_size(v->errors) == 0;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

size_t utf8_blank_len(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||                  /* U+3000 */
	    (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x8B && s[2] <= 0x8F) || /* U+200B-U+200F */
	    (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0xA0) ||                  /* U+2060 */
	    (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))                    /* U+FEFF */
		return 3;
	return 0;
}

void utf8_halfwidth(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	while (*r) {
		/* U+FF01-U+FF3F: EF BC 81-BF; U+FF40-U+FF5E: EF BD 80-9E; each is its ASCII character + 0xFEE0 */
		if (r[0] == 0xEF && ((r[1] == 0xBC && r[2] >= 0x81 && r[2] <= 0xBF) || (r[1] == 0xBD && r[2] >= 0x80 && r[2] <= 0x9E))) {
			*w++ = (unsigned char)((r[1] == 0xBC ? 0x00 : 0x40) + (r[2] - 0x80) + 0x20);
			r += 3;
		} else if (r[0] == 0xE3 && r[1] == 0x80 && r[2] == 0x80) {
			*w++ = ' ';
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
}

bool utf8_has_visible(const char *s)
{
	for (size_t k; *s; s += k)
		if ((k = utf8_blank_len(s)) == 0)
			return true;
	return false;
}

const char *v_str(vctx_t *v, json_t *o, const char *key, size_t min, size_t max)
{
	json_t *j = json_object_get(o, key);
	if (!j || json_is_null(j)) {
		if (min > 0)
			v_error(v, key, "不能为空");
		return "";
	}
	if (!json_is_string(j)) {
		v_error(v, key, "应为文本");
		return "";
	}
	const char *s = json_string_value(j);
	if (strlen(s) != json_string_length(j)) {
		v_error(v, key, "不能包含空字符");
		return "";
	}
	size_t n = utf8_chars(s);
	char msg[64];
	if (min > 0 && n > 0 && !utf8_has_visible(s)) {
		v_error(v, key, "不能只填空格或不可见字符");
		return "";
	}
	if (n < min) {
		snprintf(msg, sizeof msg, min == 1 ? "不能为空" : "至少 %zu 个字", min);
		v_error(v, key, msg);
		return "";
	}
	if (n > max) {
		snprintf(msg, sizeof msg, "不能超过 %zu 个字", max);
		v_error(v, key, msg);
		return "";
	}
	return s;
}

int64_t v_int(vctx_t *v, json_t *o, const char *key, int64_t min, int64_t max, bool required, int64_t def)
{
	json_t *j = json_object_get(o, key);
	if (!j || json_is_null(j)) {
		if (required)
			v_error(v, key, "不能为空");
		return def;
	}
	if (!json_is_integer(j)) {
		v_error(v, key, "应为整数");
		return def;
	}
	int64_t n = json_integer_value(j);
	if (n < min || n > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "应在 %lld 到 %lld 之间", (long long)min, (long long)max);
		v_error(v, key, msg);
		return def;
	}
	return n;
}

bool v_bool(vctx_t *v, json_t *o, const char *key, bool def)
{
	json_t *j = json_object_get(o, key);
	if (!j || json_is_null(j))
		return def;
	if (!json_is_boolean(j)) {
		v_error(v, key, "应为 true 或 false");
		return def;
	}
	return json_is_true(j);
}

json_t *v_array(vctx_t *v, json_t *o, const char *key, bool required)
{
	json_t *j = json_object_get(o, key);
	if (!j || json_is_null(j)) {
		if (required)
			v_error(v, key, "不能为空");
		return NULL;
	}
	if (!json_is_array(j)) {
		v_error(v, key, "应为数组");
		return NULL;
	}
	return j;
}
