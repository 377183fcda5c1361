/* Case flows around the steps: 容缺 materials handed in later, the follow-up check of a
 * 告知承诺 decision, delivery of the result (送达), co-department opinions of 并联审批 and their
 * 超时默认 (seed 004), and the public verification of notices. Each write runs in one
 * transaction with its case event and audit records. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_priv.h"
#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"

typedef int (*flow_fn)(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why);

/* Loads the case, checks visibility and the rule of action a (case_action_check: who, and whether
 * the case allows it now), runs fn inside a transaction, commits or rolls back. */
static int run(db_t *db, const auth_user_t *actor, int64_t id, enum case_action a, json_t *body, vctx_t *v, char *why,
	       flow_fn fn)
{
	case_row_t c = {0};
	why[0] = 0;
	if (db_begin(db))
		return YW_EDB;
	int rc = cases_load(db, id, &c);
	if (!rc && !cases_visible(actor, &c))
		rc = YW_ENOTFOUND;
	if (!rc)
		rc = case_action_check(actor, &c, a, why);
	if (!rc)
		rc = fn(db, actor, &c, body, v, why);
	cases_row_free(&c);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int supply(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	(void)why; /* the conflicts are case_action_check's (run) */
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
	db_stmt_t *st = db_prepare(db, "UPDATE cases SET pending_materials = :pending, visits = visits + :visits "
				       "WHERE id = :case_id");
	db_bind_text(st, "pending", left_s);
	db_bind_int(st, "visits", (actor->roles & ROLE_CLERK) ? 1 : 0);
	db_bind_int(st, "case_id", c->id);
	int rc = db_run(st);
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
	return run(db, actor, id, CA_SUPPLY, body, v, why, supply);
}

static int followup(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	(void)why; /* the conflicts are case_action_check's (run) */
	const char *result = v_str(v, body, "result", 1, 10);
	if (*result && strcmp(result, "合格") != 0 && strcmp(result, "不合格") != 0)
		v_error(v, "result", "应为“合格”或“不合格”");
	const char *note = v_str(v, body, "note", 0, 2000);
	if (strcmp(result, "不合格") == 0 && !*note)
		v_error(v, "note", "核查不合格须写明情况及处理意见");
	if (!v_ok(v))
		return YW_EINVAL;
	db_stmt_t *st = db_prepare(db, "UPDATE cases SET followup_result = :result WHERE id = :case_id");
	db_bind_text(st, "result", result);
	db_bind_int(st, "case_id", c->id);
	int rc = db_run(st);
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
	return run(db, actor, id, CA_FOLLOWUP, body, v, why, followup);
}

static int deliver(db_t *db, const auth_user_t *actor, case_row_t *c, json_t *body, vctx_t *v, char *why)
{
	(void)why; /* the conflicts are case_action_check's (run) */
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
	db_stmt_t *st = db_prepare(db, "UPDATE cases SET delivery = :method, delivery_ref = :ref, delivered_at = :now "
				       "WHERE id = :case_id");
	db_bind_text(st, "method", method);
	db_bind_text(st, "ref", ref);
	db_bind_int(st, "now", now);
	db_bind_int(st, "case_id", c->id);
	int rc = db_run(st);
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
	return run(db, actor, id, CA_DELIVER, body, v, why, deliver);
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
	db_stmt_t *st = db_prepare(
		db, "SELECT p.id, p.dept_id, p.state FROM case_parallel p JOIN items i ON i.id = p.item_id "
		    "WHERE p.case_id = :case_id AND i.code = :item_code");
	db_bind_int(st, "case_id", c->id);
	db_bind_text(st, "item_code", code);
	int rc = db_one(st);
	if (rc == 0) {
		pid = db_col_int(st, 0);
		dept = db_col_int(st, 1);
		snprintf(state, sizeof state, "%s", db_col_text(st, 2));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		return rc;
	}
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
	st = db_prepare(db, "UPDATE case_parallel SET state = :state, opinion = :opinion, decided_by = :actor_id, "
			    "decided_at = :now WHERE id = :parallel_id");
	db_bind_text(st, "state", agree ? "agreed" : "disagreed");
	db_bind_text(st, "opinion", *text ? text : agree ? "同意" : text);
	db_bind_int(st, "actor_id", actor->id);
	db_bind_int(st, "now", (int64_t)yw_now());
	db_bind_int(st, "parallel_id", pid);
	rc = db_run(st);
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
	return run(db, actor, id, CA_OPINION, body, v, why, opinion);
}

int cases_parallel_tick(db_t *db, int64_t now)
{
	char today[11];
	date_format(date_today_local(now), today);
	/* Most ticks find nothing: they should not take the write lock for it. */
	int64_t due_n = 0;
	int rc = db_query_int(db,
			      "SELECT COUNT(*) FROM case_parallel p JOIN cases c ON c.id = p.case_id "
			      "WHERE p.state = 'pending' AND p.due_day < :arg AND " CASE_IN_PROGRESS_SQL("c.state"),
			      today, &due_n);
	if (rc || due_n == 0)
		return rc;
	if (db_begin(db))
		return YW_EDB;
	/* Only cases still being handled; a withdrawn or decided case keeps its opinions as they are. */
	db_stmt_t *st = db_prepare(db, "SELECT p.id, p.case_id, c.state, i.code, p.due_day FROM case_parallel p "
				       "JOIN cases c ON c.id = p.case_id JOIN items i ON i.id = p.item_id "
				       "WHERE p.state = 'pending' AND p.due_day < :today "
				       "AND " CASE_IN_PROGRESS_SQL("c.state") " ORDER BY p.id");
	db_bind_text(st, "today", today);
	json_t *due = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(due,
				      json_pack("{s:I, s:I, s:i, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
						"case", (json_int_t)db_col_int(st, 1), "state", (int)db_col_int(st, 2),
						"item_code", db_col_text(st, 3), "due_day", db_col_text(st, 4)));
	if (rc < 0) {
		json_decref(due);
		db_rollback(db);
		return rc;
	}
	rc = 0;
	size_t i;
	json_t *r;
	json_array_foreach(due, i, r) {
		int64_t pid = json_integer_value(json_object_get(r, "id"));
		st = db_prepare(
			db, "UPDATE case_parallel SET state = 'default_agreed', opinion = :opinion, decided_at = :now "
			    "WHERE id = :parallel_id AND state = 'pending'");
		db_bind_text(st, "opinion", "超时默认同意：协办部门未在办理时限内反馈意见");
		db_bind_int(st, "now", now);
		db_bind_int(st, "parallel_id", pid);
		if ((rc = db_run(st)) != 0)
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
	db_stmt_t *st = db_prepare(
		db, "SELECT c.case_no, v.name, d.name, c.state, c.applicant_name, c.accepted_day, "
		    "c.promised_day, c.decided_day, COALESCE(c.verify_code, '') FROM cases c "
		    "JOIN item_versions v ON v.id = c.item_version_id JOIN departments d ON d.id = c.dept_id "
		    "WHERE c.case_no = :case_no");
	db_bind_text(st, "case_no", no);
	int rc = db_one(st);
	if (rc == 0) {
		const char *want = db_col_text(st, 8);
		size_t n = strlen(want);
		/* constant time over the code's length, so timing tells nothing about it */
		if (n && strlen(code) == n && sodium_memcmp(want, code, n) == 0) {
			char masked[200];
			case_mask_name(db_col_text(st, 4), masked, sizeof masked);
			int state = (int)db_col_int(st, 3);
			json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "case_no", db_col_text(st, 0),
					      "item_name", db_col_text(st, 1), "dept", db_col_text(st, 2), "state",
					      state, "state_label", case_state_label(state), "applicant", masked);
			static const char *const days[] = {"accepted_day", "promised_day", "decided_day"};
			for (int k = 0; k < 3; k++)
				json_object_set_new(o, days[k], db_col_json(st, 5 + k));
			*out = o;
		} else {
			rc = YW_ENOTFOUND;
		}
		db_reset(st);
	}
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
