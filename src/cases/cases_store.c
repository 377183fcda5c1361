/* Case store: creating applications, moving them through the state machine (cases.c) in one
 * transaction with their event and audit records, and reading them back with their timeline and
 * clocks. Each step a case goes through has its own clock (case_steps); 容缺受理, 告知承诺 and
 * the start of 并联审批 happen at acceptance; a second 补正 that asks for more than the applicant
 * newly supplied is a supervision finding (行政许可法 §32, docs/domain.md §4, §6). Concurrent actions
 * on one case serialise on the write lock; the loser finds the state changed and gets 409. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_priv.h"
#include "cases/cases_store.h"
#include "catalog/catalog.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "supervision/supervision_store.h"

/* 一件事: one set of materials for the whole bundle, the lead item's first, each name once.
 * Consumes *guide (the shared, read-only cached version) and replaces it with the case's own copy
 * (NULL after an error). */
/* The service targets (服务对象) codes of targets also in g's: a bundle serves only an applicant
 * every one of its items serves, since each item's department receives the application. */
static void targets_keep_common(json_t *targets, json_t *g)
{
	for (size_t i = json_array_size(targets); i-- > 0;) {
		bool found = false;
		size_t k;
		json_t *t;
		json_array_foreach(json_object_get(g, "targets"), k, t)
			found |= json_equal(t, json_array_get(targets, i));
		if (!found)
			json_array_remove(targets, i);
	}
}

static int bundle_guide(db_t *db, int64_t bundle_id, json_t **guide)
{
	json_t *own = json_copy(*guide), *all = json_array(), *seen = json_object();
	json_t *targets = json_deep_copy(json_object_get(own, "targets"));
	json_decref(*guide);
	*guide = NULL;
	db_stmt_t *st = db_prepare(db,
				   "SELECT v.id FROM bundle_items bi JOIN item_versions v ON v.item_id = bi.item_id "
				   "AND v.status = 'published' WHERE bi.bundle_id = :bundle_id "
				   "ORDER BY bi.lead DESC, bi.item_id");
	db_bind_int(st, "bundle_id", bundle_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *g;
		if ((rc = catalog_version_get(db, db_col_int(st, 0), &g)) != 0) {
			db_reset(st);
			break;
		}
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(g, "materials"), i, m) {
			const char *name = json_string_value(json_object_get(m, "name"));
			if (name && !json_object_get(seen, name)) {
				json_object_set_new(seen, name, json_true());
				json_array_append(all, m);
			}
		}
		targets_keep_common(targets, g);
		json_decref(g);
	}
	json_decref(seen);
	if (rc < 0) {
		json_decref(all);
		json_decref(own);
		json_decref(targets);
		return rc;
	}
	json_object_set_new(own, "materials", all);
	if (targets)
		json_object_set_new(own, "targets", targets);
	*guide = own;
	return 0;
}

/* Appends id to a list like ",5,7," of size bytes; an id that does not fit whole is left out, so
 * the list stays well-formed. */
static void ids_append(char *list, size_t size, int64_t id)
{
	size_t n = strlen(list);
	int w = snprintf(list + n, size - n, "%s%lld,", n ? "" : ",", (long long)id);
	if (w <= 0 || (size_t)w >= size - n)
		list[n] = 0;
}

/* The case's 并联审批 co-departments (all, and those whose opinion is pending) and its counts of
 * pending and disagreeing co-items. */
static int parallel_load(db_t *db, case_row_t *c)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id, state FROM case_parallel WHERE case_id = :case_id ORDER BY id");
	db_bind_int(st, "case_id", c->id);
	c->par_depts[0] = c->par_pending[0] = 0;
	c->par_pending_n = c->par_disagreed = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t dept = db_col_int(st, 0);
		const char *state = db_col_text(st, 1);
		if (!cases_ids_has(c->par_depts, dept))
			ids_append(c->par_depts, sizeof c->par_depts, dept);
		if (strcmp(state, "pending") == 0) {
			c->par_pending_n++;
			if (!cases_ids_has(c->par_pending, dept))
				ids_append(c->par_pending, sizeof c->par_pending, dept);
		} else if (strcmp(state, "disagreed") == 0) {
			c->par_disagreed++;
		}
	}
	return rc < 0 ? rc : 0;
}

int cases_load(db_t *db, int64_t id, case_row_t *c)
{
	db_stmt_t *st = db_prepare(
		db,
		"SELECT c.id, c.dept_id, COALESCE(c.applicant_id, 0), COALESCE(c.created_by, 0), c.item_version_id, "
		"c.state, c.step, c.region_code, COALESCE(c.case_no, ''), COALESCE(c.accepted_day, ''), "
		"COALESCE(c.promised_day, ''), COALESCE(c.suspended_day, ''), c.suspended_workdays, c.item_id, "
		"COALESCE(c.bundle_id, 0), c.correction_count, c.commitment, COALESCE(c.pending_materials, '[]'), "
		"COALESCE(c.delivery, ''), COALESCE(c.followup_result, ''), COALESCE(c.verify_code, '') "
		"FROM cases c WHERE c.id = :case_id");
	db_bind_int(st, "case_id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	c->id = db_col_int(st, 0);
	c->dept_id = db_col_int(st, 1);
	c->applicant_id = db_col_int(st, 2);
	c->created_by = db_col_int(st, 3);
	c->version_id = db_col_int(st, 4);
	c->state = (int)db_col_int(st, 5);
	c->step = (int)db_col_int(st, 6);
	snprintf(c->region, sizeof c->region, "%s", db_col_text(st, 7));
	snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 8));
	snprintf(c->accepted_day, sizeof c->accepted_day, "%s", db_col_text(st, 9));
	snprintf(c->promised_day, sizeof c->promised_day, "%s", db_col_text(st, 10));
	snprintf(c->suspended_day, sizeof c->suspended_day, "%s", db_col_text(st, 11));
	c->suspended_workdays = (int)db_col_int(st, 12);
	c->item_id = db_col_int(st, 13);
	c->bundle_id = db_col_int(st, 14);
	c->correction_count = (int)db_col_int(st, 15);
	c->commitment = (int)db_col_int(st, 16);
	c->pending = db_col_parse_json(st, 17);
	if (!json_is_array(c->pending)) {
		json_decref(c->pending);
		c->pending = json_array();
	}
	snprintf(c->delivery, sizeof c->delivery, "%s", db_col_text(st, 18));
	snprintf(c->followup_result, sizeof c->followup_result, "%s", db_col_text(st, 19));
	snprintf(c->verify_code, sizeof c->verify_code, "%s", db_col_text(st, 20));
	db_reset(st);
	rc = parallel_load(db, c);
	/* a case keeps its item version; a version that cannot be found leaves the case without a guide */
	if (!rc && (rc = catalog_version_get(db, c->version_id, &c->guide)) == YW_ENOTFOUND)
		rc = 0;
	if (!rc && c->bundle_id && json_is_object(c->guide))
		rc = bundle_guide(db, c->bundle_id, &c->guide);
	if (rc)
		cases_row_free(c);
	return rc;
}

void cases_row_free(case_row_t *c)
{
	json_decref(c->guide);
	json_decref(c->pending);
	c->guide = c->pending = NULL;
}

int cases_event(db_t *db, const auth_user_t *actor, int64_t case_id, const char *action, int from, int to, int step,
		const char *note, json_t *data)
{
	char *d = data ? json_dumps(data, JSON_COMPACT) : NULL;
	db_stmt_t *st = db_prepare(db, "INSERT INTO case_events(case_id, at, actor_id, actor, action, state_from, "
				       "state_to, step, note, data) VALUES (:case_id, :at, :actor_id, :actor, :action, "
				       ":state_from, :state_to, :step, :note, :data) RETURNING id");
	db_bind_int(st, "case_id", case_id);
	db_bind_int(st, "at", (int64_t)yw_now());
	db_bind_id(st, "actor_id", actor ? actor->id : 0);
	db_bind_text(st, "actor", actor ? actor->username : "system");
	db_bind_text(st, "action", action);
	if (from >= 0)
		db_bind_int(st, "state_from", from);
	else
		db_bind_null(st, "state_from");
	db_bind_int(st, "state_to", to);
	if (step >= 0)
		db_bind_int(st, "step", step);
	else
		db_bind_null(st, "step");
	db_bind_text(st, "note", note ? note : "");
	db_bind_text(st, "data", d);
	int rc = db_one(st);
	int64_t eid = 0;
	if (rc == 0) {
		eid = db_col_int(st, 0);
		db_reset(st);
	}
	free(d);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* an INSERT ... RETURNING always has its row */
	return audit_record_id(db, actor, "case.event", "case_events", eid);
}

int cases_audit(db_t *db, const auth_user_t *actor, int64_t id)
{
	return audit_record_id(db, actor, "case.update", "cases", id);
}

/* The names of the guide's materials, or of those marked tolerable (可容缺). */
static bool guide_has_material(json_t *guide, json_t *name, bool tolerable_only)
{
	size_t k;
	json_t *g;
	json_array_foreach(json_object_get(guide, "materials"), k, g)
		if (json_is_string(name) && json_equal(json_object_get(g, "name"), name) &&
		    (!tolerable_only || json_is_true(json_object_get(g, "tolerable"))))
			return true;
	return false;
}

/* A list of the guide's material names (key `key` of in); errors name the key. NULL when absent. */
static json_t *material_list(vctx_t *v, json_t *in, const char *key, json_t *guide, bool tolerable_only,
			     const char *message)
{
	json_t *a = v_array(v, in, key, false);
	if (!a)
		return NULL;
	json_t *out = json_array();
	/* Each name once: a list can hold no more than the guide names. */
	if (json_array_size(a) > json_array_size(json_object_get(guide, "materials"))) {
		v_error(v, key, "材料数量超过办事指南列出的材料");
		return out;
	}
	size_t i;
	json_t *m;
	json_array_foreach(a, i, m) {
		if (!guide_has_material(guide, m, tolerable_only)) {
			v_error(v, key, message);
			continue;
		}
		bool dup = false;
		size_t k;
		json_t *o;
		json_array_foreach(out, k, o)
			dup |= json_equal(o, m);
		if (dup) {
			char msg[300];
			snprintf(msg, sizeof msg, "材料重复：%s", json_string_value(m));
			v_error(v, key, msg);
			continue;
		}
		json_array_append(out, m);
	}
	return out;
}

