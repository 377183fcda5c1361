/* Catalogue rules: the GB/T 39046-2020 code sets and the validation of an implementation list
 * (实施清单, docs/domain.md §3). No SQL and no HTTP here. */
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/arena.h"

const code_label_t catalog_item_types[] = {
	{"01", "行政许可"}, {"02", "行政处罚"}, {"03", "行政强制"}, {"04", "行政征收"},
	{"05", "行政给付"}, {"06", "行政检查"}, {"07", "行政确认"}, {"08", "行政奖励"},
	{"09", "行政裁决"}, {"10", "其他行政权力"}, {"20", "公共服务"}, {NULL, NULL},
};
const code_label_t catalog_levels[] = {
	{"1", "国家级"}, {"2", "省级"}, {"3", "市级"}, {"4", "县级"}, {"5", "镇（街道）级"}, {"6", "村（社区）级"}, {NULL, NULL},
};
const code_label_t catalog_targets[] = {
	{"1", "自然人"}, {"2", "企业法人"}, {"3", "事业法人"}, {"4", "社会组织法人"}, {"5", "行政机关"}, {"6", "其他组织"},
	{NULL, NULL},
};
const code_label_t catalog_classes[] = {{"1", "即办件"}, {"2", "承诺件"}, {"3", "一审一核件"}, {NULL, NULL}};
const code_label_t catalog_forms[] = {{"1", "窗口办理"}, {"2", "网上办理（电脑端）"}, {"3", "网上办理（移动端）"},
				      {"4", "快递申请"}, {NULL, NULL}};
const char *const catalog_tags[] = {"马上办", "网上办", "就近办", "一次办", "最多跑一次", "一次也不跑", "即来即办", NULL};
const char *const catalog_lists[] = {"权力清单", "责任清单", "投资项目目录清单", "中介服务事项目录清单", "负面清单",
				     "流程清单", NULL};
const char *const catalog_life_events[] = {"生育收养", "户籍办理", "教育科研", "就业创业", "婚姻登记", "社会保障",
					   "医疗卫生", "住房保障", "交通出行", "开办企业", "工程建设", "经营纳税",
					   "退休养老", "优待抚恤", "残疾人服务", "死亡殡葬", NULL};
const char *const catalog_tongban[] = {"无", "全市通办", "全省通办", "跨省通办", NULL};
static const char *const material_forms[] = {"原件", "复印件", "原件和复印件", "电子件", NULL};
static const char *const material_sources[] = {"申请人自备", "电子证照", "数据共享", "政府部门核发", NULL};
static const char *const step_roles[] = {"window", "approver", "leader", "dept", NULL};
/* The file types a material may name (file_types): the extensions files_sniff() reports. */
static const char *const material_file_types[] = {"pdf", "jpg", "png", "ofd", "docx", "xlsx", NULL};
/* The value types of an item's own form fields (fields[].type). */
static const char *const field_types[] = {"text", "number", "date", "phone", "id_number", NULL};
/* What a second application for the item while the applicant's first is open gets. */
static const char *const duplicate_policies[] = {"warn", "refuse", NULL};

const char *catalog_label(const code_label_t *set, const char *code)
{
	for (; set->code; set++)
		if (strcmp(set->code, code) == 0)
			return set->label;
	return NULL;
}

int catalog_name_bit(const char *const *set, const char *name)
{
	for (int i = 0; set[i]; i++)
		if (strcmp(set[i], name) == 0)
			return i;
	return -1;
}

json_t *catalog_bits_json(const char *const *set, int64_t bits)
{
	json_t *a = json_array();
	for (int i = 0; set[i]; i++)
		if (bits & ((int64_t)1 << i))
			json_array_append_new(a, json_string(set[i]));
	return a;
}

static json_t *codes_json(const code_label_t *set, bool numeric)
{
	json_t *a = json_array();
	for (; set->code; set++)
		json_array_append_new(a, json_pack("{s:o, s:s}", "code",
						   numeric ? json_integer(atoi(set->code)) : json_string(set->code),
						   "label", set->label));
	return a;
}

static json_t *names_json(const char *const *set)
{
	json_t *a = json_array();
	for (; *set; set++)
		json_array_append_new(a, json_string(*set));
	return a;
}

