/* The background evaluation of electronic supervision (电子监察): supervision_tick, run by the
 * ticker at least every minute and at the day change. It reads every open case (partial index
 * cases_open) and open step (case_steps_open) without a write lock, computes each signal with the
 * rules of supervision.c, and only when something changed takes the write lock once to store the
 * new signals and issue the cards. Each write repeats the conditions it was computed under, so a
 * case that a request moved in between is left for the next tick. A quiet system writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/writer.h"
#include "supervision/supervision.h"

enum change_kind {
	CH_CASE,     /* cases.signal */
	CH_STEP,     /* case_steps.signal */
	CH_FOLLOWUP, /* 告知承诺 follow-up check overdue */
	CH_ORDER,    /* 督办 order overdue */
};

typedef struct change {
	enum change_kind kind;
	int64_t id; /* cases.id, case_steps.id or supervision_orders.id */
	int from, to;
	int remaining;
	char due[11];     /* the due day the signal was computed from */
	char stopped[11]; /* the case's suspended_day, "" while its clock runs */
	char start[11];   /* the day the clock started (accepted_day, started_day), "" when none */
} change_t;

typedef struct changes {
	change_t *v;
	size_t n, cap;
} changes_t;

typedef struct tick_ctx {
	const calendar_t *cal;
	sv_limits_t lim;
	yw_date_t today;
	char day[11];
	int64_t now;
	changes_t ch;
} tick_ctx_t;

static void push(changes_t *ch, const change_t *c)
{
	if (ch->n == ch->cap) {
		ch->cap = ch->cap ? ch->cap * 2 : 64;
		ch->v = realloc(ch->v, ch->cap * sizeof *ch->v);
		if (!ch->v)
			abort();
	}
	ch->v[ch->n++] = *c;
}

/* Signal of c->due read today (or on c->stopped); false when the stored day is not a date. */
static bool evaluate(const tick_ctx_t *t, change_t *c)
{
	yw_date_t due, stopped = 0, start = 0;
	bool suspended = *c->stopped != '\0';
	if (date_parse(c->due, strlen(c->due), &due) != 0 ||
	    (suspended && date_parse(c->stopped, strlen(c->stopped), &stopped) != 0) ||
	    (*c->start && date_parse(c->start, strlen(c->start), &start) != 0))
		return false;
	sv_eval_t e;
	if (supervision_signal(t->cal, &t->lim, start, due, supervision_clock_day(t->today, suspended, stopped), &e) != 0)
		return false;
	c->to = e.signal;
	c->remaining = e.remaining;
	return true;
}

static void copy_day(char out[11], db_stmt_t *st, int col)
{
	snprintf(out, 11, "%s", db_col_text(st, col));
}

/* Clocks whose signal is not what they say now; sql yields (id, signal, due day, the case's
 * suspended_day or '', the clock's start day or ''). */
static int scan_clocks(db_t *db, tick_ctx_t *t, const char *sql, enum change_kind kind)
{
	db_stmt_t *st = db_prepare(db, sql);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		change_t c = {.kind = kind, .id = db_col_int(st, 0), .from = (int)db_col_int(st, 1)};
		copy_day(c.due, st, 2);
		copy_day(c.stopped, st, 3);
		copy_day(c.start, st, 4);
		if (evaluate(t, &c) && c.to != c.from)
			push(&t->ch, &c);
	}
	return rc < 0 ? rc : 0;
}

/* Open cases (受理 and 特别程序), and open steps of open cases: a step's clock stops with its case's. */
static const char sql_case_clocks[] = "SELECT c.id, c.signal, c.promised_day, COALESCE(c.suspended_day, ''), "
				      "COALESCE(c.accepted_day, '') "
				      "FROM cases c WHERE " SV_OPEN_CASE " AND c.promised_day IS NOT NULL";
static const char sql_step_clocks[] = "SELECT s.id, s.signal, s.due_day, COALESCE(c.suspended_day, ''), "
				      "COALESCE(s.started_day, '') "
				      "FROM case_steps s JOIN cases c ON c.id = s.case_id "
				      "WHERE s.finished_at IS NULL AND " SV_OPEN_CASE;

