/* Hotline routes (docs/api.md, "Hotline"): the console's orders and their loop, the matter
 * classification, the public 留言 / 市长信箱 form and its follow-up by query code, and the call
 * centre's pushed call events. Statuses map to HTTP here, once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "files/files.h"
#include "hotline/hotline.h"
#include "hotline/hotline_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/ratelimit.h"

static int path_id(http_req_t *req, int64_t *id, const char *missing)
{
	if (http_parse_int(req->param[0], 1, INT64_MAX, id) != 0)
		return http_fail(req, YW_ENOTFOUND, missing);
	return 0;
}

static int reply_order(http_req_t *req, int status, int64_t id)
{
	const calendar_t *cal;
	db_t *db = db_thread();
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	json_t *out;
	rc = hotline_order_get(db, req->user, cal, config_current(), id, &out);
	calendar_release();
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "工单不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

/* A write on the hotline, run in the writer's group with the calendar at hand. */
typedef struct hl_job {
	hotline_ctx_t x;
	vctx_t v;
	json_t *body;
	int64_t target, order, client;
	enum hotline_op op;
	bool public_form, created;
	char number[24], code[16];
} hl_job_t;

static hl_job_t *new_job(http_req_t *req)
{
	hl_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->x.actor = req->user;
	j->x.cfg = config_current();
	j->x.v = &j->v;
	j->x.why = "";
	return j;
}

static int with_calendar(db_t *db, hl_job_t *j, int (*fn)(db_t *, hl_job_t *))
{
	int rc = calendar_acquire(db, &j->x.cal);
	if (rc)
		return rc;
	j->x.now = yw_now();
	rc = fn(db, j);
	calendar_release();
	return rc;
}

static int fail(http_req_t *req, int rc, hl_job_t *j, const char *missing)
{
	switch (rc) {
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, missing);
	case YW_EFORBIDDEN:
	case YW_ECONFLICT: return http_fail(req, rc, j->x.why && *j->x.why ? j->x.why : NULL);
	default: return rc;
	}
}

/* ---- intake ---- */

static int create_run(db_t *db, hl_job_t *j)
{
	return hotline_order_create(db, &j->x, j->body, j->public_form, &j->order, j->number, j->code);
}

static int create_in_group(db_t *db, void *arg)
{
	return with_calendar(db, arg, create_run);
}

static int create_respond(http_req_t *req, int rc, void *arg)
{
	hl_job_t *j = arg;
	if (rc)
		return fail(req, rc, j, "工单不存在");
	/* The receipt: what the operator reads to the caller and acts on next. The whole order is
	 * GET /orders/{id}: reading it back here was a third of an intake's cost. */
	http_reply_json(req, 201,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)j->order, "number", j->number,
				  "query_code", j->code, "state", j->x.created_state, "state_label",
				  hotline_state_label(j->x.created_state), "created_at", (json_int_t)j->x.now));
	return 0;
}

int h_hotline_orders_create(http_req_t *req)
{
	hl_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	return http_write(req, create_in_group, j, create_respond);
}

static int public_create_respond(http_req_t *req, int rc, void *arg)
{
	hl_job_t *j = arg;
	if (rc)
		return fail(req, rc, j, "工单不存在");
	/* the citizen gets the number and the code to follow it, nothing else of the console's */
	http_reply_json(req, 201,
			json_pack("{s:s, s:s, s:s, s:s}", "number", j->number, "query_code", j->code, "status", "已受理",
				  "message", "您的诉求已受理，请记下工单编号和查询码，凭两者查询办理进度和答复。"));
	return 0;
}

/* 网上留言 and 市长信箱: anonymous writes are limited per address by the dispatcher (http.c); a
 * signed-in caller (anyone may register an account) by the same limit here, in the same bucket. */
int h_hotline_public_create(http_req_t *req)
{
	if (req->user) {
		const yw_config_t *c = config_current();
		int64_t wait = ratelimit_anon_write(http_client_addr(req), yw_now(), c->anon_write_burst, c->anon_write_per_minute);
		if (wait) {
			req->retry_after_s = (unsigned)wait;
			return http_fail(req, YW_ETHROTTLED, "提交过于频繁，请稍后再试");
		}
	}
	hl_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->public_form = true;
	return http_write(req, create_in_group, j, public_create_respond);
}

/* The citizen's query code: ?code= (links and scripts) or the X-Query-Code header, where the
 * citizen's pages send it so that no proxy's access log, which keeps query strings, holds it. */