json_t *catalog_codes_json(void)
{
	json_t *roles = json_array();
	for (unsigned bit = 1; auth_role_name(bit); bit <<= 1)
		json_array_append_new(roles, json_pack("{s:s, s:s}", "code", auth_role_name(bit), "label",
						       auth_role_label(bit)));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "item_types",
			 codes_json(catalog_item_types, false), "levels", codes_json(catalog_levels, true), "targets",
			 codes_json(catalog_targets, true), "handling_classes", codes_json(catalog_classes, true),
			 "forms", codes_json(catalog_forms, true), "tags", names_json(catalog_tags), "lists",
			 names_json(catalog_lists), "life_events", names_json(catalog_life_events), "tongban",
			 names_json(catalog_tongban), "material_forms", names_json(material_forms),
			 "material_sources", names_json(material_sources), "roles", roles);
}

static const char *const known_fields[] = {
	"code", "base_code", "name", "dept", "type", "level", "region", "targets", "handling_class",
	"legal_limit_days", "promised_limit_days", "basis", "conditions", "keywords", "aliases", "life_events", "forms",
	"visits", "online_depth", "appointment", "express", "online_payment", "tongban", "tags", "lists", "result",
	"intermediaries", "place", "hours", "phone_consult", "phone_complaint", "materials", "fees", "steps", "commitment",
	"commitment_check_days", "fields", "duplicate_policy", NULL,
};

static bool code_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

/* An array of small integers from a code set, as a bit mask (bit n = code n). */
static int64_t int_set(vctx_t *v, json_t *o, const char *key, const code_label_t *set, json_t **canon)
{
	json_t *a = v_array(v, o, key, true);
	*canon = json_array();
	int64_t bits = 0;
	if (!a)
		return 0;
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		char code[8];
		if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 63) {
			v_error(v, key, "代码应为整数");
			continue;
		}
		snprintf(code, sizeof code, "%d", (int)json_integer_value(e));
		if (!catalog_label(set, code)) {
			v_error(v, key, "含有不在代码表中的值");
			continue;
		}
		if (!(bits & ((int64_t)1 << json_integer_value(e))))
			json_array_append(*canon, e);
		bits |= (int64_t)1 << json_integer_value(e);
	}
	if (!bits)
		v_error(v, key, "至少选择一项");
	return bits;
}

/* An array of names from a named set, as a bit mask. */
static int64_t name_set(vctx_t *v, json_t *o, const char *key, const char *const *set, json_t **canon)
{
	json_t *a = v_array(v, o, key, false);
	*canon = json_array();
	int64_t bits = 0;
	size_t i;
	json_t *e;
	if (a)
		json_array_foreach(a, i, e) {
			int bit = json_is_string(e) ? catalog_name_bit(set, json_string_value(e)) : -1;
			if (bit < 0) {
				v_error(v, key, "含有未定义的名称");
				continue;
			}
			if (!(bits & ((int64_t)1 << bit)))
				json_array_append(*canon, e);
			bits |= (int64_t)1 << bit;
		}
	return bits;
}

static json_t *string_list(vctx_t *v, json_t *o, const char *key, size_t max_items, size_t max_len)
{
	json_t *a = v_array(v, o, key, false), *out = json_array();
	size_t i;
	json_t *e;
	if (a) {
		if (json_array_size(a) > max_items)
			v_error(v, key, "条目过多");
		json_array_foreach(a, i, e) {
			if (!json_is_string(e) || json_string_length(e) == 0 || utf8_chars(json_string_value(e)) > max_len) {
				v_error(v, key, "每项应为不超过限定长度的非空文本");
				continue;
			}
			json_array_append(out, e);
		}
	}
	return out;
}

/* Search terms a department gives an item (关键词 keywords, 俗称 aliases): short one-line
 * texts, at most max_items of at most max_len characters, no two the same. */
static json_t *term_list(vctx_t *v, json_t *o, const char *key, size_t max_items, size_t max_len)
{
	json_t *a = v_array(v, o, key, false), *out = json_array();
	size_t i;
	json_t *e;
	if (!a)
		return out;
	if (json_array_size(a) > max_items) {
		char msg[64];
		snprintf(msg, sizeof msg, "不能超过%zu项", max_items);
		v_error(v, key, msg);
	}
	json_array_foreach(a, i, e) {
		const char *s = json_is_string(e) ? json_string_value(e) : NULL;
		bool ok = s && *s && utf8_chars(s) <= max_len;
		for (const char *p = s; ok && *p; p++)
			ok = (unsigned char)*p >= 0x20;
		if (!ok) {
			char msg[96];
			snprintf(msg, sizeof msg, "每项应为不超过%zu个字的单行文本", max_len);
			v_error(v, key, msg);
			continue;
		}
		bool dup = false;
		size_t k;
		json_t *prev;
		json_array_foreach(out, k, prev) dup = dup || strcmp(json_string_value(prev), s) == 0;
		if (dup) {
			v_error(v, key, "含有重复的词");
			continue;
		}
		json_array_append(out, e);
	}
	return out;
}

