/* Catalogue routes: the public portal's search, guides, QR codes and lists, and the admin side's
 * drafts, review and publication, import and export (docs/api.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_http.h"
#include "platform/err.h"
#include "platform/qr.h"

static int parse_id(http_req_t *req, int64_t *id)
{
	char *end;
	long long n = strtoll(req->param[0], &end, 10);
	if (*end || n <= 0)
		return http_fail(req, YW_ENOTFOUND, "事项不存在");
	*id = n;
	return 0;
}

static int page_args(http_req_t *req, int64_t *page, int64_t *size)
{
	int rc = http_query_int(req, "page", 1, 1000000, 1, page);
	rc |= http_query_int(req, "page_size", 1, 200, 20, size);
	return rc ? YW_EINVAL : 0;
}

int h_items_search(http_req_t *req)
{
	catalog_query_t q = {0};
	q.q = http_query(req, "q");
	if (q.q && (!utf8_valid(q.q, strlen(q.q)) || strlen(q.q) > 200)) {
		http_fail_field(req, "q", "检索词应为不超过200字节的有效文本");
		return YW_EINVAL;
	}
	int rc = page_args(req, &q.page, &q.page_size);
	rc |= http_query_int(req, "dept_id", 0, INT64_MAX, 0, &q.dept_id);
	rc |= http_query_int(req, "level", 0, 6, 0, &q.level);
	rc |= http_query_int(req, "target", 0, 6, 0, &q.target);
	if (rc)
		return YW_EINVAL;
	q.type = http_query(req, "type");
	q.tag = http_query(req, "tag");
	q.list = http_query(req, "list");
	q.life_event = http_query(req, "life_event");
	q.region = http_query(req, "region");
	char *body;
	size_t len;
	if ((rc = catalog_search(db_thread(), &q, &body, &len)) != 0)
		return rc;
	http_reply_bytes(req, 200, "application/json; charset=utf-8", body, len);
	free(body);
	return 0;
}

int h_item_guide(http_req_t *req)
{
	char *json;
	int64_t vid;
	int rc = catalog_guide(db_thread(), req->param[0], &json, &vid);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "该事项不存在或未发布") : rc;
	/* A published version never changes, so its id is a strong validator. */
	char *etag = arena_printf(req->arena, "\"v%lld\"", (long long)vid);
	const char *inm = http_header(req, "If-None-Match");
	http_add_header(req, "ETag", etag);
	http_add_header(req, "Cache-Control", "no-cache");
	if (inm && strcmp(inm, etag) == 0)
		http_reply_bytes(req, 304, NULL, "", 0);
	else
		http_reply_bytes(req, 200, "application/json; charset=utf-8", json, strlen(json));
	free(json);
	return 0;
}

int h_item_qr(http_req_t *req)
{
	char *json;
	int64_t vid;
	int rc = catalog_guide(db_thread(), req->param[0], &json, &vid);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "该事项不存在或未发布") : rc;
	free(json);
	/* The code points at this server's guide page. */
	const char *url = arena_printf(req->arena, "%s/guide/%s", http_origin(req), req->param[0]);
	size_t len;
	char *svg = qr_svg(req->arena, url, "扫码获取办事指南", &len);
	if (!svg)
		return YW_EIO;
	http_add_header(req, "Cache-Control", "public, max-age=3600");
	http_reply_bytes(req, 200, "image/svg+xml", svg, len);
	return 0;
}