static const char *query_code(http_req_t *req)
{
	const char *code = http_query(req, "code");
	return code && *code ? code : http_header(req, "X-Query-Code");
}

int h_hotline_public_get(http_req_t *req)
{
	json_t *out;
	int rc = hotline_public_get(db_thread(), req->param[0], query_code(req), &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "工单编号或查询码不正确") : rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* ---- the loop ---- */

static int act_run(db_t *db, hl_job_t *j)
{
	return hotline_act(db, &j->x, j->target, j->op, j->body, &j->order);
}

static int act_in_group(db_t *db, void *arg)
{
	return with_calendar(db, arg, act_run);
}

static int act_respond(http_req_t *req, int rc, void *arg)
{
	hl_job_t *j = arg;
	if (rc)
		return fail(req, rc, j, j->op == HO_EXTENSION_DECIDE ? "延期申请不存在" : "工单不存在");
	return reply_order(req, 200, j->order);
}

static int act(http_req_t *req, enum hotline_op op)
{
	hl_job_t *j = new_job(req);
	int rc = path_id(req, &j->target, op == HO_EXTENSION_DECIDE ? "延期申请不存在" : "工单不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->op = op;
	return http_write(req, act_in_group, j, act_respond);
}

int h_hotline_order_dispatch(http_req_t *req) { return act(req, HO_DISPATCH); }
int h_hotline_order_direct_close(http_req_t *req) { return act(req, HO_DIRECT_CLOSE); }
int h_hotline_order_sign(http_req_t *req) { return act(req, HO_SIGN); }
int h_hotline_order_return(http_req_t *req) { return act(req, HO_RETURN); }
int h_hotline_order_return_review(http_req_t *req) { return act(req, HO_RETURN_REVIEW); }
int h_hotline_order_extension(http_req_t *req) { return act(req, HO_EXTENSION); }
int h_hotline_extension_decide(http_req_t *req) { return act(req, HO_EXTENSION_DECIDE); }
int h_hotline_order_opinion(http_req_t *req) { return act(req, HO_OPINION); }
int h_hotline_order_reply(http_req_t *req) { return act(req, HO_REPLY); }
int h_hotline_order_review(http_req_t *req) { return act(req, HO_REVIEW); }
int h_hotline_order_callback(http_req_t *req) { return act(req, HO_CALLBACK); }
int h_hotline_order_reopen(http_req_t *req) { return act(req, HO_REOPEN); }
int h_hotline_order_merge(http_req_t *req) { return act(req, HO_MERGE); }
int h_hotline_order_supervise(http_req_t *req) { return act(req, HO_SUPERVISE); }
int h_hotline_order_consultation(http_req_t *req) { return act(req, HO_CONSULT); }
int h_hotline_order_attach(http_req_t *req) { return act(req, HO_ATTACH); }

/* ---- reading ---- */

int h_hotline_order_get(http_req_t *req)
{
	int64_t id;
	int rc = path_id(req, &id, "工单不存在");
	return rc ? rc : reply_order(req, 200, id);
}

int h_hotline_orders_list(http_req_t *req)
{
	hotline_filter_t f = {0};
	int64_t page, size, todo = 0;
	f.state = http_query(req, "state");
	f.category = http_query(req, "category");
	f.channel = http_query(req, "channel");
	f.phone = http_query(req, "phone");
	f.q = http_query(req, "q");
	if (f.state && *f.state && !hotline_state_label(f.state))
		http_fail_field(req, "state", "应为 pending、dispatched、handling、returned、replied、closed、visited 或 merged");
	if (f.category && *f.category && !hotline_category_label(f.category))
		http_fail_field(req, "category", "应为 consult、help、complaint、report、suggestion 或 praise");
	if (f.channel && *f.channel && !hotline_channel_label(f.channel))
		http_fail_field(req, "channel", "渠道不存在");
	if (f.q && strlen(f.q) > 200)
		http_fail_field(req, "q", "查询词过长");
	http_query_int(req, "unit_id", 0, INT32_MAX, 0, &f.unit_id);
	http_query_int(req, "todo", 0, 1, 0, &todo);
	http_query_int(req, "page", 1, 1000000, 1, &page);
	http_query_int(req, "page_size", 1, 200, 20, &size);
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	f.todo = todo == 1;
	const calendar_t *cal;
	db_t *db = db_thread();
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	json_t *out;
	rc = hotline_orders_list(db, req->user, cal, config_current(), &f, page, size, &out);
	calendar_release();
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_hotline_order_duplicates(http_req_t *req)
{
	int64_t id, days;
	int rc = path_id(req, &id, "工单不存在");
	if (rc)
		return rc;
	if (http_query_int(req, "days", 1, 90, 7, &days))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	rc = hotline_duplicates(db_thread(), req->user, id, days, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "工单不存在") : rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_hotline_settings(http_req_t *req)
{
	const yw_config_t *c = config_current();
	json_t *limits = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "consult", c->hotline_consult_days, "help",
				   c->hotline_help_days, "complaint", c->hotline_complaint_days, "report",
				   c->hotline_report_days, "suggestion", c->hotline_suggestion_days, "praise",
				   c->hotline_praise_days);
	http_reply_json(req, 200,
			json_pack("{s:o, s:i, s:i, s:i, s:i}", "limit_days", limits, "sign_days", c->hotline_sign_days,
				  "urgent_hours", c->hotline_urgent_hours, "callback_days", c->hotline_callback_days,
				  "red_overdue_workdays", c->red_overdue_workdays));
	return 0;
}

/* ---- matters ---- */

int h_hotline_matters_list(http_req_t *req)
{
	int64_t all = 0;
	if (http_query_int(req, "all", 0, 1, 0, &all))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	int rc = hotline_matters_list(db_thread(), all != 1, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

typedef struct matter_job {
	const auth_user_t *user;
	json_t *body;
	int64_t id, out;
	vctx_t v;
} matter_job_t;

static int matter_in_group(db_t *db, void *arg)
{
	matter_job_t *j = arg;
	return hotline_matter_put(db, j->user, j->id, j->body, &j->v, &j->out);
}

static int matter_respond(http_req_t *req, int rc, void *arg)
{
	matter_job_t *j = arg;
	switch (rc) {
	case 0: break;
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, "事项分类不存在");
	default: return rc;
	}
	http_reply_json(req, j->id ? 200 : 201, json_pack("{s:I}", "id", (json_int_t)j->out));
	return 0;
}

static int matter_put(http_req_t *req, bool update)
{
	matter_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = update ? path_id(req, &j->id, "事项分类不存在") : 0;
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->user = req->user;
	return http_write(req, matter_in_group, j, matter_respond);
}

int h_hotline_matter_create(http_req_t *req) { return matter_put(req, false); }
int h_hotline_matter_update(http_req_t *req) { return matter_put(req, true); }

/* ---- the call centre ---- */

static int call_in_group(db_t *db, void *arg)
{
	hl_job_t *j = arg;
	return hotline_call_event_put(db, j->client, j->body, yw_now(), &j->v, &j->order, &j->created);
}

static int call_respond(http_req_t *req, int rc, void *arg)
{
	hl_job_t *j = arg;
	if (rc)
		return fail(req, rc, j, "通话记录不存在");
	http_reply_json(req, j->created ? 201 : 200, json_pack("{s:I, s:b}", "id", (json_int_t)j->order, "created",
								  j->created));
	return 0;
}

/* The call centre authenticates with its API key (`yiwang hotline key add NAME`) in X-API-Key. */
int h_hotline_call_event(http_req_t *req)
{
	hl_job_t *j = new_job(req);
	int rc = hotline_client_by_key(db_thread(), http_header(req, "X-API-Key"), "callcenter", &j->client);
	if (rc == YW_EAUTH)
		return http_fail(req, rc, "呼叫中心 API 密钥无效或已停用");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, call_in_group, j, call_respond);
}

int h_hotline_calls_list(http_req_t *req)
{
	int64_t limit;
	if (http_query_int(req, "limit", 1, 200, 20, &limit))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	int rc = hotline_calls_list(db_thread(), http_query(req, "caller"), limit, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* ---- attachments ---- */

int h_hotline_order_attachment(http_req_t *req)
{
	int64_t id, aid;
	int rc = path_id(req, &id, "工单不存在");
	if (rc)
		return rc;
	if (http_parse_int(req->param[1], 1, INT64_MAX, &aid) != 0)
		return http_fail(req, YW_ENOTFOUND, "附件不存在");
	char sha[65], mime[128], name[HOTLINE_NAME_SIZE];
	if ((rc = hotline_attachment_get(db_thread(), req->user, id, aid, sha, mime, name)) != 0)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "附件不存在") : rc;
	return files_reply(req, sha, mime, name);
}

int h_hotline_public_attachment(http_req_t *req)
{
	int64_t aid;
	if (http_parse_int(req->param[1], 1, INT64_MAX, &aid) != 0)
		return http_fail(req, YW_ENOTFOUND, "附件不存在");
	char sha[65], mime[128], name[HOTLINE_NAME_SIZE];
	int rc = hotline_public_attachment_get(db_thread(), req->param[0], query_code(req), aid, sha, mime, name);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "工单编号、查询码或附件不正确") : rc;
	return files_reply(req, sha, mime, name);
}

typedef struct photo_job {
	const char *number, *code, *sha, *mime, *name, *why;
	size_t size;
	int64_t id;
} photo_job_t;

static int photo_in_group(db_t *db, void *arg)
{
	photo_job_t *j = arg;
	return hotline_public_attach(db, j->number, j->code, j->sha, j->size, j->mime, j->name, yw_now(), &j->why, &j->id);
}

static int photo_respond(http_req_t *req, int rc, void *arg)
{
	photo_job_t *j = arg;
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "工单编号或查询码不正确");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, j->why);
	if (rc)
		return rc;
	http_reply_json(req, 201, json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)j->id, "name", j->name, "size",
					    (json_int_t)j->size, "mime", j->mime));
	return 0;
}

