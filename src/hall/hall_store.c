/* The service hall's SQL for queues, tickets and the windows' calling work (docs/domain.md §8).
 * Ticket issuance and every window action run in the group-commit writer (hall_http.c), one
 * after another, so two windows calling at the same instant never claim the same ticket; the
 * claim is also an UPDATE ... WHERE state = 'waiting', so a ticket cannot be called twice even
 * outside the writer. */
#include "hall/hall_store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"

static int done(db_t *db, int rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* ---- queues ---- */

#define QUEUE_COLS "q.id, q.hall_id, q.letter, q.name, q.dept_id, q.items, q.active, q.slot_periods, q.slot_minutes, q.slot_capacity"

static json_t *queue_row(db_stmt_t *st)
{
	json_t *items = db_col_parse_json(st, 5);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:b, s:s, s:i, s:i}", "id", (json_int_t)db_col_int(st, 0), "hall_id",
			 (json_int_t)db_col_int(st, 1), "letter", db_col_text(st, 2), "name", db_col_text(st, 3), "dept_id",
			 db_col_json(st, 4), "items", items ? items : json_array(), "active", (int)db_col_int(st, 6),
			 "slot_periods", db_col_text(st, 7), "slot_minutes", (int)db_col_int(st, 8), "slot_capacity",
			 (int)db_col_int(st, 9));
}

int hall_queues_list(db_t *db, int64_t hall_id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT " QUEUE_COLS " FROM hall_queues q WHERE :hall_id = 0 OR q.hall_id = :hall_id"
				       " ORDER BY q.hall_id, q.letter");
	db_bind_int(st, "hall_id", hall_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, queue_row(st));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int hall_queue_get(db_t *db, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT " QUEUE_COLS " FROM hall_queues q WHERE q.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*out = queue_row(st);
		db_reset(st);
	}
	return rc;
}

