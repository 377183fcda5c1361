/* Case flows around the steps: 容缺 materials handed in later, the follow-up check of a
 * 告知承诺 decision, delivery of the result (送达), co-department opinions of 并联审批 and their
 * 超时默认 (seed 004), and the public verification of notices. Each write runs in one
 * transaction with its case event and audit records. */
#include <sodium.h>
#include "platform/db_legacy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_priv.h"
#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"

typedef int (*flow_fn)(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why);

/* Loads the case, checks visibility, runs fn inside a transaction, commits or rolls back. */
static int run(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char *why, flow_fn fn)
{
	case_row_t c = {0};
	why[0] = 0;
	if (db_begin(db))
		return YW_EDB;
	int rc = cases_load(db, id, &c);
	if (!rc && !cases_visible(actor, &c))
		rc = YW_ENOTFOUND;
	if (!rc)
		rc = fn(db, actor, &c, body, v, why);
	cases_row_free(&c);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int exec_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	return rc;
}

static bool decided(int state)
{
	return state == CASE_DONE_APPROVED || state == CASE_DONE_DENIED;
}

static bool own_approver(const auth_user_t *u, const case_row_t *c)
{
	return (u->roles & ROLE_APPROVER) && u->dept_id == c->dept_id;
}

static bool window_of(const auth_user_t *u, const case_row_t *c)
{
	return (u->roles & ROLE_CLERK) && auth_region_within(c->region, u->region_code);
}

static int supply(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	bool allowed = (actor->roles & ROLE_APPLICANT) ? c->applicant_id == actor->id : window_of(actor, c);
	if (!allowed)
		return YW_EFORBIDDEN;
	if (!json_array_size(c->pending) || decided(c->state) || c->state == CASE_WITHDRAWN) {
		snprintf(why, CASE_WHY_MAX, "该办件没有待补交的容缺材料");
		return YW_ECONFLICT;
	}
	json_t *given = v_array(v, body, "materials", true);
	if (given && json_array_size(given) == 0)
		v_error(v, "materials", "请列出补交的材料");
	size_t i, k;
	json_t *m, *p;
	json_array_foreach(given, i, m) {
		bool found = false;
		json_array_foreach(c->pending, k, p)
			found |= json_equal(p, m);
		if (!found)
			v_error(v, "materials", "只能补交容缺受理时列明的材料");
	}
	if (!v_ok(v))
		return YW_EINVAL;
	json_t *left = json_array();
	json_array_foreach(c->pending, k, p) {
		bool handed = false;
		json_array_foreach(given, i, m)
			handed |= json_equal(p, m);
		if (!handed)
			json_array_append(left, p);
	}
	char *left_s = json_array_size(left) ? json_dumps(left, JSON_COMPACT) : NULL;
	/* handing a material in at a window is a trip to the hall */
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE cases SET pending_materials = $1, visits = visits + $2 WHERE id = $3");
	dbl_bind_text(st, 1, left_s);
	dbl_bind_int(st, 2, (actor->roles & ROLE_CLERK) ? 1 : 0);
	dbl_bind_int(st, 3, c->id);
	int rc = exec_done(st);
	free(left_s);
	json_t *data = json_pack("{s:O, s:O}", "materials", given, "still_missing", left);
	if (!rc)
		rc = cases_audit(db, actor, c->id);
	if (!rc)
		rc = cases_event(db, actor, c->id, "supply", c->state, c->state, -1, "补交容缺材料", data);
	json_decref(data);
	json_decref(left);
	return rc;
}

int cases_supply(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX])
{
	return run(db, actor, id, body, v, why, supply);
}

static int followup(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	if (!own_approver(actor, c))
		return YW_EFORBIDDEN;
	if (!c->commitment || *c->followup_result) {
		snprintf(why, CASE_WHY_MAX, c->commitment ? "该办件已完成核查" : "该办件不是告知承诺制办结的办件");
		return YW_ECONFLICT;
	}
	const char *result = v_str(v, body, "result", 1, 10);
	if (*result && strcmp(result, "合格") != 0 && strcmp(result, "不合格") != 0)
		v_error(v, "result", "应为“合格”或“不合格”");
	const char *note = v_str(v, body, "note", 0, 2000);
	if (strcmp(result, "不合格") == 0 && !*note)
		v_error(v, "note", "核查不合格须写明情况及处理意见");
	if (!v_ok(v))
		return YW_EINVAL;
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE cases SET followup_result = $1 WHERE id = $2");
	dbl_bind_text(st, 1, result);
	dbl_bind_int(st, 2, c->id);
	int rc = exec_done(st);
	json_t *data = json_pack("{s:s}", "result", result);
	if (!rc)
		rc = cases_audit(db, actor, c->id);
	if (!rc)
		rc = cases_event(db, actor, c->id, "followup", c->state, c->state, -1, note, data);
	json_decref(data);
	return rc;
}