/* The form against the item's fields (cases_form_check); the materials an application lists must
 * be ones the guide names, each once. */
static json_t *check_form(vctx_t *v, json_t *in, json_t *guide, bool legal)
{
	json_t *out = cases_form_check(v, json_object_get(in, "form"), guide, legal, config_current()->case_form_max);
	if (!out)
		return NULL;
	json_t *list = material_list(v, in, "materials", guide, false, "含有办事指南中没有的材料");
	json_object_set_new(out, "materials", list ? list : json_array());
	return out;
}

/* The item applied for: by its code, or the lead item of a 一件事 bundle. An unknown bundle is
 * an error in v; the status is a database error's. */
static int find_item(db_t *db, vctx_t *v, json_t *in, int64_t *bundle_id, char code[40])
{
	*bundle_id = 0;
	code[0] = 0;
	if (!json_object_get(in, "bundle_code")) {
		snprintf(code, 40, "%s", v_str(v, in, "item_code", 1, 32));
		return 0;
	}
	const char *b = v_str(v, in, "bundle_code", 1, 32);
	db_stmt_t *st = db_prepare(db, "SELECT b.id, i.code FROM bundles b JOIN bundle_items bi ON bi.bundle_id = b.id "
				       "AND bi.lead = 1 JOIN items i ON i.id = bi.item_id WHERE b.code = :bundle_code");
	db_bind_text(st, "bundle_code", b);
	int rc = db_one(st);
	if (rc == 0) {
		*bundle_id = db_col_int(st, 0);
		snprintf(code, 40, "%s", db_col_text(st, 1));
		db_reset(st);
	} else if (rc == YW_ENOTFOUND) {
		if (*b)
			v_error(v, "bundle_code", "该一件事不存在");
		rc = 0;
	}
	return rc;
}

/* The applicant's open cases of an item other than exclude_id, oldest first, at most limit: by
 * the applicant's ID or credit number (the partial index cases_item_applicant_no: a lookup, not a
 * scan of the item's open cases), or by account when there is no number. Columns: id, case_no
 * ('' before 受理), state. The caller steps the statement. */
static db_stmt_t *open_cases_of_applicant(db_t *db, int64_t item_id, int64_t exclude_id, const char *no,
					  int64_t applicant_id, int limit)
{
	db_stmt_t *st;
	if (*no) {
		st = db_prepare(db, "SELECT id, COALESCE(case_no, ''), state FROM cases WHERE item_id = :item_id "
				    "AND applicant_no = :applicant_no AND id != :exclude_id "
				    "AND " CASE_OPEN_SQL("state") " ORDER BY id LIMIT :limit");
		db_bind_text(st, "applicant_no", no);
	} else {
		st = db_prepare(db, "SELECT id, COALESCE(case_no, ''), state FROM cases WHERE applicant_id = :applicant_id "
				    "AND :applicant_id > 0 AND item_id = :item_id AND id != :exclude_id "
				    "AND " CASE_OPEN_SQL("state") " ORDER BY id LIMIT :limit");
		db_bind_int(st, "applicant_id", applicant_id);
	}
	db_bind_int(st, "item_id", item_id);
	db_bind_int(st, "exclude_id", exclude_id);
	db_bind_int(st, "limit", limit);
	return st;
}

/* duplicate_policy refuse: YW_ECONFLICT with msg naming the applicant's open case of the item (other
 * than exclude_id), 0 when there is none, or the database's error status. */
static int open_duplicate(db_t *db, int64_t item_id, int64_t exclude_id, const char *no, int64_t applicant_id,
			  char *msg, size_t size)
{
	db_stmt_t *st = open_cases_of_applicant(db, item_id, exclude_id, no, applicant_id, 1);
	int s = db_step(st);
	if (s != DB_ROW)
		return s == DB_DONE ? 0 : s;
	const char *case_no = db_col_text(st, 1);
	if (*case_no)
		snprintf(msg, size, "该申请人已有同一事项正在办理的办件(办件编号 %s)，不能重复申请", case_no);
	else
		snprintf(msg, size, "该申请人已有同一事项正在办理的办件(申请号 %lld，尚未受理)，不能重复申请",
			 (long long)db_col_int(st, 0));
	db_reset(st);
	return YW_ECONFLICT;
}

int cases_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out)
{
	int64_t bundle_id;
	char code[40];
	int rc = find_item(db, v, in, &bundle_id, code);
	if (rc)
		return rc;
	bool window = (actor->roles & ROLE_CLERK) != 0;
	bool submit = v_bool(v, in, "submit", true);
	const char *name = actor->name, *number = NULL, *phone = "";
	bool legal = strcmp(actor->kind, "legal") == 0;
	if (window) {
		json_t *a = json_object_get(in, "applicant");
		if (!json_is_object(a)) {
			v_error(v, "applicant", "窗口收件须填写申请人信息");
			return YW_EINVAL;
		}
		cases_person_t p;
		cases_applicant_check(v, a, "applicant", false, &p);
		name = p.name;
		number = p.number;
		phone = p.phone;
		legal = p.legal;
	}
	/* 帮代办: true when staff handle it, or the appointed agent (代办人) named and checked. */
	json_t *agent_j = json_object_get(in, "agent");
	bool agent = false;
	char *agent_info = NULL, agent_no[24] = "";
	if (!window && agent_j && !json_is_null(agent_j) && !json_is_false(agent_j)) {
		/* the window records who carries an application (docs/api.md); an account applies itself */
		v_error(v, "agent", "帮代办由窗口工作人员登记，网上申请不能填写代办信息");
	} else if (json_is_object(agent_j)) {
		cases_person_t ag;
		if (cases_applicant_check(v, agent_j, "agent", true, &ag) == 0) {
			snprintf(agent_no, sizeof agent_no, "%s", ag.number);
			json_t *o = json_pack("{s:s, s:s, s:s}", "name", ag.name, "id_number", ag.number, "phone", ag.phone);
			agent_info = json_dumps(o, JSON_COMPACT);
			json_decref(o);
		}
		agent = true;
	} else {
		agent = v_bool(v, in, "agent", false);
	}
	json_t *guide = NULL, *form = NULL;
	db_stmt_t *st = db_prepare(db, "SELECT i.id, v.id, i.dept_id, d.region_code FROM items i "
				       "JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
				       "JOIN departments d ON d.id = i.dept_id WHERE i.code = :code");
	db_bind_text(st, "code", code);
	int64_t item_id = 0, vid = 0, dept = 0;
	char region[16] = "";
	rc = db_one(st);
	if (rc == 0) {
		item_id = db_col_int(st, 0);
		vid = db_col_int(st, 1);
		dept = db_col_int(st, 2);
		snprintf(region, sizeof region, "%s", db_col_text(st, 3));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		goto done;
	}
	rc = 0;
	if (vid && (rc = catalog_version_get(db, vid, &guide)) != 0 && rc != YW_ENOTFOUND)
		goto done;
	rc = 0;
	if (*code && !item_id)
		v_error(v, bundle_id ? "bundle_code" : "item_code", "该事项不存在或未发布");
	if (guide && bundle_id && (rc = bundle_guide(db, bundle_id, &guide)) != 0)
		goto done;
	if (guide)
		form = check_form(v, in, guide, legal);
	/* 服务对象: a person may not apply for an item that serves legal persons only, nor the reverse. */
	const char *target_why = guide ? cases_target_problem(guide, legal) : NULL;
	if (target_why && bundle_id)
		target_why = legal ? "该一件事中有事项的服务对象仅为自然人，法人或其他组织不能申请"
				   : "该一件事中有事项的服务对象仅为法人或其他组织，自然人不能申请";
	if (target_why)
		v_error(v, window ? "applicant.kind" : (bundle_id ? "bundle_code" : "item_code"), target_why);
	const char *channel_why = guide && !window ? cases_channel_problem(guide) : NULL;
	if (channel_why)
		v_error(v, bundle_id ? "bundle_code" : "item_code", channel_why);
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto done;
	}
	if (window && !auth_region_within(region, actor->region_code)) {
		rc = YW_EFORBIDDEN;
		goto done;
	}
	/* An applicant's own identity and phone come from the account, never from the form. */
	char own_no[24] = "", own_phone[24] = "";
	if (!window) {
		st = db_prepare(db, "SELECT COALESCE(id_number, uscc, ''), phone FROM users WHERE id = :user_id");
		db_bind_int(st, "user_id", actor->id);
		rc = db_one(st);
		if (rc == 0) {
			snprintf(own_no, sizeof own_no, "%s", db_col_text(st, 0));
			snprintf(own_phone, sizeof own_phone, "%s", db_col_text(st, 1));
			db_reset(st);
		} else if (rc != YW_ENOTFOUND) {
			goto done;
		}
		rc = 0;
		number = own_no;
		phone = own_phone;
	}
	/* 帮代办: the agent acts for someone else; an applicant is never their own agent. */
	if (*agent_no && number && strcmp(agent_no, number) == 0) {
		v_error(v, "agent.id_number", "代办人不能是申请人本人");
		rc = YW_EINVAL;
		goto done;
	}
	if ((rc = db_begin(db)) != 0)
		goto done;
	/* A second application for the item while the applicant's first is open: the item decides
	 * (duplicate_policy): refuse, or let it through and warn (cases_get shows the warning). */
	const char *policy = json_string_value(json_object_get(guide, "duplicate_policy"));
	if (policy && strcmp(policy, "refuse") == 0) {
		char msg[160];
		rc = open_duplicate(db, item_id, 0, number ? number : "", window ? 0 : actor->id, msg, sizeof msg);
		if (rc == YW_ECONFLICT)
			v_error(v, bundle_id ? "bundle_code" : "item_code", msg);
		if (rc) {
			db_rollback(db);
			goto done;
		}
	}
	char *form_s = json_dumps(form, JSON_COMPACT);
	int64_t now = (int64_t)yw_now();
	char today[11];
	date_format(date_today_local(now), today);
	int state = submit ? CASE_SUBMITTED : CASE_DRAFT;
	st = db_prepare(
		db,
		"INSERT INTO cases(item_id, item_version_id, dept_id, region_code, applicant_id, applicant_name, "
		"applicant_no, applicant_phone, channel, agent, state, form, created_by, created_at, submitted_at, "
		"submitted_day, window_id, visits, bundle_id, agent_info) VALUES (:item_id, :version_id, :dept_id, "
		":region, :applicant_id, :applicant_name, :applicant_no, :applicant_phone, :channel, :agent, :state, "
		":form, :created_by, :created_at, :submitted_at, :submitted_day, :window_id, :visits, :bundle_id, "
		":agent_info) RETURNING id");
	db_bind_int(st, "item_id", item_id);
	db_bind_int(st, "version_id", vid);
	db_bind_int(st, "dept_id", dept);
	db_bind_text(st, "region", region);
	db_bind_id(st, "applicant_id", window ? 0 : actor->id);
	db_bind_text(st, "applicant_name", name);
	db_bind_text(st, "applicant_no", number);
	db_bind_text(st, "applicant_phone", phone);
	db_bind_text(st, "channel", window ? "window" : "online");
	db_bind_int(st, "agent", agent);
	db_bind_int(st, "state", state);
	db_bind_text(st, "form", form_s);
	db_bind_int(st, "created_by", actor->id);
	db_bind_int(st, "created_at", now);
	if (submit) {
		db_bind_int(st, "submitted_at", now);
		db_bind_text(st, "submitted_day", today);
	} else {
		db_bind_null(st, "submitted_at");
		db_bind_null(st, "submitted_day");
	}
	db_bind_id(st, "window_id", window ? actor->window_id : 0);
	db_bind_int(st, "visits", window ? 1 : 0); /* a walk-in is the applicant's first trip */
	db_bind_id(st, "bundle_id", bundle_id);
	db_bind_text(st, "agent_info", agent_info);
	rc = db_one(st);
	*id_out = 0;
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
	} else if (rc == YW_ENOTFOUND) {
		rc = YW_EDB; /* an INSERT ... RETURNING always has its row */
	}
	free(form_s);
	if (!rc)
		rc = audit_record_id(db, actor, "case.create", "cases", *id_out);
	if (!rc)
		rc = cases_event(db, actor, *id_out, submit ? "submit" : "draft", -1, state, -1, NULL, NULL);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
