/* Open311 GeoReport v2 routes (docs/api.md "Open311 GeoReport v2"): every answer in JSON or XML
 * by the path's extension, every error a GeoReport error array with its HTTP status. Reading is
 * public; posting needs an Open311 client's api_key (`yiwang open311 key add NAME`) and is limited
 * per address like every anonymous write (the dispatcher does it: these routes are public). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_open311.h"
#include "hotline/hotline_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"

/* the longest window of a request search, and the most requests in one answer */
#define O311_DEFAULT_DAYS 90
#define O311_MAX_REQUESTS 1000
#define O311_MAX_IDS 100

static char path_format(http_req_t *req)
{
	size_t n = strlen(req->path);
	return n > 4 && strcmp(req->path + n - 4, ".xml") == 0 ? 'x' : 'j';
}

/* Sends items (stolen) as JSON, or as XML under root / item. */
static int answer(http_req_t *req, char fmt, int status, const char *root, const char *item, json_t *items)
{
	if (fmt != 'x') {
		http_reply_json(req, status, items);
		return 0;
	}
	char *x = o311_xml(root, item, items);
	json_decref(items);
	if (!x)
		return YW_EIO;
	http_reply_bytes(req, status, "text/xml; charset=utf-8", x, strlen(x));
	free(x);
	return 0;
}

/* A GeoReport error array: [{"code": status, "description": why}]. */
static int o311_fail(http_req_t *req, char fmt, int status, const char *why)
{
	json_t *a = json_pack("[{s:i, s:s}]", "code", status, "description", why);
	return answer(req, fmt, status, "errors", "error", a);
}

void open311_error_reply(http_req_t *req, int status, const char *message, json_t *details)
{
	json_t *a = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(details, i, d) {
		const char *f = json_string_value(json_object_get(d, "field")), *m = json_string_value(json_object_get(d, "message"));
		json_array_append_new(a, json_pack("{s:i, s:o}", "code", status, "description",
						   f && m ? json_sprintf("%s：%s", f, m) : json_string(m ? m : message)));
	}
	if (!json_array_size(a))
		json_array_append_new(a, json_pack("{s:i, s:s}", "code", status, "description", message));
	if (answer(req, path_format(req), status, "errors", "error", a) != 0)
		http_reply_json(req, status, json_pack("[{s:i, s:s}]", "code", status, "description", message));
}

/* jurisdiction_id (from the form or the query string): optional; when given it must be the
 * configured one (config open311_jurisdiction; "" accepts any). */
static bool jurisdiction_ok(http_req_t *req, const o311_form_t *form)
{
	const char *j = form ? o311_form_get(form, "jurisdiction_id") : NULL;
	if (!j)
		j = http_query(req, "jurisdiction_id");
	const char *want = config_current()->open311_jurisdiction;
	return !j || !*j || !*want || strcmp(j, want) == 0;
}

#define CHECK_JURISDICTION(req, fmt, form)                                                                            \
	do {                                                                                                          \
		if (!jurisdiction_ok(req, form))                                                                      \
			return o311_fail(req, fmt, 404, "jurisdiction_id 不是本平台的辖区");                          \
	} while (0)

/* ---- service discovery ---- */

static int64_t g_started;
static pthread_once_t g_started_once = PTHREAD_ONCE_INIT;
static void mark_started(void) { g_started = yw_now(); }

/* The service discovery document (/open311/discovery.json|.xml): one production GeoReport v2
 * endpoint at the public origin. Its changeset is when this server began serving it (the
 * document follows the configuration, read at start). */
int h_open311_discovery(http_req_t *req)
{
	char fmt = path_format(req);
	pthread_once(&g_started_once, mark_started);
	char t[26];
	o311_format_datetime(g_started, t);
	json_t *d = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s+, s:s, s:s, s:[s, s]}]}", "changeset", t, "contact",
			      "12345市民服务热线", "key_service", "提交服务请求所需的 api_key 由平台管理员发放", "endpoints",
			      "specification", "http://wiki.open311.org/GeoReport_v2", "url", http_public_origin(),
			      "/open311/v2", "changeset", t, "type", "production", "formats", "application/json",
			      "text/xml");
	if (!d)
		return YW_EIO;
	return answer(req, fmt, 200, "discovery", NULL, d);
}

