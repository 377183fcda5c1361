/* Supervision store: 督办 orders (issued by supervisors, answered by the department, closed by
 * the supervisor) and the read models of electronic supervision: open cases with their signals,
 * the cards issued, and the dashboard's summary. Every query is bounded by a scope (sv_scope_t),
 * written into the SQL so that pages and totals agree. */
#include <stdio.h>
#include "platform/db_legacy.h"
#include <string.h>

#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "supervision/supervision_store.h"

/* The scope takes $1..$3 of every query below: department (0 = any) and region prefix. */
#define SCOPE "($1 = 0 OR d.id = $1) AND substr(d.region_code, 1, $2) = $3 "

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

static void bind_scope(sqlite3_stmt *st, const sv_scope_t *sc)
{
	dbl_bind_int(st, 1, sc->dept_id);
	dbl_bind_int(st, 2, sc->prefix_len);
	dbl_bind_text(st, 3, sc->prefix);
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: return json_null();
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
	default: return json_string(dbl_col_text(st, i));
	}
}

/* The row as an object: column i under names[i]; names ends with NULL. */
static json_t *row_object(sqlite3_stmt *st, const char *const *names)
{
	json_t *o = json_object();
	for (int i = 0; names[i]; i++)
		json_object_set_new(o, names[i], col_json(st, i));
	return o;
}

static json_t *page_json(int64_t total, int64_t page, int64_t size, json_t *items)
{
	return json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
}

static int64_t count(sqlite3_stmt *st)
{
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return n;
}

/* ---- 督办 orders ---- */

static const char *order_state_label(const char *s)
{
	return strcmp(s, "open") == 0 ? "待答复" : strcmp(s, "answered") == 0 ? "已答复" : "已办结";
}

#define ORDER_FROM                                                                                                     \
	"FROM supervision_orders o JOIN departments d ON d.id = o.dept_id LEFT JOIN cases c ON c.id = o.case_id "      \
	"JOIN users iu ON iu.id = o.issued_by LEFT JOIN users au ON au.id = o.answered_by "
#define ORDER_COLS                                                                                                     \
	"SELECT o.id, o.case_id, c.case_no, o.dept_id, d.name, o.title, o.content, o.due_day, o.issued_by, iu.name, "  \
	"o.issued_at, o.state, o.answer, o.answered_by, au.name, o.answered_at, o.closed_at, o.overdue " ORDER_FROM

static json_t *order_json(sqlite3_stmt *st)
{
	static const char *const names[] = {"id",        "case_id",   "case_no",     "dept_id",     "dept",
					    "title",     "content",   "due_day",     "issued_by",   "issued_by_name",
					    "issued_at", "state",     "answer",      "answered_by", "answered_by_name",
					    "answered_at", "closed_at", "overdue",   NULL};
	json_t *o = row_object(st, names);
	json_object_set_new(o, "state_label", json_string(order_state_label(dbl_col_text(st, 11))));
	json_object_set_new(o, "overdue", json_boolean(sqlite3_column_int(st, 17)));
	return o;
}

/* The order's department: the case's own or one of its 并联 co-departments. */
static bool dept_handles_case(db_t *db, int64_t case_id, int64_t dept_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT 1 FROM cases WHERE id = $1 AND dept_id = $2 UNION ALL "
					  "SELECT 1 FROM case_parallel WHERE case_id = $1 AND dept_id = $2");
	dbl_bind_int(st, 1, case_id);
	dbl_bind_int(st, 2, dept_id);
	bool yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

static int64_t case_dept(db_t *db, int64_t case_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT dept_id FROM cases WHERE id = $1");
	dbl_bind_int(st, 1, case_id);
	int64_t dept = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return dept;
}

static bool dept_in_scope(db_t *db, const auth_user_t *actor, int64_t dept_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT region_code FROM departments WHERE id = $1");
	dbl_bind_int(st, 1, dept_id);
	bool ok = sqlite3_step(st) == SQLITE_ROW && auth_dept_in_scope(actor, dept_id, dbl_col_text(st, 0));
	sqlite3_reset(st);
	return ok;
}

static void check_order_target(db_t *db, const auth_user_t *actor, vctx_t *v, int64_t case_id, int64_t *dept_id)
{
	if (case_id) {
		if (cases_check_visible(db, actor, case_id) != 0) {
			v_error(v, "case_id", "办件不存在或不在您的监察范围内");
			return;
		}
		if (!*dept_id)
			*dept_id = case_dept(db, case_id);
		else if (!dept_handles_case(db, case_id, *dept_id))
			v_error(v, "dept_id", "应为该办件的承办部门");
	}
	if (!*dept_id && !case_id)
		v_error(v, "dept_id", "不能为空");
	else if (*dept_id && !dept_in_scope(db, actor, *dept_id))
		v_error(v, "dept_id", "部门不存在或不在您的监察范围内");
}

