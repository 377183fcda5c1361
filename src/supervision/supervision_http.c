/* Supervision routes (docs/api.md, "Supervision"): 督办 orders, signals, cards and the summary. */
#include <stdlib.h>
#include <string.h>

#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "supervision/supervision.h"
#include "supervision/supervision_store.h"

static int order_id(http_req_t *req, int64_t *id)
{
	if (http_parse_int(req->param[0], 1, INT64_MAX, id) != 0)
		return http_fail(req, YW_ENOTFOUND, "督办单不存在");
	return 0;
}

static int reply_order(http_req_t *req, int status, int64_t id)
{
	sv_scope_t sc;
	sv_scope_of(req->user, 0, &sc);
	json_t *out;
	int rc = sv_order_get(db_thread(), &sc, id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "督办单不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

/* ?dept_id= narrows the scope; a department that only responds always sees itself. */
static int scope_arg(http_req_t *req, sv_scope_t *sc)
{
	int64_t dept;
	if (http_query_int(req, "dept_id", 1, INT64_MAX, 0, &dept))
		return YW_EINVAL;
	sv_scope_of(req->user, dept, sc);
	return 0;
}

static int paging(http_req_t *req, int64_t *page, int64_t *size)
{
	return http_query_int(req, "page", 1, 1000000, 1, page) || http_query_int(req, "page_size", 1, 200, 20, size)
		       ? YW_EINVAL
		       : 0;
}

/* Orders are written through the group-commit writer; the order is read back after the commit. */
typedef struct order_job {
	const auth_user_t *user;
	json_t *body;
	int64_t id;
	yw_date_t today;
	vctx_t v;
} order_job_t;

static int create_in_group(db_t *db, void *arg)
{
	order_job_t *j = arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = sv_order_create(db, j->user, j->body, cal, j->today, &j->v, &j->id);
	calendar_release();
	return rc;
}

static int create_respond(http_req_t *req, int rc, void *arg)
{
	order_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	return rc ? rc : reply_order(req, 201, j->id);
}

int h_sv_orders_create(http_req_t *req)
{
	order_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	j->today = date_today_local(yw_now());
	return http_write(req, create_in_group, j, create_respond);
}

int h_sv_orders_list(http_req_t *req)
{
	sv_scope_t sc;
	int64_t page, size;
	const char *state = http_query(req, "state");
	if (scope_arg(req, &sc) || paging(req, &page, &size))
		return YW_EINVAL;
	if (state && strcmp(state, "open") && strcmp(state, "answered") && strcmp(state, "closed")) {
		http_fail_field(req, "state", "应为 open（待答复）、answered（已答复）或 closed（已办结）");
		return YW_EINVAL;
	}
	json_t *out;
	int rc = sv_orders_list(db_thread(), &sc, state, page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int answer_in_group(db_t *db, void *arg)
{
	order_job_t *j = arg;
	return sv_order_answer(db, j->user, j->id, j->body, &j->v);
}

static int answer_respond(http_req_t *req, int rc, void *arg)
{
	order_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "督办单不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "该督办单已答复或已办结");
	return rc ? rc : reply_order(req, 200, j->id);
}

int h_sv_order_answer(http_req_t *req)
{
	order_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = order_id(req, &j->id);
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->user = req->user;
	return http_write(req, answer_in_group, j, answer_respond);
}

static int close_in_group(db_t *db, void *arg)
{
	order_job_t *j = arg;
	return sv_order_close(db, j->user, j->id);
}

static int close_respond(http_req_t *req, int rc, void *arg)
{
	order_job_t *j = arg;
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "督办单不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "只能办结已答复的督办单");
	return rc ? rc : reply_order(req, 200, j->id);
}

int h_sv_order_close(http_req_t *req)
{
	order_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = order_id(req, &j->id);
	if (rc)
		return rc;
	j->user = req->user;
	return http_write(req, close_in_group, j, close_respond);
}

int h_sv_signals(http_req_t *req)
{
	sv_scope_t sc;
	int64_t page, size, level;
	if (scope_arg(req, &sc) || paging(req, &page, &size) || http_query_int(req, "level", 1, 3, 0, &level))
		return YW_EINVAL;
	const calendar_t *cal;
	int rc = calendar_acquire(db_thread(), &cal);
	if (rc)
		return rc;
	json_t *out;
	rc = sv_signals(db_thread(), &sc, cal, date_today_local(yw_now()), (int)level, page, size, &out);
	calendar_release();
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* An optional YYYY-MM-DD query argument. */
static int day_arg(http_req_t *req, const char *name, const char **out)
{
	yw_date_t d;
	*out = http_query(req, name);
	if (*out && date_parse(*out, strlen(*out), &d) != 0) {
		http_fail_field(req, name, "应为 YYYY-MM-DD 格式的有效日期");
		return YW_EINVAL;
	}
	return 0;
}

int h_sv_cards(http_req_t *req)
{
	sv_scope_t sc;
	int64_t page, size, level;
	const char *from, *to, *kind = http_query(req, "kind");
	int bad = scope_arg(req, &sc) | paging(req, &page, &size) | http_query_int(req, "level", 1, 3, 0, &level) |
		  day_arg(req, "from", &from) | day_arg(req, "to", &to);
	if (bad)
		return YW_EINVAL;
	json_t *out;
	int rc = sv_cards(db_thread(), &sc, from, to, (int)level, kind, page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_sv_summary(http_req_t *req)
{
	sv_scope_t sc;
	if (scope_arg(req, &sc))
		return YW_EINVAL;
	json_t *out;
	int rc = sv_summary(db_thread(), &sc, date_today_local(yw_now()), &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}