done:
	free(agent_info);
	json_decref(guide);
	json_decref(form);
	return rc;
}

/* Case number: the department's region code, the local date and a serial for that region and day. */
static int assign_case_no(db_t *db, const case_row_t *c, yw_date_t today, char out[40])
{
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	char prefix[24];
	snprintf(prefix, sizeof prefix, "%.6s%04d%02d%02d", c->region, y, m, d);
	db_stmt_t *st = db_prepare(db, "INSERT INTO case_serials(prefix, last) VALUES (:prefix, 1) ON CONFLICT(prefix) "
				       "DO UPDATE SET last = case_serials.last + 1 RETURNING last");
	db_bind_text(st, "prefix", prefix);
	int rc = db_one(st);
	int64_t serial = 0;
	if (rc == 0) {
		serial = db_col_int(st, 0);
		db_reset(st);
	}
	snprintf(out, 40, "%s%05lld", prefix, (long long)serial);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	return audit_record(db, NULL, "case.serial", "case_serials", prefix);
}

/* The reasons of a 不予受理: trimmed non-empty text, or a non-empty list (at most 50) of trimmed
 * non-empty texts or {material, reason} items. The reasons as one text go into *keep (the case's
 * decision_note); a list goes into *data for the notice, and the event note returned is then "". */
static const char *reasons(vctx_t *v, json_t *body, const char *key, json_t **data, json_t **keep)
{
	json_t *r = json_object_get(body, key);
	if (!json_is_array(r)) {
		json_t *t = cases_text_check(v, r, key, "不予受理理由", CASES_OPINION_MIN, CASES_OPINION_MAX);
		*keep = t;
		return t ? json_string_value(t) : "";
	}
	if (json_array_size(r) == 0 || json_array_size(r) > 50) {
		v_error(v, key, json_array_size(r) ? "理由不能超过50条" : "须说明不予受理的理由");
		return "";
	}
	json_t *list = json_array(), *joined = json_string("");
	size_t i;
	json_t *e;
	json_array_foreach(r, i, e) {
		char field[40];
		snprintf(field, sizeof field, "%s[%zu]", key, i);
		json_t *t = json_is_object(e) ? json_object_get(e, "reason") : e;
		json_t *text = cases_text_check(v, t, field, "不予受理理由", 1, 500);
		if (!text)
			continue;
		if (json_is_object(e)) {
			json_t *o = json_deep_copy(e);
			json_object_set(o, "reason", text);
			json_array_append_new(list, o);
		} else {
			json_array_append(list, text);
		}
		const char *m = json_is_object(e) ? json_string_value(json_object_get(e, "material")) : NULL;
		json_t *next = json_sprintf("%s%s%s%s%s", json_string_value(joined), i ? "；" : "", m ? m : "", m ? "：" : "",
					    json_string_value(text));
		json_decref(joined);
		joined = next;
		json_decref(text);
	}
	*data = json_pack("{s:o}", key, list);
	*keep = joined;
	return ""; /* the notice lists data's reasons; the event note stays empty */
}

/* One action on one loaded case, inside its transaction. */
typedef struct act {
	db_t *db;
	const auth_user_t *actor;
	const calendar_t *cal;
	case_row_t *c;
	enum case_action a;
	int to, step;
	int64_t now;
	yw_date_t today;
	char day[11];
	const char *note;
	json_t *keep; /* holds the text note points into when validate() made it, owned */
	json_t *data; /* the event's data, owned */
} act_t;

/* The random code printed in the notices' QR link (URL-safe base64 of 12 random bytes). */
static void new_verify_code(char out[32])
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, 32, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The first notice to the applicant (受理, 不予受理 or 补正 notice) gives the case its number and
 * the code of its public verification link. */
static int notice_codes(act_t *x)
{
	if (!*x->c->verify_code)
		new_verify_code(x->c->verify_code);
	return *x->c->case_no ? 0 : assign_case_no(x->db, x->c, x->today, x->c->case_no);
}

/* Step k starts today: its budget from the guide, its due day on the working-day calendar. */
static int step_start(act_t *x, int k)
{
	json_t *s = json_array_get(json_object_get(x->c->guide, "steps"), (size_t)k);
	int promised = (int)json_integer_value(json_object_get(x->c->guide, "promised_limit_days"));
	int budget = case_step_budget((int)json_integer_value(json_object_get(s, "days")), promised, cases_step_count(x->c));
	yw_date_t due;
	char due_s[11];
	if (calendar_add_workdays(x->cal, x->today, budget, &due, NULL) != 0)
		return YW_EINVAL;
	date_format(due, due_s);
	db_stmt_t *st = db_prepare(x->db, "INSERT INTO case_steps(case_id, step, name, role, dept_id, started_at, "
					  "started_day, budget_days, due_day) VALUES (:case_id, :step, :name, :role, "
					  ":dept_id, :started_at, :started_day, :budget_days, :due_day) RETURNING id");
	db_bind_int(st, "case_id", x->c->id);
	db_bind_int(st, "step", k);
	db_bind_text(st, "name",
		     json_string_value(json_object_get(s, "name")) ? json_string_value(json_object_get(s, "name"))
								   : "办理");
	db_bind_text(st, "role", cases_step_role(x->c, k));
	db_bind_int(st, "dept_id", x->c->dept_id);
	db_bind_int(st, "started_at", x->now);
	db_bind_text(st, "started_day", x->day);
	db_bind_int(st, "budget_days", budget);
	db_bind_text(st, "due_day", due_s);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t sid = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(x->db, x->actor, "case.step", "case_steps", sid);
}

int cases_step_finish(db_t *db, const auth_user_t *actor, int64_t case_id, const char *outcome, int64_t now,
		      yw_date_t today)
{
	char day[11];
	date_format(today, day);
	db_stmt_t *st = db_prepare(db, "UPDATE case_steps SET finished_at = :now, finished_day = :day, "
				       "handled_by = :handled_by, outcome = :outcome "
				       "WHERE case_id = :case_id AND finished_at IS NULL RETURNING id");
	db_bind_int(st, "now", now);
	db_bind_text(st, "day", day);
	db_bind_id(st, "handled_by", actor ? actor->id : 0);
	db_bind_text(st, "outcome", outcome);
	db_bind_int(st, "case_id", case_id);
	int64_t ids[8];
	int n = 0, s;
	while ((s = db_step(st)) == DB_ROW)
		if (n < 8)
			ids[n++] = db_col_int(st, 0);
	if (s < 0)
		return s;
	int rc = 0;
	for (int i = 0; i < n && !rc; i++)
		rc = audit_record_id(db, actor, "case.step", "case_steps", ids[i]);
	return rc;
}

/* The case row's audit record and the action's event. */
static int record(act_t *x, const char *action)
{
	int rc = cases_audit(x->db, x->actor, x->c->id);
	return rc ? rc : cases_event(x->db, x->actor, x->c->id, action, x->c->state, x->to, x->step, x->note, x->data);
}

