/* Who may apply, and with what (docs/domain.md §4): the applicant's and an agent's (帮代办) identity
 * numbers and phones (GB 11643, GB 32100, idcheck_phone), the item's service targets (服务对象:
 * 自然人 / 法人), the form checked against the item's fields and the applicant details every
 * form may carry (known keys, typed values, lengths, a size limit), the materials named once
 * each, the required materials at 受理, and the approver's opinion on a decision. Rules only:
 * no SQL and no HTTP; cases_store.c calls them inside its transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_priv.h"
#include "files/files.h"
#include "platform/clock.h"
#include "platform/date.h"
#include "platform/err.h"
#include "platform/idcheck.h"

/* Runs with v->prefix extended by `sub` ("applicant.", "form."), restoring it after. */
typedef struct prefix_save {
	char saved[sizeof(((vctx_t *)0)->prefix)];
} prefix_save_t;

static void prefix_push(vctx_t *v, prefix_save_t *s, const char *sub)
{
	memcpy(s->saved, v->prefix, sizeof s->saved);
	snprintf(v->prefix, sizeof v->prefix, "%s%s", s->saved, sub);
}

static void prefix_pop(vctx_t *v, const prefix_save_t *s)
{
	memcpy(v->prefix, s->saved, sizeof s->saved);
}

static void phone_check(vctx_t *v, const char *key, const char *phone, bool org)
{
	const char *why = idcheck_phone_reason(phone, strlen(phone), org);
	if (why) {
		char msg[160];
		snprintf(msg, sizeof msg, "联系电话%s", why);
		v_error(v, key, msg);
	}
}

/* Replaces the string a[key] by itself without the blanks at either end (utf8_blank_len: spaces, the
 * ideographic space, the invisible format characters a pasted text carries), so that what is stored
 * and compared is what the applicant meant. Not a string: left for the caller's check. */
static void trim_member(json_t *a, const char *key)
{
	json_t *j = json_object_get(a, key);
	if (!json_is_string(j) || strlen(json_string_value(j)) != json_string_length(j))
		return; /* not a string, or one with a NUL inside: the caller's check refuses it */
	const char *s = json_string_value(j);
	for (size_t k; *s && (k = utf8_blank_len(s)) != 0;)
		s += k;
	const char *end = s, *p = s;
	while (*p) {
		size_t k = utf8_blank_len(p);
		if (k) {
			p += k;
			continue;
		}
		/* a visible character: its lead byte and continuation bytes */
		for (p++; ((unsigned char)*p & 0xC0) == 0x80; p++)
			;
		end = p;
	}
	if (s != json_string_value(j) || *end)
		json_object_set_new(a, key, json_stringn(s, (size_t)(end - s)));
}

/* A name as printed on notices and certificates: one line, no control or invisible characters
 * inside (ordinary spaces of foreign names and the middle dot of 阿卜杜拉·艾力 are fine). */
static bool name_printable(const char *s)
{
	for (size_t k; *s; s += k ? k : 1) {
		unsigned char c = (unsigned char)*s;
		k = utf8_blank_len(s);
		if (c < 0x20 || c == 0x7f || (k && c != ' ' && memcmp(s, "\xe3\x80\x80", 3) != 0))
			return false;
	}
	return true;
}

/* Full-width forms (全角) of a number or phone as an input method in Chinese mode types them
 * (１３８００１３８０００, ４３０１０２…, ０７３１－８８８８８８８８) become their ASCII characters
 * (utf8_halfwidth), so the checks judge the number itself rather than its width. */
static void halfwidth_member(json_t *a, const char *key)
{
	json_t *j = json_object_get(a, key);
	if (!json_is_string(j) || strlen(json_string_value(j)) != json_string_length(j))
		return;
	char *out = strdup(json_string_value(j));
	if (!out)
		return;
	utf8_halfwidth(out);
	if (strcmp(out, json_string_value(j)) != 0)
		json_object_set_new(a, key, json_string(out));
	free(out);
}

