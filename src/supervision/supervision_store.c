/* Supervision store: 督办 orders (issued by supervisors, answered by the department, closed by
 * the supervisor) and the read models of electronic supervision: open cases with their signals,
 * the cards issued, and the dashboard's summary. Every query is bounded by a scope (sv_scope_t),
 * written into the SQL so that pages and totals agree. */
#include <stdio.h>
#include <string.h>

#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"
#include "supervision/supervision_store.h"

/* The scope of every query below: department :dept_id (0 = any) and the department's region
 * within region prefix :prefix of :prefix_len characters (auth_region_within's SQL). This is the
 * supervision scope (sv_scope_of: supervisors their region, a department itself), not who sees a
 * case: a single case is checked with cases_check_visible. */
#define SCOPE "(:dept_id = 0 OR d.id = :dept_id) AND " AUTH_REGION_WITHIN_SQL("d.region_code", "prefix") " "

void sv_scope_of(const auth_user_t *u, int64_t dept_filter, sv_scope_t *out)
{
	*out = (sv_scope_t){0};
	if (auth_has_perm(u, PERM_SUPERVISE)) {
		out->dept_id = dept_filter;
		out->prefix_len = (int)auth_region_prefix_len(u->region_code);
		snprintf(out->prefix, sizeof out->prefix, "%.*s", out->prefix_len, u->region_code);
	} else {
		/* a department sees itself only, whatever it asked for */
		out->dept_id = u->dept_id && (!dept_filter || dept_filter == u->dept_id) ? u->dept_id : -1;
	}
}

static void bind_scope(db_stmt_t *st, const sv_scope_t *sc)
{
	db_bind_int(st, "dept_id", sc->dept_id);
	db_bind_int(st, "prefix_len", sc->prefix_len);
	db_bind_text(st, "prefix", sc->prefix);
}

/* The row as an object: column i under names[i]; names ends with NULL. */
static json_t *row_object(db_stmt_t *st, const char *const *names)
{
	json_t *o = json_object();
	for (int i = 0; names[i]; i++)
		json_object_set_new(o, names[i], db_col_json(st, i));
	return o;
}

static json_t *page_json(int64_t total, int64_t page, int64_t size, json_t *items)
{
	return json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
}