/* ---- services ---- */

int h_open311_services(http_req_t *req)
{
	char fmt = path_format(req);
	CHECK_JURISDICTION(req, fmt, NULL);
	json_t *a;
	int rc = open311_services(db_thread(), &a);
	if (rc)
		return rc;
	return answer(req, fmt, 200, "services", "service", a);
}

static json_t *attribute(const char *code, int order, bool required, const char *description)
{
	return json_pack("{s:b, s:s, s:s, s:b, s:n, s:i, s:s, s:[]}", "variable", 1, "code", code, "datatype",
			 "singlevaluelist", "required", required, "datatype_description", "order", order, "description",
			 description, "values");
}

static void value(json_t *attr, const char *key, const char *name)
{
	json_array_append_new(json_object_get(attr, "values"), json_pack("{s:s, s:s}", "key", key, "name", name));
}

/* The order fields a client sends as attribute[CODE]: category (required), urgency, privacy wish
 * and district. */
static json_t *attributes(void)
{
	json_t *a = json_array();
	json_t *c = attribute("category", 1, true, "诉求类别");
	static const char *const cats[] = {"consult", "help", "complaint", "report", "suggestion", "praise"};
	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
		value(c, cats[i], hotline_category_label(cats[i]));
	json_array_append_new(a, c);
	json_t *u = attribute("urgency", 2, false, "紧急程度（紧急诉求按小时计时）");
	value(u, "normal", "一般");
	value(u, "urgent", "紧急");
	json_array_append_new(a, u);
	json_t *p = attribute("privacy", 3, false, "是否保密（保密诉求不公开内容和地点）");
	value(p, "public", "可公开");
	value(p, "confidential", "保密");
	json_array_append_new(a, p);
	json_array_append_new(a, json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s}", "variable", 1, "code", "district",
					   "datatype", "string", "required", 0, "datatype_description",
					   "6位行政区划代码，如 430102", "order", 4, "description", "所在区县"));
	return a;
}

int h_open311_service(http_req_t *req)
{
	char name[64];
	char fmt = o311_split_format(req->param[0], name);
	if (!fmt)
		return o311_fail(req, 'j', 404, "格式应为 .json 或 .xml");
	CHECK_JURISDICTION(req, fmt, NULL);
	int64_t code;
	json_t *svc;
	if (http_parse_int(name, 1, INT32_MAX, &code) != 0)
		return o311_fail(req, fmt, 404, "service_code 不存在");
	int rc = open311_service_get(db_thread(), code, &svc);
	if (rc == YW_ENOTFOUND)
		return o311_fail(req, fmt, 404, "service_code 不存在");
	if (rc)
		return rc;
	json_t *def = json_pack("{s:O, s:o}", "service_code", json_object_get(svc, "service_code"), "attributes",
				attributes());
	json_decref(svc);
	return answer(req, fmt, 200, "service_definition", NULL, def);
}

/* ---- reading requests ---- */

static int read_requests(http_req_t *req, char fmt, open311_filter_t *f)
{
	json_t *a;
	int rc = open311_requests(db_thread(), f, &a);
	if (rc)
		return rc;
	return answer(req, fmt, 200, "service_requests", "request", a);
}