/* 告知承诺制: the decision follows the acceptance at once; the follow-up check falls due. */
static int decide_on_commitment(act_t *x, const char *signed_by, const char *text)
{
	int days = (int)json_integer_value(json_object_get(x->c->guide, "commitment_check_days"));
	yw_date_t due;
	char due_s[11];
	if (calendar_add_workdays(x->cal, x->today, days > 0 ? days : 20, &due, NULL) != 0)
		return YW_EINVAL;
	date_format(due, due_s);
	int rc = cases_step_finish(x->db, x->actor, x->c->id, "approve", x->now, x->today);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(x->db,
				   "UPDATE cases SET state = " CASE_SQL_DONE_APPROVED ", decided_at = :now, "
				   "decided_day = :day, decided_by = :actor_id, decision_note = :note, commitment = 1, "
				   "followup_due_day = :followup_due_day WHERE id = :case_id");
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "day", x->day);
	db_bind_int(st, "actor_id", x->actor->id);
	db_bind_text(st, "note", "告知承诺制当场作出准予决定");
	db_bind_text(st, "followup_due_day", due_s);
	db_bind_int(st, "case_id", x->c->id);
	if ((rc = db_run(st)) != 0)
		return rc;
	x->c->state = x->to;
	x->to = CASE_DONE_APPROVED;
	json_decref(x->data);
	x->data = json_pack("{s:s, s:s, s:s}", "signed_by", signed_by, "text", text, "followup_due_day", due_s);
	x->note = "告知承诺制当场作出准予决定";
	return record(x, "commitment");
}

/* 并联审批: each co-item of the bundle starts its own clock at acceptance. */
static int parallel_start(act_t *x)
{
	db_stmt_t *st = db_prepare(x->db,
				   "SELECT bi.item_id, i.dept_id, bi.budget_days FROM bundle_items bi "
				   "JOIN items i ON i.id = bi.item_id WHERE bi.bundle_id = :bundle_id AND bi.lead = 0 "
				   "ORDER BY bi.item_id");
	db_bind_int(st, "bundle_id", x->c->bundle_id);
	json_t *rows = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(rows, json_pack("[I, I, i]", (json_int_t)db_col_int(st, 0),
						      (json_int_t)db_col_int(st, 1), (int)db_col_int(st, 2)));
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	rc = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		yw_date_t due;
		char due_s[11];
		int budget = (int)json_integer_value(json_array_get(r, 2));
		if ((rc = calendar_add_workdays(x->cal, x->today, budget, &due, NULL)) != 0)
			break;
		date_format(due, due_s);
		st = db_prepare(
			x->db,
			"INSERT INTO case_parallel(case_id, item_id, dept_id, started_day, budget_days, due_day) "
			"VALUES (:case_id, :item_id, :dept_id, :started_day, :budget_days, :due_day) RETURNING id");
		db_bind_int(st, "case_id", x->c->id);
		db_bind_int(st, "item_id", json_integer_value(json_array_get(r, 0)));
		db_bind_int(st, "dept_id", json_integer_value(json_array_get(r, 1)));
		db_bind_text(st, "started_day", x->day);
		db_bind_int(st, "budget_days", budget);
		db_bind_text(st, "due_day", due_s);
		if ((rc = db_one(st)) != 0) {
			rc = rc == YW_ENOTFOUND ? YW_EDB : rc;
			break;
		}
		int64_t pid = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(x->db, x->actor, "case.parallel", "case_parallel", pid)) != 0)
			break;
	}
	json_decref(rows);
	return rc;
}

/* The case's form as it stands (NULL when the row has none). */
static int case_form(act_t *x, json_t **form)
{
	db_stmt_t *st = db_prepare(x->db, "SELECT form FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", x->c->id);
	int rc = db_one(st);
	*form = NULL;
	if (rc == 0) {
		*form = db_col_parse_json(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* 受理: number, promised date, the first back-office step's clock; with 容缺 materials still to
 * come, or decided at once on a signed commitment (告知承诺). */
static int do_accept(act_t *x, json_t *body, vctx_t *v)
{
	case_row_t *c = x->c;
	json_t *missing = material_list(v, body, "missing", c->guide, true, "只能容缺办事指南中标注为可容缺的材料");
	json_t *commit = json_object_get(body, "commitment");
	const char *signed_by = "", *text = "";
	if (commit && !json_is_null(commit)) {
		char prefix[sizeof v->prefix];
		memcpy(prefix, v->prefix, sizeof prefix);
		snprintf(v->prefix, sizeof v->prefix, "%scommitment.", prefix);
		if (!json_is_object(commit))
			v_error(v, "", "应为对象");
		else {
			signed_by = v_str(v, commit, "signed_by", 1, 50);
			text = v_str(v, commit, "text", 1, 4000);
		}
		memcpy(v->prefix, prefix, sizeof prefix);
		if (!json_is_true(json_object_get(c->guide, "commitment")))
			v_error(v, "commitment", "该事项未实行告知承诺制");
		else if (c->bundle_id)
			v_error(v, "commitment", "并联审批的一件事不适用告知承诺当场办结");
		if (json_array_size(missing))
			v_error(v, "missing", "告知承诺当场办结，不能同时容缺受理");
	} else {
		commit = NULL;
	}
	/* 受理 needs every required material in hand; only those the guide marks tolerable may be
	 * missing (容缺, listed in "missing"). One error per material still missing. */
	int rc = 0;
	if (v_ok(v)) {
		json_t *form = NULL;
		if ((rc = case_form(x, &form)) != 0)
			goto done;
		cases_required_missing(v, c->guide, json_object_get(form, "materials"), missing);
		json_decref(form);
	}
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto done;
	}
	/* The promised date counts the item's promised working days from the day of acceptance. */
	int days = (int)json_integer_value(json_object_get(c->guide, "promised_limit_days"));
	yw_date_t promised;
	bool beyond;
	char pro[11];
	if (calendar_add_workdays(x->cal, x->today, days, &promised, &beyond) != 0) {
		rc = YW_EINVAL;
		goto done;
	}
	date_format(promised, pro);
	if ((rc = notice_codes(x)) != 0)
		goto done;
	/* Window steps at the head of the process are the acceptance itself. */
	int steps = cases_step_count(c);
	x->step = 0;
	while (x->step < steps - 1 && strcmp(cases_step_role(c, x->step), "window") == 0)
		x->step++;
	char *pending = json_array_size(missing) ? json_dumps(missing, JSON_COMPACT) : NULL;
	db_stmt_t *st = db_prepare(
		x->db, "UPDATE cases SET state = :state, case_no = :case_no, accepted_at = :now, "
		       "accepted_day = :day, promised_day = :promised_day, step = :step, accepted_by = :actor_id, "
		       "window_id = COALESCE(window_id, :window_id), pending_materials = :pending, "
		       "verify_code = :verify_code WHERE id = :case_id");
	db_bind_int(st, "state", x->to);
	db_bind_text(st, "case_no", c->case_no);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "day", x->day);
	db_bind_text(st, "promised_day", pro);
	db_bind_int(st, "step", x->step);
	db_bind_int(st, "actor_id", x->actor->id);
	db_bind_id(st, "window_id", x->actor->window_id);
	db_bind_text(st, "pending", pending);
	db_bind_text(st, "verify_code", c->verify_code);
	db_bind_int(st, "case_id", c->id);
	rc = db_run(st);
	free(pending);
	if (!rc)
		rc = step_start(x, x->step);
	if (!rc && c->bundle_id)
		rc = parallel_start(x);
	if (rc)
		goto done;
	x->data = json_pack("{s:s, s:s, s:b}", "case_no", c->case_no, "promised_day", pro, "beyond_published", beyond);
	if (json_array_size(missing))
		json_object_set(x->data, "missing", missing);
	rc = record(x, "accept");
	if (!rc && commit)
		rc = decide_on_commitment(x, signed_by, text);
done:
	json_decref(missing);
	return rc;
}

/* What the applicant newly supplied or changed in the last resubmission: material names and
 * form fields, as a JSON object used as a set. */
static int last_resubmission(act_t *x, json_t **out)
{
	json_t *set = json_object();
	db_stmt_t *st = db_prepare(x->db,
				   "SELECT data FROM case_events WHERE case_id = :case_id AND action = 'resubmit' "
				   "ORDER BY id DESC LIMIT 1");
	db_bind_int(st, "case_id", x->c->id);
	int rc = db_one(st);
	if (rc == 0) {
		json_t *d = db_col_parse_json(st, 0);
		db_reset(st);
		size_t i;
		json_t *m;
		const char *k;
		json_array_foreach(json_object_get(d, "materials"), i, m)
			if (json_is_string(m))
				json_object_set_new(set, json_string_value(m), json_true());
		json_object_foreach(json_object_get(d, "form"), k, m)
			json_object_set_new(set, k, json_true());
		json_decref(d);
	} else if (rc != YW_ENOTFOUND) {
		json_decref(set);
		return rc;
	}
	*out = set;
	return 0;
}

/* The material or form field a 补正 item is about: a string, or an object's material / field. */
static const char *item_subject(json_t *item)
{
	if (json_is_string(item))
		return json_string_value(item);
	const char *s = json_string_value(json_object_get(item, "material"));
	return s ? s : json_string_value(json_object_get(item, "field"));
}

/* 补正 (行政许可法 §32): everything at once. A second notice may only concern what the applicant
 * newly supplied; asking for anything else breaks 一次性告知 and raises a red card for the window. */
static int do_correction(act_t *x, json_t *items)
{
	json_t *breach = json_array();
	int rc = 0;
	if (x->c->correction_count > 0) {
		json_t *fresh;
		if ((rc = last_resubmission(x, &fresh)) != 0)
			goto done;
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it) {
			const char *s = item_subject(it);
			if (!s || !json_object_get(fresh, s))
				json_array_append_new(breach, json_string(s ? s : "（未注明材料）"));
		}
		json_decref(fresh);
	}
	if ((rc = notice_codes(x)) != 0)
		goto done;
	db_stmt_t *st = db_prepare(x->db, "UPDATE cases SET state = :state, correction_count = correction_count + 1, "
					  "case_no = :case_no, verify_code = :verify_code WHERE id = :case_id");
	db_bind_int(st, "state", x->to);
	db_bind_text(st, "case_no", x->c->case_no);
	db_bind_text(st, "verify_code", x->c->verify_code);
	db_bind_int(st, "case_id", x->c->id);
	rc = db_run(st);
	json_object_set_new(x->data, "round", json_integer(x->c->correction_count + 1));
	if (json_array_size(breach))
		json_object_set(x->data, "not_newly_supplied", breach);
	if (!rc)
		rc = record(x, "correction");
	if (!rc && json_array_size(breach)) {
		char note[400] = "再次补正要求了首次一次性告知之外、申请人未新提交的内容：";
		size_t i;
		json_t *b;
		json_array_foreach(breach, i, b) {
			size_t len = strlen(note);
			snprintf(note + len, sizeof note - len, "%s%s", i ? "、" : "", json_string_value(b));
		}
		/* 红牌 to the department and the clerk, once per case (supervision owns the cards) */
		sv_card_t card = {.case_id = x->c->id, .step = -1, .level = SV_RED, .kind = "repeat_correction",
				  .dept_id = x->c->dept_id, .user_id = x->actor->id, .day = x->day, .at = x->now,
				  .note = note};
		rc = supervision_store_card_add(x->db, x->actor, &card, NULL);
	}
done:
	json_decref(breach);
	return rc;
}

