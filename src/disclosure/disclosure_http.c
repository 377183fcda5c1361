/* Disclosure routes (docs/api.md, "Disclosure"): the public catalogue of 主动公开, the organ's
 * documents and their lifecycle, requests and their steps, letters, remedies and table 二's
 * figures. Statuses map to HTTP here, once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure.h"
#include "disclosure/disclosure_codes.h"
#include "disclosure/disclosure_store.h"
#include "files/files.h"
#include "platform/arena.h"
#include "platform/calendar_store.h"
#include "platform/config.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/jsonv.h"
#include "platform/ratelimit.h"

typedef struct disc_job {
	const auth_user_t *user;
	int64_t id, sub_id, new_id;
	int step;
	json_t *body;
	const char *why;
	vctx_t v;
} disc_job_t;

static int path_id(http_req_t *req, int i, int64_t *id, const char *missing)
{
	if (http_parse_int(req->param[i], 1, INT64_MAX, id) != 0)
		return http_fail(req, YW_ENOTFOUND, missing);
	return 0;
}

/* The body as a JSON object; an empty body counts as {} (steps without fields). */
static int body(http_req_t *req, json_t **out)
{
	if (req->body_len == 0) {
		req->body_json = json_object();
		*out = req->body_json;
		return 0;
	}
	return http_body_json(req, out);
}

static disc_job_t *new_job(http_req_t *req)
{
	disc_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	j->why = "";
	return j;
}

/* The common failures of a write; 0 when rc is 0. */
static int fail(http_req_t *req, int rc, disc_job_t *j, const char *missing, const char *forbidden,
		const char *conflict)
{
	switch (rc) {
	case 0: return 0;
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, missing);
	case YW_EFORBIDDEN: return http_fail(req, rc, *j->why ? j->why : forbidden);
	case YW_ECONFLICT: return http_fail(req, rc, *j->why ? j->why : conflict);
	default: return rc;
	}
}

/* ---- categories and organs ---- */

int h_disc_categories_list(http_req_t *req)
{
	int64_t all = 0;
	if (http_query_int(req, "all", 0, 1, 0, &all))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	bool staff = req->user && auth_has_perm(req->user, PERM_DISCLOSURE_HANDLE);
	int rc = disclosure_categories_list(db_thread(), all == 1 && staff, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int category_create_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_category_create(db, j->user, j->body, &j->v, &j->new_id);
}

static int category_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "分类不存在", "无权维护分类", "分类代码已存在")) != 0)
		return rc;
	json_t *out;
	if ((rc = disclosure_categories_list(db_thread(), true, &out)) != 0)
		return rc;
	http_reply_json(req, j->new_id ? 201 : 200, out);
	return 0;
}

int h_disc_category_create(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	return rc ? rc : http_write(req, category_create_job, j, category_respond);
}

static int category_update_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_category_update(db, j->user, j->id, j->body, &j->v);
}

int h_disc_category_update(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "分类不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, category_update_job, j, category_respond);
}

int h_disc_organs_list(http_req_t *req)
{
	json_t *out;
	int rc = disclosure_organs_list(db_thread(), &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int organ_update_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_organ_update(db, j->user, j->id, j->body, &j->v);
}

static int organ_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "机关不存在", "只能维护本机关的索引号规则", "")) != 0)
		return rc;
	return h_disc_organs_list(req);
}

int h_disc_organ_update(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "机关不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, organ_update_job, j, organ_respond);
}

/* ---- documents ---- */

