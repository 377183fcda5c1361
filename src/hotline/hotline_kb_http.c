/* Knowledge-base routes (docs/api.md "Hotline knowledge base"): the operator's search as they type,
 * the articles' list and detail, and the lifecycle: a unit writes and submits, the centre publishes,
 * rejects or withdraws, a unit starts a new version of a published article. */
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_kb.h"
#include "platform/clock.h"
#include "platform/err.h"

typedef struct kb_job {
	hotline_ctx_t x;
	vctx_t v;
	json_t *body;
	int64_t id;
	enum hotline_kb_action action;
	bool put, created;
} kb_job_t;

static int reply_article(http_req_t *req, int status, int64_t id)
{
	json_t *out;
	int rc = hotline_kb_get(db_thread(), req->user, yw_now(), id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "知识库文章不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

static int in_group(db_t *db, void *arg)
{
	kb_job_t *j = arg;
	j->x.now = yw_now();
	if (j->put)
		return hotline_kb_put(db, &j->x, j->id, j->body, &j->id);
	return hotline_kb_act(db, &j->x, j->id, j->action, j->body);
}

static int respond(http_req_t *req, int rc, void *arg)
{
	kb_job_t *j = arg;
	switch (rc) {
	case 0: return reply_article(req, j->created ? 201 : 200, j->id);
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, "知识库文章不存在");
	case YW_EFORBIDDEN:
	case YW_ECONFLICT: return http_fail(req, rc, j->x.why && *j->x.why ? j->x.why : NULL);
	default: return rc;
	}
}

static int start(http_req_t *req, bool put, bool with_id, enum hotline_kb_action action)
{
	kb_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->x.actor = req->user;
	j->x.v = &j->v;
	j->x.why = "";
	j->put = put;
	j->action = action;
	j->created = put && !with_id;
	if (with_id && http_parse_int(req->param[0], 1, INT64_MAX, &j->id) != 0)
		return http_fail(req, YW_ENOTFOUND, "知识库文章不存在");
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	return http_write(req, in_group, j, respond);
}

int h_hotline_kb_create(http_req_t *req) { return start(req, true, false, KB_SUBMIT); }
int h_hotline_kb_update(http_req_t *req) { return start(req, true, true, KB_SUBMIT); }
int h_hotline_kb_submit(http_req_t *req) { return start(req, false, true, KB_SUBMIT); }
int h_hotline_kb_withdraw(http_req_t *req) { return start(req, false, true, KB_WITHDRAW); }
int h_hotline_kb_new_version(http_req_t *req) { return start(req, false, true, KB_NEW_VERSION); }

/* {"approve": true|false, "note"}: 发布 or 退回 (a note is then required) */
int h_hotline_kb_review(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	json_t *a = json_object_get(body, "approve");
	if (!json_is_boolean(a)) {
		http_fail_field(req, "approve", "请选择发布或退回");
		return http_fail(req, YW_EINVAL, NULL);
	}
	kb_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->x.actor = req->user;
	j->x.v = &j->v;
	j->x.why = "";
	j->body = body;
	j->action = json_is_true(a) ? KB_APPROVE : KB_REJECT;
	if (http_parse_int(req->param[0], 1, INT64_MAX, &j->id) != 0)
		return http_fail(req, YW_ENOTFOUND, "知识库文章不存在");
	return http_write(req, in_group, j, respond);
}

int h_hotline_kb_get(http_req_t *req)
{
	int64_t id;
	if (http_parse_int(req->param[0], 1, INT64_MAX, &id) != 0)
		return http_fail(req, YW_ENOTFOUND, "知识库文章不存在");
	return reply_article(req, 200, id);
}

int h_hotline_kb_list(http_req_t *req)
{
	static const char *const states[] = {"", "draft", "submitted", "published", "withdrawn", "expired", NULL};
	const char *state = http_query(req, "state");
	state = state ? state : "";
	bool known = false;
	for (int i = 0; states[i]; i++)
		known |= strcmp(states[i], state) == 0;
	int64_t page, size;
	if (!known) {
		http_fail_field(req, "state", "状态只能是draft、submitted、published、withdrawn或expired");
		return http_fail(req, YW_EINVAL, NULL);
	}
	if (http_query_int(req, "page", 1, 100000, 1, &page) || http_query_int(req, "page_size", 1, 100, 20, &size)) {
		http_fail_field(req, "page", "分页参数有误");
		return http_fail(req, YW_EINVAL, NULL);
	}
	json_t *out;
	int rc = hotline_kb_list(db_thread(), req->user, yw_now(), state, page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* As the operator types: the caller's words, 1-100 characters. */
int h_hotline_kb_search(http_req_t *req)
{
	const char *q = http_query(req, "q");
	size_t n = q ? utf8_chars(q) : 0;
	int64_t limit;
	if (n < 1 || n > 100) {
		http_fail_field(req, "q", "请输入1至100个字的查询内容");
		return http_fail(req, YW_EINVAL, NULL);
	}
	if (http_query_int(req, "limit", 1, 50, 10, &limit)) {
		http_fail_field(req, "limit", "条数应为1至50");
		return http_fail(req, YW_EINVAL, NULL);
	}
	char *body;
	size_t len;
	int rc = hotline_kb_search(db_thread(), q, limit, yw_now(), &body, &len);
	if (rc)
		return rc;
	http_reply_bytes(req, 200, "application/json; charset=utf-8", body, len);
	free(body);
	return 0;
}
