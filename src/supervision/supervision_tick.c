/* The background evaluation of electronic supervision (电子监察): supervision_tick, run by the
 * ticker at least every minute and at the day change. It reads every open case (partial index
 * cases_open) and open step (case_steps_open) without a write lock, computes each signal with the
 * rules of supervision.c, and only when something changed takes the write lock once to store the
 * new signals and issue the cards. Each write repeats the conditions it was computed under, so a
 * case that a request moved in between is left for the next tick. A quiet system writes nothing.
 * The job owns no SQL: it reads the clocks and writes orders and cards through supervision's store
 * (supervision_tick_store.c), and the signals of cases and steps through cases_store_set_signal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_store.h"
#include "platform/calendar_store.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/writer.h"
#include "supervision/supervision_store.h"

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

/* Collects a clock whose signal is not what it says now (cases and steps), or, for follow-ups and
 * orders, one that is overdue. */
typedef struct scan {
	tick_ctx_t *t;
	enum change_kind kind;
} scan_t;

static int scanned(void *arg, const sv_clock_t *k)
{
	scan_t *s = arg;
	change_t c = {.kind = s->kind, .id = k->id, .from = k->signal};
	memcpy(c.due, k->due, sizeof c.due);
	memcpy(c.stopped, k->stopped, sizeof c.stopped);
	memcpy(c.start, k->start, sizeof c.start);
	if (!evaluate(s->t, &c))
		return 0;
	if (s->kind == CH_CASE || s->kind == CH_STEP ? c.to != c.from : c.to >= SV_YELLOW)
		push(&s->t->ch, &c);
	return 0;
}

static int scan(db_t *db, tick_ctx_t *t, enum sv_clock_kind clock, enum change_kind kind)
{
	scan_t s = {t, kind};
	return sv_store_clocks(db, clock, t->day, scanned, &s);
}

static void clock_note(char *out, size_t size, const char *what, const change_t *c)
{
	if (c->remaining < 0)
		snprintf(out, size, "%s%s，已超期 %d 个工作日", what, c->due, -c->remaining);
	else
		snprintf(out, size, "%s%s，剩余 %d 个工作日", what, c->due, c->remaining);
}

/* Issues a card unless its (case, step, kind) or (order, kind) already has one; audited when new. */
static int issue_card(db_t *db, const tick_ctx_t *t, int64_t case_id, int step, int level, const char *kind,
		      int64_t dept_id, int64_t user_id, const char *note, int64_t order_id)
{
	sv_card_t card = {.case_id = case_id, .order_id = order_id, .step = step, .level = level, .kind = kind,
			  .dept_id = dept_id, .user_id = user_id, .day = t->day, .at = t->now, .note = note};
	return supervision_store_card_add(db, NULL, &card, NULL);
}

static int card_for_signal(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	const char *kind = supervision_card_kind(c->to);
	if (c->to <= c->from || !kind)
		return 0;
	sv_card_owner_t o;
	int rc = sv_store_clock_owner(db, c->kind == CH_STEP, c->id, &o);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* the row was just updated in this transaction */
	char note[256];
	clock_note(note, sizeof note, o.what, c);
	return issue_card(db, t, o.case_id, o.step, c->to, kind, o.dept_id, o.user_id, note, 0);
}

static int apply_signal(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	bool changed;
	int rc = cases_store_set_signal(db, c->kind == CH_STEP, c->id, c->from, c->to, c->due, c->stopped, &changed);
	if (rc || !changed)
		return rc; /* unchanged: moved by a request since the scan, the next tick looks again */
	return card_for_signal(db, t, c);
}

static int apply_followup(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	int64_t dept, user;
	int rc = sv_store_followup_owner(db, c->id, c->due, &dept, &user);
	if (rc)
		return rc == YW_ENOTFOUND ? 0 : rc; /* checked since the scan */
	char note[128];
	clock_note(note, sizeof note, "告知承诺核查期限", c);
	return issue_card(db, t, c->id, -1, SV_YELLOW, "followup_overdue", dept, user, note, 0);
}

static int apply_order(db_t *db, const tick_ctx_t *t, const change_t *c)
{
	int64_t dept;
	char title[400], note[512];
	int rc = sv_store_order_flag_overdue(db, c->id, c->due, &dept, title, sizeof title);
	if (rc || !dept)
		return rc; /* no department: answered since the scan */
	snprintf(note, sizeof note, "督办单《%s》答复期限%s，已逾期 %d 个工作日", title, c->due, -c->remaining);
	return issue_card(db, t, 0, -1, SV_YELLOW, "order_overdue", dept, 0, note, c->id);
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

static int apply_changes(db_t *db, void *arg)
{
	const batch_t *b = arg;
	const tick_ctx_t *t = b->t;
	int rc = 0;
	for (size_t i = b->first; !rc && i < t->ch.n && i < b->first + BATCH; i++) {
		const change_t *c = &t->ch.v[i];
		rc = c->kind == CH_FOLLOWUP ? apply_followup(db, t, c)
		     : c->kind == CH_ORDER  ? apply_order(db, t, c)
					    : apply_signal(db, t, c);
	}
	return rc;
}

static int apply_batch(db_t *db, void *arg)
{
	return db_transaction(db, apply_changes, arg);
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
	rc = scan(db, &t, SV_CLOCK_CASE, CH_CASE);
	if (!rc)
		rc = scan(db, &t, SV_CLOCK_STEP, CH_STEP);
	if (!rc)
		rc = scan(db, &t, SV_CLOCK_FOLLOWUP, CH_FOLLOWUP);
	if (!rc)
		rc = scan(db, &t, SV_CLOCK_ORDER, CH_ORDER);
	calendar_release();
	if (!rc && t.ch.n)
		rc = apply_all(db, &t);
	if (!rc && t.ch.n)
		log_info("supervision: %zu signals and deadlines changed", t.ch.n);
	free(t.ch.v);
	return rc;
}