static int doc_filter(http_req_t *req, disc_doc_filter_t *f, int64_t *page, int64_t *size)
{
	int64_t year = 0;
	f->q = http_query(req, "q");
	if (f->q && (strlen(f->q) > 300 || !utf8_valid(f->q, strlen(f->q)) || utf8_chars(f->q) > 100))
		http_fail_field(req, "q", "检索词应为不超过100个字的文本");
	f->validity = http_query(req, "validity");
	if (f->validity && *f->validity && disc_validity_find(f->validity) < 0)
		http_fail_field(req, "validity", "应为 valid、expired 或 repealed");
	f->kind = http_query(req, "kind");
	if (f->kind && *f->kind && disc_doc_kind_find(f->kind) < 0)
		http_fail_field(req, "kind", "应为 regulation、normative 或 other");
	f->state = http_query(req, "state");
	if (f->state && *f->state && disc_doc_state_find(f->state) < 0)
		http_fail_field(req, "state", "应为 draft、review、published、withdrawn 或 superseded");
	http_query_int(req, "dept_id", 0, INT64_MAX, 0, &f->dept_id);
	http_query_int(req, "category_id", 0, INT64_MAX, 0, &f->category_id);
	http_query_int(req, "year", 0, DATE_YEAR_MAX, 0, &year);
	http_query_int(req, "page", 1, 1000000, 1, page);
	http_query_int(req, "page_size", 1, 200, 20, size);
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	f->year = (int)year;
	return 0;
}

int h_disc_docs_public(http_req_t *req)
{
	disc_doc_filter_t f = {0};
	int64_t page, size;
	int rc = doc_filter(req, &f, &page, &size);
	if (rc)
		return rc;
	json_t *out;
	if ((rc = disclosure_docs_public(db_thread(), &f, page, size, &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_disc_docs_manage(http_req_t *req)
{
	disc_doc_filter_t f = {0};
	int64_t page, size;
	int rc = doc_filter(req, &f, &page, &size);
	if (rc)
		return rc;
	json_t *out;
	if ((rc = disclosure_docs_manage(db_thread(), req->user, &f, page, size, &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int reply_doc(http_req_t *req, int status, int64_t id)
{
	json_t *out;
	int rc = disclosure_doc_get(db_thread(), req->user, id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "文件不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

int h_disc_doc_get(http_req_t *req)
{
	int64_t id;
	int rc = path_id(req, 0, &id, "文件不存在");
	return rc ? rc : reply_doc(req, 200, id);
}

static int doc_create_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_doc_create(db, j->user, j->body, &j->v, &j->new_id);
}

static int doc_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "文件不存在", "只能管理本机关的文件", "文件当前状态不允许此操作")) != 0)
		return rc;
	return reply_doc(req, j->new_id ? 201 : 200, j->new_id ? j->new_id : j->id);
}

int h_disc_doc_create(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	return rc ? rc : http_write(req, doc_create_job, j, doc_respond);
}

static int doc_edit_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	int rc = disclosure_doc_edit(db, j->user, j->id, j->body, &j->v);
	if (rc == YW_ECONFLICT)
		j->why = "该文件正在保密审查中，审查结束前不能修改";
	return rc;
}

int h_disc_doc_edit(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "文件不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, doc_edit_job, j, doc_respond);
}

static int doc_step_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_doc_act(db, j->user, j->id, (enum disc_doc_step)j->step, j->body, &j->v, &j->why);
}

static int doc_step(http_req_t *req, enum disc_doc_step s)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "文件不存在");
	if (rc || (rc = body(req, &j->body)) != 0)
		return rc;
	j->step = s;
	return http_write(req, doc_step_job, j, doc_respond);
}

int h_disc_doc_submit(http_req_t *req)
{
	return doc_step(req, DDS_SUBMIT);
}

int h_disc_doc_review(http_req_t *req)
{
	return doc_step(req, DDS_REVIEW_STEP);
}

int h_disc_doc_withdraw(http_req_t *req)
{
	return doc_step(req, DDS_WITHDRAW);
}

int h_disc_doc_validity(http_req_t *req)
{
	return doc_step(req, DDS_VALIDITY);
}

int h_disc_doc_file(http_req_t *req)
{
	int64_t id, upload;
	int rc = path_id(req, 0, &id, "文件不存在");
	if (rc || (rc = path_id(req, 1, &upload, "附件不存在")) != 0)
		return rc;
	char sha[65], mime[128], name[256];
	if ((rc = disclosure_doc_file(db_thread(), req->user, id, upload, sha, mime, name)) != 0)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "附件不存在") : rc;
	char *path = files_blob_path(config_current()->files_dir, sha);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return http_fail(req, YW_EIO, "附件内容缺失，请联系管理员");
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	char *buf = len >= 0 ? arena_alloc(req->arena, (size_t)len + 1) : NULL;
	bool ok = buf && fread(buf, 1, (size_t)len, f) == (size_t)len;
	fclose(f);
	if (!ok)
		return http_fail(req, YW_EIO, "附件读取失败");
	/* the stored name, percent-encoded (RFC 5987), so no byte of it can break the header */
	char enc[800];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p && n + 4 < sizeof enc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-' || *p == '_')
			enc[n++] = (char)*p;
		else
			n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
	}
	enc[n] = 0;
	http_add_header(req, "Content-Disposition", arena_printf(req->arena, "attachment; filename*=UTF-8''%s", enc));
	http_add_header(req, "X-Content-Type-Options", "nosniff");
	http_reply_bytes(req, 200, arena_strdup(req->arena, mime), buf, (size_t)len);
	return 0;
}