/* The single figure of a SELECT COUNT(*). */
static int count(db_stmt_t *st, int64_t *n)
{
	int rc = db_one(st);
	if (rc == 0) {
		*n = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* ---- 督办 orders ---- */

static const char *order_state_label(const char *s)
{
	return strcmp(s, "open") == 0 ? "待答复" : strcmp(s, "answered") == 0 ? "已答复" : "已办结";
}

#define ORDER_FROM                                                                                                     \
	"FROM supervision_orders o JOIN departments d ON d.id = o.dept_id LEFT JOIN cases c ON c.id = o.case_id "      \
	"LEFT JOIN disclosure_requests dr ON dr.id = o.disclosure_request_id "                                          \
	"JOIN users iu ON iu.id = o.issued_by LEFT JOIN users au ON au.id = o.answered_by "
#define ORDER_COLS                                                                                                     \
	"SELECT o.id, o.case_id, c.case_no, o.dept_id, d.name, o.title, o.content, o.due_day, o.issued_by, iu.name, "  \
	"o.issued_at, o.state, o.answer, o.answered_by, au.name, o.answered_at, o.closed_at, o.overdue, "             \
	"o.disclosure_request_id, dr.request_no " ORDER_FROM

static json_t *order_json(db_stmt_t *st)
{
	static const char *const names[] = {"id",        "case_id",   "case_no",     "dept_id",     "dept",
					    "title",     "content",   "due_day",     "issued_by",   "issued_by_name",
					    "issued_at", "state",     "answer",      "answered_by", "answered_by_name",
					    "answered_at", "closed_at", "overdue",   "disclosure_request_id",
					    "request_no", NULL};
	json_t *o = row_object(st, names);
	json_object_set_new(o, "state_label", json_string(order_state_label(db_col_text(st, 11))));
	json_object_set_new(o, "overdue", json_boolean(db_col_int(st, 17)));
	return o;
}

/* Whether dept_id handles the case: its own department or one of its 并联 co-departments. */
static int dept_handles_case(db_t *db, int64_t case_id, int64_t dept_id, bool *yes)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM cases WHERE id = :case_id AND dept_id = :dept_id UNION ALL "
				       "SELECT 1 FROM case_parallel WHERE case_id = :case_id AND dept_id = :dept_id");
	db_bind_int(st, "case_id", case_id);
	db_bind_int(st, "dept_id", dept_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		db_reset(st);
	*yes = rc == DB_ROW;
	return rc < 0 ? rc : 0;
}

static int case_dept(db_t *db, int64_t case_id, int64_t *dept)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", case_id);
	int rc = db_one(st);
	if (rc == 0) {
		*dept = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* Whether the department exists and lies in the actor's scope. */
static int dept_in_scope(db_t *db, const auth_user_t *actor, int64_t dept_id, bool *ok)
{
	db_stmt_t *st = db_prepare(db, "SELECT region_code FROM departments WHERE id = :dept_id");
	db_bind_int(st, "dept_id", dept_id);
	int rc = db_one(st);
	*ok = rc == 0 && auth_dept_in_scope(actor, dept_id, db_col_text(st, 0));
	if (rc == 0)
		db_reset(st);
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* The organ of disclosure request id (the disclosure module's read model): YW_ENOTFOUND when none. */
static int request_organ(db_t *db, int64_t id, int64_t *dept)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id FROM disclosure_requests WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*dept = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* Field errors in v for a target outside the actor's reach; a store failure is returned. A 督办 on
 * a disclosure request goes to the request's organ (the organ's region in the actor's scope). */
static int check_order_target(db_t *db, const auth_user_t *actor, vctx_t *v, int64_t case_id, int64_t request_id,
			      int64_t *dept_id)
{
	int rc;
	if (case_id && request_id) {
		v_error(v, "disclosure_request_id", "督办单只能针对一个办件或一件政府信息公开申请");
		return 0;
	}
	if (request_id) {
		int64_t organ = 0;
		rc = request_organ(db, request_id, &organ);
		if (rc && rc != YW_ENOTFOUND)
			return rc;
		bool ok = false;
		if (!rc && (rc = dept_in_scope(db, actor, organ, &ok)) != 0)
			return rc;
		if (!ok) {
			v_error(v, "disclosure_request_id", "政府信息公开申请不存在或不在您的监察范围内");
			return 0;
		}
		if (*dept_id && *dept_id != organ) {
			v_error(v, "dept_id", "应为该申请的承办机关");
			return 0;
		}
		*dept_id = organ;
	}
	if (case_id) {
		rc = cases_check_visible(db, actor, case_id);
		if (rc == YW_ENOTFOUND) {
			v_error(v, "case_id", "办件不存在或不在您的监察范围内");
			return 0;
		}
		if (rc)
			return rc;
		if (!*dept_id) {
			if ((rc = case_dept(db, case_id, dept_id)) != 0)
				return rc;
		} else {
			bool handles;
			if ((rc = dept_handles_case(db, case_id, *dept_id, &handles)) != 0)
				return rc;
			if (!handles)
				v_error(v, "dept_id", "应为该办件的承办部门");
		}
	}
	if (!*dept_id && !case_id) {
		v_error(v, "dept_id", "不能为空");
	} else if (*dept_id) {
		bool ok;
		if ((rc = dept_in_scope(db, actor, *dept_id, &ok)) != 0)
			return rc;
		if (!ok)
			v_error(v, "dept_id", "部门不存在或不在您的监察范围内");
	}
	return 0;
}

int sv_order_create(db_t *db, const auth_user_t *actor, json_t *in, const calendar_t *cal, yw_date_t today, vctx_t *v,
		    int64_t *id_out)
{
	int64_t case_id = v_int(v, in, "case_id", 1, INT64_MAX, false, 0);
	int64_t dept_id = v_int(v, in, "dept_id", 1, INT64_MAX, false, 0);
	int64_t request_id = v_int(v, in, "disclosure_request_id", 1, INT64_MAX, false, 0);
	const char *title = v_str(v, in, "title", 1, 100);
	const char *content = v_str(v, in, "content", 1, 2000);
	const char *due_s = v_str(v, in, "due_day", 1, 10);
	yw_date_t due;
	if (*due_s && (date_parse(due_s, strlen(due_s), &due) != 0 || due <= today || !calendar_is_workday(cal, due)))
		v_error(v, "due_day", "应为今天之后的某个工作日（YYYY-MM-DD）");
	if (v_ok(v)) {
		int rc = check_order_target(db, actor, v, case_id, request_id, &dept_id);
		if (rc)
			return rc;
	}
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO supervision_orders(case_id, disclosure_request_id, dept_id, title, "
				       "content, due_day, issued_by, issued_at) VALUES (:case_id, :request_id, :dept_id, "
				       ":title, :content, :due_day, :issued_by, :issued_at) RETURNING id");
	db_bind_id(st, "case_id", case_id);
	db_bind_id(st, "request_id", request_id);
	db_bind_int(st, "dept_id", dept_id);
	db_bind_text(st, "title", title);
	db_bind_text(st, "content", content);
	db_bind_text(st, "due_day", due_s);
	db_bind_int(st, "issued_by", actor->id);
	db_bind_int(st, "issued_at", yw_now());
	int rc = db_one(st);
	*id_out = 0;
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
	}
	if (!rc)
		rc = audit_record_id(db, actor, "order.issue", "supervision_orders", *id_out);
	if (!rc)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int sv_order_get(db_t *db, const sv_scope_t *sc, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, ORDER_COLS "WHERE " SCOPE "AND o.id = :id");
	bind_scope(st, sc);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*out = order_json(st);
		db_reset(st);
	}
	return rc;
}

int sv_orders_list(db_t *db, const sv_scope_t *sc, const char *state, int64_t page, int64_t size, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) " ORDER_FROM "WHERE " SCOPE
				       "AND (CAST(:state AS TEXT) IS NULL OR o.state = :state)");
	bind_scope(st, sc);
	db_bind_text(st, "state", state);
	int64_t total = 0;
	int rc = count(st, &total);
	if (rc)
		return rc;
	st = db_prepare(db, ORDER_COLS "WHERE " SCOPE "AND (CAST(:state AS TEXT) IS NULL OR o.state = :state) "
				       "ORDER BY o.id DESC LIMIT :page_size OFFSET :skip");
	bind_scope(st, sc);
	db_bind_text(st, "state", state);
	db_bind_int(st, "page_size", size);
	db_bind_int(st, "skip", (page - 1) * size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, order_json(st));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = page_json(total, page, size, items);
	return 0;
}