int cases_applicant_check(vctx_t *v, json_t *a, const char *key, bool agent, cases_person_t *out)
{
	memset(out, 0, sizeof *out);
	prefix_save_t ps;
	char sub[32];
	snprintf(sub, sizeof sub, "%s.", key);
	prefix_push(v, &ps, sub);
	const char *kind = agent ? "person" : json_string_value(json_object_get(a, "kind"));
	if (!kind && !json_object_get(a, "kind"))
		kind = "person";
	if (!kind || (strcmp(kind, "person") != 0 && strcmp(kind, "legal") != 0)) {
		v_error(v, "kind", "应为 person（自然人）或 legal（法人）");
		kind = "person";
	}
	out->legal = strcmp(kind, "legal") == 0;
	const char *no_key = out->legal ? "uscc" : "id_number";
	trim_member(a, "name");
	halfwidth_member(a, no_key);
	halfwidth_member(a, "phone");
	trim_member(a, no_key);
	trim_member(a, "phone");
	out->name = v_str(v, a, "name", 1, out->legal ? 100 : 50);
	if (*out->name && !name_printable(out->name))
		v_error(v, "name", out->legal ? "名称不能包含换行、制表符或不可见字符" : "姓名不能包含换行、制表符或不可见字符");
	json_t *no = json_object_get(a, no_key);
	const char *number = json_is_string(no) ? json_string_value(no) : "";
	yw_date_t today = date_today_local((int64_t)yw_now());
	const char *why = !*number    ? NULL
			  : out->legal ? idcheck_uscc_reason(number, strlen(number))
				       : idcheck_person_reason_on(number, strlen(number), today);
	int age;
	if (!*number) {
		v_error(v, no_key, out->legal ? "须填写统一社会信用代码" : "须填写身份证号码");
	} else if (why) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s%s", out->legal ? "统一社会信用代码" : "身份证号码", why);
		v_error(v, no_key, msg);
	} else if (agent && idcheck_person_age(number, today, &age) == 0 && age < 18) {
		/* an appointed agent (委托代理人) acts in law for the applicant: an adult (民法典 §17-18) */
		v_error(v, no_key, "代办人须为年满十八周岁的成年人");
	}
	out->number = number;
	out->phone = v_str(v, a, "phone", 1, 20);
	if (*out->phone)
		phone_check(v, "phone", out->phone, out->legal);
	prefix_pop(v, &ps);
	return v_ok(v) ? 0 : YW_EINVAL;
}

/* 服务对象 codes (catalog_targets): 1 自然人; 2-6 法人 and other organisations. */
const char *cases_target_problem(json_t *guide, bool legal)
{
	bool person_ok = false, org_ok = false;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(guide, "targets"), i, t) {
		json_int_t c = json_integer_value(t);
		person_ok |= c == 1;
		org_ok |= c >= 2 && c <= 6;
	}
	if (legal && !org_ok)
		return "该事项的服务对象为自然人，法人或其他组织不能申请";
	if (!legal && !person_ok)
		return "该事项的服务对象为法人或其他组织，自然人不能申请";
	return NULL;
}

const char *cases_channel_problem(json_t *guide)
{
	json_t *forms = json_object_get(guide, "forms");
	if (!json_array_size(forms))
		return NULL; /* an item that names no channel: nothing to hold against the applicant */
	size_t i;
	json_t *f;
	json_array_foreach(forms, i, f)
		if (json_integer_value(f) == 2 || json_integer_value(f) == 3)
			return NULL;
	return "该事项仅支持窗口办理，请携带材料到政务服务大厅办理";
}

/* A decimal number as text: digits with at most one point, an optional leading minus. */
static bool decimal_text(const char *s)
{
	if (*s == '-')
		s++;
	bool digit = false, point = false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !point)
			point = true;
		else
			return false;
	}
	return digit;
}

/* One value of one of the item's own fields (catalogue "fields"). */
static void item_field_check(vctx_t *v, json_t *field, const char *key, json_t *val, bool legal)
{
	const char *type = json_string_value(json_object_get(field, "type"));
	const char *label = json_string_value(json_object_get(field, "label"));
	size_t max = (size_t)json_integer_value(json_object_get(field, "max"));
	char msg[200];
	if (type && strcmp(type, "number") == 0 && json_is_number(val))
		return;
	if (!json_is_string(val)) {
		v_error(v, key, "应为文本");
		return;
	}
	const char *s = json_string_value(val);
	if (utf8_chars(s) > (max ? max : 200)) {
		snprintf(msg, sizeof msg, "%s不能超过 %zu 个字", label ? label : key, max ? max : 200);
		v_error(v, key, msg);
		return;
	}
	if (!*s || !type)
		return;
	const char *why = NULL;
	yw_date_t d;
	if (strcmp(type, "number") == 0 && !decimal_text(s))
		why = "应为数字";
	else if (strcmp(type, "date") == 0 && date_parse(s, strlen(s), &d) != 0)
		why = "应为日期（YYYY-MM-DD）";
	else if (strcmp(type, "phone") == 0)
		why = idcheck_phone_reason(s, strlen(s), legal);
	else if (strcmp(type, "id_number") == 0)
		why = idcheck_person_reason_on(s, strlen(s), date_today_local((int64_t)yw_now()));
	if (why) {
		snprintf(msg, sizeof msg, "%s%s", label ? label : key, why);
		v_error(v, key, msg);
	}
}

static json_t *guide_field(json_t *guide, const char *key)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(guide, "fields"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "key")), key) == 0)
			return f;
	return NULL;
}

