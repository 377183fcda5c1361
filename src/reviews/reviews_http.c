/* Review routes (docs/api.md, "Reviews"): rating a case or a window visit, the bad-review steps,
 * the list and the summary. Statuses map to HTTP here, once. */
#include <stdlib.h>
#include <string.h>

#include "hall/hall.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "reviews/reviews.h"
#include "reviews/reviews_store.h"

static int path_id(http_req_t *req, int64_t *id, const char *missing)
{
	if (http_parse_int(req->param[0], 1, INT64_MAX, id) != 0)
		return http_fail(req, YW_ENOTFOUND, missing);
	return 0;
}

static int reply_review(http_req_t *req, int status, int64_t id)
{
	json_t *out;
	int rc = reviews_get(db_thread(), req->user, id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "评价不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

/* Ratings and the bad-review steps are written through the group-commit writer; the review is
 * read back after the commit. */
typedef struct review_job {
	const auth_user_t *user;
	int64_t target, id, window_id, now; /* target: the case, or the review a step acts on */
	enum review_step step;
	json_t *body;
	const char *why;
	vctx_t v;
} review_job_t;

static int rate_case_in_group(db_t *db, void *arg)
{
	review_job_t *j = arg;
	return reviews_rate_case(db, j->user, j->target, j->body, &j->v, &j->id);
}

static int rate_case_respond(http_req_t *req, int rc, void *arg)
{
	review_job_t *j = arg;
	switch (rc) {
	case 0: return reply_review(req, 201, j->id);
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, "办件不存在");
	case YW_EFORBIDDEN: return http_fail(req, rc, "工作人员不能评价办件，办件只能由申请人本人评价");
	case YW_ECONFLICT: return http_fail(req, rc, "办件办结或不予受理后方可评价，且每件只能评价一次");
	default: return rc;
	}
}

int h_case_review_create(http_req_t *req)
{
	review_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = path_id(req, &j->target, "办件不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->user = req->user;
	return http_write(req, rate_case_in_group, j, rate_case_respond);
}

int h_case_review_get(http_req_t *req)
{
	int64_t case_id;
	int rc = path_id(req, &case_id, "办件不存在");
	if (rc)
		return rc;
	json_t *out;
	rc = reviews_get_for_case(db_thread(), req->user, case_id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "该办件尚无评价") : rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int rate_visit_in_group(db_t *db, void *arg)
{
	review_job_t *j = arg;
	return reviews_rate_visit(db, j->user, j->window_id, j->body, j->now, &j->v, &j->id, &j->why);
}

static int rate_visit_respond(http_req_t *req, int rc, void *arg)
{
	review_job_t *j = arg;
	switch (rc) {
	case 0: break;
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_EFORBIDDEN:
	case YW_ECONFLICT: return http_fail(req, rc, j->why);
	default: return rc;
	}
	json_t *out;
	if ((rc = reviews_get_rated(db_thread(), j->id, &out)) != 0)
		return rc;
	http_reply_json(req, 201, out);
	return 0;
}

/* 一次一评 comes from the window's rating pad, a paired device bound to the window (hall.h); a
 * signed-in account alone cannot rate a window visit, so a clerk cannot rate their own. */
int h_reviews_create(http_req_t *req)
{
	hall_device_t pad;
	if (hall_device_of_request(req, 0, "pad", &pad) != 0) {
		if (req->user)
			return http_fail(req, YW_EFORBIDDEN, "窗口服务只能由办事群众在窗口评价器上评价，工作人员不能代评或自评");
		return http_fail(req, YW_EAUTH, "评价器未配对或已被停用，请联系大厅管理员");
	}
	review_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	j->window_id = pad.window_id;
	j->now = yw_now();
	j->why = "";
	return http_write(req, rate_visit_in_group, j, rate_visit_respond);
}

/* Query filters shared by the list and the summary; 422 naming the parameter when one is bad. */
static int read_filter(http_req_t *req, review_filter_t *f)
{
	int64_t bad = 0;
	f->status = http_query(req, "status");
	f->from = http_query(req, "from");
	f->to = http_query(req, "to");
	if (f->status && *f->status && !review_status_valid(f->status))
		http_fail_field(req, "status", "应为 verifying、appealed、rectifying、callback 或 closed");
	yw_date_t d;
	if (f->from && *f->from && date_parse(f->from, strlen(f->from), &d) != 0)
		http_fail_field(req, "from", "日期格式应为 YYYY-MM-DD");
	if (f->to && *f->to && date_parse(f->to, strlen(f->to), &d) != 0)
		http_fail_field(req, "to", "日期格式应为 YYYY-MM-DD");
	http_query_int(req, "bad", 0, 1, 0, &bad);
	http_query_int(req, "dept_id", 0, INT64_MAX, 0, &f->dept_id);
	if (req->err_details)
		return http_fail(req, YW_EINVAL, "查询条件有误");
	f->bad = bad == 1;
	return 0;
}

int h_reviews_list(http_req_t *req)
{
	review_filter_t f = {0};
	int64_t page, size;
	int rc = read_filter(req, &f);
	if (rc)
		return rc;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 20, &size))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	json_t *out;
	if ((rc = reviews_list(db_thread(), req->user, &f, page, size, &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_reviews_summary(http_req_t *req)
{
	review_filter_t f = {0};
	int rc = read_filter(req, &f);
	if (rc)
		return rc;
	/* the figures cover every status and level of the period */
	f.status = NULL;
	f.bad = false;
	json_t *out;
	if ((rc = reviews_summary(db_thread(), req->user, &f, &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int step_in_group(db_t *db, void *arg)
{
	review_job_t *j = arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = reviews_act(db, j->user, j->target, j->step, j->body, cal, &j->v);
	calendar_release();
	return rc;
}

static int step_respond(http_req_t *req, int rc, void *arg);

static int step(http_req_t *req, enum review_step s)
{
	review_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = path_id(req, &j->target, "评价不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->user = req->user;
	j->step = s;
	return http_write(req, step_in_group, j, step_respond);
}

static int step_respond(http_req_t *req, int rc, void *arg)
{
	review_job_t *j = arg;
	switch (rc) {
	case 0: return reply_review(req, 200, j->target);
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ENOTFOUND: return http_fail(req, rc, "评价不存在");
	case YW_EFORBIDDEN: return http_fail(req, rc, "只有被评价部门可以申诉和整改");
	case YW_ECONFLICT: return http_fail(req, rc, "评价当前状态不允许此操作");
	default: return rc;
	}
}

int h_review_appeal(http_req_t *req)
{
	return step(req, RS_APPEAL);
}

int h_review_verify(http_req_t *req)
{
	return step(req, RS_VERIFY);
}

int h_review_rectify(http_req_t *req)
{
	return step(req, RS_RECTIFY);
}

int h_review_callback(http_req_t *req)
{
	return step(req, RS_CALLBACK);
}
