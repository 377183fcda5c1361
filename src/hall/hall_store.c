/* The service hall's SQL for queues, tickets and the windows' calling work (docs/domain.md §8).
 * Ticket issuance and every window action run in the group-commit writer (hall_http.c), one
 * after another, so two windows calling at the same instant never claim the same ticket; the
 * claim is also an UPDATE ... WHERE state = 'waiting', so a ticket cannot be called twice even
 * outside the writer. */
#include "hall/hall_store.h"
#include "platform/db_legacy.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/config.h"
#include "platform/err.h"

static int done(db_t *db, int rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, i));
}

/* ---- queues ---- */

#define QUEUE_COLS "q.id, q.hall_id, q.letter, q.name, q.dept_id, q.items, q.active, q.slot_periods, q.slot_minutes, q.slot_capacity"

static json_t *queue_row(sqlite3_stmt *st)
{
	json_t *items = json_loads(dbl_col_text(st, 5), 0, NULL);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:b, s:s, s:i, s:i}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "hall_id", (json_int_t)sqlite3_column_int64(st, 1), "letter", dbl_col_text(st, 2), "name",
			 dbl_col_text(st, 3), "dept_id", col_json(st, 4), "items", items ? items : json_array(), "active",
			 sqlite3_column_int(st, 6), "slot_periods", dbl_col_text(st, 7), "slot_minutes",
			 sqlite3_column_int(st, 8), "slot_capacity", sqlite3_column_int(st, 9));
}

int hall_queues_list(db_t *db, int64_t hall_id, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT " QUEUE_COLS " FROM hall_queues q WHERE $1 = 0 OR q.hall_id = $1"
					  " ORDER BY q.hall_id, q.letter");
	dbl_bind_int(st, 1, hall_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, queue_row(st));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return YW_EDB;
	}
	*out = arr;
	return 0;
}

int hall_queue_get(db_t *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT " QUEUE_COLS " FROM hall_queues q WHERE q.id = $1");
	dbl_bind_int(st, 1, id);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_ENOTFOUND;
	if (!rc)
		*out = queue_row(st);
	sqlite3_reset(st);
	return rc;
}

int hall_of_queue(db_t *db, int64_t queue_id, int64_t *hall_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT hall_id FROM hall_queues WHERE id = $1");
	dbl_bind_int(st, 1, queue_id);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_ENOTFOUND;
	if (!rc)
		*hall_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

int hall_of_window(db_t *db, int64_t window_id, int64_t *hall_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT hall_id FROM windows WHERE id = $1");
	dbl_bind_int(st, 1, window_id);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_ENOTFOUND;
	if (!rc)
		*hall_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

int hall_region(db_t *db, int64_t hall_id, char region[16])
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT region_code FROM halls WHERE id = $1");
	dbl_bind_int(st, 1, hall_id);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_ENOTFOUND;
	if (!rc)
		snprintf(region, 16, "%s", dbl_col_text(st, 0));
	sqlite3_reset(st);
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
	if (!existing && hall_region(db, hall_id, region))
		v_error(v, "hall_id", "大厅不存在");
	int64_t dept_id = json_integer_value(json_object_get(row, "dept_id"));
	sqlite3_stmt *st = dbl_prepare(db, "SELECT 1 FROM departments WHERE id = $1");
	dbl_bind_int(st, 1, dept_id);
	if (dept_id && sqlite3_step(st) != SQLITE_ROW)
		v_error(v, "dept_id", "部门不存在");
	sqlite3_reset(st);
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto out;
	}
	char *items = json_dumps(json_object_get(row, "items"), JSON_COMPACT);
	if ((rc = db_begin(db)) != 0) {
		free(items);
		goto out;
	}
	st = dbl_prepare(
		db, id ? "UPDATE hall_queues SET letter = $1, name = $2, dept_id = NULLIF($3, 0), items = $4, active = $5,"
			 " slot_periods = $6, slot_minutes = $7, slot_capacity = $8 WHERE id = $9 RETURNING id"
		       : "INSERT INTO hall_queues(letter, name, dept_id, items, active, slot_periods, slot_minutes, slot_capacity,"
			 " hall_id) VALUES ($1, $2, NULLIF($3, 0), $4, $5, $6, $7, $8, $9) RETURNING id");
	dbl_bind_text(st, 1, json_string_value(json_object_get(row, "letter")));
	dbl_bind_text(st, 2, json_string_value(json_object_get(row, "name")));
	dbl_bind_int(st, 3, dept_id);
	dbl_bind_text(st, 4, items);
	dbl_bind_int(st, 5, json_is_true(json_object_get(row, "active")));
	dbl_bind_text(st, 6, json_string_value(json_object_get(row, "slot_periods")));
	dbl_bind_int(st, 7, json_integer_value(json_object_get(row, "slot_minutes")));
	dbl_bind_int(st, 8, json_integer_value(json_object_get(row, "slot_capacity")));
	dbl_bind_int(st, 9, id ? id : hall_id);
	int s = sqlite3_step(st);
	free(items);
	if ((s & 0xff) == SQLITE_CONSTRAINT) {
		sqlite3_reset(st);
		v_error(v, "letter", "该大厅已有此字母的队列");
		rc = done(db, YW_EINVAL);
		goto out;
	}
	if (s != SQLITE_ROW) {
		rc = done(db, YW_EDB);
		goto out;
	}
	*id_out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	rc = done(db, audit_record_id(db, actor, id ? "hall.queue.update" : "hall.queue.create", "hall_queues", *id_out));
out:
	json_decref(existing);
	json_decref(row);
	return rc;
}