int hall_of_queue(db_t *db, int64_t queue_id, int64_t *hall_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT hall_id FROM hall_queues WHERE id = :queue_id");
	db_bind_int(st, "queue_id", queue_id);
	int rc = db_one(st);
	if (rc == 0) {
		*hall_id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int hall_of_window(db_t *db, int64_t window_id, int64_t *hall_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT hall_id FROM windows WHERE id = :window_id");
	db_bind_int(st, "window_id", window_id);
	int rc = db_one(st);
	if (rc == 0) {
		*hall_id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int hall_region(db_t *db, int64_t hall_id, char region[16])
{
	db_stmt_t *st = db_prepare(db, "SELECT region_code FROM halls WHERE id = :hall_id");
	db_bind_int(st, "hall_id", hall_id);
	int rc = db_one(st);
	if (rc == 0) {
		snprintf(region, 16, "%s", db_col_text(st, 0));
		db_reset(st);
	}
	return rc;
}
/* Validates a queue's fields; for an update (existing), absent fields keep their value. */
static void queue_validate(vctx_t *v, json_t *in, json_t *existing, json_t *row)
{
	json_t *merged = existing ? json_deep_copy(existing) : json_object();
	json_object_update(merged, in);
	if (!existing)
		json_object_set_new(row, "hall_id", json_integer(v_int(v, merged, "hall_id", 1, INT32_MAX, true, 0)));
	const char *letter = v_str(v, merged, "letter", 1, 1);
	if (*letter && !(letter[0] >= 'A' && letter[0] <= 'Z'))
		v_error(v, "letter", "应为一个大写字母 A-Z");
	json_object_set_new(row, "letter", json_string(letter));
	json_object_set_new(row, "name", json_string(v_str(v, merged, "name", 1, 40)));
	json_t *dept = json_object_get(merged, "dept_id");
	json_object_set_new(row, "dept_id",
			    json_integer(dept && !json_is_null(dept) ? v_int(v, merged, "dept_id", 1, INT32_MAX, false, 0) : 0));
	json_t *items = v_array(v, merged, "items", false);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (!json_is_string(it) || json_string_length(it) == 0 || json_string_length(it) > 40)
			v_error(v, "items", "应为事项编码的列表");
	json_object_set_new(row, "items", items ? json_incref(items) : json_array());
	json_object_set_new(row, "active", json_boolean(v_bool(v, merged, "active", true)));
	const char *periods = v_str(v, merged, "slot_periods", 0, 200);
	int64_t minutes = v_int(v, merged, "slot_minutes", 5, 240, false, 30);
	int slots[256];
	if (!*periods)
		periods = "09:00-12:00,13:00-17:00";
	if (hall_slots_parse(periods, (int)minutes, slots, 256) < 0)
		v_error(v, "slot_periods", "应为按时间先后排列的时段，如 09:00-12:00,13:00-17:00");
	json_object_set_new(row, "slot_periods", json_string(periods));
	json_object_set_new(row, "slot_minutes", json_integer(minutes));
	json_object_set_new(row, "slot_capacity", json_integer(v_int(v, merged, "slot_capacity", 0, 1000, false, 0)));
	json_decref(merged);
}

int hall_queue_save(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, int64_t *id_out)
{
	json_t *existing = NULL, *row = json_object();
	int rc = 0;
	if (id && (rc = hall_queue_get(db, id, &existing)) != 0)
		goto out;
	queue_validate(v, in, existing, row);
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto out;
	}
	int64_t hall_id = existing ? json_integer_value(json_object_get(existing, "hall_id"))
				   : json_integer_value(json_object_get(row, "hall_id"));
	char region[16];
	if (!existing && (rc = hall_region(db, hall_id, region)) != 0) {
		if (rc != YW_ENOTFOUND)
			goto out;
		v_error(v, "hall_id", "大厅不存在");
	}
	int64_t dept_id = json_integer_value(json_object_get(row, "dept_id"));
	if (dept_id) {
		db_stmt_t *st = db_prepare(db, "SELECT 1 FROM departments WHERE id = :dept_id");
		db_bind_int(st, "dept_id", dept_id);
		rc = db_one(st);
		if (rc == 0)
			db_reset(st);
		else if (rc == YW_ENOTFOUND)
			v_error(v, "dept_id", "部门不存在");
		else
			goto out;
	}
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto out;
	}
	char *items = json_dumps(json_object_get(row, "items"), JSON_COMPACT);
	if ((rc = db_begin(db)) != 0) {
		free(items);
		goto out;
	}
	db_stmt_t *st = db_prepare(
		db, id ? "UPDATE hall_queues SET letter = :letter, name = :name, dept_id = :dept_id, items = :items,"
			 " active = :active, slot_periods = :slot_periods, slot_minutes = :slot_minutes,"
			 " slot_capacity = :slot_capacity WHERE id = :id RETURNING id"
		       : "INSERT INTO hall_queues(letter, name, dept_id, items, active, slot_periods, slot_minutes, slot_capacity,"
			 " hall_id) VALUES (:letter, :name, :dept_id, :items, :active, :slot_periods, :slot_minutes,"
			 " :slot_capacity, :hall_id) RETURNING id");
	db_bind_text(st, "letter", json_string_value(json_object_get(row, "letter")));
	db_bind_text(st, "name", json_string_value(json_object_get(row, "name")));
	db_bind_id(st, "dept_id", dept_id);
	db_bind_text(st, "items", items);
	db_bind_int(st, "active", json_is_true(json_object_get(row, "active")));
	db_bind_text(st, "slot_periods", json_string_value(json_object_get(row, "slot_periods")));
	db_bind_int(st, "slot_minutes", json_integer_value(json_object_get(row, "slot_minutes")));
	db_bind_int(st, "slot_capacity", json_integer_value(json_object_get(row, "slot_capacity")));
	if (id)
		db_bind_int(st, "id", id);
	else
		db_bind_int(st, "hall_id", hall_id);
	rc = db_one(st);
	free(items);
	if (rc == YW_ECONFLICT) {
		v_error(v, "letter", "该大厅已有此字母的队列");
		rc = done(db, YW_EINVAL);
		goto out;
	}
	if (rc) {
		rc = done(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
		goto out;
	}
	*id_out = db_col_int(st, 0);
	db_reset(st);
	rc = done(db, audit_record_id(db, actor, id ? "hall.queue.update" : "hall.queue.create", "hall_queues", *id_out));
out:
	json_decref(existing);
	json_decref(row);
	return rc;
}

int hall_window_set_queues(db_t *db, const auth_user_t *actor, int64_t window_id, json_t *ids, vctx_t *v)
{
	int64_t hall_id;
	int rc = hall_of_window(db, window_id, &hall_id);
	if (rc)
		return rc;
	char list[512] = "";
	size_t i, len = 0;
	json_t *it;
	json_array_foreach(ids, i, it) {
		int64_t qh = 0;
		rc = json_is_integer(it) ? hall_of_queue(db, json_integer_value(it), &qh) : YW_ENOTFOUND;
		if (rc && rc != YW_ENOTFOUND)
			return rc;
		if (rc || qh != hall_id) {
			v_error(v, "queue_ids", "应为本大厅队列的编号");
			return YW_EINVAL;
		}
		if (len + 24 >= sizeof list || i >= 16) {
			v_error(v, "queue_ids", "一个窗口最多服务16个队列");
			return YW_EINVAL;
		}
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", i ? "," : "", (long long)json_integer_value(it));
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	db_stmt_t *st = db_prepare(db, "INSERT INTO hall_windows(window_id, queue_ids) VALUES (:window_id, :queue_ids)"
				       " ON CONFLICT(window_id) DO UPDATE SET queue_ids = excluded.queue_ids");
	db_bind_int(st, "window_id", window_id);
	db_bind_text(st, "queue_ids", list);
	rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "hall.window.queues", "hall_windows", window_id);
	return done(db, rc);
}

/* ---- tickets ---- */

int hall_ticket_issue(db_t *db, const auth_user_t *actor, int64_t queue_id, enum hall_category cat,
		      const char *source, int64_t user_id, int64_t now, int64_t *id_out)
{
	db_stmt_t *st = db_prepare(db, "SELECT hall_id, letter FROM hall_queues WHERE id = :queue_id AND active = 1");
	db_bind_int(st, "queue_id", queue_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t hall_id = db_col_int(st, 0);
	char letter = db_col_text(st, 1)[0];
	db_reset(st);
	char day[11], number[8], token[32];
	date_format(date_today_local(now), day);
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((rc = db_begin(db)) != 0)
		return rc;
	/* Servers on one PostgreSQL take numbers of a queue one at a time: the queue's row is locked
	 * until the commit, so the next one reads the number this one takes (on SQLite the write
	 * transaction already excludes every other writer). */
	if (db_engine(db) == DB_POSTGRES) {
		st = db_prepare(db, "SELECT id FROM hall_queues WHERE id = :queue_id FOR UPDATE");
		db_bind_int(st, "queue_id", queue_id);
		if ((rc = db_one(st)) != 0)
			return done(db, rc);
		db_reset(st);
	}
	st = db_prepare(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM hall_tickets WHERE issued_queue_id = :queue_id AND day = :day");
	db_bind_int(st, "queue_id", queue_id);
	db_bind_text(st, "day", day);
	if ((rc = db_one(st)) != 0)
		return done(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
	int64_t seq = db_col_int(st, 0);
	db_reset(st);
	if (seq <= 0 || seq > HALL_MAX_SEQ)
		return done(db, seq <= 0 ? YW_EDB : YW_ECONFLICT);
	hall_ticket_number(letter, (int)seq, number);
	/* YW_ECONFLICT from the insert: the number was taken meanwhile (UNIQUE(issued_queue_id, day, seq)) */
	st = db_prepare(db, "INSERT INTO hall_tickets(hall_id, queue_id, issued_queue_id, day, seq, number, token, category,"
			    " source, user_id, issued_at, queued_at) VALUES (:hall_id, :queue_id, :queue_id, :day, :seq, :number,"
			    " :token, :category, :source, :user_id, :now, :now) RETURNING id");
	db_bind_int(st, "hall_id", hall_id);
	db_bind_int(st, "queue_id", queue_id);
	db_bind_text(st, "day", day);
	db_bind_int(st, "seq", seq);
	db_bind_text(st, "number", number);
	db_bind_text(st, "token", token);
	db_bind_text(st, "category", hall_category_name(cat));
	db_bind_text(st, "source", source);
	db_bind_id(st, "user_id", user_id);
	db_bind_int(st, "now", now);
	if ((rc = db_one(st)) != 0)
		return done(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
	*id_out = db_col_int(st, 0);
	db_reset(st);
	return done(db, audit_record_id(db, actor, "hall.ticket.issue", "hall_tickets", *id_out));
}

int hall_ticket_user_waiting(db_t *db, int64_t user_id, int64_t queue_id, bool *waiting)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM hall_tickets WHERE user_id = :user_id AND queue_id = :queue_id"
				       " AND state IN ('waiting','called')");
	db_bind_int(st, "user_id", user_id);
	db_bind_int(st, "queue_id", queue_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		db_reset(st);
	if (rc < 0)
		return rc;
	*waiting = rc == DB_ROW;
	return 0;
}

int hall_ticket_facts(db_t *db, int64_t ticket_id, hall_ticket_facts_t *out)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT t.id, t.hall_id, COALESCE(t.window_id, 0), COALESCE(t.staff_id, 0), COALESCE(t.case_id, 0),"
		    " COALESCE(t.user_id, 0), COALESCE(t.finished_at, 0), CASE WHEN t.state = 'done' THEN 1 ELSE 0 END, t.number,"
		    " CASE WHEN t.state = 'done' AND NOT EXISTS (SELECT 1 FROM hall_tickets o WHERE o.window_id = t.window_id"
		    "  AND o.state = 'done' AND (o.finished_at > t.finished_at OR (o.finished_at = t.finished_at AND o.id > t.id)))"
		    " THEN 1 ELSE 0 END FROM hall_tickets t WHERE t.id = :ticket_id");
	db_bind_int(st, "ticket_id", ticket_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	out->id = db_col_int(st, 0);
	out->hall_id = db_col_int(st, 1);
	out->window_id = db_col_int(st, 2);
	out->staff_id = db_col_int(st, 3);
	out->case_id = db_col_int(st, 4);
	out->user_id = db_col_int(st, 5);
	out->finished_at = db_col_int(st, 6);
	out->done = db_col_int(st, 7);
	snprintf(out->number, sizeof out->number, "%s", db_col_text(st, 8));
	out->latest = db_col_int(st, 9);
	db_reset(st);
	return 0;
}

int hall_window_last_done(db_t *db, int64_t window_id, int64_t *ticket_out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hall_tickets WHERE window_id = :window_id AND state = 'done'"
				       " ORDER BY finished_at DESC, id DESC LIMIT 1");
	db_bind_int(st, "window_id", window_id);
	*ticket_out = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*ticket_out = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

int hall_ticket_by_token(db_t *db, const char *token, int64_t *id_out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hall_tickets WHERE token = :token");
	db_bind_text(st, "token", token);
	int rc = db_one(st);
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int hall_queue_capacity(db_t *db, int64_t queue_id, double *mean_s, int *open, int *serving)
{
	int64_t secs[HALL_SERVICE_SAMPLES];
	size_t n = 0;
	db_stmt_t *st = db_prepare(db, "SELECT finished_at - started_at FROM hall_tickets WHERE queue_id = :queue_id"
				       " AND state = 'done' AND started_at IS NOT NULL ORDER BY finished_at DESC LIMIT :n");
	db_bind_int(st, "queue_id", queue_id);
	db_bind_int(st, "n", HALL_SERVICE_SAMPLES);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < HALL_SERVICE_SAMPLES)
		secs[n++] = db_col_int(st, 0);
	if (rc == DB_ROW)
		db_reset(st);
	else if (rc < 0)
		return rc;
	*mean_s = hall_service_mean(secs, n, HALL_SERVICE_ALPHA, config_current()->hall_service_min * 60.0);
	st = db_prepare(db, "SELECT COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0), COUNT(*) FROM hall_windows"
			    " WHERE ',' || queue_ids || ',' LIKE '%,' || CAST(:queue_id AS TEXT) || ',%'");
	db_bind_int(st, "queue_id", queue_id);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	*open = (int)db_col_int(st, 0);
	*serving = (int)db_col_int(st, 1);
	db_reset(st);
	return 0;
}

int hall_ticket_json(db_t *db, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT t.id, t.number, t.token, t.category, t.source, t.state, t.queue_id, q.letter, q.name,"
		    " t.issued_at, t.queued_at, t.called_at, w.number, w.name, t.recalls, t.hall_id, h.name, t.case_id,"
		    " (SELECT COUNT(*) FROM hall_tickets o WHERE o.queue_id = t.queue_id AND o.state = 'waiting'"
		    "  AND (o.queued_at < t.queued_at OR (o.queued_at = t.queued_at AND o.id < t.id)))"
		    " FROM hall_tickets t JOIN hall_queues q ON q.id = t.queue_id JOIN halls h ON h.id = t.hall_id"
		    " LEFT JOIN windows w ON w.id = t.window_id WHERE t.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	bool waiting = strcmp(db_col_text(st, 5), "waiting") == 0;
	int64_t ahead = waiting ? db_col_int(st, 18) : 0, queue_id = db_col_int(st, 6);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:I, s:I, s:o, s:o, s:o, s:i, s:{s:I, s:s},"
			      " s:o, s:I}",
			      "id", (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1), "token", db_col_text(st, 2),
			      "category", db_col_text(st, 3), "source", db_col_text(st, 4), "state", db_col_text(st, 5), "queue",
			      "id", (json_int_t)queue_id, "letter", db_col_text(st, 7), "name", db_col_text(st, 8), "issued_at",
			      (json_int_t)db_col_int(st, 9), "queued_at", (json_int_t)db_col_int(st, 10), "called_at",
			      db_col_json(st, 11), "window_number", db_col_json(st, 12), "window_name", db_col_json(st, 13),
			      "recalls", (int)db_col_int(st, 14), "hall", "id", (json_int_t)db_col_int(st, 15), "name",
			      db_col_text(st, 16), "case_id", db_col_json(st, 17), "ahead", (json_int_t)ahead);
	db_reset(st);
	double mean;
	int open, serving;
	if ((rc = hall_queue_capacity(db, queue_id, &mean, &open, &serving)) != 0) {
		json_decref(o);
		return rc;
	}
	/* before the windows open (or while all pause) the queue's windows will serve it */
	int64_t wait = waiting ? hall_estimate_wait(ahead + 1, mean, open ? open : serving) : 0;
	json_object_set_new(o, "wait_minutes", json_integer((wait + 59) / 60));
	json_object_set_new(o, "follow_path", json_sprintf("/ticket/%s", json_string_value(json_object_get(o, "token"))));
	*out = o;
	return 0;
}

/* ---- windows ---- */

typedef struct win {
	int64_t id, hall_id, ticket_id;
	char state[8];
	int64_t queues[16];
	int nqueues;
} win_t;

static int win_load(db_t *db, int64_t window_id, win_t *w)
{
	db_stmt_t *st = db_prepare(db, "SELECT w.hall_id, COALESCE(hw.state, 'closed'), COALESCE(hw.queue_ids, ''),"
				       " COALESCE(hw.ticket_id, 0), CASE WHEN hw.window_id IS NULL THEN 0 ELSE 1 END"
				       " FROM windows w LEFT JOIN hall_windows hw ON hw.window_id = w.id WHERE w.id = :window_id");
	db_bind_int(st, "window_id", window_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	memset(w, 0, sizeof *w);
	w->id = window_id;
	w->hall_id = db_col_int(st, 0);
	snprintf(w->state, sizeof w->state, "%s", db_col_text(st, 1));
	w->ticket_id = db_col_int(st, 3);
	const char *p = db_col_text(st, 2);
	while (*p && w->nqueues < 16) {
		char *end;
		w->queues[w->nqueues++] = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
	bool configured = db_col_int(st, 4);
	db_reset(st);
	return configured ? 0 : YW_ECONFLICT;
}

int hall_window_next(db_t *db, int64_t window_id, int64_t now, int64_t *ticket_out, char why[HALL_WHY_MAX])
{
	win_t w;
	int rc = win_load(db, window_id, &w);
	if (rc)
		return rc;
	hall_cand_t cand[256];
	size_t n = 0;
	/* per queue, the waiting tickets: the oldest normal one (enough to choose among normal ones,
	 * and listed first so the limit never drops it) and the oldest priority ones */
	db_stmt_t *st = db_prepare(db, "SELECT id, category, queued_at FROM hall_tickets WHERE queue_id = :queue_id"
				       " AND state = 'waiting' AND (category != 'normal' OR id = (SELECT id FROM hall_tickets"
				       " WHERE queue_id = :queue_id AND state = 'waiting' AND category = 'normal'"
				       " ORDER BY queued_at, id LIMIT 1))"
				       " ORDER BY CASE WHEN category = 'normal' THEN 0 ELSE 1 END, queued_at, id LIMIT 64");
	for (int q = 0; q < w.nqueues && n == 0; q++) {
		db_bind_int(st, "queue_id", w.queues[q]);
		while (n < 256 && (rc = db_step(st)) == DB_ROW) {
			int cat = hall_category_parse(db_col_text(st, 1));
			cand[n++] = (hall_cand_t){db_col_int(st, 0), cat < 0 ? HALL_NORMAL : (enum hall_category)cat, q,
						  db_col_int(st, 2)};
		}
		if (rc < 0)
			return rc;
		if (rc == DB_ROW)
			db_reset(st);
	}
	hall_rules_t r;
	hall_rules_current(&r);
	enum hall_reason reason;
	int i = hall_pick(cand, n, now, &r, &reason);
	*ticket_out = i < 0 ? 0 : cand[i].id;
	hall_reason_text(reason, i < 0 ? HALL_NORMAL : cand[i].category, &r, why, HALL_WHY_MAX);
	return 0;
}

static int window_update(db_t *db, const auth_user_t *actor, const win_t *w, const char *state, int64_t ticket_id,
			 int64_t now, const char *action)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hall_windows SET state = :state, ticket_id = :ticket_id, changed_at = :now"
				       " WHERE window_id = :window_id");
	db_bind_text(st, "state", state);
	db_bind_id(st, "ticket_id", ticket_id);
	db_bind_int(st, "now", now);
	db_bind_int(st, "window_id", w->id);
	int rc = db_run(st);
	return rc ? rc : audit_record_id(db, actor, action, "hall_windows", w->id);
}

/* Runs st, one UPDATE of the current ticket with its parameters bound; YW_ECONFLICT when the
 * ticket is not in the state the statement expects. */
static int ticket_update(db_t *db, const auth_user_t *actor, db_stmt_t *st, int64_t ticket_id, const char *action)
{
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) != 1)
		return YW_ECONFLICT;
	return audit_record_id(db, actor, action, "hall_tickets", ticket_id);
}

/* A called ticket nobody came for (过号): ended as a no-show. */
static int ticket_no_show(db_t *db, const auth_user_t *actor, int64_t id, int64_t now, const char *action)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hall_tickets SET state = 'no_show', finished_at = :now"
				       " WHERE id = :id AND state = 'called'");
	db_bind_int(st, "now", now);
	db_bind_int(st, "id", id);
	return ticket_update(db, actor, st, id, action);
}