int h_open311_requests(http_req_t *req)
{
	char fmt = path_format(req);
	CHECK_JURISDICTION(req, fmt, NULL);
	open311_filter_t f = {.limit = O311_MAX_REQUESTS};
	const char *ids[O311_MAX_IDS];
	char buf[O311_MAX_IDS * 34];
	const char *v = http_query(req, "service_request_id");
	if (v && *v) {
		/* ids given: every other filter is ignored (the specification's rule) */
		f.n_ids = o311_id_list(v, buf, sizeof buf, ids, O311_MAX_IDS);
		if (f.n_ids < 0)
			return o311_fail(req, fmt, 400, "service_request_id 应为以逗号分隔的工单编号，最多100个");
		f.ids = ids;
		return read_requests(req, fmt, &f);
	}
	if ((v = http_query(req, "service_code")) && *v) {
		json_t *svc;
		if (http_parse_int(v, 1, INT32_MAX, &f.matter) != 0 || open311_service_get(db_thread(), f.matter, &svc) != 0)
			return o311_fail(req, fmt, 404, "service_code 不存在");
		json_decref(svc);
	}
	if ((v = http_query(req, "status")) && *v) {
		if (strcmp(v, "open") == 0 || strcmp(v, "closed") == 0)
			f.status = v;
		else if (strcmp(v, "open,closed") != 0 && strcmp(v, "closed,open") != 0)
			return o311_fail(req, fmt, 400, "status 应为 open 或 closed");
	}
	const char *s = http_query(req, "start_date"), *e = http_query(req, "end_date");
	bool has_s = s && *s, has_e = e && *e;
	if (has_s && o311_parse_datetime(s, &f.from) != 0)
		return o311_fail(req, fmt, 400, "start_date 应为带时区的 ISO 8601 时间，如 2026-09-29T10:00:00+08:00");
	if (has_e && o311_parse_datetime(e, &f.to) != 0)
		return o311_fail(req, fmt, 400, "end_date 应为带时区的 ISO 8601 时间，如 2026-09-29T10:00:00+08:00");
	/* the window: the last 90 days by default; one given end reaches 90 days from it */
	if (!has_e)
		f.to = has_s ? f.from + O311_DEFAULT_DAYS * 86400 : yw_now() + 1;
	if (!has_s)
		f.from = f.to - O311_DEFAULT_DAYS * 86400;
	if (f.from > f.to)
		return o311_fail(req, fmt, 400, "start_date 不能晚于 end_date");
	return read_requests(req, fmt, &f);
}

int h_open311_request(http_req_t *req)
{
	char name[64];
	char fmt = o311_split_format(req->param[0], name);
	if (!fmt)
		return o311_fail(req, 'j', 404, "格式应为 .json 或 .xml");
	CHECK_JURISDICTION(req, fmt, NULL);
	const char *ids[1];
	char buf[64];
	open311_filter_t f = {.ids = ids, .n_ids = o311_id_list(name, buf, sizeof buf, ids, 1)};
	if (f.n_ids != 1)
		return o311_fail(req, fmt, 404, "服务请求不存在");
	json_t *a;
	int rc = open311_requests(db_thread(), &f, &a);
	if (rc)
		return rc;
	if (json_array_size(a) == 0) {
		json_decref(a);
		return o311_fail(req, fmt, 404, "服务请求不存在");
	}
	return answer(req, fmt, 200, "service_requests", "request", a);
}

/* A request's id is known as soon as it is posted: the token is the id itself. */
int h_open311_token(http_req_t *req)
{
	char name[64];
	char fmt = o311_split_format(req->param[0], name);
	if (!fmt)
		return o311_fail(req, 'j', 404, "格式应为 .json 或 .xml");
	CHECK_JURISDICTION(req, fmt, NULL);
	const char *ids[1];
	char buf[64];
	open311_filter_t f = {.ids = ids, .n_ids = o311_id_list(name, buf, sizeof buf, ids, 1)};
	if (f.n_ids != 1)
		return o311_fail(req, fmt, 404, "token 不存在");
	json_t *a;
	int rc = open311_requests(db_thread(), &f, &a);
	if (rc)
		return rc;
	bool found = json_array_size(a) == 1;
	json_decref(a);
	if (!found)
		return o311_fail(req, fmt, 404, "token 不存在");
	return answer(req, fmt, 200, "service_requests", "request",
		      json_pack("[{s:s, s:s}]", "service_request_id", ids[0], "token", ids[0]));
}

/* ---- posting a request ---- */