int hall_window_set_queues(db_t *db, const auth_user_t *actor, int64_t window_id, json_t *ids, vctx_t *v)
{
	int64_t hall_id;
	if (hall_of_window(db, window_id, &hall_id))
		return YW_ENOTFOUND;
	char list[512] = "";
	size_t i, len = 0;
	json_t *it;
	json_array_foreach(ids, i, it) {
		int64_t qh;
		if (!json_is_integer(it) || hall_of_queue(db, json_integer_value(it), &qh) || qh != hall_id) {
			v_error(v, "queue_ids", "应为本大厅队列的编号");
			return YW_EINVAL;
		}
		if (len + 24 >= sizeof list || i >= 16) {
			v_error(v, "queue_ids", "一个窗口最多服务16个队列");
			return YW_EINVAL;
		}
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", i ? "," : "", (long long)json_integer_value(it));
	}
	int rc = db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO hall_windows(window_id, queue_ids) VALUES ($1, $2)"
					  " ON CONFLICT(window_id) DO UPDATE SET queue_ids = excluded.queue_ids");
	dbl_bind_int(st, 1, window_id);
	dbl_bind_text(st, 2, list);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	if (!rc)
		rc = audit_record_id(db, actor, "hall.window.queues", "hall_windows", window_id);
	return done(db, rc);
}

/* ---- tickets ---- */

int hall_ticket_issue(db_t *db, const auth_user_t *actor, int64_t queue_id, enum hall_category cat,
		      const char *source, int64_t user_id, int64_t now, int64_t *id_out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT hall_id, letter FROM hall_queues WHERE id = $1 AND active = 1");
	dbl_bind_int(st, 1, queue_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return YW_ENOTFOUND;
	}
	int64_t hall_id = sqlite3_column_int64(st, 0);
	char letter = dbl_col_text(st, 1)[0];
	sqlite3_reset(st);
	char day[11], number[8], token[32];
	date_format(date_today_local(now), day);
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	int rc = db_begin(db);
	if (rc)
		return rc;
	st = dbl_prepare(db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM hall_tickets WHERE issued_queue_id = $1 AND day = $2");
	dbl_bind_int(st, 1, queue_id);
	dbl_bind_text(st, 2, day);
	int seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (seq <= 0 || seq > HALL_MAX_SEQ)
		return done(db, seq <= 0 ? YW_EDB : YW_ECONFLICT);
	hall_ticket_number(letter, seq, number);
	st = dbl_prepare(db, "INSERT INTO hall_tickets(hall_id, queue_id, issued_queue_id, day, seq, number, token, category,"
			    " source, user_id, issued_at, queued_at) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, 0), $10, $10)"
			    " RETURNING id");
	dbl_bind_int(st, 1, hall_id);
	dbl_bind_int(st, 2, queue_id);
	dbl_bind_text(st, 3, day);
	dbl_bind_int(st, 4, seq);
	dbl_bind_text(st, 5, number);
	dbl_bind_text(st, 6, token);
	dbl_bind_text(st, 7, hall_category_name(cat));
	dbl_bind_text(st, 8, source);
	dbl_bind_int(st, 9, user_id);
	dbl_bind_int(st, 10, now);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return done(db, YW_EDB);
	}
	*id_out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return done(db, audit_record_id(db, actor, "hall.ticket.issue", "hall_tickets", *id_out));
}