static int act_call(db_t *db, const auth_user_t *actor, win_t *w, int64_t now, int64_t *ticket_out, char why[HALL_WHY_MAX])
{
	if (w->ticket_id) {
		snprintf(why, HALL_WHY_MAX, "请先办结、过号或转移当前号");
		return YW_ECONFLICT;
	}
	int64_t id;
	int rc = hall_window_next(db, w->id, now, &id, why);
	if (rc)
		return rc;
	if (!id) {
		snprintf(why, HALL_WHY_MAX, "当前没有等候的号");
		return YW_ECONFLICT;
	}
	/* the staff member is the actor. Another server's window may call the same ticket at the same
	 * moment: PostgreSQL makes this update wait for the other's commit and then finds the ticket
	 * no longer waiting; the next candidate is then chosen afresh (each new read sees that commit). */
	db_stmt_t *st = db_prepare(db, "UPDATE hall_tickets SET state = 'called', called_at = :now, window_id = :window_id,"
				       " staff_id = :staff_id, recalls = 0 WHERE id = :id AND state = 'waiting'");
	for (int attempt = 0;; attempt++) {
		db_bind_int(st, "now", now);
		db_bind_int(st, "window_id", w->id);
		db_bind_id(st, "staff_id", actor ? actor->id : 0);
		db_bind_int(st, "id", id);
		if ((rc = db_run(st)) != 0)
			return rc;
		if (db_changes(st) == 1)
			break;
		if (attempt == 8) {
			snprintf(why, HALL_WHY_MAX, "该号已被其他窗口叫走，请重新叫号");
			return YW_ECONFLICT;
		}
		if ((rc = hall_window_next(db, w->id, now, &id, why)) != 0)
			return rc;
		if (!id) {
			snprintf(why, HALL_WHY_MAX, "当前没有等候的号");
			return YW_ECONFLICT;
		}
		/* st (cached) is untouched by the reads of hall_window_next: bound again above */
	}
	*ticket_out = id;
	rc = audit_record_id(db, actor, "hall.ticket.call", "hall_tickets", id);
	return rc ? rc : window_update(db, actor, w, "open", id, now, "hall.window.call");
}