/* ---- requests ---- */

static int reply_request(http_req_t *req, int status, int64_t id)
{
	json_t *out;
	int rc = disclosure_request_get(db_thread(), req->user, id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "申请不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

static int request_create_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = disclosure_request_create(db, j->user, j->body, cal, &j->v, &j->new_id);
	calendar_release();
	return rc;
}

static int request_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "申请不存在", "只能办理本机关的申请", "申请当前状态不允许此操作")) != 0)
		return rc;
	return reply_request(req, j->new_id ? 201 : 200, j->new_id ? j->new_id : j->id);
}

/* An applicant files by hand: a bucket of 10 requests refilled at 2 a minute bounds a script
 * (the statutory answer to excessive requests, reject_mass, is the organ's decision, not this). */
enum { APPLICANT_BURST = 10, APPLICANT_PER_MINUTE = 2 };

int h_disc_requests_create(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	if (strcmp(req->user->kind, "staff") != 0) {
		char key[48];
		snprintf(key, sizeof key, "disclosure-applicant:%lld", (long long)req->user->id);
		int64_t wait = ratelimit_anon_write(key, yw_now(), APPLICANT_BURST, APPLICANT_PER_MINUTE);
		if (wait) {
			req->retry_after_s = (unsigned)wait;
			return http_fail(req, YW_ETHROTTLED, "提交过于频繁，请稍后再试");
		}
	}
	return http_write(req, request_create_job, j, request_respond);
}