static const char *one_of(vctx_t *v, json_t *o, const char *key, const char *const *set, const char *def)
{
	json_t *j = json_object_get(o, key);
	if (!j || json_is_null(j))
		return def;
	if (!json_is_string(j) || catalog_name_bit(set, json_string_value(j)) < 0) {
		v_error(v, key, "取值不在允许范围内");
		return def;
	}
	return json_string_value(j);
}

static json_t *materials(vctx_t *v, json_t *o, char **text, size_t *text_len)
{
	json_t *a = v_array(v, o, "materials", false), *out = json_array();
	size_t i;
	json_t *m;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	if (a && json_array_size(a) > 200)
		v_error(v, "materials", "材料不能超过200项");
	if (a)
		json_array_foreach(a, i, m) {
			snprintf(v->prefix, sizeof v->prefix, "%smaterials[%zu].", prefix, i);
			if (!json_is_object(m)) {
				v_error(v, "", "应为对象");
				continue;
			}
			const char *name = v_str(v, m, "name", 1, 200);
			bool required = v_bool(v, m, "required", true);
			/* 可容缺: a non-key material the window may accept without (容缺受理); only a
			 * required material can be missing in that sense. */
			bool tolerable = v_bool(v, m, "tolerable", false);
			if (tolerable && !required)
				v_error(v, "tolerable", "非必要材料无需标注可容缺");
			json_t *c = json_pack("{s:s, s:b, s:b, s:s, s:I, s:s, s:s, s:s, s:s}", "name", name, "required",
					      required, "tolerable", tolerable, "form",
					      one_of(v, m, "form", material_forms, "原件"), "copies",
					      (json_int_t)v_int(v, m, "copies", 0, 99, false, 1), "source",
					      one_of(v, m, "source", material_sources, "申请人自备"), "note",
					      v_str(v, m, "note", 0, 1000), "blank_form", v_str(v, m, "blank_form", 0, 500),
					      "sample", v_str(v, m, "sample", 0, 500));
			/* file_types: the sniffed types a file attached as this material may have
			 * (none listed: any accepted upload type). */
			json_t *ft = v_array(v, m, "file_types", false);
			if (ft) {
				json_t *types = json_array();
				size_t k;
				json_t *t;
				json_array_foreach(ft, k, t) {
					int bit = json_is_string(t) ? catalog_name_bit(material_file_types, json_string_value(t)) : -1;
					bool dup = false;
					size_t j;
					json_t *u;
					json_array_foreach(types, j, u)
						dup |= json_equal(u, t);
					if (bit < 0)
						v_error(v, "file_types", "应为 pdf、jpg、png、ofd、docx、xlsx 中的类型");
					else if (!dup)
						json_array_append(types, t);
				}
				if (json_array_size(types))
					json_object_set_new(c, "file_types", types);
				else
					json_decref(types);
			}
			json_array_append_new(out, c);
			size_t n = strlen(name);
			*text = xrealloc(*text, *text_len + n + 2);
			memcpy(*text + *text_len, name, n);
			(*text)[*text_len + n] = '\n';
			*text_len += n + 1;
			(*text)[*text_len] = 0;
		}
	memcpy(v->prefix, prefix, sizeof prefix);
	return out;
}

static json_t *fees(vctx_t *v, json_t *o)
{
	json_t *a = v_array(v, o, "fees", false), *out = json_array();
	size_t i;
	json_t *f;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	if (a)
		json_array_foreach(a, i, f) {
			snprintf(v->prefix, sizeof v->prefix, "%sfees[%zu].", prefix, i);
			if (!json_is_object(f)) {
				v_error(v, "", "应为对象");
				continue;
			}
			json_array_append_new(
				out, json_pack("{s:s, s:s, s:s, s:b, s:I}", "item", v_str(v, f, "item", 1, 200), "standard",
					       v_str(v, f, "standard", 1, 500), "basis", v_str(v, f, "basis", 0, 1000),
					       "waivable", v_bool(v, f, "waivable", false), "amount_fen",
					       (json_int_t)v_int(v, f, "amount_fen", 0, 100000000000LL, false, 0)));
		}
	memcpy(v->prefix, prefix, sizeof prefix);
	return out;
}