int sv_order_create(db_t *db, const auth_user_t *actor, json_t *in, const calendar_t *cal, yw_date_t today, vctx_t *v,
		    int64_t *id_out)
{
	int64_t case_id = v_int(v, in, "case_id", 1, INT64_MAX, false, 0);
	int64_t dept_id = v_int(v, in, "dept_id", 1, INT64_MAX, false, 0);
	const char *title = v_str(v, in, "title", 1, 100);
	const char *content = v_str(v, in, "content", 1, 2000);
	const char *due_s = v_str(v, in, "due_day", 1, 10);
	yw_date_t due;
	if (*due_s && (date_parse(due_s, strlen(due_s), &due) != 0 || due <= today || !calendar_is_workday(cal, due)))
		v_error(v, "due_day", "应为今天之后的某个工作日（YYYY-MM-DD）");
	if (v_ok(v))
		check_order_target(db, actor, v, case_id, &dept_id);
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO supervision_orders(case_id, dept_id, title, content, due_day, "
					  "issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	if (case_id)
		dbl_bind_int(st, 1, case_id);
	dbl_bind_int(st, 2, dept_id);
	dbl_bind_text(st, 3, title);
	dbl_bind_text(st, 4, content);
	dbl_bind_text(st, 5, due_s);
	dbl_bind_int(st, 6, actor->id);
	dbl_bind_int(st, 7, yw_now());
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	*id_out = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!rc)
		rc = audit_record_id(db, actor, "order.issue", "supervision_orders", *id_out);
	if (!rc)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int sv_order_get(db_t *db, const sv_scope_t *sc, int64_t id, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, ORDER_COLS "WHERE " SCOPE "AND o.id = $4");
	bind_scope(st, sc);
	dbl_bind_int(st, 4, id);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*out = order_json(st);
	sqlite3_reset(st);
	return s == SQLITE_ROW ? 0 : s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int sv_orders_list(db_t *db, const sv_scope_t *sc, const char *state, int64_t page, int64_t size, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COUNT(*) " ORDER_FROM "WHERE " SCOPE "AND ($4 IS NULL OR o.state = $4)");
	bind_scope(st, sc);
	dbl_bind_text(st, 4, state);
	int64_t total = count(st);
	st = dbl_prepare(db, ORDER_COLS "WHERE " SCOPE "AND ($4 IS NULL OR o.state = $4) ORDER BY o.id DESC LIMIT $5 OFFSET $6");
	bind_scope(st, sc);
	dbl_bind_text(st, 4, state);
	dbl_bind_int(st, 5, size);
	dbl_bind_int(st, 6, (page - 1) * size);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, order_json(st));
	sqlite3_reset(st);
	*out = page_json(total, page, size, items);
	return 0;
}

/* The order's department, its region and state, read inside the writer's transaction. */
static int load_order(db_t *db, int64_t id, int64_t *dept_id, char *region, char *state)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT o.dept_id, d.region_code, o.state FROM supervision_orders o "
					  "JOIN departments d ON d.id = o.dept_id WHERE o.id = $1");
	dbl_bind_int(st, 1, id);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		*dept_id = sqlite3_column_int64(st, 0);
		snprintf(region, 16, "%s", dbl_col_text(st, 1));
		snprintf(state, 12, "%s", dbl_col_text(st, 2));
	}
	sqlite3_reset(st);
	return s == SQLITE_ROW ? 0 : s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
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
		sqlite3_stmt *st = dbl_prepare(db, "UPDATE supervision_orders SET state = 'answered', answer = $1, "
						  "answered_by = $2, answered_at = $3 WHERE id = $4");
		dbl_bind_text(st, 1, answer);
		dbl_bind_int(st, 2, actor->id);
		dbl_bind_int(st, 3, yw_now());
		dbl_bind_int(st, 4, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
		sqlite3_reset(st);
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
		sqlite3_stmt *st = dbl_prepare(db, "UPDATE supervision_orders SET state = 'closed', closed_at = $1 WHERE id = $2");
		dbl_bind_int(st, 1, yw_now());
		dbl_bind_int(st, 2, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
		sqlite3_reset(st);
	}
	if (!rc)
		rc = audit_record_id(db, actor, "order.close", "supervision_orders", id);
	return finish(db, rc);
}