/* 告知承诺 cases whose follow-up check is overdue and not yet carded. */
static int scan_followups(db_t *db, tick_ctx_t *t)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, followup_due_day FROM cases WHERE followup_result IS NULL "
				       "AND followup_due_day < :today AND NOT EXISTS (SELECT 1 FROM cards k "
				       "WHERE k.case_id = cases.id AND k.step = -1 AND k.kind = 'followup_overdue')");
	db_bind_text(st, "today", t->day);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		change_t c = {.kind = CH_FOLLOWUP, .id = db_col_int(st, 0)};
		copy_day(c.due, st, 1);
		if (evaluate(t, &c) && c.to >= SV_YELLOW)
			push(&t->ch, &c);
	}
	return rc < 0 ? rc : 0;
}

/* Open 督办 orders past their due day and not yet flagged. */
static int scan_orders(db_t *db, tick_ctx_t *t)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, due_day FROM supervision_orders "
				       "WHERE state = 'open' AND overdue = 0 AND due_day < :today");
	db_bind_text(st, "today", t->day);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		change_t c = {.kind = CH_ORDER, .id = db_col_int(st, 0)};
		copy_day(c.due, st, 1);
		if (evaluate(t, &c) && c.to >= SV_YELLOW)
			push(&t->ch, &c);
	}
	return rc < 0 ? rc : 0;
}

static void clock_note(char *out, size_t size, const char *what, const change_t *c)
{
	if (c->remaining < 0)
		snprintf(out, size, "%s%s，已超期 %d 个工作日", what, c->due, -c->remaining);
	else
		snprintf(out, size, "%s%s，剩余 %d 个工作日", what, c->due, c->remaining);
}

/* Inserts a card unless its (case, step, kind) or (order, kind) already has one; audited when new. */
static int issue_card(db_t *db, const tick_ctx_t *t, int64_t case_id, int step, int level, const char *kind,
		      int64_t dept_id, int64_t user_id, const char *note, int64_t order_id)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO cards(case_id, step, level, kind, dept_id, user_id, day, at, note, "
				       "order_id) VALUES (:case_id, :step, :level, :kind, :dept_id, :user_id, :day, "
				       ":at, :note, :order_id) ON CONFLICT DO NOTHING RETURNING id");
	db_bind_id(st, "case_id", case_id);
	db_bind_int(st, "step", step);
	db_bind_int(st, "level", level);
	db_bind_text(st, "kind", kind);
	db_bind_int(st, "dept_id", dept_id);
	db_bind_id(st, "user_id", user_id);
	db_bind_text(st, "day", t->day);
	db_bind_int(st, "at", t->now);
	db_bind_text(st, "note", note);
	db_bind_id(st, "order_id", order_id);
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		return 0; /* issued before */
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, NULL, "card.issue", "cards", id);
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

static int card_for_signal(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	const char *kind = supervision_card_kind(c->to);
	if (c->to <= c->from || !kind)
		return 0;
	db_stmt_t *st = db_prepare(db, c->kind == CH_CASE ? sql_case_owner : sql_step_owner);
	db_bind_int(st, "id", c->id);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* the row was just updated in this transaction */
	int64_t case_id = db_col_int(st, 0), dept = db_col_int(st, 2);
	int64_t user = db_col_int(st, 3);
	int step = (int)db_col_int(st, 1);
	char note[256];
	clock_note(note, sizeof note, db_col_text(st, 4), c);
	db_reset(st);
	return issue_card(db, t, case_id, step, c->to, kind, dept, user, note, 0);
}

static int apply_signal(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	db_stmt_t *st;
	if (c->kind == CH_CASE)
		st = db_prepare(db, "UPDATE cases SET signal = :new_signal WHERE id = :id AND signal = :old_signal "
				    "AND promised_day = :due AND COALESCE(suspended_day, '') = :stopped AND "
				    CASE_IN_PROGRESS_SQL("state"));
	else
		st = db_prepare(db, "UPDATE case_steps SET signal = :new_signal WHERE id = :id "
				    "AND signal = :old_signal AND due_day = :due AND finished_at IS NULL AND EXISTS "
				    "(SELECT 1 FROM cases c WHERE c.id = case_steps.case_id AND "
				    CASE_IN_PROGRESS_SQL("c.state") " AND COALESCE(c.suspended_day, '') = :stopped)");
	db_bind_int(st, "new_signal", c->to);
	db_bind_int(st, "id", c->id);
	db_bind_int(st, "old_signal", c->from);
	db_bind_text(st, "due", c->due);
	db_bind_text(st, "stopped", c->stopped);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) == 0)
		return 0; /* moved by a request since the scan: the next tick looks again */
	rc = audit_record_id(db, NULL, "supervision.signal", c->kind == CH_CASE ? "cases" : "case_steps", c->id);
	return rc ? rc : card_for_signal(db, t, c);
}

