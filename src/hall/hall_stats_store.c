/* The hall's figures: waiting counts per queue for the display board, the manager's status with
 * the long-queue alert and its 引导分流 suggestion (seed 000), the day's statistics (tickets per
 * queue and hour, waits, service times, no-show rate, window utilisation), which hall_xlsx.c
 * writes as XLSX. Waiting time is call time − ticket time (docs/domain.md §8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"

/* Per queue of the hall: waiting count and the earliest ticket time among them. */
#define WAITING_SQL                                                                                                    \
	"SELECT q.id, q.letter, q.name, COUNT(t.id), MIN(t.queued_at) FROM hall_queues q"                             \
	" LEFT JOIN hall_tickets t ON t.queue_id = q.id AND t.state = 'waiting'"                                       \
	" WHERE q.hall_id = :hall_id AND q.active = 1 GROUP BY q.id ORDER BY q.letter"

int hall_waiting_json(db_t *db, int64_t hall_id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, WAITING_SQL);
	db_bind_int(st, "hall_id", hall_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I}", "queue_id", (json_int_t)db_col_int(st, 0), "letter",
						     db_col_text(st, 1), "name", db_col_text(st, 2), "waiting",
						     (json_int_t)db_col_int(st, 3)));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int hall_status_json(db_t *db, int64_t hall_id, int64_t now, json_t **out)
{
	const yw_config_t *c = config_current();
	int64_t max_wait_s = (int64_t)c->hall_alert_wait_min * 60;
	db_stmt_t *st = db_prepare(db, WAITING_SQL);
	db_bind_int(st, "hall_id", hall_id);
	int64_t ids[64], counts[64], oldest[64];
	char letters[64][4], names[64][128];
	int n = 0, rc = 0;
	while (n < 64 && (rc = db_step(st)) == DB_ROW) {
		ids[n] = db_col_int(st, 0);
		snprintf(letters[n], sizeof letters[n], "%s", db_col_text(st, 1));
		snprintf(names[n], sizeof names[n], "%s", db_col_text(st, 2));
		counts[n] = db_col_int(st, 3);
		oldest[n] = db_col_null(st, 4) ? now : db_col_int(st, 4);
		n++;
	}
	if (n == 64)
		db_reset(st);
	else if (rc < 0)
		return rc;
	json_t *queues = json_array(), *windows = NULL;
	int alerts = 0;
	for (int i = 0; i < n; i++) {
		double mean;
		int open, serving;
		if ((rc = hall_queue_capacity(db, ids[i], &mean, &open, &serving)) != 0)
			goto fail;
		int64_t longest = now - oldest[i];
		bool alert = hall_alert(counts[i], longest, c->hall_alert_waiting, max_wait_s);
		int need = hall_windows_needed(counts[i], mean, max_wait_s);
		int open_more = alert && need > open ? need - open : 0;
		alerts += alert;
		json_t *q = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:i, s:I, s:b, s:i}", "queue_id", (json_int_t)ids[i],
				      "letter", letters[i], "name", names[i], "waiting", (json_int_t)counts[i],
				      "longest_wait_minutes", (json_int_t)(longest / 60), "estimated_wait_minutes",
				      (json_int_t)((hall_estimate_wait(counts[i], mean, open ? open : serving) + 59) / 60), "open_windows", open,
				      "mean_service_seconds", (json_int_t)mean, "alert", alert, "open_more", open_more);
		if (alert && open_more > 0)
			json_object_set_new(q, "suggestion",
					    json_sprintf("%s队列等候%lld人、最长已等%lld分钟：建议再开放%d个窗口，并引导分流至自助终端或网上办理",
							 names[i], (long long)counts[i], (long long)(longest / 60), open_more));
		else if (alert)
			/* the open windows will clear the queue in time: guidance, not more windows */
			json_object_set_new(q, "suggestion",
					    json_sprintf("%s队列等候%lld人、最长已等%lld分钟：现有窗口可在时限内办完，建议引导分流至自助终端或网上办理",
							 names[i], (long long)counts[i], (long long)(longest / 60)));
		json_array_append_new(queues, q);
	}
	/* every window with its state and the queues it serves, in order, for the manager */
	windows = json_array();
	st = db_prepare(db, "SELECT w.id, w.number, w.name, COALESCE(h.state, 'closed'), COALESCE(h.queue_ids, '') "
			    "FROM windows w LEFT JOIN hall_windows h ON h.window_id = w.id WHERE w.hall_id = :hall_id ORDER BY w.number");
	db_bind_int(st, "hall_id", hall_id);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *qs = json_array();
		for (const char *p = db_col_text(st, 4); *p;) {
			char *end;
			long long q = strtoll(p, &end, 10);
			if (end == p)
				break;
			json_array_append_new(qs, json_integer(q));
			p = *end == ',' ? end + 1 : end;
		}
		json_array_append_new(windows, json_pack("{s:I, s:I, s:s, s:s, s:o}", "window_id", (json_int_t)db_col_int(st, 0),
							 "number", (json_int_t)db_col_int(st, 1), "name", db_col_text(st, 2),
							 "state", db_col_text(st, 3), "queue_ids", qs));
	}
	if (rc < 0)
		goto fail;
	*out = json_pack("{s:I, s:b, s:o, s:o, s:{s:i, s:i}}", "hall_id", (json_int_t)hall_id, "alert", alerts > 0, "queues",
			 queues, "windows", windows, "thresholds", "waiting", c->hall_alert_waiting, "wait_minutes",
			 c->hall_alert_wait_min);
	return 0;