/* ---- signals, cards, summary ---- */

/* A case is listed for its own signal or for one of its open steps; the level filter matches either. */
#define STEP_SIGNAL(cond) "EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.finished_at IS NULL AND " cond ")"
#define SIGNAL_FROM                                                                                                    \
	"FROM cases c JOIN departments d ON d.id = c.dept_id JOIN item_versions v ON v.id = c.item_version_id "     \
	"WHERE " SCOPE "AND " SV_OPEN_CASE " AND (c.signal > 0 OR " STEP_SIGNAL("s.signal > 0") ") "                  \
	"AND ($4 = 0 OR c.signal = $4 OR " STEP_SIGNAL("s.signal = $4") ") "

/* Open steps of the case that carry a signal of their own. */
static json_t *signal_steps(db_t *db, int64_t case_id)
{
	static const char *const names[] = {"step", "name", "due_day", "level", NULL};
	sqlite3_stmt *st = dbl_prepare(db, "SELECT step, name, due_day, signal FROM case_steps WHERE case_id = $1 "
					  "AND finished_at IS NULL AND signal > 0 ORDER BY id");
	dbl_bind_int(st, 1, case_id);
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, row_object(st, names));
	sqlite3_reset(st);
	return a;
}

static json_t *signal_json(db_t *db, sqlite3_stmt *st, const calendar_t *cal, yw_date_t today)
{
	static const char *const names[] = {"id", "case_no", "item_name", "dept_id", "dept", "state", "promised_day",
					    NULL};
	json_t *o = row_object(st, names);
	int level = sqlite3_column_int(st, 8);
	const char *pro = dbl_col_text(st, 6), *stopped = dbl_col_text(st, 7);
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
	json_object_set_new(o, "steps", signal_steps(db, sqlite3_column_int64(st, 0)));
	return o;
}

int sv_signals(db_t *db, const sv_scope_t *sc, const calendar_t *cal, yw_date_t today, int level, int64_t page,
	       int64_t size, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COUNT(*) " SIGNAL_FROM);
	bind_scope(st, sc);
	dbl_bind_int(st, 4, level);
	int64_t total = count(st);
	st = dbl_prepare(db, "SELECT c.id, c.case_no, v.name, c.dept_id, d.name, c.state, c.promised_day, "
			    "COALESCE(c.suspended_day, ''), c.signal " SIGNAL_FROM
			    "ORDER BY c.signal DESC, c.promised_day, c.id LIMIT $5 OFFSET $6");
	bind_scope(st, sc);
	dbl_bind_int(st, 4, level);
	dbl_bind_int(st, 5, size);
	dbl_bind_int(st, 6, (page - 1) * size);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, signal_json(db, st, cal, today));
	sqlite3_reset(st);
	*out = page_json(total, page, size, items);
	return 0;
}

#define CARD_FROM                                                                                                      \
	"FROM cards k JOIN departments d ON d.id = k.dept_id LEFT JOIN supervision_orders o ON o.id = k.order_id "    \
	"LEFT JOIN cases c ON c.id = COALESCE(k.case_id, o.case_id) LEFT JOIN users u ON u.id = k.user_id "          \
	"WHERE " SCOPE "AND ($4 IS NULL OR k.day >= $4) AND ($5 IS NULL OR k.day <= $5) AND ($6 = 0 OR k.level = $6) " \
	"AND ($7 IS NULL OR k.kind = $7) "

static void bind_card_filters(sqlite3_stmt *st, const sv_scope_t *sc, const char *from, const char *to, int level,
			      const char *kind)
{
	bind_scope(st, sc);
	dbl_bind_text(st, 4, from);
	dbl_bind_text(st, 5, to);
	dbl_bind_int(st, 6, level);
	dbl_bind_text(st, 7, kind);
}

int sv_cards(db_t *db, const sv_scope_t *sc, const char *from, const char *to, int level, const char *kind,
	     int64_t page, int64_t size, json_t **out)
{
	static const char *const names[] = {"id",      "case_id", "case_no", "step",      "level",    "kind",
					    "dept_id", "dept",    "user_id", "user_name", "day",      "at",
					    "note",    "order_id", "review_id", NULL};
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COUNT(*) " CARD_FROM);
	bind_card_filters(st, sc, from, to, level, kind);
	int64_t total = count(st);
	st = dbl_prepare(db, "SELECT k.id, COALESCE(k.case_id, o.case_id), c.case_no, k.step, k.level, k.kind, k.dept_id, "
			    "d.name, k.user_id, u.name, k.day, k.at, k.note, k.order_id, k.review_id " CARD_FROM
			    "ORDER BY k.id DESC LIMIT $8 OFFSET $9");
	bind_card_filters(st, sc, from, to, level, kind);
	dbl_bind_int(st, 8, size);
	dbl_bind_int(st, 9, (page - 1) * size);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = row_object(st, names);
		static const char *const level_labels[] = {"", "预警", "黄牌", "红牌"};
		int lv = sqlite3_column_int(st, 4);
		json_object_set_new(o, "level_label", json_string(lv >= 1 && lv <= 3 ? level_labels[lv] : ""));
		json_object_set_new(o, "kind_label", json_string(supervision_kind_label(dbl_col_text(st, 5))));
		json_array_append_new(items, o);
	}
	sqlite3_reset(st);
	*out = page_json(total, page, size, items);
	return 0;
}