static int apply_followup(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id, COALESCE(decided_by, accepted_by, 0) FROM cases "
				       "WHERE id = :id AND followup_result IS NULL AND followup_due_day = :due");
	db_bind_int(st, "id", c->id);
	db_bind_text(st, "due", c->due);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? 0 : rc; /* checked since the scan */
	int64_t dept = db_col_int(st, 0), user = db_col_int(st, 1);
	db_reset(st);
	char note[128];
	clock_note(note, sizeof note, "告知承诺核查期限", c);
	return issue_card(db, t, c->id, -1, SV_YELLOW, "followup_overdue", dept, user, note, 0);
}

static int apply_order(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	db_stmt_t *st = db_prepare(db, "UPDATE supervision_orders SET overdue = 1 WHERE id = :id AND state = 'open' "
				       "AND overdue = 0 AND due_day = :due RETURNING dept_id, title");
	db_bind_int(st, "id", c->id);
	db_bind_text(st, "due", c->due);
	int rc = db_step(st);
	int64_t dept = 0;
	char note[512];
	if (rc == DB_ROW) {
		dept = db_col_int(st, 0);
		snprintf(note, sizeof note, "督办单《%s》答复期限%s，已逾期 %d 个工作日", db_col_text(st, 1), c->due,
			 -c->remaining);
		rc = db_step(st); /* the id is the key: DB_DONE, and the update is complete */
	}
	if (rc == DB_ROW)
		db_reset(st);
	if (rc < 0)
		return rc;
	if (!dept)
		return 0; /* answered since the scan */
	rc = audit_record_id(db, NULL, "order.overdue", "supervision_orders", c->id);
	return rc ? rc : issue_card(db, t, 0, -1, SV_YELLOW, "order_overdue", dept, 0, note, c->id);
}

/* Changes are written in batches, each its own short transaction, so that a day change that
 * moves thousands of signals never holds the write lock long enough to delay requests. Every
 * change re-checks its row, so a batch that fails can simply be tried again on the next tick, and
 * the scan may read on another connection than the one that writes: in the server the scan runs
 * on the ticker's own (read-only) connection and each batch is one job of the group-commit writer
 * (writer_run), so the writer is held for a batch, never for the scan. */
#define BATCH 256

typedef struct batch {
	const tick_ctx_t *t;
	size_t first;
} batch_t;

static int apply_batch(db_t *db, void *arg)
{
	const batch_t *b = arg;
	const tick_ctx_t *t = b->t;
	int rc = db_begin(db);
	for (size_t i = b->first; !rc && i < t->ch.n && i < b->first + BATCH; i++) {
		const change_t *c = &t->ch.v[i];
		rc = c->kind == CH_FOLLOWUP ? apply_followup(db, t, c)
		     : c->kind == CH_ORDER  ? apply_order(db, t, c)
					    : apply_signal(db, t, c);
	}
	if (!rc)
		rc = db_commit(db);
	else
		db_rollback(db);
	return rc;
}

static int apply_all(db_t *db, const tick_ctx_t *t)
{
	int rc = 0;
	for (size_t first = 0; !rc && first < t->ch.n; first += BATCH) {
		batch_t b = {t, first};
		/* a reader thread (the server's ticker) writes through the writer; the command line
		 * (yiwang tick, tests) writes on its own connection */
		rc = db_thread_is_reader() ? writer_run(apply_batch, &b) : apply_batch(db, &b);
	}
	return rc;
}

int supervision_tick(db_t *db, int64_t now)
{
	const yw_config_t *cfg = config_current();
	tick_ctx_t t = {.lim = {cfg->warn_workdays, cfg->red_overdue_workdays}, .today = date_today_local(now), .now = now};
	date_format(t.today, t.day);
	int rc = calendar_acquire(db, &t.cal);
	if (rc)
		return rc;
	rc = scan_clocks(db, &t, sql_case_clocks, CH_CASE);
	if (!rc)
		rc = scan_clocks(db, &t, sql_step_clocks, CH_STEP);
	if (!rc)
		rc = scan_followups(db, &t);
	if (!rc)
		rc = scan_orders(db, &t);
	calendar_release();
	if (!rc && t.ch.n)
		rc = apply_all(db, &t);
	if (!rc && t.ch.n)
		log_info("supervision: %zu signals and deadlines changed", t.ch.n);
	free(t.ch.v);
	return rc;
}
