/* Case routes (docs/api.md, "Cases"): applications, acceptance, steps, the flows around them
 * (容缺, 告知承诺, 送达, 并联审批), the notices' QR code and the public verification page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/arena.h"
#include "platform/calendar_store.h"
#include "platform/err.h"
#include "platform/qr.h"

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
	const char *path = json_string_value(json_object_get(out, "verify_url"));
	if (path)
		json_object_set_new(out, "verify_url", json_sprintf("%s%s", http_origin(req), path));
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

static int create_respond(http_req_t *req, int rc, void *arg)
{
	create_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "该事项不在本窗口的受理范围内");
	if (rc == YW_ECONFLICT) {
		/* duplicate_policy refuse: the message names the applicant's open case */
		const char *msg = json_string_value(json_object_get(json_array_get(j->v.errors, 0), "message"));
		char *m = arena_strdup(req->arena, msg ? msg : "该申请人已有同一事项正在办理的办件");
		json_decref(j->v.errors);
		j->v.errors = NULL;
		return http_fail(req, rc, m);
	}
	if (rc)
		return rc;
	/* a receipt: reading the whole case back was over half a submission's work */
	json_t *out;
	if ((rc = cases_receipt(db_thread(), j->id, &out)) != 0)
		return rc;
	http_reply_json(req, 201, out);
	return 0;
}

int h_cases_create(http_req_t *req)
{
	create_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	return http_write(req, create_in_group, j, create_respond);
}

int h_cases_list(http_req_t *req)
{
	int64_t page, size, state;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 20, &size) ||
	    http_query_int(req, "state", -1, 99, -1, &state))
		return YW_EINVAL;
	const char *scope = http_query(req, "scope");
	if (scope && strcmp(scope, "todo") != 0 && strcmp(scope, "all") != 0) {
		http_fail_field(req, "scope", "应为 todo（待办）或 all（全部）");
		return YW_EINVAL;
	}
	json_t *out;
	int rc = cases_list(db_thread(), req->user, (int)state, scope && strcmp(scope, "todo") == 0, page, size, &out);
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

/* Maps a store status to the response: the case itself on success. */
static int answer(http_req_t *req, int rc, int64_t id, vctx_t *v, const char *why)
{
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v->errors);
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, *why ? arena_strdup(req->arena, why) : "办件当前状态不允许此操作");
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "办件不存在");
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "您不能对该办件执行此操作");
	return rc ? rc : reply_case(req, 200, id);
}

/* Case actions are durable writes too: they run in the group-commit writer. Two actions on one
 * case therefore run one after the other, and the second finds the state the first left (409). */
typedef int (*flow_fn)(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX]);

typedef struct act_job {
	const auth_user_t *user;
	int64_t id;
	enum case_action a;
	flow_fn fn; /* the flows around the state machine (supply, follow-up, ...); NULL for actions */
	json_t *body;
	vctx_t v;
	char why[CASE_WHY_MAX];
} act_job_t;

static int act_in_group(db_t *db, void *arg)
{
	act_job_t *j = arg;
	if (j->fn)
		return j->fn(db, j->user, j->id, j->body, &j->v, j->why);
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = cases_act(db, j->user, j->id, j->a, j->body, cal, &j->v, j->why);
	calendar_release();
	return rc;
}

static int act_respond(http_req_t *req, int rc, void *arg)
{
	act_job_t *j = arg;
	return answer(req, rc, j->id, &j->v, j->why);
}

/* Parses and queues the job; act_respond answers after the commit. */
static int run_job(http_req_t *req, enum case_action a, flow_fn fn, bool body_required)
{
	act_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = case_id(req, &j->id);
	if (rc)
		return rc;
	if ((body_required || req->body_len) && (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	if (a == CA_PASS && !fn) {
		/* one route for the step decisions: {"action": "pass" | "return" | "approve" | "deny"} */
		const char *s = json_string_value(json_object_get(j->body, "action"));
		if (!s || (strcmp(s, "pass") && strcmp(s, "return") && strcmp(s, "approve") && strcmp(s, "deny"))) {
			http_fail_field(req, "action", "应为 pass（通过）、return（退回）、approve（准予）或 deny（不予）");
			return YW_EINVAL;
		}
		a = strcmp(s, "pass") == 0 ? CA_PASS : strcmp(s, "return") == 0 ? CA_RETURN
						   : strcmp(s, "approve") == 0 ? CA_APPROVE : CA_DENY;
	}
	j->user = req->user;
	j->a = a;
	j->fn = fn;
	return http_write(req, act_in_group, j, act_respond);
}

static int act(http_req_t *req, enum case_action a)
{
	return run_job(req, a, NULL, false);
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

static int flow(http_req_t *req, flow_fn fn)
{
	return run_job(req, CA_SUBMIT /* unused when fn is set */, fn, true);
}

int h_case_supply(http_req_t *req)
{
	return flow(req, cases_supply);
}

int h_case_followup(http_req_t *req)
{
	return flow(req, cases_followup);
}

int h_case_deliver(http_req_t *req)
{
	return flow(req, cases_deliver);
}

int h_case_opinion(http_req_t *req)
{
	return flow(req, cases_opinion);
}

/* The QR code of a notice: the public verification page of the case. */
int h_case_qr(http_req_t *req)
{
	int64_t id = 0;
	int rc = case_id(req, &id);
	if (rc)
		return rc;
	char no[40], code[32];
	rc = cases_verify_link(db_thread(), req->user, id, no, code);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "办件不存在或尚未出具通知书") : rc;
	const char *url = arena_printf(req->arena, "%s/verify?no=%s&code=%s", http_origin(req), no, code);
	size_t len;
	char *svg = qr_svg(req->arena, url, "扫码核验办件", &len);
	if (!svg)
		return YW_EIO;
	http_add_header(req, "Cache-Control", "private, no-store");
	http_reply_bytes(req, 200, "image/svg+xml", svg, len);
	return 0;
}

int h_public_verify(http_req_t *req)
{
	json_t *out;
	int rc = cases_verify(db_thread(), http_query(req, "no"), http_query(req, "code"), &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "未查到该办件，请核对办件编号和核验码") : rc;
	http_add_header(req, "Cache-Control", "no-store");
	http_reply_json(req, 200, out);
	return 0;
}

int h_bundles_list(http_req_t *req)
{
	json_t *out;
	int rc = cases_bundles_list(db_thread(), &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}