/* Open cases (or their open steps, for steps) by signal. */
static json_t *signal_counts(db_t *db, const sv_scope_t *sc, bool steps)
{
	static const char *const keys[] = {"normal", "warning", "yellow", "red"};
	json_int_t n[4] = {0}, open = 0;
	sqlite3_stmt *st =
		steps ? dbl_prepare(db, "SELECT s.signal, COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id "
				       "JOIN departments d ON d.id = c.dept_id WHERE " SCOPE "AND s.finished_at IS NULL AND "
				       SV_OPEN_CASE " GROUP BY s.signal")
		      : dbl_prepare(db, "SELECT c.signal, COUNT(*) FROM cases c JOIN departments d ON d.id = c.dept_id "
				       "WHERE " SCOPE "AND " SV_OPEN_CASE " GROUP BY c.signal");
	bind_scope(st, sc);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);
		json_int_t k = sqlite3_column_int64(st, 1);
		if (s >= 0 && s <= 3)
			n[s] += k;
		open += k;
	}
	sqlite3_reset(st);
	json_t *o = json_pack("{s:I}", "open", open);
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, keys[i], json_integer(n[i]));
	return o;
}

static json_t *month_card_counts(db_t *db, const sv_scope_t *sc, const char *first, const char *next)
{
	json_t *by_level = json_pack("{s:i, s:i, s:i}", "1", 0, "2", 0, "3", 0), *by_kind = json_object();
	json_int_t total = 0;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT k.level, k.kind, COUNT(*) FROM cards k JOIN departments d "
					  "ON d.id = k.dept_id WHERE " SCOPE "AND k.day >= $4 AND k.day < $5 "
					  "GROUP BY k.level, k.kind");
	bind_scope(st, sc);
	dbl_bind_text(st, 4, first);
	dbl_bind_text(st, 5, next);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char lv[8];
		snprintf(lv, sizeof lv, "%d", sqlite3_column_int(st, 0));
		const char *kind = dbl_col_text(st, 1);
		json_int_t k = sqlite3_column_int64(st, 2);
		json_object_set_new(by_level, lv, json_integer(json_integer_value(json_object_get(by_level, lv)) + k));
		json_object_set_new(by_kind, kind, json_integer(json_integer_value(json_object_get(by_kind, kind)) + k));
		total += k;
	}
	sqlite3_reset(st);
	return json_pack("{s:I, s:o, s:o}", "total", total, "by_level", by_level, "by_kind", by_kind);
}

static json_t *order_counts(db_t *db, const sv_scope_t *sc)
{
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i}", "open", 0, "answered", 0, "closed", 0, "overdue", 0,
			      "overdue_open", 0);
	sqlite3_stmt *st = dbl_prepare(db, "SELECT o.state, o.overdue, COUNT(*) FROM supervision_orders o "
					  "JOIN departments d ON d.id = o.dept_id WHERE " SCOPE "GROUP BY o.state, o.overdue");
	bind_scope(st, sc);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *state = dbl_col_text(st, 0);
		bool overdue = sqlite3_column_int(st, 1) != 0;
		json_int_t k = sqlite3_column_int64(st, 2);
		json_object_set_new(o, state, json_integer(json_integer_value(json_object_get(o, state)) + k));
		if (overdue)
			json_object_set_new(o, "overdue", json_integer(json_integer_value(json_object_get(o, "overdue")) + k));
		if (overdue && strcmp(state, "open") == 0)
			json_object_set_new(o, "overdue_open", json_integer(k));
	}
	sqlite3_reset(st);
	return o;
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
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "day", day, "month", month, "cases", signal_counts(db, sc, false),
			 "steps", signal_counts(db, sc, true), "cards", month_card_counts(db, sc, first, next), "orders",
			 order_counts(db, sc));
	return 0;
}