static int act_on_current(db_t *db, const auth_user_t *actor, win_t *w, enum hall_act a, int64_t arg, int64_t now,
			  int64_t *ticket_out, char why[HALL_WHY_MAX])
{
	if (!w->ticket_id) {
		snprintf(why, HALL_WHY_MAX, "窗口当前没有叫到的号");
		return YW_ECONFLICT;
	}
	int64_t id = w->ticket_id;
	*ticket_out = id;
	int rc = 0;
	bool release = true; /* the window is free again afterwards */
	db_stmt_t *st;
	switch (a) {
	case HALL_RECALL: {
		st = db_prepare(db, "SELECT recalls FROM hall_tickets WHERE id = :id AND state = 'called'");
		db_bind_int(st, "id", id);
		if ((rc = db_one(st)) == YW_ENOTFOUND) {
			snprintf(why, HALL_WHY_MAX, "只有已叫号、尚未开始办理的号可以重呼");
			return YW_ECONFLICT;
		}
		if (rc)
			return rc;
		int64_t recalls = db_col_int(st, 0);
		db_reset(st);
		if (recalls >= 2) {
			rc = ticket_no_show(db, actor, id, now, "hall.ticket.no_show");
			snprintf(why, HALL_WHY_MAX, "已重呼两次未到，按过号处理");
		} else {
			release = false;
			st = db_prepare(db, "UPDATE hall_tickets SET recalls = recalls + 1, called_at = :now"
					    " WHERE id = :id AND state = 'called'");
			db_bind_int(st, "now", now);
			db_bind_int(st, "id", id);
			rc = ticket_update(db, actor, st, id, "hall.ticket.recall");
		}
		break;
	}
	case HALL_SKIP:
		rc = ticket_no_show(db, actor, id, now, "hall.ticket.skip");
		if (rc == YW_ECONFLICT)
			snprintf(why, HALL_WHY_MAX, "已开始办理的号不能过号");
		break;
	case HALL_TRANSFER: {
		int64_t hall_id = 0;
		rc = hall_of_queue(db, arg, &hall_id);
		if (rc && rc != YW_ENOTFOUND)
			return rc;
		if (rc || hall_id != w->hall_id) {
			snprintf(why, HALL_WHY_MAX, "目标队列不在本大厅");
			return YW_EINVAL;
		}
		/* back to waiting in the other queue: the ticket time (queued_at) stays, so it keeps its place */
		st = db_prepare(db, "UPDATE hall_tickets SET state = 'waiting', queue_id = :queue_id, window_id = NULL,"
				    " staff_id = NULL, called_at = NULL, started_at = NULL, recalls = 0,"
				    " transferred = transferred + 1 WHERE id = :id AND state IN ('called','serving')");
		db_bind_int(st, "queue_id", arg);
		db_bind_int(st, "id", id);
		rc = ticket_update(db, actor, st, id, "hall.ticket.transfer");
		break;
	}
	case HALL_START:
		release = false;
		st = db_prepare(db, "UPDATE hall_tickets SET state = 'serving', started_at = :now"
				    " WHERE id = :id AND state = 'called'");
		db_bind_int(st, "now", now);
		db_bind_int(st, "id", id);
		rc = ticket_update(db, actor, st, id, "hall.ticket.start");
		if (rc == YW_ECONFLICT)
			snprintf(why, HALL_WHY_MAX, "该号已在办理中");
		break;
	case HALL_FINISH:
		if (arg && (rc = cases_check_visible(db, actor, arg)) != 0) {
			if (rc != YW_ENOTFOUND)
				return rc;
			snprintf(why, HALL_WHY_MAX, "办件不存在或不在您的范围内");
			return YW_EINVAL;
		}
		st = db_prepare(db, "UPDATE hall_tickets SET state = 'done', finished_at = :now, case_id = :case_id"
				    " WHERE id = :id AND state = 'serving'");
		db_bind_int(st, "now", now);
		db_bind_id(st, "case_id", arg);
		db_bind_int(st, "id", id);
		rc = ticket_update(db, actor, st, id, "hall.ticket.finish");
		if (rc == YW_ECONFLICT)
			snprintf(why, HALL_WHY_MAX, "请先开始办理再办结");
		break;
	default:
		return YW_EINVAL;
	}
	if (rc || !release)
		return rc;
	return window_update(db, actor, w, strcmp(w->state, "paused") == 0 ? "paused" : "open", 0, now, "hall.window.release");
}