/* The order's department, its region and state, read inside the writer's transaction. */
static int load_order(db_t *db, int64_t id, int64_t *dept_id, char *region, char *state)
{
	db_stmt_t *st = db_prepare(db, "SELECT o.dept_id, d.region_code, o.state FROM supervision_orders o "
				       "JOIN departments d ON d.id = o.dept_id WHERE o.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*dept_id = db_col_int(st, 0);
		snprintf(region, 16, "%s", db_col_text(st, 1));
		snprintf(state, 12, "%s", db_col_text(st, 2));
		db_reset(st);
	}
	return rc;
}

static int finish(db_t *db, int rc)
{
	if (!rc)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int sv_order_answer(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v)
{
	const char *answer = v_str(v, in, "answer", 1, 2000);
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	int64_t dept = 0;
	char region[16], state[12];
	int rc = load_order(db, id, &dept, region, state);
	if (!rc && (!actor->dept_id || dept != actor->dept_id))
		rc = YW_ENOTFOUND; /* another department's order is not shown to this one */
	if (!rc && strcmp(state, "open") != 0)
		rc = YW_ECONFLICT;
	if (!rc) {
		db_stmt_t *st = db_prepare(db, "UPDATE supervision_orders SET state = 'answered', answer = :answer, "
					       "answered_by = :answered_by, answered_at = :answered_at WHERE id = :id");
		db_bind_text(st, "answer", answer);
		db_bind_int(st, "answered_by", actor->id);
		db_bind_int(st, "answered_at", yw_now());
		db_bind_int(st, "id", id);
		rc = db_run(st);
	}
	if (!rc)
		rc = audit_record_id(db, actor, "order.answer", "supervision_orders", id);
	return finish(db, rc);
}

int sv_order_close(db_t *db, const auth_user_t *actor, int64_t id)
{
	if (db_begin(db))
		return YW_EDB;
	int64_t dept = 0;
	char region[16], state[12];
	int rc = load_order(db, id, &dept, region, state);
	if (!rc && !auth_dept_in_scope(actor, dept, region))
		rc = YW_ENOTFOUND;
	if (!rc && strcmp(state, "answered") != 0)
		rc = YW_ECONFLICT;
	if (!rc) {
		db_stmt_t *st = db_prepare(db, "UPDATE supervision_orders SET state = 'closed', closed_at = :closed_at "
					       "WHERE id = :id");
		db_bind_int(st, "closed_at", yw_now());
		db_bind_int(st, "id", id);
		rc = db_run(st);
	}
	if (!rc)
		rc = audit_record_id(db, actor, "order.close", "supervision_orders", id);
	return finish(db, rc);
}

/* ---- signals, cards, summary ---- */

/* A case is listed for its own signal or for one of its open steps; the level filter matches either. */
#define STEP_SIGNAL(cond) "EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.finished_at IS NULL AND " cond ")"
#define SIGNAL_FROM                                                                                                    \
	"FROM cases c JOIN departments d ON d.id = c.dept_id JOIN item_versions v ON v.id = c.item_version_id "        \
	"WHERE " SCOPE "AND " SV_OPEN_CASE " AND (c.signal > 0 OR " STEP_SIGNAL("s.signal > 0") ") "                   \
	"AND (:level = 0 OR c.signal = :level OR " STEP_SIGNAL("s.signal = :level") ") "

/* Open steps of the case that carry a signal of their own; new reference in *out. */
static int signal_steps(db_t *db, int64_t case_id, json_t **out)
{
	static const char *const names[] = {"step", "name", "due_day", "level", NULL};
	db_stmt_t *st = db_prepare(db, "SELECT step, name, due_day, signal FROM case_steps WHERE case_id = :case_id "
				       "AND finished_at IS NULL AND signal > 0 ORDER BY id");
	db_bind_int(st, "case_id", case_id);
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, row_object(st, names));
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int signal_json(db_t *db, db_stmt_t *st, const calendar_t *cal, yw_date_t today, json_t **out)
{
	static const char *const names[] = {"id", "case_no", "item_name", "dept_id", "dept", "state", "promised_day",
					    NULL};
	json_t *o = row_object(st, names);
	int level = (int)db_col_int(st, 8);
	const char *pro = db_col_text(st, 6), *stopped = db_col_text(st, 7);
	yw_date_t due, stop = 0;
	sv_eval_t e;
	sv_limits_t lim = {config_current()->warn_workdays, config_current()->red_overdue_workdays};
	bool suspended = *stopped && date_parse(stopped, strlen(stopped), &stop) == 0;
	bool known = date_parse(pro, strlen(pro), &due) == 0 &&
		     supervision_signal(cal, &lim, 0, due, supervision_clock_day(today, suspended, stop), &e) == 0;
	json_object_set_new(o, "remaining_workdays", known ? json_integer(e.remaining) : json_null());
	json_object_set_new(o, "suspended", json_boolean(suspended));
	json_object_set_new(o, "level", json_integer(level));
	json_object_set_new(o, "level_label", json_string(supervision_signal_label(level)));
	json_t *steps;
	int rc = signal_steps(db, db_col_int(st, 0), &steps);
	if (rc) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "steps", steps);
	*out = o;
	return 0;
}