int h_disc_requests_list(http_req_t *req)
{
	disc_req_filter_t f = {0};
	int64_t page, size, year = 0, overdue = 0, signal = 0;
	f.state = http_query(req, "state");
	if (f.state && *f.state && disc_request_state_find(f.state) < 0)
		http_fail_field(req, "state", "应为 processing、correction、consulting、fee 或 replied");
	f.result = http_query(req, "result");
	if (f.result && *f.result && disc_result_find(f.result) < 0)
		http_fail_field(req, "result", "不是有效的答复结果代码");
	f.q = http_query(req, "q");
	if (f.q && (strlen(f.q) > 300 || !utf8_valid(f.q, strlen(f.q)) || utf8_chars(f.q) > 100))
		http_fail_field(req, "q", "检索词应为不超过100个字的文本");
	http_query_int(req, "dept_id", 0, INT64_MAX, 0, &f.dept_id);
	http_query_int(req, "year", 0, DATE_YEAR_MAX, 0, &year);
	http_query_int(req, "overdue", 0, 1, 0, &overdue);
	http_query_int(req, "signal", 0, 3, 0, &signal);
	int64_t open = 0, within = -1;
	http_query_int(req, "open", 0, 1, 0, &open);
	if (http_query(req, "due_within"))
		http_query_int(req, "due_within", 0, 60, 0, &within);
	f.sort = http_query(req, "sort");
	if (f.sort && *f.sort && strcmp(f.sort, "received") && strcmp(f.sort, "received_asc") && strcmp(f.sort, "due") &&
	    strcmp(f.sort, "due_desc"))
		http_fail_field(req, "sort", "应为 received、received_asc、due 或 due_desc");
	http_query_int(req, "page", 1, 1000000, 1, &page);
	http_query_int(req, "page_size", 1, 200, 20, &size);
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	f.year = (int)year;
	f.overdue = overdue == 1;
	f.signal = (int)signal;
	f.open = open == 1;
	/* due within N working days (docs/domain.md §5): from today to the Nth working day after it */
	char due_by[11] = "";
	int rc;
	if (within >= 0) {
		const calendar_t *cal;
		if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
			return rc;
		yw_date_t today = date_today_local(yw_now()), by = today;
		rc = calendar_add_workdays(cal, today, (int)within, &by, NULL);
		calendar_release();
		if (rc)
			return rc;
		date_format(by, due_by);
		f.due_by = due_by;
	}
	json_t *out;
	rc = disclosure_requests_list(db_thread(), req->user, &f, page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_disc_request_get(http_req_t *req)
{
	int64_t id;
	int rc = path_id(req, 0, &id, "申请不存在");
	return rc ? rc : reply_request(req, 200, id);
}

int h_disc_request_letter(http_req_t *req)
{
	int64_t id;
	int rc = path_id(req, 0, &id, "申请不存在");
	if (rc)
		return rc;
	const char *kind = http_query(req, "kind");
	if (!kind || !*kind)
		kind = "reply";
	int64_t cid = 0;
	if (strcmp(kind, "reply") && strcmp(kind, "correction") && strcmp(kind, "extension") && strcmp(kind, "fee") &&
	    strcmp(kind, "consult"))
		http_fail_field(req, "kind", "应为 reply、correction、extension、fee 或 consult");
	http_query_int(req, "cid", 0, INT64_MAX, 0, &cid);
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	char *html = NULL;
	rc = disclosure_request_letter(db_thread(), req->user, id, kind, cid, &html);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "申请不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, strcmp(kind, "reply") == 0 ? "申请尚未答复，暂无答复告知书" : "该申请没有此类告知书");
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "征求第三方意见函仅供受理机关使用");
	if (rc)
		return rc;
	size_t len = strlen(html);
	char *copy = arena_alloc(req->arena, len + 1);
	memcpy(copy, html, len + 1);
	free(html);
	http_add_header(req, "Cache-Control", "private, no-store");
	http_reply_bytes(req, 200, "text/html; charset=utf-8", copy, len);
	return 0;
}

static int request_step_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = disclosure_request_act(db, j->user, j->id, (enum disc_req_step)j->step, j->sub_id, j->body, cal, &j->v,
				    &j->why);
	calendar_release();
	return rc;
}

static int request_step(http_req_t *req, enum disc_req_step s)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "申请不存在");
	if (!rc && s == DRQ_ANSWER)
		rc = path_id(req, 1, &j->sub_id, "征求意见记录不存在");
	if (rc || (rc = body(req, &j->body)) != 0)
		return rc;
	j->step = s;
	return http_write(req, request_step_job, j, request_respond);
}

int h_disc_request_correction(http_req_t *req)
{
	return request_step(req, DRQ_CORRECTION);
}

int h_disc_request_corrected(http_req_t *req)
{
	return request_step(req, DRQ_CORRECTED);
}

int h_disc_request_consult(http_req_t *req)
{
	return request_step(req, DRQ_CONSULT);
}

int h_disc_request_answer(http_req_t *req)
{
	return request_step(req, DRQ_ANSWER);
}

int h_disc_request_extend(http_req_t *req)
{
	return request_step(req, DRQ_EXTEND);
}

int h_disc_request_fee(http_req_t *req)
{
	return request_step(req, DRQ_FEE);
}