/* 补正结束: what the applicant newly supplied (materials) or changed (form) joins the application;
 * a resubmission brought to a window is another trip. */
static int do_resubmit(act_t *x, json_t *materials, json_t *form)
{
	json_t *cur;
	int rc = case_form(x, &cur);
	if (rc)
		return rc;
	if (!json_is_object(cur)) {
		json_decref(cur);
		cur = json_object();
	}
	json_t *list = json_object_get(cur, "materials");
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(cur, "materials", list);
	}
	size_t i, k;
	json_t *m, *o;
	json_array_foreach(materials, i, m) {
		bool have = false;
		json_array_foreach(list, k, o)
			have |= json_equal(o, m);
		if (!have)
			json_array_append(list, m);
	}
	const char *key;
	json_object_foreach(form, key, o)
		if (strcmp(key, "materials") != 0)
			json_object_set(cur, key, o);
	char *s = json_dumps(cur, JSON_COMPACT);
	db_stmt_t *st = db_prepare(x->db, "UPDATE cases SET state = :state, form = :form, visits = visits + :visits "
					  "WHERE id = :case_id");
	db_bind_int(st, "state", x->to);
	db_bind_text(st, "form", s);
	db_bind_int(st, "visits", (x->actor->roles & ROLE_CLERK) ? 1 : 0);
	db_bind_int(st, "case_id", x->c->id);
	rc = db_run(st);
	free(s);
	json_decref(cur);
	x->data = json_pack("{s:O, s:O}", "materials", materials, "form", form);
	return rc ? rc : record(x, "resubmit");
}

/* 特别程序 ends: the case's promised date and the running step's due day move by the working
 * days stopped (行政许可法 §45). */
static int do_resume(act_t *x)
{
	yw_date_t promised, suspended, moved_to;
	int moved;
	bool beyond;
	char pro[11];
	case_row_t *c = x->c;
	if (date_parse(c->promised_day, strlen(c->promised_day), &promised) != 0 ||
	    date_parse(c->suspended_day, strlen(c->suspended_day), &suspended) != 0 ||
	    case_resume_promised(x->cal, promised, suspended, x->today, &moved_to, &moved, &beyond) != 0)
		return YW_EDB;
	date_format(moved_to, pro);
	db_stmt_t *st = db_prepare(x->db, "UPDATE cases SET state = :state, promised_day = :promised_day, "
					  "suspended_day = NULL, suspended_workdays = suspended_workdays + :moved "
					  "WHERE id = :case_id");
	db_bind_int(st, "state", x->to);
	db_bind_text(st, "promised_day", pro);
	db_bind_int(st, "moved", moved);
	db_bind_int(st, "case_id", c->id);
	int rc = db_run(st);
	/* the running step */
	int64_t sid = 0;
	yw_date_t due = 0, due_moved;
	if (!rc) {
		st = db_prepare(x->db,
				"SELECT id, due_day FROM case_steps WHERE case_id = :case_id AND finished_at IS NULL");
		db_bind_int(st, "case_id", c->id);
		rc = db_one(st);
		if (rc == 0) {
			const char *d = db_col_text(st, 1);
			sid = db_col_int(st, 0);
			if (date_parse(d, strlen(d), &due) != 0)
				sid = 0;
			db_reset(st);
		} else if (rc == YW_ENOTFOUND) {
			rc = 0;
		}
	}
	if (!rc && sid && moved > 0) {
		int m2;
		bool b2;
		char due_s[11];
		if (case_resume_promised(x->cal, due, suspended, x->today, &due_moved, &m2, &b2) != 0)
			return YW_EDB;
		date_format(due_moved, due_s);
		st = db_prepare(x->db, "UPDATE case_steps SET due_day = :due_day, "
				       "suspended_workdays = suspended_workdays + :moved WHERE id = :step_id");
		db_bind_text(st, "due_day", due_s);
		db_bind_int(st, "moved", moved);
		db_bind_int(st, "step_id", sid);
		rc = db_run(st);
		if (!rc)
			rc = audit_record_id(x->db, x->actor, "case.step", "case_steps", sid);
	}
	x->data = json_pack("{s:i, s:s, s:b}", "suspended_workdays", moved, "promised_day", pro, "beyond_published", beyond);
	return rc ? rc : record(x, "resume");
}

/* Step moves, decisions, submission and withdrawal: the state, the step and the step clocks. */
static int do_move(act_t *x)
{
	static const char *const outcome[] = {[CA_PASS] = "pass", [CA_RETURN] = "return", [CA_APPROVE] = "approve",
					      [CA_DENY] = "deny", [CA_WITHDRAW] = "withdraw"};
	int rc = 0;
	if (x->a == CA_PASS)
		x->step++;
	else if (x->a == CA_RETURN)
		x->step--;
	bool decided = x->to == CASE_DONE_APPROVED || x->to == CASE_DONE_DENIED;
	bool clocked = x->c->state == CASE_ACCEPTED || x->c->state == CASE_SUSPENDED;
	if (clocked && x->a <= CA_DENY && outcome[x->a])
		rc = cases_step_finish(x->db, x->actor, x->c->id, outcome[x->a], x->now, x->today);
	if (!rc && (x->a == CA_PASS || x->a == CA_RETURN))
		rc = step_start(x, x->step);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(
		x->db, "UPDATE cases SET state = :state, step = :step, submitted_at = COALESCE(submitted_at, :now), "
		       "submitted_day = COALESCE(submitted_day, :day), "
		       "decided_at = CASE WHEN :decided = 1 THEN :now ELSE decided_at END, "
		       "decided_day = CASE WHEN :decided = 1 THEN :day ELSE decided_day END, "
		       "decided_by = CASE WHEN :decided = 1 THEN :actor_id ELSE decided_by END, "
		       "decision_note = CASE WHEN :decided = 1 THEN :note ELSE decision_note END WHERE id = :case_id");
	db_bind_int(st, "state", x->to);
	db_bind_int(st, "step", x->step);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "day", x->day);
	db_bind_int(st, "decided", decided);
	db_bind_int(st, "actor_id", x->actor->id);
	db_bind_text(st, "note", x->note);
	db_bind_int(st, "case_id", x->c->id);
	rc = db_run(st);
	return rc ? rc : record(x, case_action_name(x->a));
}

/* 不予受理 and 特别程序 start: the state with the notice's data. */
static int do_simple(act_t *x)
{
	db_stmt_t *st;
	if (x->a == CA_SUSPEND) {
		st = db_prepare(x->db,
				"UPDATE cases SET state = :state, suspended_day = :day, suspend_limit_days = :days "
				"WHERE id = :case_id");
		db_bind_int(st, "state", x->to);
		db_bind_text(st, "day", x->day);
		db_bind_int(st, "days", json_integer_value(json_object_get(x->data, "days")));
		db_bind_int(st, "case_id", x->c->id);
	} else {
		/* 不予受理 is a notice too: it gets its number and verification code */
		int rc = notice_codes(x);
		if (rc)
			return rc;
		st = db_prepare(x->db,
				"UPDATE cases SET state = :state, case_no = :case_no, verify_code = :verify_code, "
				"decision_note = :note WHERE id = :case_id");
		db_bind_int(st, "state", x->to);
		db_bind_text(st, "case_no", x->c->case_no);
		db_bind_text(st, "verify_code", x->c->verify_code);
		db_bind_text(st, "note", x->keep ? json_string_value(x->keep) : x->note);
		db_bind_int(st, "case_id", x->c->id);
	}
	int rc = db_run(st);
	return rc ? rc : record(x, case_action_name(x->a));
}

/* 提交 of a saved draft: what the application itself would meet now. The item must still be
 * published (a draft of a withdrawn item is not an application anyone will handle: 422 on
 * item_code), and an item refusing a second open application (duplicate_policy refuse) refuses
 * the draft while the applicant has another open case of it (409 naming it, as on POST /cases). */
