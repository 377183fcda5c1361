/* The annual report as the officer edits and publishes it (docs/domain.md, "The annual report"):
 * the officer's text over the generated figures, and the report as plain text, the body of the
 * proactive-disclosure document (主动公开) it is published as. Pure functions over the report's JSON
 * (disclosure_report.h); the stored drafts are disclosure_annual_store.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure_report.h"
#include "platform/jsonv.h"
#include "platform/err.h"

enum { PREFACE_MAX = 5000, SECTION_TEXT_MAX = 20000 };

static json_t *section_of(const json_t *report, const char *key)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(report, "sections"), i, s) {
		const char *k = json_string_value(json_object_get(s, "key"));
		if (k && strcmp(k, key) == 0)
			return s;
	}
	return NULL;
}

int disclosure_report_apply(json_t *report, const json_t *base, json_t *edits, vctx_t *v)
{
	if (!json_is_object(edits)) {
		v_error(v, "body", "应为 JSON 对象");
		return YW_EINVAL;
	}
	/* what the stored draft says carries over; the figures are always the ones just generated */
	if (base) {
		const char *pre = json_string_value(json_object_get(base, "preface"));
		if (pre)
			json_object_set_new(report, "preface", json_string(pre));
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(base, "sections"), i, s) {
			json_t *mine = section_of(report, json_string_value(json_object_get(s, "key")));
			json_t *text = json_object_get(s, "text");
			if (mine && json_is_string(text))
				json_object_set(mine, "text", text);
		}
	}
	if (json_object_get(edits, "preface")) {
		const char *pre = v_str(v, edits, "preface", 0, PREFACE_MAX);
		if (v_ok(v))
			json_object_set_new(report, "preface", json_string(pre));
	}
	json_t *secs = v_array(v, edits, "sections", false);
	size_t i;
	json_t *e;
	json_t *seen = json_object();
	json_array_foreach(secs, i, e) {
		char field[48];
		snprintf(field, sizeof field, "sections[%zu].key", i);
		const char *key = json_is_object(e) ? json_string_value(json_object_get(e, "key")) : NULL;
		json_t *mine = key ? section_of(report, key) : NULL;
		if (!mine) {
			v_error(v, field, "应为报告的一节：overview、proactive、requests、remedies、problems 或 other");
			continue;
		}
		if (json_object_get(seen, key)) {
			v_error(v, field, "同一节只能出现一次");
			continue;
		}
		json_object_set_new(seen, key, json_true());
		snprintf(field, sizeof field, "sections[%zu].text", i);
		json_t *t = json_object_get(e, "text");
		const char *text = json_string_value(t);
		if (!text) {
			v_error(v, field, "请填写本节正文");
			continue;
		}
		size_t n = utf8_chars(text);
		if (n == (size_t)-1)
			v_error(v, field, "不是有效的文字");
		else if (n < 1)
			v_error(v, field, "本节正文不能为空");
		else if (n > SECTION_TEXT_MAX)
			v_error(v, field, "本节正文最多20000字");
		else
			json_object_set_new(mine, "text", json_string(text));
	}
	json_decref(seen);
	if (!v_ok(v))
		return YW_EINVAL;
	/* the checks run again over what is stored */
	json_t *records = NULL;
	json_array_foreach(json_object_get(report, "checks"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", "records") == 0)
			records = json_incref(e);
	json_t *checks = disclosure_report_checks(report, NULL);
	bool has_records = false;
	json_array_foreach(checks, i, e)
		has_records = has_records || strcmp(json_string_value(json_object_get(e, "name")) ?: "", "records") == 0;
	if (records && !has_records)
		json_array_append(checks, records);
	json_decref(records);
	json_object_set_new(report, "checks", checks);
	return 0;
}

bool disclosure_report_checks_ok(const json_t *report, char *failed, size_t size)
{
	bool ok = true;
	size_t i, len = 0;
	json_t *c;
	if (size)
		failed[0] = '\0';
	json_array_foreach(json_object_get(report, "checks"), i, c) {
		if (json_is_true(json_object_get(c, "ok")))
			continue;
		ok = false;
		const char *label = json_string_value(json_object_get(c, "label"));
		if (!label)
			label = json_string_value(json_object_get(c, "name"));
		if (label && len + 4 < size)
			len += (size_t)snprintf(failed + len, size - len, "%s%s", len ? "、" : "", label);
		if (len >= size)
			len = size - 1;
	}
	return ok;
}

/* A number of a table cell as the report prints it: whole numbers plainly, 万元 to four places. */
static void put_value(FILE *b, const json_t *v)
{
	if (json_is_integer(v))
		fprintf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) {
		char num[64];
		snprintf(num, sizeof num, "%.4f", json_real_value(v));
		char *end = num + strlen(num) - 1;
		while (end > num && *end == '0')
			*end-- = '\0';
		if (*end == '.')
			*end = '\0';
		fputs(num, b);
	} else
		fputs("—", b);
}