int hall_window_act(db_t *db, const auth_user_t *actor, enum hall_act a, int64_t window_id, int64_t arg, int64_t now,
		    int64_t *ticket_out, char why[HALL_WHY_MAX])
{
	win_t w;
	*ticket_out = 0;
	why[0] = 0;
	int rc = db_begin(db);
	if (rc)
		return rc;
	/* Servers on one PostgreSQL act on a window one at a time: its row stays locked until the
	 * commit, and its state is read after the lock (on SQLite the write transaction excludes
	 * every other writer already). */
	if (db_engine(db) == DB_POSTGRES) {
		db_stmt_t *st =
			db_prepare(db, "SELECT window_id FROM hall_windows WHERE window_id = :window_id FOR UPDATE");
		db_bind_int(st, "window_id", window_id);
		rc = db_one(st);
		if (rc == 0)
			db_reset(st);
		else if (rc != YW_ENOTFOUND)
			return done(db, rc);
	}
	rc = win_load(db, window_id, &w);
	if (rc == YW_ECONFLICT)
		snprintf(why, HALL_WHY_MAX, "该窗口尚未配置叫号队列");
	if (rc)
		return done(db, rc);
	switch (a) {
	case HALL_CALL:
		if (strcmp(w.state, "paused") == 0) {
			snprintf(why, HALL_WHY_MAX, "窗口已暂停，请先恢复");
			rc = YW_ECONFLICT;
		} else {
			rc = act_call(db, actor, &w, now, ticket_out, why);
		}
		break;
	case HALL_PAUSE:
	case HALL_RESUME:
		if ((a == HALL_PAUSE) == (strcmp(w.state, "paused") == 0)) {
			snprintf(why, HALL_WHY_MAX, a == HALL_PAUSE ? "窗口已暂停" : "窗口未暂停");
			rc = YW_ECONFLICT;
		} else {
			rc = window_update(db, actor, &w, a == HALL_PAUSE ? "paused" : "open", w.ticket_id, now,
					   a == HALL_PAUSE ? "hall.window.pause" : "hall.window.resume");
		}
		break;
	default:
		rc = act_on_current(db, actor, &w, a, arg, now, ticket_out, why);
	}
	return done(db, rc);
}