typedef struct o311_job {
	hotline_ctx_t x;
	vctx_t v;
	json_t *body;
	char fmt;
	char client[101];
	int64_t client_id, order;
	char number[24], code[16];
} o311_job_t;

static int post_in_group(db_t *db, void *arg)
{
	o311_job_t *j = arg;
	int rc = calendar_acquire(db, &j->x.cal);
	if (rc)
		return rc;
	j->x.now = yw_now();
	rc = hotline_order_create(db, &j->x, j->body, false, &j->order, j->number, j->code);
	calendar_release();
	return rc;
}

/* The order's field names as the client sent them. */
static const char *client_field(const char *f)
{
	static const char *const map[][2] = {
		{"text", "description"},
		{"caller_name", "first_name"},
		{"caller_phone", "phone"},
		{"address", "address_string"},
		{"lng", "long"},
		{"matter_id", "service_code"},
		{"category", "attribute[category]"},
		{"urgent", "attribute[urgency]"},
		{"confidential", "attribute[privacy]"},
		{"district", "attribute[district]"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], f) == 0)
			return map[i][1];
	return f;
}

static int post_respond(http_req_t *req, int rc, void *arg)
{
	o311_job_t *j = arg;
	json_decref(j->body);
	j->body = NULL;
	if (rc == YW_EINVAL) {
		json_t *a = json_array();
		size_t i;
		json_t *e;
		json_array_foreach(j->v.errors, i, e) {
			const char *f = json_string_value(json_object_get(e, "field"));
			json_array_append_new(a, json_pack("{s:i, s:s++}", "code", 400, "description", client_field(f ? f : ""),
							   "：", json_string_value(json_object_get(e, "message"))));
		}
		json_decref(j->v.errors);
		j->v.errors = NULL;
		return answer(req, j->fmt, 400, "errors", "error", a);
	}
	if (rc)
		return rc;
	char notice[256];
	snprintf(notice, sizeof notice, "您的诉求已由12345热线受理（工单编号 %s），将派至承办单位办理，办结后公开答复。",
		 j->number);
	return answer(req, j->fmt, 201, "service_requests", "request",
		      json_pack("[{s:s, s:s, s:s, s:n}]", "service_request_id", j->number, "token", j->number,
				"service_notice", notice, "account_id"));
}

/* A coordinate: a finite decimal number in [min, max]. */
static bool coord(const char *s, double min, double max, double *out)
{
	/* decimal only: strtod would also read hexadecimal (0x1C) */
	if (!s || !*s || strlen(s) > 40 || s[strspn(s, "0123456789+-.eE")])
		return false;
	char *end;
	*out = strtod(s, &end);
	return !*end && isfinite(*out) && *out >= min && *out <= max;
}