/* The photo's name ending in its type's extension: a JPEG sent as x.html or x.hta (whose bytes after
 * the JPEG marker a browser or Windows would run as a page) would be saved under that name by the
 * staff who download it. */
static const char *photo_name(http_req_t *req, const char *name, const files_type_t *t)
{
	const char *dot = strrchr(name, '.');
	if (dot && (strcasecmp(dot + 1, t->ext) == 0 || (strcmp(t->ext, "jpg") == 0 && strcasecmp(dot + 1, "jpeg") == 0)))
		return name;
	return arena_printf(req->arena, "%s.%s", name, t->ext);
}

/* A citizen's photo for their public message: the raw JPEG or PNG is the body (streamed to a temporary
 * file by the HTTP layer, at most HOTLINE_PUBLIC_IMAGE_MAX bytes), typed by its content. Beyond the
 * limit of every anonymous write, an address may send HOTLINE_PHOTO_BURST photos, then one every
 * 60 / HOTLINE_PHOTO_PER_MINUTE seconds. */
#define HOTLINE_PHOTO_BURST 20
#define HOTLINE_PHOTO_PER_MINUTE 10
int h_hotline_public_attach(http_req_t *req)
{
	int64_t wait = ratelimit_anon_write(arena_printf(req->arena, "hotline-photo:%s", http_client_addr(req)), yw_now(),
					    HOTLINE_PHOTO_BURST, HOTLINE_PHOTO_PER_MINUTE);
	if (wait) {
		req->retry_after_s = (unsigned)wait;
		return http_fail(req, YW_ETHROTTLED, "上传图片过于频繁，请稍后再试");
	}
	photo_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->number = req->param[0];
	j->code = query_code(req);
	j->name = files_upload_name(req, 100);
	if (!j->name)
		http_fail_field(req, "name", "请在 ?name= 中给出文件名（不超过 100 个字，不含控制字符）");
	if (!req->body_len || req->upload_fd < 0)
		http_fail_field(req, "file", "图片内容为空");
	if (!j->name || !req->body_len || req->upload_fd < 0)
		return http_fail(req, YW_EINVAL, "数据校验失败");
	/* the number and code first: nothing is stored for a stranger */
	int rc = hotline_public_attach_check(db_thread(), j->number, j->code, &j->why);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "工单编号或查询码不正确");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, j->why);
	if (rc)
		return rc;
	void *m = mmap(NULL, req->body_len, PROT_READ, MAP_PRIVATE, req->upload_fd, 0);
	if (m == MAP_FAILED)
		return http_fail(req, YW_EIO, "图片读取失败，请稍后再试");
	const files_type_t *t = files_sniff(m, req->body_len);
	munmap(m, req->body_len);
	if (!t || strncmp(t->mime, "image/", 6) != 0)
		return http_fail(req, YW_EMEDIATYPE, "只接受 JPG 或 PNG 图片（按文件内容识别，与扩展名无关）");
	rc = files_store_file(config_current()->files_dir, req->upload_tmp, req->upload_fd, req->body_len, req->upload_sha);
	req->upload_tmp = NULL; /* moved into the store, or removed */
	if (rc)
		return http_fail(req, rc, "图片保存失败，请稍后再试");
	j->sha = req->upload_sha;
	j->size = req->body_len;
	j->mime = t->mime;
	j->name = photo_name(req, j->name, t);
	return http_write(req, photo_in_group, j, photo_respond);
}