static int submit_check(act_t *x, vctx_t *v, char why[CASE_WHY_MAX])
{
	db_stmt_t *st = db_prepare(x->db, "SELECT COALESCE(c.applicant_no, ''), CASE WHEN EXISTS (SELECT 1 FROM "
					  "item_versions v WHERE v.item_id = c.item_id AND v.status = 'published') "
					  "THEN 1 ELSE 0 END AS published FROM cases c WHERE c.id = :case_id");
	db_bind_int(st, "case_id", x->c->id);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	char no[24];
	snprintf(no, sizeof no, "%s", db_col_text(st, 0));
	bool published = db_col_int(st, 1) == 1;
	db_reset(st);
	if (!published) {
		v_error(v, x->c->bundle_id ? "bundle_code" : "item_code", "该事项已停止办理，草稿不能再提交");
		return YW_EINVAL;
	}
	const char *policy = json_string_value(json_object_get(x->c->guide, "duplicate_policy"));
	if (!policy || strcmp(policy, "refuse") != 0)
		return 0;
	return open_duplicate(x->db, x->c->item_id, x->c->id, no, x->c->applicant_id, why, CASE_WHY_MAX);
}

/* Is the case's applicant an organisation? Its number was checked as a USCC or as an ID number when
 * the application was made (online: the account's), so a number only GB 32100 accepts is an
 * organisation's. A database error reads as a person (the stricter phone rule). */
static bool case_legal(act_t *x)
{
	db_stmt_t *st = db_prepare(x->db, "SELECT applicant_no FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", x->c->id);
	if (db_one(st) != 0)
		return false;
	const char *no = db_col_text(st, 0);
	bool legal = idcheck_uscc(no, strlen(no)) == 0 && idcheck_person(no, strlen(no), NULL) != 0;
	db_reset(st);
	return legal;
}

/* Checks the body of action a; fills x->note and x->data. */
static void validate(act_t *x, json_t *body, vctx_t *v, json_t **materials, json_t **form)
{
	switch (x->a) {
	case CA_REFUSE:
		/* Refusing without reasons is itself a supervision finding (docs/domain.md §6): not allowed. */
		x->note = reasons(v, body, "reasons", &x->data, &x->keep);
		if (v_ok(v)) {
			const char *remedies = v_str(v, body, "remedies", 0, 1000);
			if (!*remedies)
				remedies = "如对本决定不服，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。";
			x->data = x->data ? x->data : json_object();
			json_object_set_new(x->data, "remedies", json_string(remedies));
		}
		break;
	case CA_CORRECTION: {
		/* 一次性告知: every missing or wrong material in one notice. */
		json_t *items = v_array(v, body, "items", true);
		if (items && json_array_size(items) == 0)
			v_error(v, "items", "须列明需要补正的全部材料");
		if (items)
			x->data = json_pack("{s:O}", "items", items);
		x->note = v_str(v, body, "note", 0, 2000);
		break;
	}
	case CA_RESUBMIT: {
		/* the same checks as the application's form (cases_form_check), for the same applicant */
		json_t *f = cases_form_check(v, json_object_get(body, "form"), x->c->guide, case_legal(x),
					     config_current()->case_form_max);
		*form = f ? f : json_object();
		*materials = material_list(v, body, "materials", x->c->guide, false, "含有办事指南中没有的材料");
		if (!*materials)
			*materials = json_array();
		x->note = v_str(v, body, "note", 0, 2000);
		break;
	}
	case CA_APPROVE:
	case CA_DENY:
		/* Every decision carries the approver's opinion (审批意见), printed on the decision
		 * notice and kept as the case's decision_note. */
		x->keep = cases_opinion_check(v, body, x->a == CA_APPROVE ? "note" : "reason");
		x->note = x->keep ? json_string_value(x->keep) : "";
		break;
	case CA_SUSPEND: {
		/* A suspension names its kind and reason and how long it may last. */
		const char *kind = v_str(v, body, "kind", 1, 10);
		bool known = false;
		for (int k = 0; case_special_kinds[k]; k++)
			known |= strcmp(case_special_kinds[k], kind) == 0;
		if (*kind && !known)
			v_error(v, "kind", "应为听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审、现场勘验或延期");
		x->note = v_str(v, body, "reason", 1, 2000);
		int64_t days = v_int(v, body, "days", 1, 365, true, 0);
		x->data = json_pack("{s:s, s:I}", "kind", kind, "days", (json_int_t)days);
		break;
	}
	case CA_ACCEPT: break; /* do_accept checks its own body */
	default: x->note = body ? v_str(v, body, "note", 0, 2000) : "";
	}
}

int cases_act(db_t *db, const auth_user_t *actor, int64_t id, enum case_action a, json_t *body, const calendar_t *cal,
	      vctx_t *v, char why[CASE_WHY_MAX])
{
	case_row_t c = {0};
	why[0] = 0;
	if (db_begin(db))
		return YW_EDB;
	json_t *materials = NULL, *form = NULL;
	act_t x = {.db = db, .actor = actor, .cal = cal, .c = &c, .a = a, .note = ""};
	int rc = cases_load(db, id, &c);
	if (rc)
		goto done;
	if (!cases_visible(actor, &c)) {
		rc = YW_ENOTFOUND;
		goto done;
	}
	/* the rule the case detail's "actions" come from: who, and whether the state allows it now */
	if ((rc = case_action_check(actor, &c, a, why)) != 0)
		goto done;
	int steps = cases_step_count(&c);
	x.to = case_next_state(c.state, a, c.step == 0, c.step >= steps - 1);
	x.now = (int64_t)yw_now();
	x.today = date_today_local(x.now);
	date_format(x.today, x.day);
	x.step = c.step;
	validate(&x, body, v, &materials, &form);
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto done;
	}
	switch (a) {
	case CA_ACCEPT: rc = do_accept(&x, body, v); break;
	case CA_CORRECTION: rc = do_correction(&x, json_object_get(x.data, "items")); break;
	case CA_RESUBMIT: rc = do_resubmit(&x, materials, form); break;
	case CA_RESUME: rc = do_resume(&x); break;
	case CA_REFUSE:
	case CA_SUSPEND: rc = do_simple(&x); break;
	case CA_SUBMIT:
		if ((rc = submit_check(&x, v, why)) == 0)
			rc = do_move(&x);
		break;
	default: rc = do_move(&x);
	}
done:
	json_decref(x.data);
	json_decref(x.keep);
	json_decref(materials);
	json_decref(form);
	cases_row_free(&c);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* The list's and the detail's columns. Whether the row waits for the viewer needs of the 并联审批
 * departments only whether the viewer's has a pending opinion (:viewer_dept; NULL when the viewer
 * has no department): par_pending is 1 or 0. */
#define CASE_COLS                                                                                                        \
	"SELECT c.id, c.case_no, i.code, v.name, d.name, c.state, c.channel, c.applicant_name, c.created_at, "           \
	"c.submitted_at, c.accepted_day, c.promised_day, c.decided_at, c.agent, c.region_code, c.dept_id, "              \
	"COALESCE(c.applicant_id, 0), c.signal, "                                                                        \
	"CASE WHEN EXISTS (SELECT 1 FROM case_parallel p WHERE p.case_id = c.id AND p.dept_id = :viewer_dept "           \
	"AND p.state = 'pending') THEN 1 ELSE 0 END, "                                                                   \
	"(SELECT s.role FROM case_steps s WHERE s.case_id = c.id AND s.finished_at IS NULL ORDER BY s.id DESC LIMIT 1) " \
	"FROM cases c JOIN items i ON i.id = c.item_id "                                                                 \
	"JOIN item_versions v ON v.id = c.item_version_id JOIN departments d ON d.id = c.dept_id "

enum { COL_REGION = 14, COL_DEPT, COL_APPLICANT, COL_SIGNAL, COL_PAR_PENDING, COL_OPEN_ROLE };

static json_t *row_json(db_stmt_t *st)
{
	int state = (int)db_col_int(st, 5);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:i, s:s, s:s, s:s, s:I, s:b, s:i}", "id",
			      (json_int_t)db_col_int(st, 0), "item_code", db_col_text(st, 2), "item_name",
			      db_col_text(st, 3), "dept", db_col_text(st, 4), "dept_id",
			      (json_int_t)db_col_int(st, COL_DEPT), "state", state, "state_label",
			      case_state_label(state), "channel", db_col_text(st, 6), "applicant_name",
			      db_col_text(st, 7), "created_at", (json_int_t)db_col_int(st, 8), "agent",
			      (int)db_col_int(st, 13), "signal", (int)db_col_int(st, COL_SIGNAL));
	static const char *const opt[] = {NULL, "case_no", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "submitted_at",
					  "accepted_day", "promised_day", "decided_at"};
	for (int k = 0; k < 13; k++)
		if (opt[k])
			json_object_set_new(o, opt[k], db_col_json(st, k));
	return o;
}

/* Who sees what, in SQL: CASE_VISIBLE_SQL, the rule of cases_visible(). Each list comes as a
 * count, a page, and the to-do candidates (open cases only, which case_waits_for() then sorts out).
 * An applicant's lists also name applicant_id on its own, so that the planner takes the index
 * cases_applicant; the rule alone decides. :state < 0 for every state. */
#define W_STATE "(CAST(:state AS INTEGER) < 0 OR c.state = :state)"
#define W_ALL "WHERE " CASE_VISIBLE_SQL("c") " AND " W_STATE
#define W_OWN "WHERE c.applicant_id = :scope_own AND " CASE_VISIBLE_SQL("c") " AND " W_STATE
#define PAGE " ORDER BY c.id DESC LIMIT :limit OFFSET :offset"
#define OPEN_CASES " AND " CASE_OPEN_SQL("c.state") " ORDER BY c.id DESC"
static const char *const sql_count[] = {"SELECT count(*) AS n FROM cases c " W_ALL,
					 "SELECT count(*) AS n FROM cases c " W_OWN};
static const char *const sql_page[] = {CASE_COLS W_ALL PAGE, CASE_COLS W_OWN PAGE};
static const char *const sql_todo[] = {CASE_COLS W_ALL OPEN_CASES, CASE_COLS W_OWN OPEN_CASES};