int h_open311_requests_post(http_req_t *req)
{
	char fmt = path_format(req);
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return o311_fail(req, fmt, 400, "请求内容应为 application/x-www-form-urlencoded 表单");
	o311_form_t form;
	const char *why;
	int rc = o311_form_parse(req->body ? req->body : "", req->body_len, &form, &why);
	if (rc) {
		o311_form_free(&form);
		return rc == YW_EINVAL ? o311_fail(req, fmt, 400, why) : rc;
	}
	o311_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->fmt = fmt;
	const char *key = o311_form_get(&form, "api_key");
	if (!key)
		key = http_query(req, "api_key");
	if (!jurisdiction_ok(req, &form)) {
		o311_form_free(&form);
		return o311_fail(req, fmt, 404, "jurisdiction_id 不是本平台的辖区");
	}
	if (!key || !*key) {
		o311_form_free(&form);
		return o311_fail(req, fmt, 403, "缺少 api_key：提交服务请求须使用平台发放的 API 密钥");
	}
	rc = open311_client_by_key(db_thread(), key, &j->client_id, j->client);
	if (rc) {
		o311_form_free(&form);
		return rc == YW_EAUTH ? o311_fail(req, fmt, 403, "api_key 无效或已停用") : rc;
	}
	/* the service */
	const char *sc = o311_form_get(&form, "service_code");
	int64_t matter;
	json_t *svc;
	if (!sc || !*sc) {
		o311_form_free(&form);
		return o311_fail(req, fmt, 400, "service_code：必须填写");
	}
	if (http_parse_int(sc, 1, INT32_MAX, &matter) != 0 || open311_service_get(db_thread(), matter, &svc) != 0) {
		o311_form_free(&form);
		return o311_fail(req, fmt, 404, "service_code 不存在");
	}
	json_decref(svc);
	/* the place: lat and long, or an address (address_id is not offered) */
	const char *lat_s = o311_form_get(&form, "lat"), *lng_s = o311_form_get(&form, "long");
	const char *addr = o311_form_get(&form, "address_string");
	bool has_lat = lat_s && *lat_s, has_lng = lng_s && *lng_s;
	double lat = 0, lng = 0;
	json_t *errs = json_array();
	if (has_lat != has_lng)
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description", "lat 与 long 须同时提供"));
	else if (has_lat && (!coord(lat_s, -90, 90, &lat) || !coord(lng_s, -180, 180, &lng)))
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description", "lat / long 不是有效的经纬度"));
	else if (!has_lat && !(addr && *addr))
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description",
						      "须提供位置：lat 和 long，或 address_string"));
	const char *cat = o311_form_get(&form, "attribute[category]");
	if (!cat || !*cat)
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description",
						      "attribute[category]：必须填写（诉求类别）"));
	const char *urg = o311_form_get(&form, "attribute[urgency]"), *priv = o311_form_get(&form, "attribute[privacy]");
	if (urg && *urg && strcmp(urg, "normal") != 0 && strcmp(urg, "urgent") != 0)
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description",
						      "attribute[urgency]：应为 normal 或 urgent"));
	if (priv && *priv && strcmp(priv, "public") != 0 && strcmp(priv, "confidential") != 0)
		json_array_append_new(errs, json_pack("{s:i, s:s}", "code", 400, "description",
						      "attribute[privacy]：应为 public 或 confidential"));
	if (json_array_size(errs)) {
		o311_form_free(&form);
		return answer(req, fmt, 400, "errors", "error", errs);
	}
	json_decref(errs);
	/* the order as the console would enter it; email is not kept (orders carry a phone only) */
	json_t *b = json_pack("{s:I, s:s, s:s, s:b, s:b}", "matter_id", (json_int_t)matter, "category", cat, "text",
			      o311_form_get(&form, "description") ? o311_form_get(&form, "description") : "", "urgent",
			      urg && strcmp(urg, "urgent") == 0, "confidential", priv && strcmp(priv, "confidential") == 0);
	if (has_lat) {
		json_object_set_new(b, "lat", json_real(lat));
		json_object_set_new(b, "lng", json_real(lng));
	}
	if (addr)
		json_object_set_new(b, "address", json_string(addr));
	const char *first = o311_form_get(&form, "first_name"), *last = o311_form_get(&form, "last_name");
	first = first ? first : "";
	last = last ? last : "";
	if (*first || *last) {
		/* a Chinese name is written family name first, without a space */
		bool cjk = (*last && (unsigned char)*last >= 0xE0) || (*first && (unsigned char)*first >= 0xE0);
		json_object_set_new(b, "caller_name",
				    cjk ? json_sprintf("%s%s", last, first)
					: json_sprintf("%s%s%s", first, *first && *last ? " " : "", last));
	}
	const char *phone = o311_form_get(&form, "phone");
	if (phone && *phone)
		json_object_set_new(b, "caller_phone", json_string(phone));
	const char *district = o311_form_get(&form, "attribute[district]");
	if (district && *district)
		json_object_set_new(b, "district", json_string(district));
	o311_form_free(&form);
	j->body = b;
	j->x.actor = NULL;
	j->x.cfg = config_current();
	j->x.v = &j->v;
	j->x.why = "";
	j->x.open311_client = j->client;
	return http_write(req, post_in_group, j, post_respond);
}
