/* Case routes (docs/api.md, "Cases"). */
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/calendar_store.h"
#include "platform/err.h"

static int case_id(http_req_t *req, int64_t *id)
{
	char *end;
	long long n = strtoll(req->param[0], &end, 10);
	if (*end || n <= 0)
		return http_fail(req, YW_ENOTFOUND, "办件不存在");
	*id = n;
	return 0;
}

static int reply_case(http_req_t *req, int status, int64_t id)
{
	const calendar_t *cal;
	int rc = calendar_acquire(db_thread(), &cal);
	if (rc)
		return rc;
	json_t *out;
	rc = cases_get(db_thread(), req->user, id, cal, &out);
	calendar_release();
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "办件不存在") : rc;
	http_reply_json(req, status, out);
	return 0;
}

/* An application is a durable write on the hot path: it goes through the group-commit writer. */
typedef struct create_job {
	const auth_user_t *user;
	json_t *body;
	vctx_t v;
	int64_t id;
} create_job_t;

static int create_in_group(db_t *db, void *arg)
{
	create_job_t *j = arg;
	return cases_create(db, j->user, j->body, &j->v, &j->id);
}

int h_cases_create(http_req_t *req)
{
	if (!req->write_done) {
		create_job_t *j = arena_zalloc(req->arena, sizeof *j);
		int rc = http_body_json(req, &j->body);
		if (rc)
			return rc;
		j->user = req->user;
		return http_write(req, create_in_group, j);
	}
	create_job_t *j = req->write_arg;
	int rc = req->write_status;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "该事项不在本窗口的受理范围内");
	return rc ? rc : reply_case(req, 201, j->id);
}

int h_cases_list(http_req_t *req)
{
	int64_t page, size, state;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 20, &size) ||
	    http_query_int(req, "state", -1, 99, -1, &state))
		return YW_EINVAL;
	json_t *out;
	int rc = cases_list(db_thread(), req->user, (int)state, page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_case_get(http_req_t *req)
{
	int64_t id = 0;
	int rc = case_id(req, &id);
	return rc ? rc : reply_case(req, 200, id);
}

static int act(http_req_t *req, enum case_action a)
{
	int64_t id = 0;
	int rc = case_id(req, &id);
	if (rc)
		return rc;
	json_t *body = NULL;
	if (req->body_len && (rc = http_body_json(req, &body)) != 0)
		return rc;
	if (a == CA_PASS) {
		/* one route for the step decisions: {"action": "pass" | "return" | "approve" | "deny"} */
		const char *s = json_string_value(json_object_get(body, "action"));
		if (!s || (strcmp(s, "pass") && strcmp(s, "return") && strcmp(s, "approve") && strcmp(s, "deny"))) {
			http_fail_field(req, "action", "应为 pass(通过)、return(退回)、approve(准予)或 deny(不予)");
			return YW_EINVAL;
		}
		a = strcmp(s, "pass") == 0 ? CA_PASS : strcmp(s, "return") == 0 ? CA_RETURN
						   : strcmp(s, "approve") == 0 ? CA_APPROVE : CA_DENY;
	}
	const calendar_t *cal;
	if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
		return rc;
	vctx_t v = {0};
	rc = cases_act(db_thread(), req->user, id, a, body, cal, &v);
	calendar_release();
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v.errors);
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "办件当前状态不允许此操作");
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "办件不存在");
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "您不能对该办件执行此操作");
	return rc ? rc : reply_case(req, 200, id);
}

int h_case_submit(http_req_t *req)
{
	return act(req, CA_SUBMIT);
}

int h_case_withdraw(http_req_t *req)
{
	return act(req, CA_WITHDRAW);
}

int h_case_accept(http_req_t *req)
{
	return act(req, CA_ACCEPT);
}

int h_case_refuse(http_req_t *req)
{
	return act(req, CA_REFUSE);
}

int h_case_correction(http_req_t *req)
{
	return act(req, CA_CORRECTION);
}

int h_case_resubmit(http_req_t *req)
{
	return act(req, CA_RESUBMIT);
}

int h_case_step(http_req_t *req)
{
	return act(req, CA_PASS);
}

int h_case_suspend(http_req_t *req)
{
	return act(req, CA_SUSPEND);
}

int h_case_resume(http_req_t *req)
{
	return act(req, CA_RESUME);
}