void cases_scope_bind(db_stmt_t *st, const case_scope_t *s)
{
	db_bind_int(st, "scope_own", s->own);
	db_bind_int(st, "scope_regional", s->regional ? 1 : 0);
	db_bind_int(st, "scope_prefix_len", s->prefix_len);
	db_bind_text(st, "scope_prefix", s->prefix);
	db_bind_int(st, "scope_dept", s->dept);
}

int cases_list(db_t *db, const auth_user_t *actor, int state, bool todo, int64_t page, int64_t size, json_t **out)
{
	case_scope_t scope;
	case_scope_of(actor, &scope);
	/* only its own cases: through the applicant index */
	int which = scope.own > 0 && !scope.regional && !scope.dept ? 1 : 0;
	int64_t total = 0;
	db_stmt_t *st;
	int rc;
	if (!todo) {
		st = db_prepare(db, sql_count[which]);
		cases_scope_bind(st, &scope);
		db_bind_int(st, "state", state);
		if ((rc = db_one(st)) != 0)
			return rc == YW_ENOTFOUND ? YW_EDB : rc; /* count(*) always has its row */
		total = db_col_int(st, 0);
		db_reset(st);
		st = db_prepare(db, sql_page[which]);
		db_bind_int(st, "limit", size);
		db_bind_int(st, "offset", (page - 1) * size);
	} else {
		st = db_prepare(db, sql_todo[which]);
	}
	cases_scope_bind(st, &scope);
	db_bind_int(st, "state", state);
	db_bind_id(st, "viewer_dept", actor->dept_id);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		if (!todo) {
			json_array_append_new(items, row_json(st));
			continue;
		}
		case_row_t c = {.dept_id = db_col_int(st, COL_DEPT), .applicant_id = db_col_int(st, COL_APPLICANT),
				.state = (int)db_col_int(st, 5)};
		snprintf(c.region, sizeof c.region, "%s", db_col_text(st, COL_REGION));
		if (actor->dept_id > 0 && db_col_int(st, COL_PAR_PENDING))
			snprintf(c.par_pending, sizeof c.par_pending, ",%lld,", (long long)actor->dept_id);
		if (case_waits_for(actor, &c, db_col_text(st, COL_OPEN_ROLE)) && total++ >= (page - 1) * size &&
		    (int64_t)json_array_size(items) < size)
			json_array_append_new(items, row_json(st));
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

int cases_material_named(db_t *db, int64_t id, const char *material, const char *ext, int *state, bool *named,
			 char types_why[CASE_WHY_MAX])
{
	case_row_t c = {0};
	int rc = cases_load(db, id, &c);
	types_why[0] = 0;
	if (!rc) {
		json_t *name = json_string(material);
		*state = c.state;
		*named = name && guide_has_material(c.guide, name, false);
		json_decref(name);
		/* file_types: a 免冠照片 takes a photo, not a PDF (by the file's sniffed type) */
		if (*named)
			cases_material_types_problem(c.guide, material, ext, types_why, CASE_WHY_MAX);
	}
	cases_row_free(&c);
	return rc;
}

int cases_check_visible(db_t *db, const auth_user_t *actor, int64_t id)
{
	case_row_t c = {0};
	int rc = cases_load(db, id, &c);
	bool ok = !rc && cases_visible(actor, &c);
	cases_row_free(&c);
	return rc ? rc : ok ? 0 : YW_ENOTFOUND;
}

static int events_json(db_t *db, int64_t id, json_t **out)
{
	json_t *events = json_array();
	db_stmt_t *st = db_prepare(db,
				   "SELECT at, actor, action, state_from, state_to, step, note, data FROM case_events "
				   "WHERE case_id = :case_id ORDER BY id");
	db_bind_int(st, "case_id", id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int to = (int)db_col_int(st, 4);
		json_t *e = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s}", "at", (json_int_t)db_col_int(st, 0), "actor",
				      db_col_text(st, 1), "action", db_col_text(st, 2), "state_to", to, "state_label",
				      case_state_label(to), "note", db_col_text(st, 6));
		json_object_set_new(e, "step", db_col_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)));
		json_t *data = db_col_parse_json(st, 7);
		json_object_set_new(e, "data", data ? data : json_null());
		json_array_append_new(events, e);
	}
	if (rc < 0) {
		json_decref(events);
		return rc;
	}
	*out = events;
	return 0;
}

static yw_date_t day_of(const char *s)
{
	yw_date_t d = 0;
	date_parse(s, strlen(s), &d);
	return d;
}

/* Per-step clocks: a running step counts to today (or to the day the clock stopped for 特别程序),
 * a finished one to its last day; days suspended are not used time. */