int cases_followup(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX])
{
	return run(db, actor, id, body, v, why, followup);
}

static int deliver(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	if (!own_approver(actor, c) && !window_of(actor, c))
		return YW_EFORBIDDEN;
	if (!decided(c->state) || *c->delivery) {
		snprintf(why, CASE_WHY_MAX, *c->delivery ? "该办件的结果已经送达" : "办结后才能送达");
		return YW_ECONFLICT;
	}
	const char *method = v_str(v, body, "method", 1, 10);
	bool express = strcmp(method, "express") == 0, ecert = strcmp(method, "ecert") == 0;
	if (*method && !express && !ecert && strcmp(method, "pickup") != 0)
		v_error(v, "method", "应为 pickup（窗口领取）、express（邮寄）或 ecert（电子证照）");
	const char *ref = v_str(v, body, "ref", 0, 64);
	if (express && !*ref)
		v_error(v, "ref", "邮寄送达须填写快递单号");
	if (ecert && !*ref)
		v_error(v, "ref", "电子证照送达须填写证照编号");
	if (!v_ok(v))
		return YW_EINVAL;
	int64_t now = (int64_t)yw_now();
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE cases SET delivery = $1, delivery_ref = $2, delivered_at = $3 WHERE id = $4");
	dbl_bind_text(st, 1, method);
	dbl_bind_text(st, 2, ref);
	dbl_bind_int(st, 3, now);
	dbl_bind_int(st, 4, c->id);
	int rc = exec_done(st);
	json_t *data = json_pack("{s:s, s:s}", "method", method, "ref", ref);
	if (!rc)
		rc = cases_audit(db, actor, c->id);
	if (!rc)
		rc = cases_event(db, actor, c->id, "deliver", c->state, c->state, -1, v_str(v, body, "note", 0, 500), data);
	json_decref(data);
	return rc;
}

int cases_deliver(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX])
{
	return run(db, actor, id, body, v, why, deliver);
}