int h_disc_request_paid(http_req_t *req)
{
	return request_step(req, DRQ_PAID);
}

int h_disc_request_reply(http_req_t *req)
{
	return request_step(req, DRQ_REPLY);
}

int h_disc_request_withdraw(http_req_t *req)
{
	return request_step(req, DRQ_WITHDRAW);
}


/* POST /requests/{id}/letter-preview: the reply letter the reply body would send, checked as the
 * reply is, nothing stored: {"result","result_label","html"}. */
int h_disc_reply_preview(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "申请不存在");
	if (rc || (rc = body(req, &j->body)) != 0)
		return rc;
	char *html = NULL;
	rc = disclosure_reply_preview(db_thread(), req->user, j->id, j->body, &j->v, &j->why, &html);
	if ((rc = fail(req, rc, j, "申请不存在", "只能办理本机关的申请", "申请当前状态不能答复")) != 0)
		return rc;
	const char *result = json_string_value(json_object_get(j->body, "result"));
	json_t *out = json_pack("{s:s, s:s, s:s}", "result", result, "result_label",
				disc_result_label(disc_result_find(result)), "html", html);
	free(html);
	http_add_header(req, "Cache-Control", "private, no-store");
	http_reply_json(req, 200, out);
	return 0;
}
/* ---- remedies and figures ---- */

static int remedy_create_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_remedy_create(db, j->user, j->id, j->body, &j->v, &j->new_id);
}

static int remedy_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "申请或复议诉讼记录不存在", "只能记录本机关申请的复议诉讼",
		       "只有已答复的申请可以记录复议诉讼，已审结的结果不能再修改")) != 0)
		return rc;
	return reply_request(req, j->new_id ? 201 : 200, j->id);
}

int h_disc_remedy_create(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "申请不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, remedy_create_job, j, remedy_respond);
}

static int remedy_update_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_remedy_update(db, j->user, j->id, j->sub_id, j->body, &j->v);
}

int h_disc_remedy_update(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = path_id(req, 0, &j->id, "申请不存在");
	if (!rc)
		rc = path_id(req, 1, &j->sub_id, "复议诉讼记录不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	return http_write(req, remedy_update_job, j, remedy_respond);
}

int h_disc_figures_get(http_req_t *req)
{
	int64_t dept = 0, year = 0;
	http_query_int(req, "dept_id", 0, INT64_MAX, req->user->dept_id, &dept);
	http_query_int(req, "year", 2000, DATE_YEAR_MAX, 0, &year);
	if (!year)
		http_fail_field(req, "year", "须指定年度");
	if (!dept)
		http_fail_field(req, "dept_id", "须指定机关");
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	int rc = disclosure_figures_get(db_thread(), req->user, dept, (int)year, &out);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "只能查看本机关的数据");
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int figures_job(db_t *db, void *arg)
{
	disc_job_t *j = arg;
	return disclosure_figures_put(db, j->user, j->body, &j->v);
}

static int figures_respond(http_req_t *req, int rc, void *arg)
{
	disc_job_t *j = arg;
	if ((rc = fail(req, rc, j, "机关不存在", "只能填报本机关的数据", "")) != 0)
		return rc;
	json_t *out;
	int64_t dept = json_integer_value(json_object_get(j->body, "dept_id"));
	if (!dept)
		dept = req->user->dept_id;
	if ((rc = disclosure_figures_get(db_thread(), req->user, dept,
					 (int)json_integer_value(json_object_get(j->body, "year")), &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_disc_figures_put(http_req_t *req)
{
	disc_job_t *j = new_job(req);
	int rc = http_body_json(req, &j->body);
	return rc ? rc : http_write(req, figures_job, j, figures_respond);
}

int h_disc_summary(http_req_t *req)
{
	int64_t dept = 0;
	if (http_query_int(req, "dept_id", 0, INT64_MAX, 0, &dept))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	int rc = disclosure_summary(db_thread(), req->user, dept, &out);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "只能查看本机关的数据");
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}