bool hall_ticket_user_waiting(db_t *db, int64_t user_id, int64_t queue_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT 1 FROM hall_tickets WHERE user_id = $1 AND queue_id = $2"
					  " AND state IN ('waiting','called')");
	dbl_bind_int(st, 1, user_id);
	dbl_bind_int(st, 2, queue_id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int hall_ticket_facts(db_t *db, int64_t ticket_id, hall_ticket_facts_t *out)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT t.id, t.hall_id, COALESCE(t.window_id, 0), COALESCE(t.staff_id, 0), COALESCE(t.case_id, 0),"
		    " COALESCE(t.user_id, 0), COALESCE(t.finished_at, 0), t.state = 'done', t.number,"
		    " t.state = 'done' AND NOT EXISTS (SELECT 1 FROM hall_tickets o WHERE o.window_id = t.window_id"
		    "  AND o.state = 'done' AND (o.finished_at > t.finished_at OR (o.finished_at = t.finished_at AND o.id > t.id)))"
		    " FROM hall_tickets t WHERE t.id = $1");
	dbl_bind_int(st, 1, ticket_id);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		out->hall_id = sqlite3_column_int64(st, 1);
		out->window_id = sqlite3_column_int64(st, 2);
		out->staff_id = sqlite3_column_int64(st, 3);
		out->case_id = sqlite3_column_int64(st, 4);
		out->user_id = sqlite3_column_int64(st, 5);
		out->finished_at = sqlite3_column_int64(st, 6);
		out->done = sqlite3_column_int(st, 7);
		snprintf(out->number, sizeof out->number, "%s", dbl_col_text(st, 8));
		out->latest = sqlite3_column_int(st, 9);
	}
	sqlite3_reset(st);
	return s == SQLITE_ROW ? 0 : s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int hall_window_last_done(db_t *db, int64_t window_id, int64_t *ticket_out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM hall_tickets WHERE window_id = $1 AND state = 'done'"
					  " ORDER BY finished_at DESC, id DESC LIMIT 1");
	dbl_bind_int(st, 1, window_id);
	int s = sqlite3_step(st);
	*ticket_out = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return s == SQLITE_ROW || s == SQLITE_DONE ? 0 : YW_EDB;
}