/* One row "label：col n，col n" per row with values; nested rows (table 三's results) indented. */
static void put_rows(FILE *b, const json_t *rows, const json_t *columns, const char *indent)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *no = json_string_value(json_object_get(r, "no"));
		const char *label = json_string_value(json_object_get(r, "label"));
		const char *group = json_string_value(json_object_get(r, "group"));
		fputs(indent, b);
		if (no && *no)
			fprintf(b, "%s%s", no, strncmp(no, "（", strlen("（")) == 0 ? "" : (unsigned char)no[0] < 0x80 ? ". " : "、");
		if (group && label && strcmp(group, label) != 0)
			fprintf(b, "%s·", group);
		fputs(label ? label : "", b);
		json_t *vals = json_object_get(r, "values");
		if (json_is_object(vals)) {
			fputs("：", b);
			size_t k;
			json_t *c;
			bool first = true;
			json_array_foreach(columns, k, c) {
				const char *key = json_string_value(json_object_get(c, "key"));
				json_t *v = key ? json_object_get(vals, key) : NULL;
				if (!v)
					continue;
				const char *cl = json_string_value(json_object_get(c, "label"));
				const char *cg = json_string_value(json_object_get(c, "group"));
				fprintf(b, "%s%s%s%s ", first ? "" : "，", cg ? cg : "", cg ? "·" : "", cl ? cl : key);
				put_value(b, v);
				first = false;
			}
		}
		fputs("\n", b);
		json_t *sub = json_object_get(r, "rows");
		if (json_is_array(sub)) {
			char deeper[32];
			snprintf(deeper, sizeof deeper, "%s  ", indent);
			put_rows(b, sub, columns, deeper);
		}
	}
}

static void put_table(FILE *b, const json_t *t)
{
	const char *title = json_string_value(json_object_get(t, "title"));
	if (title)
		fprintf(b, "\n【%s】\n", title);
	json_t *secs = json_object_get(t, "sections");
	if (json_is_array(secs)) { /* table 二: one block per article */
		size_t i;
		json_t *s;
		json_array_foreach(secs, i, s) {
			fprintf(b, "%s\n", json_string_value(json_object_get(s, "label")) ?: "");
			put_rows(b, json_object_get(s, "rows"), json_object_get(s, "columns"), "  ");
		}
		return;
	}
	put_rows(b, json_object_get(t, "rows"), json_object_get(t, "columns"), "");
	const char *note = json_string_value(json_object_get(t, "note"));
	if (note)
		fprintf(b, "（%s）\n", note);
}

char *disclosure_report_text(const json_t *report)
{
	char *out = NULL;
	size_t len = 0;
	FILE *b = open_memstream(&out, &len);
	if (!b)
		return NULL;
	const char *pre = json_string_value(json_object_get(report, "preface"));
	if (pre && *pre)
		fprintf(b, "%s\n", pre);
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(report, "sections"), i, s) {
		fprintf(b, "\n%s、%s\n", json_string_value(json_object_get(s, "no")) ?: "",
			  json_string_value(json_object_get(s, "title")) ?: "");
		const char *text = json_string_value(json_object_get(s, "text"));
		if (text && *text)
			fprintf(b, "%s\n", text);
		const char *tk = json_string_value(json_object_get(s, "table"));
		json_t *t = tk ? json_object_get(report, tk) : NULL;
		if (json_is_object(t))
			put_table(b, t);
	}
	if (fclose(b) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