static int steps_clock_json(db_t *db, int64_t id, const calendar_t *cal, yw_date_t until, json_t **out)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(
		db, "SELECT s.step, s.name, s.role, s.started_day, s.due_day, s.budget_days, "
		    "s.suspended_workdays, s.finished_day, s.outcome, u.name, s.signal "
		    "FROM case_steps s LEFT JOIN users u ON u.id = s.handled_by WHERE s.case_id = :case_id "
		    "ORDER BY s.id");
	db_bind_int(st, "case_id", id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		yw_date_t start = day_of(db_col_text(st, 3)), due = day_of(db_col_text(st, 4));
		bool finished = !db_col_null(st, 7);
		yw_date_t end = finished ? day_of(db_col_text(st, 7)) : until;
		int susp = (int)db_col_int(st, 6);
		case_clock_t k = {0};
		case_clock_compute(cal, start, due, end, &k);
		int used = k.used - susp;
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "step",
				      (int)db_col_int(st, 0), "name", db_col_text(st, 1), "role", db_col_text(st, 2),
				      "started_day", db_col_text(st, 3), "due_day", db_col_text(st, 4), "budget_days",
				      (int)db_col_int(st, 5), "used_workdays", used > 0 ? used : 0,
				      "remaining_workdays", k.remaining, "suspended_workdays", susp, "signal",
				      (int)db_col_int(st, 10));
		json_object_set_new(o, "finished_day", db_col_json(st, 7));
		json_object_set_new(o, "outcome", db_col_json(st, 8));
		json_object_set_new(o, "handled_by", db_col_json(st, 9));
		json_array_append_new(list, o);
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int parallel_json(db_t *db, int64_t id, json_t **out)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(db,
				   "SELECT i.code, COALESCE(v.name, i.code), d.name, p.state, p.due_day, p.opinion, "
				   "p.started_day, p.budget_days FROM case_parallel p JOIN items i ON i.id = p.item_id "
				   "LEFT JOIN item_versions v ON v.item_id = p.item_id AND v.status = 'published' "
				   "JOIN departments d ON d.id = p.dept_id WHERE p.case_id = :case_id ORDER BY p.id");
	db_bind_int(st, "case_id", id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "item_code",
						      db_col_text(st, 0), "item_name", db_col_text(st, 1), "dept",
						      db_col_text(st, 2), "state", db_col_text(st, 3), "due_day",
						      db_col_text(st, 4), "opinion", db_col_text(st, 5), "started_day",
						      db_col_text(st, 6), "budget_days", (int)db_col_int(st, 7)));
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* The columns of migration 3 that the case JSON shows as they are. */
static int flow_fields(db_t *db, int64_t id, json_t *o)
{
	db_stmt_t *st = db_prepare(
		db,
		"SELECT c.form, c.applicant_no, c.applicant_phone, c.commitment, c.followup_due_day, c.followup_result, "
		"c.delivery, c.delivery_ref, c.delivered_at, c.correction_count, c.visits, c.decided_day, b.code, b.name, "
		"c.case_no, c.verify_code, c.submitted_day, c.window_id FROM cases c "
		"LEFT JOIN bundles b ON b.id = c.bundle_id WHERE c.id = :case_id");
	db_bind_int(st, "case_id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	json_object_set_new(o, "form", db_col_parse_json(st, 0));
	json_object_set_new(o, "applicant_no", json_string(db_col_text(st, 1)));
	json_object_set_new(o, "applicant_phone", json_string(db_col_text(st, 2)));
	json_object_set_new(o, "commitment", json_boolean(db_col_int(st, 3)));
	json_object_set_new(o, "followup_due_day", db_col_json(st, 4));
	json_object_set_new(o, "followup_result", db_col_json(st, 5));
	json_object_set_new(o, "delivery",
			    db_col_null(st, 6) ? json_null()
					       : json_pack("{s:s, s:s, s:I}", "method", db_col_text(st, 6), "ref",
							   db_col_text(st, 7), "at", (json_int_t)db_col_int(st, 8)));
	json_object_set_new(o, "correction_count", json_integer(db_col_int(st, 9)));
	json_object_set_new(o, "visits", json_integer(db_col_int(st, 10)));
	json_object_set_new(o, "decided_day", db_col_json(st, 11));
	json_object_set_new(o, "bundle",
			    db_col_null(st, 12) ? json_null()
						: json_pack("{s:s, s:s}", "code", db_col_text(st, 12), "name",
							    db_col_text(st, 13)));
	/* The path of the public verification page; the HTTP layer puts the origin in front. */
	json_object_set_new(o, "verify_url",
			    db_col_null(st, 15)
				    ? json_null()
				    : json_sprintf("/verify?no=%s&code=%s", db_col_text(st, 14), db_col_text(st, 15)));
	json_object_set_new(o, "submitted_day", db_col_json(st, 16));
	json_object_set_new(o, "window_id", db_col_null(st, 17) ? json_null() : json_integer(db_col_int(st, 17)));
	db_reset(st);
	return 0;
}

static int duplicates_json(db_t *db, int state, int64_t item_id, int64_t id, const char *no, int64_t applicant_id,
			   json_t *o);

/* The decision's opinion, the appointed agent, and the applicant's other open cases of the same
 * item (duplicates_json). */
static int apply_fields(db_t *db, const case_row_t *c, json_t *o)
{
	db_stmt_t *st = db_prepare(db, "SELECT decision_note, agent_info, applicant_no FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", c->id);
	char no[24] = "";
	int rc = db_one(st);
	if (rc)
		return rc;
	bool decided = case_state_decided(c->state) || c->state == CASE_REFUSED;
	const char *note = db_col_text(st, 0);
	json_object_set_new(o, "decision_opinion", decided && *note ? json_string(note) : json_null());
	json_t *agent = db_col_parse_json(st, 1);
	json_object_set_new(o, "agent_info", agent ? agent : json_null());
	snprintf(no, sizeof no, "%s", db_col_text(st, 2));
	db_reset(st);
	return duplicates_json(db, c->state, c->item_id, c->id, no, c->applicant_id, o);
}

/* The applicant's other open cases of the same item as "duplicates" and "warnings" on o
 * (duplicate_policy warn: the applicant and the window see the warning on both cases). */
static int duplicates_json(db_t *db, int state, int64_t item_id, int64_t id, const char *no, int64_t applicant_id,
			   json_t *o)
{
	json_t *dups = json_array(), *warnings = json_array();
	if (case_state_open(state) && (*no || applicant_id)) {
		/* the oldest three: enough for the clerk to see the applicant already has this in hand */
		int rc;
		db_stmt_t *st = open_cases_of_applicant(db, item_id, id, no, applicant_id, 3);
		while ((rc = db_step(st)) == DB_ROW) {
			const char *cn = db_col_text(st, 1);
			int s = (int)db_col_int(st, 2);
			json_array_append_new(dups,
					      json_pack("{s:I, s:o, s:i, s:s}", "id", (json_int_t)db_col_int(st, 0),
							"case_no", *cn ? json_string(cn) : json_null(), "state", s,
							"state_label", case_state_label(s)));
			json_array_append_new(
				warnings, *cn ? json_sprintf("该申请人已有同一事项正在办理的办件（办件编号 %s，%s）",
							     cn, case_state_label(s))
					      : json_sprintf("该申请人已有同一事项正在办理的办件（申请号 %lld，%s）",
							     (long long)db_col_int(st, 0), case_state_label(s)));
		}
		if (rc < 0) {
			json_decref(dups);
			json_decref(warnings);
			return rc;
		}
	}
	json_object_set_new(o, "duplicates", dups);
	json_object_set_new(o, "warnings", warnings);
	return 0;
}

/* Actions other modules own (cases_action_register): set at start, read-only while serving. */
static struct {
	const char *name;
	cases_action_check_fn check;
} g_extra_actions[4];
static int g_n_extra_actions;

void cases_action_register(const char *name, cases_action_check_fn check)
{
	if (g_n_extra_actions >= (int)(sizeof g_extra_actions / sizeof g_extra_actions[0])) {
		fprintf(stderr, "yiwang: too many case actions registered (%s)\n", name);
		abort();
	}
	g_extra_actions[g_n_extra_actions].name = name;
	g_extra_actions[g_n_extra_actions++].check = check;
}

/* The viewer's actions on the visible case c: the case's own (case_action_check) and those other
 * modules own. */
static int actions_json(db_t *db, const auth_user_t *actor, const case_row_t *c, json_t **out)
{
	json_t *list = case_actions_json(actor, c);
	for (int i = 0; i < g_n_extra_actions; i++) {
		int rc = g_extra_actions[i].check(db, actor, c->id);
		if (rc == 0) {
			json_array_append_new(list, json_string(g_extra_actions[i].name));
		} else if (rc != YW_EFORBIDDEN && rc != YW_ENOTFOUND && rc != YW_ECONFLICT) {
			json_decref(list);
			return rc;
		}
	}
	*out = list;
	return 0;
}

int cases_get(db_t *db, const auth_user_t *actor, int64_t id, const calendar_t *cal, json_t **out)
{
	case_row_t c = {0};
	int rc = cases_load(db, id, &c);
	if (rc)
		return rc;
	json_t *o = NULL, *part = NULL;
	if (!cases_visible(actor, &c)) {
		rc = YW_ENOTFOUND;
		goto done;
	}
	db_stmt_t *st = db_prepare(db, CASE_COLS "WHERE c.id = :case_id");
	db_bind_int(st, "case_id", id);
	db_bind_id(st, "viewer_dept", actor->dept_id);
	if ((rc = db_one(st)) != 0)
		goto done;
	o = row_json(st);
	db_reset(st);
	if ((rc = flow_fields(db, id, o)) != 0 || (rc = apply_fields(db, &c, o)) != 0)
		goto done;
	if ((rc = events_json(db, id, &part)) != 0)
		goto done;
	json_object_set_new(o, "events", part);
	/* what the viewer may do now, by the rules the handlers enforce */
	if ((rc = actions_json(db, actor, &c, &part)) != 0)
		goto done;
	json_object_set_new(o, "actions", part);
	json_object_set_new(o, "steps", json_deep_copy(json_object_get(c.guide, "steps")));
	json_object_set_new(o, "current_step", c.state == CASE_ACCEPTED ? json_integer(c.step) : json_null());
	json_object_set(o, "pending_materials", c.pending);
	if ((rc = parallel_json(db, id, &part)) != 0)
		goto done;
	json_object_set_new(o, "parallel", part);
	if ((rc = supervision_case_cards_json(db, id, &part)) != 0)
		goto done;
	json_object_set_new(o, "cards", part);
	/* While suspended the clocks stand at the day they stopped. */
	yw_date_t today = date_today_local((int64_t)yw_now()), stopped;
	bool suspended = *c.suspended_day && date_parse(c.suspended_day, strlen(c.suspended_day), &stopped) == 0;
	/* A decided case's clock stops at its decision. */
	const char *decided = json_string_value(json_object_get(o, "decided_day"));
	if (decided && date_parse(decided, strlen(decided), &stopped) == 0)
		suspended = true;
	if ((rc = steps_clock_json(db, id, cal, suspended ? stopped : today, &part)) != 0)
		goto done;
	json_object_set_new(o, "steps_clock", part);
	yw_date_t acc, pro;
	if (*c.accepted_day && date_parse(c.accepted_day, strlen(c.accepted_day), &acc) == 0 &&
	    date_parse(c.promised_day, strlen(c.promised_day), &pro) == 0) {
		/* Days of earlier suspensions are not used time either. */
		case_clock_t k;
		case_clock_compute(cal, acc, pro, suspended ? stopped : today, &k);
		json_object_set_new(o, "clock",
				    json_pack("{s:i, s:i, s:i, s:b, s:b, s:b}", "used_workdays",
					      k.used - c.suspended_workdays, "remaining_workdays", k.remaining,
					      "suspended_workdays", c.suspended_workdays, "suspended",
					      c.state == CASE_SUSPENDED, "overdue", k.overdue, "beyond_published",
					      k.beyond_published));
	} else {
		json_object_set_new(o, "clock", json_null());
	}
done:
	cases_row_free(&c);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int cases_receipt(db_t *db, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT state, created_at, item_id, applicant_no, COALESCE(applicant_id, 0) "
				       "FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	int state = (int)db_col_int(st, 0);
	char no[24];
	snprintf(no, sizeof no, "%s", db_col_text(st, 3));
	int64_t item_id = db_col_int(st, 2), applicant_id = db_col_int(st, 4);
	json_t *o = json_pack("{s:I, s:i, s:s, s:I}", "id", (json_int_t)id, "state", state, "state_label",
			      case_state_label(state), "created_at", (json_int_t)db_col_int(st, 1));
	db_reset(st);
	if ((rc = duplicates_json(db, state, item_id, id, no, applicant_id, o)) != 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- electronic supervision's signals (the supervision job computes them, cases store them) ---- */

int cases_store_set_signal(db_t *db, bool step, int64_t id, int old_signal, int new_signal, const char *due,
			   const char *stopped, bool *changed)
{
	db_stmt_t *st;
	*changed = false;
	if (!step)
		st = db_prepare(db, "UPDATE cases SET signal = :new_signal WHERE id = :id AND signal = :old_signal "
				    "AND promised_day = :due AND COALESCE(suspended_day, '') = :stopped AND "
				    CASE_IN_PROGRESS_SQL("state"));
	else
		st = db_prepare(db, "UPDATE case_steps SET signal = :new_signal WHERE id = :id "
				    "AND signal = :old_signal AND due_day = :due AND finished_at IS NULL AND EXISTS "
				    "(SELECT 1 FROM cases c WHERE c.id = case_steps.case_id AND "
				    CASE_IN_PROGRESS_SQL("c.state") " AND COALESCE(c.suspended_day, '') = :stopped)");
	db_bind_int(st, "new_signal", new_signal);
	db_bind_int(st, "id", id);
	db_bind_int(st, "old_signal", old_signal);
	db_bind_text(st, "due", due);
	db_bind_text(st, "stopped", stopped);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) == 0)
		return 0; /* moved by a request since the scan */
	*changed = true;
	return audit_record_id(db, NULL, "supervision.signal", step ? "case_steps" : "cases", id);
}

int cases_decided_count(db_t *db, const char *item_type, int64_t dept_id, const char *from, const char *to,
			int64_t *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n FROM cases c JOIN item_versions v ON v.id = c.item_version_id"
				       " WHERE v.type = :type AND " CASE_DECIDED_SQL("c.state")
				       " AND c.decided_day >= :from AND c.decided_day <= :to"
				       " AND (c.dept_id = :dept OR :dept = 0)");
	db_bind_text(st, "type", item_type);
	db_bind_text(st, "from", from);
	db_bind_text(st, "to", to);
	db_bind_int(st, "dept", dept_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	*out = db_col_int(st, 0);
	db_reset(st);
	return 0;
}
