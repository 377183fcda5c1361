/* Case store: creating applications, moving them through the state machine (cases.c) in one
 * transaction with their event and audit records, and reading them back with their timeline and
 * clock. Concurrent actions on one case serialise on the write lock; the loser finds the state
 * changed and gets 409. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "catalog/catalog.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"

typedef struct case_row {
	int64_t id, dept_id, applicant_id, created_by, version_id;
	int state, step;
	int suspended_workdays;
	char region[16], case_no[40], accepted_day[12], promised_day[12], suspended_day[12];
	json_t *guide; /* the item version's data */
} case_row_t;

static int load(db_t *db, int64_t id, case_row_t *c)
{
	sqlite3_stmt *st = db_prepare(
		db, "SELECT c.id, c.dept_id, COALESCE(c.applicant_id, 0), COALESCE(c.created_by, 0), c.item_version_id, "
		    "c.state, c.step, c.region_code, COALESCE(c.case_no, ''), COALESCE(c.accepted_day, ''), "
		    "COALESCE(c.promised_day, ''), COALESCE(c.suspended_day, ''), c.suspended_workdays "
		    "FROM cases c WHERE c.id = $1");
	db_bind_int(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->id = sqlite3_column_int64(st, 0);
		c->dept_id = sqlite3_column_int64(st, 1);
		c->applicant_id = sqlite3_column_int64(st, 2);
		c->created_by = sqlite3_column_int64(st, 3);
		c->version_id = sqlite3_column_int64(st, 4);
		c->state = sqlite3_column_int(st, 5);
		c->step = sqlite3_column_int(st, 6);
		snprintf(c->region, sizeof c->region, "%s", db_col_text(st, 7));
		snprintf(c->case_no, sizeof c->case_no, "%s", db_col_text(st, 8));
		snprintf(c->accepted_day, sizeof c->accepted_day, "%s", db_col_text(st, 9));
		snprintf(c->promised_day, sizeof c->promised_day, "%s", db_col_text(st, 10));
		snprintf(c->suspended_day, sizeof c->suspended_day, "%s", db_col_text(st, 11));
		c->suspended_workdays = sqlite3_column_int(st, 12);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		c->guide = catalog_version_data(db, c->version_id);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

/* Who may see a case: its applicant, the windows of its region, its department's staff, and
 * supervisors and centre admins of its region. */
static bool visible(const auth_user_t *u, const case_row_t *c)
{
	if (u->roles & ROLE_APPLICANT)
		return c->applicant_id == u->id;
	if (u->roles & (ROLE_CLERK | ROLE_SUPERVISOR | ROLE_CENTER_ADMIN))
		if (auth_region_within(c->region, u->region_code))
			return true;
	return (u->roles & (ROLE_APPROVER | ROLE_DEPT_ADMIN)) && u->dept_id == c->dept_id;
}

static const char *step_role(const case_row_t *c, int step)
{
	const char *r = json_string_value(json_object_get(json_array_get(json_object_get(c->guide, "steps"), (size_t)step),
							 "role"));
	return r ? r : "approver";
}

static int step_count(const case_row_t *c)
{
	return (int)json_array_size(json_object_get(c->guide, "steps"));
}

/* May u take action a on case c (beyond the route's permission)? */
static bool may(const auth_user_t *u, const case_row_t *c, enum case_action a)
{
	switch (a) {
	case CA_SUBMIT:
	case CA_RESUBMIT:
	case CA_WITHDRAW:
		/* the applicant, or the window that took a walk-in application for them */
		return (u->roles & ROLE_APPLICANT) ? c->applicant_id == u->id
						   : (u->roles & ROLE_CLERK) && auth_region_within(c->region, u->region_code);
	case CA_ACCEPT:
	case CA_REFUSE:
	case CA_CORRECTION:
		return (u->roles & ROLE_CLERK) && auth_region_within(c->region, u->region_code);
	default:
		/* steps: a window step by the window, the others by the department's approvers */
		if (strcmp(step_role(c, c->step), "window") == 0)
			return (u->roles & ROLE_CLERK) && auth_region_within(c->region, u->region_code);
		return (u->roles & ROLE_APPROVER) && u->dept_id == c->dept_id;
	}
}

static int add_event(db_t *db, const auth_user_t *actor, int64_t case_id, const char *action, int from, int to,
		     int step, const char *note, json_t *data)
{
	char *d = data ? json_dumps(data, JSON_COMPACT) : NULL;
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO case_events(case_id, at, actor_id, actor, action, state_from, "
					  "state_to, step, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
					  "RETURNING id");
	db_bind_int(st, 1, case_id);
	db_bind_int(st, 2, (int64_t)yw_now());
	if (actor)
		db_bind_int(st, 3, actor->id);
	db_bind_text(st, 4, actor ? actor->username : "system");
	db_bind_text(st, 5, action);
	if (from >= 0)
		db_bind_int(st, 6, from);
	db_bind_int(st, 7, to);
	if (step >= 0)
		db_bind_int(st, 8, step);
	db_bind_text(st, 9, note ? note : "");
	db_bind_text(st, 10, d);
	int rc = sqlite3_step(st);
	int64_t eid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	free(d);
	return rc == SQLITE_ROW ? audit_record_id(db, actor, "case.event", "case_events", eid) : YW_EDB;
}

/* The materials an application lists must be ones the guide names. */
static json_t *check_form(vctx_t *v, json_t *in, json_t *guide)
{
	json_t *form = json_object_get(in, "form");
	if (form && !json_is_object(form)) {
		v_error(v, "form", "应为对象");
		return NULL;
	}
	json_t *out = form ? json_deep_copy(form) : json_object();
	json_t *mats = v_array(v, in, "materials", false), *known = json_object_get(guide, "materials");
	json_t *list = json_array();
	size_t i, k;
	json_t *m, *g;
	if (mats)
		json_array_foreach(mats, i, m) {
			bool found = false;
			json_array_foreach(known, k, g)
				found |= json_is_string(m) && json_equal(json_object_get(g, "name"), m);
			if (!found)
				v_error(v, "materials", "含有办事指南中没有的材料");
			else
				json_array_append(list, m);
		}
	json_object_set_new(out, "materials", list);
	return out;
}

int cases_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out)
{
	const char *code = v_str(v, in, "item_code", 1, 32);
	bool window = (actor->roles & ROLE_CLERK) != 0;
	bool submit = v_bool(v, in, "submit", true);
	bool agent = v_bool(v, in, "agent", false);
	const char *name = actor->name, *number = NULL, *phone = "";
	if (window) {
		json_t *a = json_object_get(in, "applicant");
		if (!json_is_object(a)) {
			v_error(v, "applicant", "窗口收件须填写申请人信息");
			return YW_EINVAL;
		}
		name = v_str(v, a, "name", 1, 100);
		number = v_str(v, a, "id_number", 18, 18);
		phone = v_str(v, a, "phone", 0, 20);
	}
	int rc = YW_EDB;
	json_t *guide = NULL, *form = NULL;
	sqlite3_stmt *st = db_prepare(db, "SELECT i.id, v.id, i.dept_id, d.region_code FROM items i "
					  "JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
					  "JOIN departments d ON d.id = i.dept_id WHERE i.code = $1");
	db_bind_text(st, 1, code);
	int64_t item_id = 0, vid = 0, dept = 0;
	char region[16] = "";
	if (sqlite3_step(st) == SQLITE_ROW) {
		item_id = sqlite3_column_int64(st, 0);
		vid = sqlite3_column_int64(st, 1);
		dept = sqlite3_column_int64(st, 2);
		snprintf(region, sizeof region, "%s", db_col_text(st, 3));
	}
	sqlite3_reset(st);
	if (vid)
		guide = catalog_version_data(db, vid);
	if (*code && !item_id)
		v_error(v, "item_code", "该事项不存在或未发布");
	if (guide)
		form = check_form(v, in, guide);
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto done;
	}
	if (window && !auth_region_within(region, actor->region_code)) {
		rc = YW_EFORBIDDEN;
		goto done;
	}
	/* An applicant's own identity comes from the account, never from the form. */
	char own_no[24] = "";
	if (!window) {
		st = db_prepare(db, "SELECT COALESCE(id_number, uscc, ''), phone FROM users WHERE id = $1");
		db_bind_int(st, 1, actor->id);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(own_no, sizeof own_no, "%s", db_col_text(st, 0));
		sqlite3_reset(st);
		number = own_no;
	}
	if (db_begin(db))
		goto done;
	char *form_s = json_dumps(form, JSON_COMPACT);
	int64_t now = (int64_t)yw_now();
	int state = submit ? CASE_SUBMITTED : CASE_DRAFT;
	st = db_prepare(db, "INSERT INTO cases(item_id, item_version_id, dept_id, region_code, applicant_id, applicant_name, "
			    "applicant_no, applicant_phone, channel, agent, state, form, created_by, created_at, submitted_at) "
			    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id");
	db_bind_int(st, 1, item_id);
	db_bind_int(st, 2, vid);
	db_bind_int(st, 3, dept);
	db_bind_text(st, 4, region);
	if (!window)
		db_bind_int(st, 5, actor->id);
	db_bind_text(st, 6, name);
	db_bind_text(st, 7, number);
	db_bind_text(st, 8, phone);
	db_bind_text(st, 9, window ? "window" : "online");
	db_bind_int(st, 10, agent);
	db_bind_int(st, 11, state);
	db_bind_text(st, 12, form_s);
	db_bind_int(st, 13, actor->id);
	db_bind_int(st, 14, now);
	if (submit)
		db_bind_int(st, 15, now);
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	*id_out = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	free(form_s);
	if (!rc)
		rc = audit_record_id(db, actor, "case.create", "cases", *id_out);
	if (!rc)
		rc = add_event(db, actor, *id_out, submit ? "submit" : "draft", -1, state, -1, NULL, NULL);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
done:
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
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO case_serials(prefix, last) VALUES ($1, 1) ON CONFLICT(prefix) "
					  "DO UPDATE SET last = case_serials.last + 1 RETURNING last");
	db_bind_text(st, 1, prefix);
	int rc = sqlite3_step(st);
	int64_t serial = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	snprintf(out, 40, "%s%05lld", prefix, (long long)serial);
	return rc == SQLITE_ROW ? 0 : YW_EDB;
}