/* The item's own form fields (beyond the applicant's details every form may carry): key, label,
 * value type, longest value and whether it is required. Keys are unique. */
static json_t *form_fields(vctx_t *v, json_t *o)
{
	json_t *a = v_array(v, o, "fields", false), *out = json_array();
	size_t i;
	json_t *f;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	if (a && json_array_size(a) > 50)
		v_error(v, "fields", "表单字段不能超过50项");
	if (a)
		json_array_foreach(a, i, f) {
			snprintf(v->prefix, sizeof v->prefix, "%sfields[%zu].", prefix, i);
			if (!json_is_object(f)) {
				v_error(v, "", "应为对象");
				continue;
			}
			const char *key = v_str(v, f, "key", 1, 30);
			if (strcmp(key, "materials") == 0 || strpbrk(key, ".[]"))
				v_error(v, "key", "字段名不能是 materials，也不能含有 . [ ]");
			size_t k;
			json_t *g;
			json_array_foreach(out, k, g)
				if (*key && strcmp(json_string_value(json_object_get(g, "key")), key) == 0)
					v_error(v, "key", "字段名重复");
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:I, s:b}", "key", key, "label",
							     v_str(v, f, "label", 1, 50), "type",
							     one_of(v, f, "type", field_types, "text"), "max",
							     (json_int_t)v_int(v, f, "max", 1, 4000, false, 200), "required",
							     v_bool(v, f, "required", false)));
		}
	memcpy(v->prefix, prefix, sizeof prefix);
	return out;
}

/* An item that configures no steps gets seed 001's for its handling class: 即办件 one step
 * within 1 working day, 一审一核件 two within 3, 承诺件 three within 10, scaled down (the last
 * step taking what rounding leaves) when the promised time limit is shorter. */
static json_t *default_steps(int64_t hclass, int64_t promised, int64_t *days_total)
{
	static const struct {
		const char *name, *role;
		int days;
	} by_class[3][3] = {
		{{"受理并办结", "window", 1}},                                                 /* 1 即办件 */
		{{"受理", "window", 1}, {"审查", "approver", 6}, {"决定", "leader", 3}}, /* 2 承诺件 */
		{{"审查", "approver", 2}, {"核准", "leader", 1}},                            /* 3 一审一核件 */
	};
	int c = (int)hclass - 1, n = 0, total = 0;
	while (n < 3 && by_class[c][n].name)
		total += by_class[c][n++].days;
	json_t *out = json_array();
	int64_t left = promised < total ? promised : total;
	*days_total = left;
	for (int k = 0; k < n; k++) {
		int64_t d = k == n - 1 ? left : (promised < total ? by_class[c][k].days * promised / total : by_class[c][k].days);
		left -= d;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I}", "name", by_class[c][k].name, "role",
						     by_class[c][k].role, "days", (json_int_t)d));
	}
	return out;
}

static json_t *steps(vctx_t *v, json_t *o, int64_t hclass, int64_t promised, int64_t *days_total)
{
	if (!json_object_get(o, "steps") && hclass >= 1 && hclass <= 3)
		return default_steps(hclass, promised, days_total);
	json_t *a = v_array(v, o, "steps", true), *out = json_array();
	size_t i;
	json_t *s;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	*days_total = 0;
	if (a && (json_array_size(a) < 1 || json_array_size(a) > 20))
		v_error(v, "steps", "办理环节应为1到20个");
	if (a)
		json_array_foreach(a, i, s) {
			snprintf(v->prefix, sizeof v->prefix, "%ssteps[%zu].", prefix, i);
			if (!json_is_object(s)) {
				v_error(v, "", "应为对象");
				continue;
			}
			int64_t days = v_int(v, s, "days", 0, 365, true, 0);
			*days_total += days;
			json_array_append_new(out, json_pack("{s:s, s:s, s:I}", "name", v_str(v, s, "name", 1, 50), "role",
							     one_of(v, s, "role", step_roles, "approver"), "days",
							     (json_int_t)days));
		}
	memcpy(v->prefix, prefix, sizeof prefix);
	return out;
}

static void append_text(char **text, size_t *len, const char *s)
{
	size_t n = strlen(s);
	*text = xrealloc(*text, *len + n + 2);
	memcpy(*text + *len, s, n);
	(*text)[*len + n] = '\n';
	*len += n + 1;
	(*text)[*len] = 0;
}