int hall_window_json(db_t *db, int64_t window_id, json_t **out)
{
	win_t w;
	int rc = win_load(db, window_id, &w);
	if (rc && rc != YW_ECONFLICT)
		return rc;
	json_t *queues = json_array(), *ticket = NULL, *o = NULL;
	rc = 0;
	for (int i = 0; !rc && i < w.nqueues; i++) {
		json_t *q;
		rc = hall_queue_get(db, w.queues[i], &q);
		if (rc == 0)
			json_array_append_new(queues, q);
		else if (rc == YW_ENOTFOUND)
			rc = 0; /* a queue id left in the window's list */
	}
	if (!rc && w.ticket_id && (rc = hall_ticket_json(db, w.ticket_id, &ticket)) == YW_ENOTFOUND)
		rc = 0;
	if (rc)
		goto fail;
	o = json_pack("{s:I, s:I, s:s, s:o, s:o}", "window_id", (json_int_t)window_id, "hall_id", (json_int_t)w.hall_id,
		      "state", w.state, "queues", queues, "ticket", ticket ? ticket : json_null());
	queues = ticket = NULL;
	db_stmt_t *st = db_prepare(db, "SELECT number, name FROM windows WHERE id = :window_id");
	db_bind_int(st, "window_id", window_id);
	rc = db_one(st);
	if (rc == 0) {
		json_object_set_new(o, "window_number", json_integer(db_col_int(st, 0)));
		json_object_set_new(o, "window_name", json_string(db_col_text(st, 1)));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		goto fail;
	}
	*out = o;
	return 0;
fail:
	json_decref(queues);
	json_decref(ticket);
	json_decref(o);
	return rc;
}

int hall_call_event(db_t *db, int64_t ticket_id, int64_t *hall_out, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT t.hall_id, t.window_id, w.number, w.name, t.number, q.letter, q.name,"
				       " t.called_at, t.recalls FROM hall_tickets t JOIN windows w ON w.id = t.window_id"
				       " JOIN hall_queues q ON q.id = t.queue_id WHERE t.id = :ticket_id AND t.state = 'called'");
	db_bind_int(st, "ticket_id", ticket_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	*hall_out = db_col_int(st, 0);
	char window_number[24];
	snprintf(window_number, sizeof window_number, "%lld", (long long)db_col_int(st, 2));
	*out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:i, s:s++++}", "window_id", (json_int_t)db_col_int(st, 1),
			 "window_number", (json_int_t)db_col_int(st, 2), "window_name", db_col_text(st, 3), "number",
			 db_col_text(st, 4), "queue", db_col_text(st, 5), "queue_name", db_col_text(st, 6), "at",
			 (json_int_t)db_col_int(st, 7), "recalls", (int)db_col_int(st, 8), "text", "请", db_col_text(st, 4),
			 "号到", window_number, "号窗口办理");
	db_reset(st);
	return 0;
}