int hall_ticket_by_token(db_t *db, const char *token, int64_t *id_out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM hall_tickets WHERE token = $1");
	dbl_bind_text(st, 1, token);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_ENOTFOUND;
	if (!rc)
		*id_out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

void hall_queue_capacity(db_t *db, int64_t queue_id, double *mean_s, int *open, int *serving)
{
	int64_t secs[HALL_SERVICE_SAMPLES];
	size_t n = 0;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT finished_at - started_at FROM hall_tickets WHERE queue_id = $1"
					  " AND state = 'done' AND started_at IS NOT NULL ORDER BY finished_at DESC LIMIT $2");
	dbl_bind_int(st, 1, queue_id);
	dbl_bind_int(st, 2, HALL_SERVICE_SAMPLES);
	while (n < HALL_SERVICE_SAMPLES && sqlite3_step(st) == SQLITE_ROW)
		secs[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*mean_s = hall_service_mean(secs, n, HALL_SERVICE_ALPHA, config_current()->hall_service_min * 60.0);
	st = dbl_prepare(db, "SELECT COALESCE(SUM(state = 'open'), 0), COUNT(*) FROM hall_windows"
			    " WHERE ',' || queue_ids || ',' LIKE '%,' || $1 || ',%'");
	dbl_bind_int(st, 1, queue_id);
	bool row = sqlite3_step(st) == SQLITE_ROW;
	*open = row ? sqlite3_column_int(st, 0) : 0;
	*serving = row ? sqlite3_column_int(st, 1) : 0;
	sqlite3_reset(st);
}

int hall_ticket_json(db_t *db, int64_t id, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT t.id, t.number, t.token, t.category, t.source, t.state, t.queue_id, q.letter, q.name,"
		    " t.issued_at, t.queued_at, t.called_at, w.number, w.name, t.recalls, t.hall_id, h.name, t.case_id,"
		    " (SELECT COUNT(*) FROM hall_tickets o WHERE o.queue_id = t.queue_id AND o.state = 'waiting'"
		    "  AND (o.queued_at < t.queued_at OR (o.queued_at = t.queued_at AND o.id < t.id)))"
		    " FROM hall_tickets t JOIN hall_queues q ON q.id = t.queue_id JOIN halls h ON h.id = t.hall_id"
		    " LEFT JOIN windows w ON w.id = t.window_id WHERE t.id = $1");
	dbl_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return YW_ENOTFOUND;
	}
	bool waiting = strcmp(dbl_col_text(st, 5), "waiting") == 0;
	int64_t ahead = waiting ? sqlite3_column_int64(st, 18) : 0, queue_id = sqlite3_column_int64(st, 6);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:I, s:I, s:o, s:o, s:o, s:i, s:{s:I, s:s},"
			      " s:o, s:I}",
			      "id", (json_int_t)sqlite3_column_int64(st, 0), "number", dbl_col_text(st, 1), "token",
			      dbl_col_text(st, 2), "category", dbl_col_text(st, 3), "source", dbl_col_text(st, 4), "state",
			      dbl_col_text(st, 5), "queue", "id", (json_int_t)queue_id, "letter", dbl_col_text(st, 7), "name",
			      dbl_col_text(st, 8), "issued_at", (json_int_t)sqlite3_column_int64(st, 9), "queued_at",
			      (json_int_t)sqlite3_column_int64(st, 10), "called_at", col_json(st, 11), "window_number",
			      col_json(st, 12), "window_name",
			      sqlite3_column_type(st, 13) == SQLITE_NULL ? json_null() : json_string(dbl_col_text(st, 13)),
			      "recalls", sqlite3_column_int(st, 14), "hall", "id", (json_int_t)sqlite3_column_int64(st, 15),
			      "name", dbl_col_text(st, 16), "case_id", col_json(st, 17), "ahead", (json_int_t)ahead);
	sqlite3_reset(st);
	double mean;
	int open, serving;
	hall_queue_capacity(db, queue_id, &mean, &open, &serving);
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
	sqlite3_stmt *st = dbl_prepare(db, "SELECT w.hall_id, COALESCE(hw.state, 'closed'), COALESCE(hw.queue_ids, ''),"
					  " COALESCE(hw.ticket_id, 0), hw.window_id IS NOT NULL"
					  " FROM windows w LEFT JOIN hall_windows hw ON hw.window_id = w.id WHERE w.id = $1");
	dbl_bind_int(st, 1, window_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return YW_ENOTFOUND;
	}
	memset(w, 0, sizeof *w);
	w->id = window_id;
	w->hall_id = sqlite3_column_int64(st, 0);
	snprintf(w->state, sizeof w->state, "%s", dbl_col_text(st, 1));
	w->ticket_id = sqlite3_column_int64(st, 3);
	const char *p = dbl_col_text(st, 2);
	while (*p && w->nqueues < 16) {
		char *end;
		w->queues[w->nqueues++] = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
	bool configured = sqlite3_column_int(st, 4);
	sqlite3_reset(st);
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
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id, category, queued_at FROM hall_tickets WHERE queue_id = $1"
					  " AND state = 'waiting' AND (category != 'normal' OR id = (SELECT id FROM hall_tickets"
					  " WHERE queue_id = $1 AND state = 'waiting' AND category = 'normal'"
					  " ORDER BY queued_at, id LIMIT 1)) ORDER BY category = 'normal' DESC, queued_at, id LIMIT 64");
	for (int q = 0; q < w.nqueues && n == 0; q++) {
		dbl_bind_int(st, 1, w.queues[q]);
		while (n < 256 && sqlite3_step(st) == SQLITE_ROW) {
			int cat = hall_category_parse(dbl_col_text(st, 1));
			cand[n++] = (hall_cand_t){sqlite3_column_int64(st, 0), cat < 0 ? HALL_NORMAL : (enum hall_category)cat, q,
						  sqlite3_column_int64(st, 2)};
		}
		sqlite3_reset(st);
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
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE hall_windows SET state = $1, ticket_id = NULLIF($2, 0), changed_at = $3"
					  " WHERE window_id = $4");
	dbl_bind_text(st, 1, state);
	dbl_bind_int(st, 2, ticket_id);
	dbl_bind_int(st, 3, now);
	dbl_bind_int(st, 4, w->id);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return YW_EDB;
	return audit_record_id(db, actor, action, "hall_windows", w->id);
}