int sv_signals(db_t *db, const sv_scope_t *sc, const calendar_t *cal, yw_date_t today, int level, int64_t page,
	       int64_t size, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) " SIGNAL_FROM);
	bind_scope(st, sc);
	db_bind_int(st, "level", level);
	int64_t total = 0;
	int rc = count(st, &total);
	if (rc)
		return rc;
	st = db_prepare(db, "SELECT c.id, c.case_no, v.name, c.dept_id, d.name, c.state, c.promised_day, "
			    "COALESCE(c.suspended_day, ''), c.signal " SIGNAL_FROM
			    "ORDER BY c.signal DESC, c.promised_day, c.id LIMIT :page_size OFFSET :skip");
	bind_scope(st, sc);
	db_bind_int(st, "level", level);
	db_bind_int(st, "page_size", size);
	db_bind_int(st, "skip", (page - 1) * size);
	json_t *items = json_array(), *o;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((rc = signal_json(db, st, cal, today, &o)) != 0) {
			db_reset(st);
			break;
		}
		json_array_append_new(items, o);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = page_json(total, page, size, items);
	return 0;
}

#define CARD_FROM                                                                                                      \
	"FROM cards k JOIN departments d ON d.id = k.dept_id LEFT JOIN supervision_orders o ON o.id = k.order_id "     \
	"LEFT JOIN cases c ON c.id = COALESCE(k.case_id, o.case_id) LEFT JOIN users u ON u.id = k.user_id "            \
	"LEFT JOIN disclosure_requests dr ON dr.id = COALESCE(k.disclosure_request_id, o.disclosure_request_id) "      \
	"WHERE " SCOPE "AND (CAST(:from_day AS TEXT) IS NULL OR k.day >= :from_day) "                                  \
	"AND (CAST(:to_day AS TEXT) IS NULL OR k.day <= :to_day) AND (:level = 0 OR k.level = :level) "                \
	"AND (CAST(:kind AS TEXT) IS NULL OR k.kind = :kind) "

