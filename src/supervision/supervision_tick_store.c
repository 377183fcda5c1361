/* The supervision job's reads and writes (supervision_tick.c holds the job itself): the clocks it
 * scans, the owners of the cards it issues and the 督办 orders it flags. Cases and case_steps are
 * read here as the cases' read model (docs/architecture.md, "Read models"), never written: a
 * signal is stored by cases_store_set_signal. */
#include <stdio.h>
#include <string.h>

#include "platform/audit.h"
#include "platform/db.h"
#include "platform/err.h"
#include "supervision/supervision_store.h"

static void copy_day(char out[11], db_stmt_t *st, int col)
{
	snprintf(out, 11, "%s", db_col_text(st, col));
}

/* Open cases (受理 and 特别程序), and open steps of open cases: a step's clock stops with its case's.
 * Each yields (id, signal, due day, the case's suspended_day or '', the clock's start day or ''). */
static const char sql_case_clocks[] = "SELECT c.id, c.signal, c.promised_day, COALESCE(c.suspended_day, ''), "
				      "COALESCE(c.accepted_day, '') "
				      "FROM cases c WHERE " SV_OPEN_CASE " AND c.promised_day IS NOT NULL";
static const char sql_step_clocks[] = "SELECT s.id, s.signal, s.due_day, COALESCE(c.suspended_day, ''), "
				      "COALESCE(s.started_day, '') "
				      "FROM case_steps s JOIN cases c ON c.id = s.case_id "
				      "WHERE s.finished_at IS NULL AND " SV_OPEN_CASE;
/* 告知承诺 cases whose follow-up check is overdue and not yet carded: (id, due day). */
static const char sql_followup_clocks[] = "SELECT id, followup_due_day FROM cases WHERE followup_result IS NULL "
					  "AND followup_due_day < :today AND NOT EXISTS (SELECT 1 FROM cards k "
					  "WHERE k.case_id = cases.id AND k.step = -1 AND k.kind = 'followup_overdue')";
/* Open 督办 orders past their due day and not yet flagged: (id, due day). */
static const char sql_order_clocks[] = "SELECT id, due_day FROM supervision_orders "
				       "WHERE state = 'open' AND overdue = 0 AND due_day < :today";

int sv_store_clocks(db_t *db, enum sv_clock_kind kind, const char *today, int (*fn)(void *arg, const sv_clock_t *c),
		    void *arg)
{
	bool full = kind == SV_CLOCK_CASE || kind == SV_CLOCK_STEP;
	db_stmt_t *st = db_prepare(db, kind == SV_CLOCK_CASE       ? sql_case_clocks
				       : kind == SV_CLOCK_STEP     ? sql_step_clocks
				       : kind == SV_CLOCK_FOLLOWUP ? sql_followup_clocks
								   : sql_order_clocks);
	if (!full)
		db_bind_text(st, "today", today);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		sv_clock_t c = {.id = db_col_int(st, 0)};
		if (full) {
			c.signal = (int)db_col_int(st, 1);
			copy_day(c.due, st, 2);
			copy_day(c.stopped, st, 3);
			copy_day(c.start, st, 4);
		} else {
			copy_day(c.due, st, 1);
		}
		if ((rc = fn(arg, &c)) != 0) {
			db_reset(st);
			return rc;
		}
	}
	return rc < 0 ? rc : 0;
}

/* Department and responsible person (责任人) of a case card: the accepting clerk, else the staff
 * member who last acted on the case. */
static const char sql_case_owner[] =
	"SELECT c.id, -1, c.dept_id, COALESCE(c.accepted_by, (SELECT e.actor_id FROM case_events e "
	"JOIN users u ON u.id = e.actor_id WHERE e.case_id = c.id AND u.kind = 'staff' ORDER BY e.id DESC LIMIT 1)), "
	"'承诺办结日' FROM cases c WHERE c.id = :id";
/* ... of a step card: whoever handles the step, else the step department's approver who last
 * acted on the case. */
static const char sql_step_owner[] =
	"SELECT s.case_id, s.step, COALESCE(s.dept_id, c.dept_id), COALESCE(s.handled_by, (SELECT e.actor_id "
	"FROM case_events e JOIN users u ON u.id = e.actor_id WHERE e.case_id = c.id "
	"AND u.dept_id = COALESCE(s.dept_id, c.dept_id) AND (',' || u.roles || ',') LIKE '%,approver,%' "
	"ORDER BY e.id DESC LIMIT 1)), s.name || '时限' FROM case_steps s JOIN cases c ON c.id = s.case_id "
	"WHERE s.id = :id";

int sv_store_clock_owner(db_t *db, bool step, int64_t id, sv_card_owner_t *out)
{
	db_stmt_t *st = db_prepare(db, step ? sql_step_owner : sql_case_owner);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	out->case_id = db_col_int(st, 0);
	out->step = (int)db_col_int(st, 1);
	out->dept_id = db_col_int(st, 2);
	out->user_id = db_col_int(st, 3);
	snprintf(out->what, sizeof out->what, "%s", db_col_text(st, 4));
	db_reset(st);
	return 0;
}

int sv_store_followup_owner(db_t *db, int64_t id, const char *due, int64_t *dept_id, int64_t *user_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id, COALESCE(decided_by, accepted_by, 0) FROM cases "
				       "WHERE id = :id AND followup_result IS NULL AND followup_due_day = :due");
	db_bind_int(st, "id", id);
	db_bind_text(st, "due", due);
	int rc = db_one(st);
	if (rc)
		return rc;
	*dept_id = db_col_int(st, 0);
	*user_id = db_col_int(st, 1);
	db_reset(st);
	return 0;
}

int sv_store_order_flag_overdue(db_t *db, int64_t id, const char *due, int64_t *dept_id, char *title,
				size_t title_size)
{
	db_stmt_t *st = db_prepare(db, "UPDATE supervision_orders SET overdue = 1 WHERE id = :id AND state = 'open' "
				       "AND overdue = 0 AND due_day = :due RETURNING dept_id, title");
	db_bind_int(st, "id", id);
	db_bind_text(st, "due", due);
	*dept_id = 0;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*dept_id = db_col_int(st, 0);
		snprintf(title, title_size, "%s", db_col_text(st, 1));
		rc = db_step(st); /* the id is the key: DB_DONE, and the update is complete */
	}
	if (rc == DB_ROW)
		db_reset(st);
	if (rc < 0)
		return rc;
	if (!*dept_id)
		return 0; /* answered since the scan */
	return audit_record_id(db, NULL, "order.overdue", "supervision_orders", id);
}