json_t *cases_form_check(vctx_t *v, json_t *form, json_t *guide, bool legal, size_t max_bytes)
{
	if (form && !json_is_null(form) && !json_is_object(form)) {
		v_error(v, "form", "应为对象");
		return NULL;
	}
	json_t *out = json_object();
	if (!json_is_object(form))
		form = NULL;
	/* The size first: a form over the limit is not looked into further. */
	char *text = form ? json_dumps(form, JSON_COMPACT) : NULL;
	size_t size = text ? strlen(text) : 0;
	free(text);
	if (size > max_bytes) {
		char msg[96];
		snprintf(msg, sizeof msg, "申请表内容过大(%zu 字节)，不能超过 %zu KiB", size, max_bytes / 1024);
		v_error(v, "form", msg);
		return out;
	}
	prefix_save_t ps;
	prefix_push(v, &ps, "form.");
	const char *key;
	json_t *val;
	int unknown = 0;
	if (form)
		json_object_foreach(form, key, val) {
			json_t *f = guide_field(guide, key);
			if (f)
				item_field_check(v, f, key, val, legal);
			else if (strcmp(key, "materials") == 0)
				v_error(v, key, "申请材料请在 materials 中列出");
			else if (files_profile_value_check(v, key, val) == YW_ENOTFOUND && unknown++ < 20)
				v_error(v, key, "不是该事项申请表中的字段");
			if (json_is_string(val) && json_string_length(val) == 0)
				continue;
			json_object_set(out, key, val);
		}
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(guide, "fields"), i, f) {
		const char *k = json_string_value(json_object_get(f, "key"));
		if (json_is_true(json_object_get(f, "required")) && !json_object_get(out, k)) {
			char msg[96];
			snprintf(msg, sizeof msg, "须填写%s", json_string_value(json_object_get(f, "label")));
			v_error(v, k, msg);
		}
	}
	prefix_pop(v, &ps);
	return out;
}

/* Materials the department obtains itself (免提交): nothing for the applicant to hand in. */
static bool shared_source(json_t *m)
{
	const char *s = json_string_value(json_object_get(m, "source"));
	return s && (strcmp(s, "电子证照") == 0 || strcmp(s, "数据共享") == 0);
}

static bool list_has(json_t *list, const char *name)
{
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m)
		if (json_is_string(m) && strcmp(json_string_value(m), name) == 0)
			return true;
	return false;
}

int cases_required_missing(vctx_t *v, json_t *guide, json_t *supplied, json_t *tolerated)
{
	int n = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(guide, "materials"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		if (!name || !json_is_true(json_object_get(m, "required")) || shared_source(m) ||
		    list_has(supplied, name) || list_has(tolerated, name))
			continue;
		char msg[300];
		snprintf(msg, sizeof msg, "缺少必要材料：%s%s", name,
			 json_is_true(json_object_get(m, "tolerable")) ? "（可容缺，须在 missing 中列明）" : "");
		v_error(v, "materials", msg);
		n++;
	}
	return n;
}

const char *cases_material_types_problem(json_t *guide, const char *material, const char *ext, char *buf, size_t size)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(guide, "materials"), i, m) {
		if (strcmp(json_string_value(json_object_get(m, "name")), material) != 0)
			continue;
		json_t *types = json_object_get(m, "file_types");
		if (!json_array_size(types) || list_has(types, ext))
			return NULL;
		size_t n = (size_t)snprintf(buf, size, "“%s”只接受", material);
		size_t k;
		json_t *t;
		json_array_foreach(types, k, t)
			if (n < size)
				n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? "、" : "", json_string_value(t));
		if (n < size)
			snprintf(buf + n, size - n, " 格式的文件，上传的是 %s", *ext ? ext : "其他格式");
		return buf;
	}
	return NULL;
}

/* Whitespace at either end, ASCII and the ideographic space U+3000. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	for (;;) {
		if (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 3;
			n -= 3;
		} else if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) {
			n--;
		} else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0) {
			n -= 3;
		} else {
			break;
		}
	}
	*len = n;
	return s;
}

json_t *cases_text_check(vctx_t *v, json_t *val, const char *key, const char *what, size_t min, size_t max)
{
	char msg[160];
	if (!json_is_string(val)) {
		snprintf(msg, sizeof msg, val && !json_is_null(val) ? "%s应为文本" : "须填写%s", what);
		v_error(v, key, msg);
		return NULL;
	}
	size_t n;
	const char *s = trim(json_string_value(val), &n);
	json_t *out = json_stringn(s, n);
	size_t chars = out ? utf8_chars(json_string_value(out)) : 0;
	if (chars == 0)
		snprintf(msg, sizeof msg, "%s不能为空", what);
	else if (chars < min)
		snprintf(msg, sizeof msg, "%s过短，至少 %zu 个字", what, min);
	else if (chars > max)
		snprintf(msg, sizeof msg, "%s不能超过 %zu 个字", what, max);
	else
		return out;
	v_error(v, key, msg);
	json_decref(out);
	return NULL;
}

json_t *cases_opinion_check(vctx_t *v, json_t *body, const char *alias)
{
	/* "opinion" is the field; the older "note" (准予) and "reason" (不予) mean the same. */
	const char *key = json_object_get(body, "opinion") || !json_object_get(body, alias) ? "opinion" : alias;
	return cases_text_check(v, json_object_get(body, key), key, "审批意见", CASES_OPINION_MIN, CASES_OPINION_MAX);
}