static void bind_card_filters(db_stmt_t *st, const sv_scope_t *sc, const char *from, const char *to, int level,
			      const char *kind)
{
	bind_scope(st, sc);
	db_bind_text(st, "from_day", from);
	db_bind_text(st, "to_day", to);
	db_bind_int(st, "level", level);
	db_bind_text(st, "kind", kind);
}

int sv_cards(db_t *db, const sv_scope_t *sc, const char *from, const char *to, int level, const char *kind,
	     int64_t page, int64_t size, json_t **out)
{
	static const char *const names[] = {"id",      "case_id", "case_no", "step",      "level",    "kind",
					    "dept_id", "dept",    "user_id", "user_name", "day",      "at",
					    "note",    "order_id", "review_id", "disclosure_request_id", "request_no",
					    "hotline_order_id", NULL};
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) " CARD_FROM);
	bind_card_filters(st, sc, from, to, level, kind);
	int64_t total = 0;
	int rc = count(st, &total);
	if (rc)
		return rc;
	st = db_prepare(db, "SELECT k.id, COALESCE(k.case_id, o.case_id), c.case_no, k.step, k.level, k.kind, "
			    "k.dept_id, d.name, k.user_id, u.name, k.day, k.at, k.note, k.order_id, k.review_id, "
			    "COALESCE(k.disclosure_request_id, o.disclosure_request_id), dr.request_no, k.hotline_order_id "
			    CARD_FROM "ORDER BY k.id DESC LIMIT :page_size OFFSET :skip");
	bind_card_filters(st, sc, from, to, level, kind);
	db_bind_int(st, "page_size", size);
	db_bind_int(st, "skip", (page - 1) * size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = row_object(st, names);
		static const char *const level_labels[] = {"", "预警", "黄牌", "红牌"};
		int64_t lv = db_col_int(st, 4);
		json_object_set_new(o, "level_label", json_string(lv >= 1 && lv <= 3 ? level_labels[lv] : ""));
		json_object_set_new(o, "kind_label", json_string(supervision_kind_label(db_col_text(st, 5))));
		json_array_append_new(items, o);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = page_json(total, page, size, items);
	return 0;
}

/* Open cases (or their open steps, for steps) by signal; new reference in *out. */
static int signal_counts(db_t *db, const sv_scope_t *sc, bool steps, json_t **out)
{
	static const char *const keys[] = {"normal", "warning", "yellow", "red"};
	json_int_t n[4] = {0}, open = 0;
	db_stmt_t *st =
		steps ? db_prepare(db, "SELECT s.signal, COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id "
				      "JOIN departments d ON d.id = c.dept_id WHERE " SCOPE
				      "AND s.finished_at IS NULL AND " SV_OPEN_CASE " GROUP BY s.signal")
		      : db_prepare(db, "SELECT c.signal, COUNT(*) FROM cases c JOIN departments d ON d.id = c.dept_id "
				      "WHERE " SCOPE "AND " SV_OPEN_CASE " GROUP BY c.signal");
	bind_scope(st, sc);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t s = db_col_int(st, 0);
		json_int_t k = db_col_int(st, 1);
		if (s >= 0 && s <= 3)
			n[s] += k;
		open += k;
	}
	if (rc < 0)
		return rc;
	json_t *o = json_pack("{s:I}", "open", open);
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, keys[i], json_integer(n[i]));
	*out = o;
	return 0;
}