static int opinion(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	const char *code = v_str(v, body, "item_code", 1, 40);
	json_t *agree_j = json_object_get(body, "agree");
	if (!json_is_boolean(agree_j))
		v_error(v, "agree", "应为 true（同意）或 false（不同意）");
	bool agree = json_is_true(agree_j);
	const char *text = v_str(v, body, "opinion", 0, 2000);
	if (json_is_boolean(agree_j) && !agree && !*text)
		v_error(v, "opinion", "不同意须写明理由");
	int64_t pid = 0, dept = 0;
	char state[16] = "";
	sqlite3_stmt *st = dbl_prepare(db, "SELECT p.id, p.dept_id, p.state FROM case_parallel p JOIN items i ON i.id = p.item_id "
					  "WHERE p.case_id = $1 AND i.code = $2");
	dbl_bind_int(st, 1, c->id);
	dbl_bind_text(st, 2, code);
	if (sqlite3_step(st) == SQLITE_ROW) {
		pid = sqlite3_column_int64(st, 0);
		dept = sqlite3_column_int64(st, 1);
		snprintf(state, sizeof state, "%s", dbl_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (*code && !pid)
		v_error(v, "item_code", "该办件没有此协办事项");
	if (!v_ok(v))
		return YW_EINVAL;
	if (!(actor->roles & ROLE_APPROVER) || actor->dept_id != dept)
		return YW_EFORBIDDEN;
	if (strcmp(state, "pending") != 0 || (c->state != CASE_ACCEPTED && c->state != CASE_SUSPENDED)) {
		snprintf(why, CASE_WHY_MAX, strcmp(state, "pending") ? "该协办事项已有意见" : "办件当前不在审批中");
		return YW_ECONFLICT;
	}
	st = dbl_prepare(db, "UPDATE case_parallel SET state = $1, opinion = $2, decided_by = $3, decided_at = $4 WHERE id = $5");
	dbl_bind_text(st, 1, agree ? "agreed" : "disagreed");
	dbl_bind_text(st, 2, *text ? text : agree ? "同意" : text);
	dbl_bind_int(st, 3, actor->id);
	dbl_bind_int(st, 4, (int64_t)yw_now());
	dbl_bind_int(st, 5, pid);
	int rc = exec_done(st);
	json_t *data = json_pack("{s:s, s:b}", "item_code", code, "agree", agree);
	if (!rc)
		rc = audit_record_id(db, actor, "case.opinion", "case_parallel", pid);
	if (!rc)
		rc = cases_event(db, actor, c->id, "opinion", c->state, c->state, -1, *text ? text : "同意", data);
	json_decref(data);
	return rc;
}

int cases_opinion(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX])
{
	return run(db, actor, id, body, v, why, opinion);
}

int cases_parallel_tick(db_t *db, int64_t now)
{
	char today[11];
	date_format(date_today_local(now), today);
	/* Most ticks find nothing: they should not take the write lock for it. */
	int64_t due_n = 0;
	int rc = db_query_int(db, "SELECT COUNT(*) FROM case_parallel p JOIN cases c ON c.id = p.case_id "
				  "WHERE p.state = 'pending' AND p.due_day < :arg AND c.state IN (3, 9)",
			      today, &due_n);
	if (rc || due_n == 0)
		return rc;
	if (db_begin(db))
		return YW_EDB;
	/* Only cases still being handled; a withdrawn or decided case keeps its opinions as they are. */
	sqlite3_stmt *st = dbl_prepare(db, "SELECT p.id, p.case_id, c.state, i.code, p.due_day FROM case_parallel p "
					  "JOIN cases c ON c.id = p.case_id JOIN items i ON i.id = p.item_id "
					  "WHERE p.state = 'pending' AND p.due_day < $1 AND c.state IN (3, 9) ORDER BY p.id");
	dbl_bind_text(st, 1, today);
	json_t *due = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(due, json_pack("{s:I, s:I, s:i, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
						     "case", (json_int_t)sqlite3_column_int64(st, 1), "state",
						     sqlite3_column_int(st, 2), "item_code", dbl_col_text(st, 3), "due_day",
						     dbl_col_text(st, 4)));
	sqlite3_reset(st);
	size_t i;
	json_t *r;
	json_array_foreach(due, i, r) {
		int64_t pid = json_integer_value(json_object_get(r, "id"));
		st = dbl_prepare(db, "UPDATE case_parallel SET state = 'default_agreed', opinion = $1, decided_at = $2 "
				    "WHERE id = $3 AND state = 'pending'");
		dbl_bind_text(st, 1, "超时默认同意：协办部门未在办理时限内反馈意见");
		dbl_bind_int(st, 2, now);
		dbl_bind_int(st, 3, pid);
		if ((rc = exec_done(st)) != 0)
			break;
		rc = audit_record_id(db, NULL, "case.default_agree", "case_parallel", pid);
		int state = (int)json_integer_value(json_object_get(r, "state"));
		json_t *data = json_pack("{s:O, s:O}", "item_code", json_object_get(r, "item_code"), "due_day",
					 json_object_get(r, "due_day"));
		if (!rc)
			rc = cases_event(db, NULL, json_integer_value(json_object_get(r, "case")), "default_agree", state,
					 state, -1, "超时默认：协办部门逾期未反馈，视为同意", data);
		json_decref(data);
		if (rc)
			break;
	}
	json_decref(due);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int cases_verify(db_t *db, const char *no, const char *code, json_t **out)
{
	if (!no || !code || !*no || !*code)
		return YW_ENOTFOUND;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT c.case_no, v.name, d.name, c.state, c.applicant_name, c.accepted_day, "
					  "c.promised_day, c.decided_day, COALESCE(c.verify_code, '') FROM cases c "
					  "JOIN item_versions v ON v.id = c.item_version_id JOIN departments d ON d.id = c.dept_id "
					  "WHERE c.case_no = $1");
	dbl_bind_text(st, 1, no);
	int rc = YW_ENOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *want = dbl_col_text(st, 8);
		size_t n = strlen(want);
		/* constant time over the code's length, so timing tells nothing about it */
		if (n && strlen(code) == n && sodium_memcmp(want, code, n) == 0) {
			char masked[200];
			case_mask_name(dbl_col_text(st, 4), masked, sizeof masked);
			int state = sqlite3_column_int(st, 3);
			json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "case_no", dbl_col_text(st, 0), "item_name",
					      dbl_col_text(st, 1), "dept", dbl_col_text(st, 2), "state", state, "state_label",
					      case_state_label(state), "applicant", masked);
			static const char *const days[] = {"accepted_day", "promised_day", "decided_day"};
			for (int k = 0; k < 3; k++)
				json_object_set_new(o, days[k], sqlite3_column_type(st, 5 + k) == SQLITE_NULL
									? json_null()
									: json_string(dbl_col_text(st, 5 + k)));
			*out = o;
			rc = 0;
		}
	}
	sqlite3_reset(st);
	return rc;
}

int cases_verify_link(db_t *db, const auth_user_t *actor, int64_t id, char no[40], char code[32])
{
	case_row_t c = {0};
	int rc = cases_load(db, id, &c);
	if (!rc && (!cases_visible(actor, &c) || !*c.verify_code))
		rc = YW_ENOTFOUND;
	if (!rc) {
		snprintf(no, 40, "%s", c.case_no);
		snprintf(code, 32, "%s", c.verify_code);
	}
	cases_row_free(&c);
	return rc;
}