/* A reason list for 不予受理 / 不予 / 补正: non-empty text, or a non-empty list of items. */
static const char *reasons(vctx_t *v, json_t *body, const char *key, json_t **data)
{
	json_t *r = json_object_get(body, key);
	if (json_is_array(r) && json_array_size(r) > 0) {
		*data = json_pack("{s:O}", key, r);
		return "";
	}
	return v_str(v, body, key, 1, 2000);
}

int cases_act(db_t *db, const auth_user_t *actor, int64_t id, enum case_action a, json_t *body, const calendar_t *cal,
	      vctx_t *v)
{
	case_row_t c = {0};
	if (db_begin(db))
		return YW_EDB;
	int rc = load(db, id, &c);
	if (rc)
		goto done;
	if (!visible(actor, &c)) {
		rc = YW_ENOTFOUND;
		goto done;
	}
	if (!may(actor, &c, a)) {
		rc = YW_EFORBIDDEN;
		goto done;
	}
	int steps = step_count(&c);
	int to = case_next_state(c.state, a, c.step == 0, c.step >= steps - 1);
	if (to < 0) {
		rc = YW_ECONFLICT;
		goto done;
	}
	const char *note = "";
	json_t *data = NULL;
	int64_t now = (int64_t)yw_now();
	yw_date_t today = date_today_local(now);
	int step = c.step;
	sqlite3_stmt *st;
	switch (a) {
	case CA_REFUSE:
		/* Refusing without reasons is itself a supervision finding (DOMAIN.md §6): not allowed. */
		note = reasons(v, body, "reasons", &data);
		if (v_ok(v)) {
			const char *remedies = v_str(v, body, "remedies", 0, 1000);
			if (!*remedies)
				remedies = "如对本决定不服,可以自收到本通知之日起六十日内依法申请行政复议,或者六个月内依法提起行政诉讼。";
			data = data ? data : json_object();
			json_object_set_new(data, "remedies", json_string(remedies));
		}
		break;
	case CA_CORRECTION: {
		/* 一次性告知: every missing or wrong material in one notice. */
		json_t *items = v_array(v, body, "items", true);
		if (items && json_array_size(items) == 0)
			v_error(v, "items", "须列明需要补正的全部材料");
		if (items)
			data = json_pack("{s:O}", "items", items);
		break;
	}
	case CA_DENY:
		note = v_str(v, body, "reason", 1, 2000);
		break;
	case CA_SUSPEND: {
		/* A suspension names its kind and reason and how long it may last. */
		const char *kind = v_str(v, body, "kind", 1, 10);
		bool known = false;
		for (int k = 0; case_special_kinds[k]; k++)
			known |= strcmp(case_special_kinds[k], kind) == 0;
		if (*kind && !known)
			v_error(v, "kind", "应为听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审、现场勘验或延期");
		note = v_str(v, body, "reason", 1, 2000);
		int64_t days = v_int(v, body, "days", 1, 365, true, 0);
		data = json_pack("{s:s, s:I}", "kind", kind, "days", (json_int_t)days);
		break;
	}
	default:
		note = body ? v_str(v, body, "note", 0, 2000) : "";
	}
	if (!v_ok(v)) {
		json_decref(data);
		rc = YW_EINVAL;
		goto done;
	}
	if (a == CA_ACCEPT) {
		/* The promised date counts the item's promised working days from the day of acceptance. */
		int days = (int)json_integer_value(json_object_get(c.guide, "promised_limit_days"));
		yw_date_t promised;
		bool beyond;
		char acc[11], pro[11];
		if (calendar_add_workdays(cal, today, days, &promised, &beyond) != 0) {
			rc = YW_EINVAL;
			goto done;
		}
		date_format(today, acc);
		date_format(promised, pro);
		if (!*c.case_no && (rc = assign_case_no(db, &c, today, c.case_no)) != 0)
			goto done;
		/* Window steps at the head of the process are the acceptance itself. */
		step = 0;
		while (step < steps - 1 && strcmp(step_role(&c, step), "window") == 0)
			step++;
		st = db_prepare(db, "UPDATE cases SET state = $1, case_no = $2, accepted_at = $3, accepted_day = $4, "
				    "promised_day = $5, step = $6 WHERE id = $7");
		db_bind_int(st, 1, to);
		db_bind_text(st, 2, c.case_no);
		db_bind_int(st, 3, now);
		db_bind_text(st, 4, acc);
		db_bind_text(st, 5, pro);
		db_bind_int(st, 6, step);
		db_bind_int(st, 7, id);
		data = json_pack("{s:s, s:s, s:b}", "case_no", c.case_no, "promised_day", pro, "beyond_published", beyond);
	} else if (a == CA_SUSPEND) {
		char day[11];
		date_format(today, day);
		st = db_prepare(db, "UPDATE cases SET state = $1, suspended_day = $2, suspend_limit_days = $3 WHERE id = $4");
		db_bind_int(st, 1, to);
		db_bind_text(st, 2, day);
		db_bind_int(st, 3, json_integer_value(json_object_get(data, "days")));
		db_bind_int(st, 4, id);
	} else if (a == CA_RESUME) {
		/* Time in 特别程序 is not counted (行政许可法 §45): the promised date moves on. */
		yw_date_t promised, suspended, moved_to;
		int moved;
		bool beyond;
		char pro[11];
		if (date_parse(c.promised_day, strlen(c.promised_day), &promised) != 0 ||
		    date_parse(c.suspended_day, strlen(c.suspended_day), &suspended) != 0 ||
		    case_resume_promised(cal, promised, suspended, today, &moved_to, &moved, &beyond) != 0) {
			rc = YW_EDB;
			goto done;
		}
		date_format(moved_to, pro);
		st = db_prepare(db, "UPDATE cases SET state = $1, promised_day = $2, suspended_day = NULL, "
				    "suspended_workdays = suspended_workdays + $3 WHERE id = $4");
		db_bind_int(st, 1, to);
		db_bind_text(st, 2, pro);
		db_bind_int(st, 3, moved);
		db_bind_int(st, 4, id);
		data = json_pack("{s:i, s:s, s:b}", "suspended_workdays", moved, "promised_day", pro, "beyond_published",
				 beyond);
	} else {
		if (a == CA_PASS)
			step++;
		else if (a == CA_RETURN)
			step--;
		bool decided = to == CASE_DONE_APPROVED || to == CASE_DONE_DENIED;
		st = db_prepare(db, "UPDATE cases SET state = $1, step = $2, submitted_at = COALESCE(submitted_at, $3), "
				    "decided_at = CASE WHEN $4 = 1 THEN $3 ELSE decided_at END, "
				    "decision_note = CASE WHEN $4 = 1 THEN $5 ELSE decision_note END WHERE id = $6");
		db_bind_int(st, 1, to);
		db_bind_int(st, 2, step);
		db_bind_int(st, 3, now);
		db_bind_int(st, 4, decided);
		db_bind_text(st, 5, note);
		db_bind_int(st, 6, id);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	if (!rc)
		rc = audit_record_id(db, actor, "case.update", "cases", id);
	if (!rc)
		rc = add_event(db, actor, id, case_action_name(a), c.state, to, step, note, data);
	json_decref(data);
done:
	json_decref(c.guide);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static json_t *row_json(sqlite3_stmt *st)
{
	/* columns: id, case_no, item code, item name, dept name, state, channel, applicant_name, created_at,
	 * submitted_at, accepted_day, promised_day, decided_at, agent */
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:b}", "id",
			      (json_int_t)sqlite3_column_int64(st, 0), "item_code", db_col_text(st, 2), "item_name",
			      db_col_text(st, 3), "dept", db_col_text(st, 4), "state", sqlite3_column_int(st, 5),
			      "state_label", case_state_label(sqlite3_column_int(st, 5)), "channel", db_col_text(st, 6),
			      "applicant_name", db_col_text(st, 7), "created_at", (json_int_t)sqlite3_column_int64(st, 8),
			      "agent", sqlite3_column_int(st, 13));
	static const char *const opt[] = {NULL, "case_no", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "submitted_at",
					  "accepted_day", "promised_day", "decided_at"};
	for (int k = 0; k < 13; k++) {
		if (!opt[k])
			continue;
		json_t *val = sqlite3_column_type(st, k) == SQLITE_NULL ? json_null()
			      : sqlite3_column_type(st, k) == SQLITE_INTEGER ? json_integer(sqlite3_column_int64(st, k))
									   : json_string(db_col_text(st, k));
		json_object_set_new(o, opt[k], val);
	}
	return o;
}