/* Open disclosure requests (依申请公开, not yet replied to) by signal; new reference in *out. */
static int request_signal_counts(db_t *db, const sv_scope_t *sc, json_t **out)
{
	static const char *const keys[] = {"normal", "warning", "yellow", "red"};
	json_int_t n[4] = {0}, open = 0;
	db_stmt_t *st = db_prepare(db, "SELECT r.signal, COUNT(*) AS n FROM disclosure_requests r JOIN departments d "
				       "ON d.id = r.dept_id WHERE " SCOPE "AND r.state <> 'replied' GROUP BY r.signal");
	bind_scope(st, sc);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t s = db_col_int(st, 0);
		json_int_t k = db_col_int(st, 1);
		if (s >= 0 && s <= 3)
			n[s] += k;
		open += k;
	}
	if (rc < 0)
		return rc;
	json_t *o = json_pack("{s:I}", "open", open);
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, keys[i], json_integer(n[i]));
	*out = o;
	return 0;
}

static int month_card_counts(db_t *db, const sv_scope_t *sc, const char *first, const char *next, json_t **out)
{
	json_int_t total = 0;
	db_stmt_t *st = db_prepare(db, "SELECT k.level, k.kind, COUNT(*) FROM cards k JOIN departments d "
				       "ON d.id = k.dept_id WHERE " SCOPE "AND k.day >= :first AND k.day < :next "
				       "GROUP BY k.level, k.kind");
	bind_scope(st, sc);
	db_bind_text(st, "first", first);
	db_bind_text(st, "next", next);
	json_t *by_level = json_pack("{s:i, s:i, s:i}", "1", 0, "2", 0, "3", 0), *by_kind = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char lv[24];
		snprintf(lv, sizeof lv, "%lld", (long long)db_col_int(st, 0));
		const char *kind = db_col_text(st, 1);
		json_int_t k = db_col_int(st, 2);
		json_object_set_new(by_level, lv, json_integer(json_integer_value(json_object_get(by_level, lv)) + k));
		json_object_set_new(by_kind, kind, json_integer(json_integer_value(json_object_get(by_kind, kind)) + k));
		total += k;
	}
	if (rc < 0) {
		json_decref(by_level);
		json_decref(by_kind);
		return rc;
	}
	*out = json_pack("{s:I, s:o, s:o}", "total", total, "by_level", by_level, "by_kind", by_kind);
	return 0;
}

static int order_counts(db_t *db, const sv_scope_t *sc, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT o.state, o.overdue, COUNT(*) FROM supervision_orders o "
				       "JOIN departments d ON d.id = o.dept_id WHERE " SCOPE
				       "GROUP BY o.state, o.overdue");
	bind_scope(st, sc);
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i}", "open", 0, "answered", 0, "closed", 0, "overdue", 0,
			      "overdue_open", 0);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *state = db_col_text(st, 0);
		bool overdue = db_col_int(st, 1) != 0;
		json_int_t k = db_col_int(st, 2);
		json_object_set_new(o, state, json_integer(json_integer_value(json_object_get(o, state)) + k));
		if (overdue)
			json_object_set_new(o, "overdue", json_integer(json_integer_value(json_object_get(o, "overdue")) + k));
		if (overdue && strcmp(state, "open") == 0)
			json_object_set_new(o, "overdue_open", json_integer(k));
	}
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int sv_summary(db_t *db, const sv_scope_t *sc, yw_date_t today, json_t **out)
{
	int y, m, dd;
	date_to_ymd(today, &y, &m, &dd);
	char day[11], first[11], next[11], month[8];
	date_format(today, day);
	date_format(date_from_ymd(y, m, 1), first);
	date_format(m == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 1, 1), next);
	snprintf(month, sizeof month, "%.7s", first);
	json_t *cases = NULL, *steps = NULL, *requests = NULL, *cards = NULL, *orders = NULL;
	int rc = signal_counts(db, sc, false, &cases);
	if (!rc)
		rc = signal_counts(db, sc, true, &steps);
	if (!rc)
		rc = request_signal_counts(db, sc, &requests);
	if (!rc)
		rc = month_card_counts(db, sc, first, next, &cards);
	if (!rc)
		rc = order_counts(db, sc, &orders);
	if (rc) {
		json_decref(cases);
		json_decref(steps);
		json_decref(requests);
		json_decref(cards);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "day", day, "month", month, "cases", cases, "steps",
			 steps, "disclosure_requests", requests, "cards", cards, "orders", orders);
	return 0;
}