static void close_field(char **text, size_t *len)
{
	*text = xrealloc(*text, *len + 2);
	(*text)[(*len)++] = '\x1f';
	(*text)[*len] = 0;
}

int catalog_validate(json_t *in, vctx_t *v, json_t **out, item_cols_t *cols)
{
	memset(cols, 0, sizeof *cols);
	*out = NULL;
	if (!json_is_object(in)) {
		v_error(v, "", "事项应为 JSON 对象");
		return -1;
	}
	const char *key;
	json_t *val;
	json_object_foreach(in, key, val) {
		bool known = false;
		for (int i = 0; known_fields[i] && !known; i++)
			known = strcmp(known_fields[i], key) == 0;
		if (!known)
			v_error(v, key, "未知字段");
	}

	json_t *o = json_object();
	const char *code = v_str(v, in, "code", 1, 32);
	if (*code && !code_chars_ok(code))
		v_error(v, "code", "实施编码只能包含数字和大写字母");
	const char *base = v_str(v, in, "base_code", 0, 10);
	if (*base && !code_chars_ok(base))
		v_error(v, "base_code", "基本编码只能包含数字和大写字母");
	const char *name = v_str(v, in, "name", 1, 100);
	const char *dept = v_str(v, in, "dept", 1, 100);
	const char *type = v_str(v, in, "type", 2, 2);
	if (*type && !catalog_label(catalog_item_types, type))
		v_error(v, "type", "事项类型不在 GB/T 39046 代码表中");
	int64_t level = v_int(v, in, "level", 1, 6, true, 3);
	const char *region = v_str(v, in, "region", 6, 12);
	json_t *targets_c, *forms_c, *tags_c, *lists_c, *events_c;
	int64_t targets = int_set(v, in, "targets", catalog_targets, &targets_c);
	int64_t hclass = v_int(v, in, "handling_class", 1, 3, true, 2);
	int64_t legal = v_int(v, in, "legal_limit_days", 0, 3650, true, 0);
	int64_t promised = v_int(v, in, "promised_limit_days", 0, 3650, true, 0);
	if (promised > legal)
		v_error(v, "promised_limit_days", "承诺办结时限不能超过法定办结时限");
	int64_t forms = int_set(v, in, "forms", catalog_forms, &forms_c);
	(void)forms;
	int64_t visits = v_int(v, in, "visits", 0, 2, true, 1);
	int64_t depth = v_int(v, in, "online_depth", 1, 4, true, 1);
	int64_t tags = name_set(v, in, "tags", catalog_tags, &tags_c);
	int64_t lists = name_set(v, in, "lists", catalog_lists, &lists_c);
	int64_t events = name_set(v, in, "life_events", catalog_life_events, &events_c);
	if ((tags & ((int64_t)1 << TAG_YICI_BU)) && visits != 0)
		v_error(v, "visits", "标注“一次也不跑”的事项到现场次数应为0");
	if ((tags & ((int64_t)1 << TAG_ZUIDUO)) && visits > 1)
		v_error(v, "visits", "标注“最多跑一次”的事项到现场次数不能超过1");

	/* The search text in weighted fields, each closed by '\x1f' (catalog_search.c): name, result
	 * (办理结果), aliases and keywords, department, materials; '\n' ends each entry. Migration 8
	 * computes the same text in SQL for versions stored before. */
	json_t *result = json_object_get(in, "result");
	json_t *rname = json_is_object(result) ? json_object_get(result, "name") : NULL;
	char *text = NULL;
	size_t text_len = 0;
	append_text(&text, &text_len, name);
	close_field(&text, &text_len);
	append_text(&text, &text_len, json_is_string(rname) ? json_string_value(rname) : "");
	close_field(&text, &text_len);
	json_t *keywords = term_list(v, in, "keywords", 50, 30);
	json_t *aliases = term_list(v, in, "aliases", 20, 20);
	size_t i;
	json_t *e;
	json_array_foreach(aliases, i, e)
		append_text(&text, &text_len, json_string_value(e));
	json_array_foreach(keywords, i, e)
		append_text(&text, &text_len, json_string_value(e));
	close_field(&text, &text_len);
	append_text(&text, &text_len, dept);
	close_field(&text, &text_len);
	json_t *mats = materials(v, in, &text, &text_len);
	int64_t step_days;
	json_t *stps = steps(v, in, hclass, promised, &step_days);
	if (step_days > promised)
		v_error(v, "steps", "各环节时限之和不能超过承诺办结时限");

	/* 办理结果: always the three fields, so the canonical form is a fixed point. */
	if (result && !json_is_null(result) && !json_is_object(result))
		v_error(v, "result", "应为对象");
	if (!json_is_object(result))
		result = NULL;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	snprintf(v->prefix, sizeof v->prefix, "%sresult.", prefix);
	json_t *result_c = json_pack("{s:s, s:s, s:s}", "type", result ? v_str(v, result, "type", 0, 50) : "", "name",
				     result ? v_str(v, result, "name", 0, 200) : "", "sample",
				     result ? v_str(v, result, "sample", 0, 500) : "");
	memcpy(v->prefix, prefix, sizeof prefix);

	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "base_code", json_string(base));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "dept", json_string(dept));
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "level", json_integer(level));
	json_object_set_new(o, "region", json_string(region));
	json_object_set_new(o, "targets", targets_c);
	json_object_set_new(o, "handling_class", json_integer(hclass));
	json_object_set_new(o, "legal_limit_days", json_integer(legal));
	json_object_set_new(o, "promised_limit_days", json_integer(promised));
	json_object_set_new(o, "basis", json_string(v_str(v, in, "basis", 0, 4000)));
	json_object_set_new(o, "conditions", json_string(v_str(v, in, "conditions", 0, 4000)));
	json_object_set_new(o, "keywords", keywords);
	json_object_set_new(o, "aliases", aliases);
	json_object_set_new(o, "life_events", events_c);
	json_object_set_new(o, "forms", forms_c);
	json_object_set_new(o, "visits", json_integer(visits));
	json_object_set_new(o, "online_depth", json_integer(depth));
	json_object_set_new(o, "appointment", json_boolean(v_bool(v, in, "appointment", false)));
	json_object_set_new(o, "express", json_boolean(v_bool(v, in, "express", false)));
	json_object_set_new(o, "online_payment", json_boolean(v_bool(v, in, "online_payment", false)));
	json_object_set_new(o, "tongban", json_string(one_of(v, in, "tongban", catalog_tongban, "无")));
	json_object_set_new(o, "tags", tags_c);
	json_object_set_new(o, "lists", lists_c);
	json_object_set_new(o, "result", result_c);
	json_object_set_new(o, "intermediaries", string_list(v, in, "intermediaries", 20, 100));
	json_object_set_new(o, "place", json_string(v_str(v, in, "place", 0, 500)));
	json_object_set_new(o, "hours", json_string(v_str(v, in, "hours", 0, 200)));
	json_object_set_new(o, "phone_consult", json_string(v_str(v, in, "phone_consult", 0, 50)));
	json_object_set_new(o, "phone_complaint", json_string(v_str(v, in, "phone_complaint", 0, 50)));
	json_object_set_new(o, "materials", mats);
	json_object_set_new(o, "fees", fees(v, in));
	json_object_set_new(o, "steps", stps);
	/* 告知承诺制: decided on the applicant's signed commitment, checked within N working days. */
	bool commitment = v_bool(v, in, "commitment", false);
	json_object_set_new(o, "commitment", json_boolean(commitment));
	json_object_set_new(o, "commitment_check_days",
			    json_integer(v_int(v, in, "commitment_check_days", 1, 365, false, 20)));
	/* Written only when set, so that items without them keep their canonical bytes. */
	json_t *ff = form_fields(v, in);
	if (json_array_size(ff))
		json_object_set_new(o, "fields", ff);
	else
		json_decref(ff);
	const char *dup = one_of(v, in, "duplicate_policy", duplicate_policies, "warn");
	if (strcmp(dup, "warn") != 0)
		json_object_set_new(o, "duplicate_policy", json_string(dup));

	if (!v_ok(v)) {
		json_decref(o);
		free(text);
		return -1;
	}
	cols->code = json_string_value(json_object_get(o, "code"));
	cols->name = json_string_value(json_object_get(o, "name"));
	cols->dept = json_string_value(json_object_get(o, "dept"));
	cols->type = json_string_value(json_object_get(o, "type"));
	cols->region = json_string_value(json_object_get(o, "region"));
	cols->level = (int)level;
	cols->handling_class = (int)hclass;
	cols->promised_days = (int)promised;
	cols->visits = (int)visits;
	cols->online_depth = (int)depth;
	cols->targets = targets;
	cols->tags = tags;
	cols->lists = lists;
	cols->life_events = events;
	cols->search_text = text;
	*out = o;
	return 0;
}