/* Runs one UPDATE of the current ticket: its parameters are the n values of v, in order;
 * YW_ECONFLICT when the ticket is not in the state the statement expects. */
static int ticket_update(db_t *db, const auth_user_t *actor, const char *sql, const int64_t *v, int n, int64_t ticket_id,
			 const char *action)
{
	sqlite3_stmt *st = dbl_prepare(db, sql);
	for (int i = 0; i < n; i++)
		dbl_bind_int(st, i + 1, v[i]);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return YW_EDB;
	if (sqlite3_changes(dbl_handle(db)) != 1)
		return YW_ECONFLICT;
	return audit_record_id(db, actor, action, "hall_tickets", ticket_id);
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
	/* $2 carries the window; the staff member is the actor */
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE hall_tickets SET state = 'called', called_at = $1, window_id = $2,"
					  " staff_id = NULLIF($3, 0), recalls = 0 WHERE id = $4 AND state = 'waiting'");
	dbl_bind_int(st, 1, now);
	dbl_bind_int(st, 2, w->id);
	dbl_bind_int(st, 3, actor ? actor->id : 0);
	dbl_bind_int(st, 4, id);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return YW_EDB;
	if (sqlite3_changes(dbl_handle(db)) != 1) {
		snprintf(why, HALL_WHY_MAX, "该号已被其他窗口叫走，请重新叫号");
		return YW_ECONFLICT;
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
	switch (a) {
	case HALL_RECALL: {
		sqlite3_stmt *st = dbl_prepare(db, "SELECT recalls FROM hall_tickets WHERE id = $1 AND state = 'called'");
		dbl_bind_int(st, 1, id);
		int recalls = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
		sqlite3_reset(st);
		if (recalls < 0) {
			snprintf(why, HALL_WHY_MAX, "只有已叫号、尚未开始办理的号可以重呼");
			return YW_ECONFLICT;
		}
		if (recalls >= 2) {
			rc = ticket_update(db, actor, "UPDATE hall_tickets SET state = 'no_show', finished_at = $1"
						      " WHERE id = $2 AND state = 'called'",
					   (int64_t[]){now, id}, 2, id, "hall.ticket.no_show");
			snprintf(why, HALL_WHY_MAX, "已重呼两次未到，按过号处理");
		} else {
			release = false;
			rc = ticket_update(db, actor, "UPDATE hall_tickets SET recalls = recalls + 1, called_at = $1"
						      " WHERE id = $2 AND state = 'called'",
					   (int64_t[]){now, id}, 2, id, "hall.ticket.recall");
		}
		break;
	}
	case HALL_SKIP:
		rc = ticket_update(db, actor, "UPDATE hall_tickets SET state = 'no_show', finished_at = $1"
					      " WHERE id = $2 AND state = 'called'",
				   (int64_t[]){now, id}, 2, id, "hall.ticket.skip");
		if (rc == YW_ECONFLICT)
			snprintf(why, HALL_WHY_MAX, "已开始办理的号不能过号");
		break;
	case HALL_TRANSFER: {
		int64_t hall_id;
		if (hall_of_queue(db, arg, &hall_id) || hall_id != w->hall_id) {
			snprintf(why, HALL_WHY_MAX, "目标队列不在本大厅");
			return YW_EINVAL;
		}
		/* back to waiting in the other queue: the ticket time (queued_at) stays, so it keeps its place */
		rc = ticket_update(db, actor, "UPDATE hall_tickets SET state = 'waiting', queue_id = $1, window_id = NULL,"
					      " staff_id = NULL, called_at = NULL, started_at = NULL, recalls = 0,"
					      " transferred = transferred + 1 WHERE id = $2 AND state IN ('called','serving')",
				   (int64_t[]){arg, id}, 2, id, "hall.ticket.transfer");
		break;
	}
	case HALL_START:
		release = false;
		rc = ticket_update(db, actor, "UPDATE hall_tickets SET state = 'serving', started_at = $1"
					      " WHERE id = $2 AND state = 'called'",
				   (int64_t[]){now, id}, 2, id, "hall.ticket.start");
		if (rc == YW_ECONFLICT)
			snprintf(why, HALL_WHY_MAX, "该号已在办理中");
		break;
	case HALL_FINISH:
		if (arg && cases_check_visible(db, actor, arg) != 0) {
			snprintf(why, HALL_WHY_MAX, "办件不存在或不在您的范围内");
			return YW_EINVAL;
		}
		rc = ticket_update(db, actor, "UPDATE hall_tickets SET state = 'done', finished_at = $1, case_id = NULLIF($2, 0)"
					      " WHERE id = $3 AND state = 'serving'",
				   (int64_t[]){now, arg, id}, 3, id, "hall.ticket.finish");
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
	int rc = win_load(db, window_id, &w);
	if (rc == YW_ECONFLICT)
		snprintf(why, HALL_WHY_MAX, "该窗口尚未配置叫号队列");
	if (rc)
		return rc;
	if ((rc = db_begin(db)) != 0)
		return rc;
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
	json_t *queues = json_array();
	for (int i = 0; i < w.nqueues; i++) {
		json_t *q;
		if (hall_queue_get(db, w.queues[i], &q) == 0)
			json_array_append_new(queues, q);
	}
	json_t *ticket = json_null();
	if (w.ticket_id && hall_ticket_json(db, w.ticket_id, &ticket))
		ticket = json_null();
	*out = json_pack("{s:I, s:I, s:s, s:o, s:o}", "window_id", (json_int_t)window_id, "hall_id", (json_int_t)w.hall_id,
			 "state", w.state, "queues", queues, "ticket", ticket);
	sqlite3_stmt *st = dbl_prepare(db, "SELECT number, name FROM windows WHERE id = $1");
	dbl_bind_int(st, 1, window_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_object_set_new(*out, "window_number", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(*out, "window_name", json_string(dbl_col_text(st, 1)));
	}
	sqlite3_reset(st);
	return 0;
}

int hall_call_event(db_t *db, int64_t ticket_id, int64_t *hall_out, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT t.hall_id, t.window_id, w.number, w.name, t.number, q.letter, q.name,"
					  " t.called_at, t.recalls FROM hall_tickets t JOIN windows w ON w.id = t.window_id"
					  " JOIN hall_queues q ON q.id = t.queue_id WHERE t.id = $1 AND t.state = 'called'");
	dbl_bind_int(st, 1, ticket_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return YW_ENOTFOUND;
	}
	*hall_out = sqlite3_column_int64(st, 0);
	*out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:i, s:s++++}", "window_id",
			 (json_int_t)sqlite3_column_int64(st, 1), "window_number", (json_int_t)sqlite3_column_int64(st, 2),
			 "window_name", dbl_col_text(st, 3), "number", dbl_col_text(st, 4), "queue", dbl_col_text(st, 5),
			 "queue_name", dbl_col_text(st, 6), "at", (json_int_t)sqlite3_column_int64(st, 7), "recalls",
			 sqlite3_column_int(st, 8), "text", "请", dbl_col_text(st, 4), "号到",
			 dbl_col_text(st, 2), "号窗口办理");
	sqlite3_reset(st);
	return 0;
}