/* ---- cards ---- */

int supervision_case_cards_json(db_t *db, int64_t case_id, json_t **out)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(
		db, "SELECT level, kind, step, day, note FROM cards WHERE case_id = :case_id ORDER BY id");
	db_bind_int(st, "case_id", case_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, json_pack("{s:i, s:s, s:i, s:s, s:s}", "level", (int)db_col_int(st, 0),
						      "kind", db_col_text(st, 1), "step", (int)db_col_int(st, 2), "day",
						      db_col_text(st, 3), "note", db_col_text(st, 4)));
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int supervision_request_cards_json(db_t *db, int64_t request_id, json_t **out)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(db, "SELECT id, level, kind, day, note FROM cards WHERE disclosure_request_id = :id "
				       "ORDER BY id");
	db_bind_int(st, "id", request_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int level = (int)db_col_int(st, 1);
		const char *kind = db_col_text(st, 2);
		json_array_append_new(list, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s}", "id",
						      (json_int_t)db_col_int(st, 0), "level", level, "level_label",
						      supervision_signal_label(level), "kind", kind, "kind_label",
						      supervision_kind_label(kind), "day", db_col_text(st, 3), "note",
						      db_col_text(st, 4)));
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static void bind_card(db_stmt_t *st, const sv_card_t *c)
{
	db_bind_id(st, "case_id", c->case_id);
	db_bind_int(st, "step", c->step);
	db_bind_int(st, "level", c->level);
	db_bind_text(st, "kind", c->kind);
	db_bind_id(st, "dept_id", c->dept_id);
	db_bind_id(st, "user_id", c->user_id);
	db_bind_text(st, "day", c->day);
	db_bind_int(st, "at", c->at);
	db_bind_text(st, "note", c->note ? c->note : "");
	db_bind_id(st, "review_id", c->review_id);
	db_bind_id(st, "order_id", c->order_id);
	db_bind_id(st, "disclosure_request_id", c->disclosure_request_id);
	db_bind_id(st, "hotline_order_id", c->hotline_order_id);
}

int supervision_store_card_add(db_t *db, const auth_user_t *actor, const sv_card_t *c, int64_t *id_out)
{
	if (id_out)
		*id_out = 0;
	db_stmt_t *st = db_prepare(db, "INSERT INTO cards(case_id, step, level, kind, dept_id, user_id, day, at, note, "
				       "review_id, order_id, disclosure_request_id, hotline_order_id) VALUES (:case_id, :step, "
				       ":level, :kind, :dept_id, :user_id, :day, :at, :note, :review_id, :order_id, "
				       ":disclosure_request_id, :hotline_order_id) ON CONFLICT DO NOTHING RETURNING id");
	bind_card(st, c);
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		return 0; /* issued before */
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	if (id_out)
		*id_out = id;
	return audit_record_id(db, actor, "card.issue", "cards", id);
}

int supervision_store_card_add_generated(db_t *db, const sv_card_t *c)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO cards(case_id, step, level, kind, dept_id, user_id, day, at, note, "
				       "review_id, order_id, disclosure_request_id, hotline_order_id) VALUES (:case_id, :step, "
				       ":level, :kind, :dept_id, :user_id, :day, :at, :note, :review_id, :order_id, "
				       ":disclosure_request_id, :hotline_order_id)");
	bind_card(st, c);
	return db_run(st);
}

int supervision_cards_count(db_t *db, int64_t *n)
{
	return db_query_int(db, "SELECT COUNT(*) FROM cards", NULL, n);
}