#define CASE_COLS                                                                                                      \
	"SELECT c.id, c.case_no, i.code, v.name, d.name, c.state, c.channel, c.applicant_name, c.created_at, "        \
	"c.submitted_at, c.accepted_day, c.promised_day, c.decided_at, c.agent, c.region_code, c.dept_id, "           \
	"COALESCE(c.applicant_id, 0) FROM cases c JOIN items i ON i.id = c.item_id "                                   \
	"JOIN item_versions v ON v.id = c.item_version_id JOIN departments d ON d.id = c.dept_id "

int cases_list(db_t *db, const auth_user_t *actor, int state, int64_t page, int64_t size, json_t **out)
{
	sqlite3_stmt *st = db_prepare(db, CASE_COLS "WHERE ($1 < 0 OR c.state = $1) ORDER BY c.id DESC");
	db_bind_int(st, 1, state);
	json_t *items = json_array();
	int64_t total = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		case_row_t c = {.dept_id = sqlite3_column_int64(st, 15), .applicant_id = sqlite3_column_int64(st, 16)};
		snprintf(c.region, sizeof c.region, "%s", db_col_text(st, 14));
		if (!visible(actor, &c))
			continue;
		if (total++ >= (page - 1) * size && (int64_t)json_array_size(items) < size)
			json_array_append_new(items, row_json(st));
	}
	sqlite3_reset(st);
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