fail:
	json_decref(queues);
	json_decref(windows);
	return rc;
}

static json_t *queue_stats(db_stmt_t *st)
{
	int64_t tickets = db_col_int(st, 3), no_show = db_col_int(st, 8);
	int64_t closed = db_col_int(st, 9);
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:o}", "queue_id", (json_int_t)db_col_int(st, 0),
			 "letter", db_col_text(st, 1), "name", db_col_text(st, 2), "tickets", (json_int_t)tickets, "called",
			 (json_int_t)db_col_int(st, 4), "avg_wait_seconds", (json_int_t)db_col_int(st, 5), "max_wait_seconds",
			 (json_int_t)db_col_int(st, 6), "avg_service_seconds", (json_int_t)db_col_int(st, 7), "no_show_rate",
			 closed ? (double)no_show / (double)closed : 0.0, "per_hour", json_array());
}

int hall_stats_json(db_t *db, int64_t hall_id, yw_date_t day, json_t **out)
{
	char d[11];
	date_format(day, d);
	json_t *queues = json_array(), *windows = json_array();
	/* waits: ticket time to call; a transferred ticket's wait counts from its original ticket time */
	db_stmt_t *st = db_prepare(
		db, "SELECT q.id, q.letter, q.name, COUNT(t.id), COUNT(t.called_at),"
		    " COALESCE(CAST(AVG(t.called_at - t.queued_at) AS INTEGER), 0), COALESCE(MAX(t.called_at - t.queued_at), 0),"
		    " COALESCE(CAST(AVG(CASE WHEN t.state = 'done' THEN t.finished_at - t.started_at END) AS INTEGER), 0),"
		    " COALESCE(SUM(CASE WHEN t.state = 'no_show' THEN 1 ELSE 0 END), 0),"
		    " COALESCE(SUM(CASE WHEN t.state IN ('done','no_show') THEN 1 ELSE 0 END), 0)"
		    " FROM hall_queues q LEFT JOIN hall_tickets t ON t.issued_queue_id = q.id AND t.day = :day"
		    " WHERE q.hall_id = :hall_id GROUP BY q.id ORDER BY q.letter");
	db_bind_text(st, "day", d);
	db_bind_int(st, "hall_id", hall_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(queues, queue_stats(st));
	if (rc < 0)
		goto fail;
	/* tickets per queue and local hour (UTC+8) */
	st = db_prepare(db, "SELECT issued_queue_id, ((issued_at + 28800) % 86400) / 3600, COUNT(*) FROM hall_tickets"
			    " WHERE day = :day AND hall_id = :hall_id GROUP BY 1, 2");
	db_bind_text(st, "day", d);
	db_bind_int(st, "hall_id", hall_id);
	while ((rc = db_step(st)) == DB_ROW) {
		size_t i;
		json_t *q;
		json_array_foreach(queues, i, q)
			if (json_integer_value(json_object_get(q, "queue_id")) == db_col_int(st, 0))
				json_array_append_new(json_object_get(q, "per_hour"),
						      json_pack("{s:i, s:I}", "hour", (int)db_col_int(st, 1), "tickets",
								(json_int_t)db_col_int(st, 2)));
	}
	if (rc < 0)
		goto fail;
	/* window utilisation: time serving over the span from its first call to its last finish */
	st = db_prepare(db, "SELECT w.id, w.number, w.name, COUNT(t.id), COALESCE(SUM(t.finished_at - t.started_at), 0),"
			    " COALESCE(MAX(t.finished_at) - MIN(t.called_at), 0) FROM windows w JOIN hall_tickets t"
			    " ON t.window_id = w.id AND t.day = :day AND t.state = 'done' WHERE w.hall_id = :hall_id"
			    " GROUP BY w.id ORDER BY w.number");
	db_bind_text(st, "day", d);
	db_bind_int(st, "hall_id", hall_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t busy = db_col_int(st, 4), span = db_col_int(st, 5);
		json_array_append_new(windows, json_pack("{s:I, s:I, s:s, s:I, s:I, s:f}", "window_id",
							 (json_int_t)db_col_int(st, 0), "number", (json_int_t)db_col_int(st, 1),
							 "name", db_col_text(st, 2), "served", (json_int_t)db_col_int(st, 3),
							 "busy_seconds", (json_int_t)busy, "utilisation",
							 span > 0 ? (double)busy / (double)span : 0.0));
	}
	if (rc < 0)
		goto fail;
	*out = json_pack("{s:I, s:s, s:o, s:o}", "hall_id", (json_int_t)hall_id, "date", d, "queues", queues, "windows",
			 windows);
	return 0;
fail:
	json_decref(queues);
	json_decref(windows);
	return rc;
}