int h_item_versions(http_req_t *req)
{
	json_t *out;
	int rc = catalog_versions(db_thread(), req->param[0], &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "该事项不存在或未发布") : rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_lists(http_req_t *req)
{
	json_t *out;
	int rc = catalog_counts(db_thread(), &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_meta_codes(http_req_t *req)
{
	http_add_header(req, "Cache-Control", "public, max-age=300");
	http_reply_json(req, 200, catalog_codes_json());
	return 0;
}

int h_admin_items(http_req_t *req)
{
	int64_t page, size, dept_id;
	if (page_args(req, &page, &size) || http_query_int(req, "dept_id", 0, INT64_MAX, 0, &dept_id))
		return YW_EINVAL;
	const char *status = http_query(req, "status");
	if (status && *status && strcmp(status, "draft") && strcmp(status, "submitted") && strcmp(status, "published") &&
	    strcmp(status, "withdrawn") && strcmp(status, "superseded")) {
		http_fail_field(req, "status", "应为 draft、submitted、published、withdrawn 之一");
		return YW_EINVAL;
	}
	json_t *out;
	int rc = catalog_admin_list(db_thread(), req->user, status, dept_id, http_query(req, "q"), page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_admin_item_get(http_req_t *req)
{
	int64_t id = 0;
	json_t *out;
	int rc = parse_id(req, &id);
	if (!rc)
		rc = catalog_admin_get(db_thread(), req->user, id, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* Catalogue edits go through the group-commit writer: the job calls the store, and the answer
 * (the item as the admin sees it) is read after the commit. */
typedef struct item_job {
	const auth_user_t *user;
	int64_t id;
	json_t *body;
	enum catalog_action action;
	const char *note, *conflict_msg;
	bool publish;
	int imported;
	vctx_t v;
} item_job_t;

static int item_reply(http_req_t *req, int status, item_job_t *j)
{
	json_t *out;
	int rc = catalog_admin_get(db_thread(), req->user, j->id, &out);
	if (rc)
		return rc;
	http_reply_json(req, status, out);
	return 0;
}

static int create_in_group(db_t *db, void *arg)
{
	item_job_t *j = arg;
	return catalog_create(db, j->user, j->body, &j->v, &j->id);
}

static int create_respond(http_req_t *req, int rc, void *arg)
{
	item_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "只能为本部门创建事项");
	return rc ? rc : item_reply(req, 201, j);
}

int h_admin_item_create(http_req_t *req)
{
	item_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	return http_write(req, create_in_group, j, create_respond);
}

static int update_in_group(db_t *db, void *arg)
{
	item_job_t *j = arg;
	return catalog_update_draft(db, j->user, j->id, j->body, &j->v);
}

static int update_respond(http_req_t *req, int rc, void *arg)
{
	item_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "只有草稿可以修改；已发布的事项请先创建新版本");
	return rc ? rc : item_reply(req, 200, j);
}

int h_admin_item_update(http_req_t *req)
{
	item_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = parse_id(req, &j->id);
	if (!rc)
		rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	return http_write(req, update_in_group, j, update_respond);
}

static int transition_in_group(db_t *db, void *arg)
{
	item_job_t *j = arg;
	return catalog_transition(db, j->user, j->id, j->action, j->note);
}

static int transition_respond(http_req_t *req, int rc, void *arg)
{
	item_job_t *j = arg;
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, j->conflict_msg);
	return rc ? rc : item_reply(req, 200, j);
}

static int transition(http_req_t *req, enum catalog_action action, const char *conflict_msg)
{
	item_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = parse_id(req, &j->id);
	if (rc)
		return rc;
	if (action == CAT_REJECT) {
		json_t *body;
		if ((rc = http_body_json(req, &body)) != 0)
			return rc;
		vctx_t v = {0};
		j->note = v_str(&v, body, "note", 1, 500);
		if (!v_ok(&v)) {
			return http_fail_fields(req, &v.errors);
		}
	}
	j->user = req->user;
	j->action = action;
	j->conflict_msg = conflict_msg;
	return http_write(req, transition_in_group, j, transition_respond);
}

int h_admin_item_submit(http_req_t *req)
{
	return transition(req, CAT_SUBMIT, "只有草稿可以提交审核");
}

int h_admin_item_publish(http_req_t *req)
{
	return transition(req, CAT_PUBLISH, "只有待审核的版本可以发布");
}

int h_admin_item_reject(http_req_t *req)
{
	return transition(req, CAT_REJECT, "只有待审核的版本可以退回");
}

int h_admin_item_withdraw(http_req_t *req)
{
	return transition(req, CAT_WITHDRAW, "该事项没有已发布的版本");
}

int h_admin_item_new_version(http_req_t *req)
{
	return transition(req, CAT_NEW_VERSION, "已有草稿或待审核版本，请先处理");
}

int h_review_queue(http_req_t *req)
{
	json_t *out;
	int rc = catalog_review_queue(db_thread(), req->user, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_export_json(http_req_t *req)
{
	const char *all = http_query(req, "all");
	json_t *doc;
	int rc = catalog_exchange_document(db_thread(), all && strcmp(all, "1") == 0, &doc);
	if (rc)
		return rc;
	http_add_header(req, "Content-Disposition", "attachment; filename=\"catalog.json\"");
	http_reply_json(req, 200, doc);
	return 0;
}

static int write_catalog_xlsx(const char *path, void *arg)
{
	(void)arg;
	return catalog_export_xlsx(db_thread(), path);
}

int h_export_xlsx(http_req_t *req)
{
	return http_reply_xlsx(req, "catalog.xlsx", write_catalog_xlsx, NULL);
}

static int import_in_group(db_t *db, void *arg)
{
	item_job_t *j = arg;
	return catalog_import(db, j->user, j->body, j->publish, NULL, &j->v, &j->imported);
}

static int import_respond(http_req_t *req, int rc, void *arg)
{
	item_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "导入的事项超出了您的管理范围");
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:i}", "imported", j->imported));
	return 0;
}

int h_import(http_req_t *req)
{
	item_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	const char *pub = http_query(req, "publish");
	j->publish = pub && strcmp(pub, "1") == 0;
	j->user = req->user;
	return http_write(req, import_in_group, j, import_respond);
}