int cases_check_visible(db_t *db, const auth_user_t *actor, int64_t id)
{
	case_row_t c = {0};
	int rc = load(db, id, &c);
	json_decref(c.guide);
	return rc ? rc : visible(actor, &c) ? 0 : YW_ENOTFOUND;
}

int cases_get(db_t *db, const auth_user_t *actor, int64_t id, const calendar_t *cal, json_t **out)
{
	case_row_t c = {0};
	int rc = load(db, id, &c);
	if (rc)
		return rc;
	if (!visible(actor, &c)) {
		json_decref(c.guide);
		return YW_ENOTFOUND;
	}
	sqlite3_stmt *st = db_prepare(db, CASE_COLS "WHERE c.id = $1");
	db_bind_int(st, 1, id);
	sqlite3_step(st);
	json_t *o = row_json(st);
	sqlite3_reset(st);
	st = db_prepare(db, "SELECT form, applicant_no, applicant_phone FROM cases WHERE id = $1");
	db_bind_int(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_object_set_new(o, "form", json_loads(db_col_text(st, 0), 0, NULL));
		json_object_set_new(o, "applicant_no", json_string(db_col_text(st, 1)));
		json_object_set_new(o, "applicant_phone", json_string(db_col_text(st, 2)));
	}
	sqlite3_reset(st);
	json_t *events = json_array();
	st = db_prepare(db, "SELECT at, actor, action, state_from, state_to, step, note, data FROM case_events "
			    "WHERE case_id = $1 ORDER BY id");
	db_bind_int(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *e = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s}", "at", (json_int_t)sqlite3_column_int64(st, 0),
				      "actor", db_col_text(st, 1), "action", db_col_text(st, 2), "state_to",
				      sqlite3_column_int(st, 4), "state_label", case_state_label(sqlite3_column_int(st, 4)),
				      "note", db_col_text(st, 6));
		json_object_set_new(e, "step", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
										       : json_integer(sqlite3_column_int(st, 5)));
		json_t *data = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL : json_loads(db_col_text(st, 7), 0, NULL);
		json_object_set_new(e, "data", data ? data : json_null());
		json_array_append_new(events, e);
	}
	sqlite3_reset(st);
	json_object_set_new(o, "events", events);
	json_object_set_new(o, "steps", json_deep_copy(json_object_get(c.guide, "steps")));
	json_object_set_new(o, "current_step", c.state == CASE_ACCEPTED ? json_integer(c.step) : json_null());
	yw_date_t acc, pro;
	if (*c.accepted_day && date_parse(c.accepted_day, strlen(c.accepted_day), &acc) == 0 &&
	    date_parse(c.promised_day, strlen(c.promised_day), &pro) == 0) {
		/* While suspended the clock stands at the day it stopped; days of earlier suspensions
		 * are not used time either. */
		yw_date_t now = date_today_local((int64_t)yw_now()), stopped;
		bool suspended = *c.suspended_day && date_parse(c.suspended_day, strlen(c.suspended_day), &stopped) == 0;
		case_clock_t k;
		case_clock_compute(cal, acc, pro, suspended ? stopped : now, &k);
		json_object_set_new(o, "clock", json_pack("{s:i, s:i, s:i, s:b, s:b, s:b}", "used_workdays",
							  k.used - c.suspended_workdays, "remaining_workdays", k.remaining,
							  "suspended_workdays", c.suspended_workdays, "suspended", suspended,
							  "overdue", k.overdue, "beyond_published", k.beyond_published));
	} else {
		json_object_set_new(o, "clock", json_null());
	}
	json_decref(c.guide);
	*out = o;
	return 0;
}
