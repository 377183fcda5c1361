/* Generated city-year of cases for the statistics benchmark (`yiwang gen-cases`, stats_generate):
 * n cases spread
 * evenly over the working days of a year (up to today) across the published items of the city,
 * weighted so that 即办件 make 65% of the volume (seed 001), about 60% applied online, 98% decided
 * on time, some late, some in 特别程序, a few withdrawn or refused, reviews on 30% of decided cases
 * with about 99% satisfied, and the cards electronic supervision would have issued for the late
 * ones. Rows are written directly in one transaction with prepared statements and no audit
 * records: a generated database is for benchmarks only (`yiwang audit verify` reports the
 * unaudited rows). Cases own the generator: it writes the cases' tables (cases, case_events,
 * case_serials) itself, and the reviews and cards through their owners' stores
 * (reviews_store_add_generated, supervision_store_card_add_generated); it reads the published
 * items and the staff (catalog's and org's tables) as a demo builder does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"
#include "reviews/reviews_store.h"
#include "supervision/supervision_store.h"

#define GEN_NO_DAY INT32_MIN /* a day that is not (yet) there */

typedef struct gen_item {
	int64_t id, version, dept;
	char region[16];
	int instant, days, visits;
} gen_item_t;

typedef struct gen_window {
	int64_t id, dept, clerk;
	char region[16];
} gen_window_t;

typedef struct gen {
	uint64_t rng;
	const calendar_t *cal;
	gen_item_t *items;
	double *cum; /* cumulative item weights, 1.0 at the end */
	int nitems;
	gen_window_t *windows;
	int nwindows;
	int64_t *clerks, *approvers, *approver_dept;
	int nclerks, napprovers;
	yw_date_t today;
} gen_t;

static uint64_t next(gen_t *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

static double uniform(gen_t *g)
{
	return (double)(next(g) >> 11) / 9007199254740992.0;
}

static int below(gen_t *g, int n)
{
	return n > 0 ? (int)(next(g) % (uint64_t)n) : 0;
}

static yw_date_t add_workdays(const gen_t *g, yw_date_t from, int n)
{
	yw_date_t out = from;
	calendar_add_workdays(g->cal, from, n, &out, NULL);
	return out;
}

/* Published items; 即办件 share 65% of the volume, the rest 35%, each group on a Zipf-like curve. */
static int load_items(db_t *db, gen_t *g)
{
	db_stmt_t *st =
		db_prepare(db, "SELECT i.id, v.id, i.dept_id, d.region_code, v.handling_class, v.promised_days, "
			       "v.visits FROM items i JOIN item_versions v ON v.item_id = i.id AND v.status = "
			       "'published' JOIN departments d ON d.id = i.dept_id ORDER BY i.id");
	int cap = 256, rc;
	g->items = malloc((size_t)cap * sizeof *g->items);
	while ((rc = db_step(st)) == DB_ROW) {
		if (g->nitems == cap)
			g->items = realloc(g->items, (size_t)(cap *= 2) * sizeof *g->items);
		gen_item_t *it = &g->items[g->nitems++];
		it->id = db_col_int(st, 0);
		it->version = db_col_int(st, 1);
		it->dept = db_col_int(st, 2);
		snprintf(it->region, sizeof it->region, "%s", db_col_text(st, 3));
		it->instant = db_col_int(st, 4) == 1;
		it->days = (int)db_col_int(st, 5);
		it->visits = (int)db_col_int(st, 6);
	}
	if (rc < 0)
		return rc;
	if (!g->items || !g->nitems)
		return YW_ENOTFOUND;
	double *w = malloc((size_t)g->nitems * sizeof *w), sum[2] = {0, 0};
	g->cum = malloc((size_t)g->nitems * sizeof *g->cum);
	int rank[2] = {0, 0};
	for (int i = 0; i < g->nitems; i++) {
		int k = g->items[i].instant;
		w[i] = 1.0 / (1.0 + 0.05 * (double)(rank[k]++ + below(g, 20)));
		sum[k] += w[i];
	}
	double acc = 0;
	for (int i = 0; i < g->nitems; i++) {
		int k = g->items[i].instant;
		double share = !sum[0] || !sum[1] ? 1.0 : k ? 0.65 : 0.35;
		acc += w[i] / sum[k] * share;
		g->cum[i] = acc;
	}
	free(w);
	return 0;
}

static gen_item_t *pick_item(gen_t *g)
{
	double u = uniform(g) * g->cum[g->nitems - 1];
	int lo = 0, hi = g->nitems - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (g->cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &g->items[lo];
}

static int load_staff(db_t *db, gen_t *g)
{
	int64_t nw = 0, n = 0;
	int rc = db_query_int(db, "SELECT COUNT(*) FROM windows", NULL, &nw);
	if (rc)
		return rc;
	g->windows = calloc((size_t)nw + 1, sizeof *g->windows);
	db_stmt_t *st =
		db_prepare(db, "SELECT w.id, COALESCE(w.dept_id, 0), h.region_code, COALESCE((SELECT min(u.id) "
			       "FROM users u WHERE u.window_id = w.id), 0) FROM windows w JOIN halls h ON h.id = "
			       "w.hall_id WHERE w.active = 1");
	while ((rc = db_step(st)) == DB_ROW) {
		if (g->nwindows == nw) {
			db_reset(st); /* a window added since the count */
			rc = DB_DONE;
			break;
		}
		gen_window_t *w = &g->windows[g->nwindows++];
		w->id = db_col_int(st, 0);
		w->dept = db_col_int(st, 1);
		snprintf(w->region, sizeof w->region, "%s", db_col_text(st, 2));
		w->clerk = db_col_int(st, 3);
	}
	if (rc < 0 || (rc = db_query_int(db, "SELECT COUNT(*) FROM users", NULL, &n)) != 0)
		return rc;
	g->clerks = calloc((size_t)n + 1, sizeof *g->clerks);
	g->approvers = calloc((size_t)n + 1, sizeof *g->approvers);
	g->approver_dept = calloc((size_t)n + 1, sizeof *g->approver_dept);
	st = db_prepare(db, "SELECT id, COALESCE(dept_id, 0), roles FROM users WHERE kind = 'staff' AND disabled = 0");
	while ((rc = db_step(st)) == DB_ROW) {
		const char *roles = db_col_text(st, 2);
		if (strstr(roles, "clerk"))
			g->clerks[g->nclerks++] = db_col_int(st, 0);
		if (strstr(roles, "approver")) {
			g->approver_dept[g->napprovers] = db_col_int(st, 1);
			g->approvers[g->napprovers++] = db_col_int(st, 0);
		}
	}
	return rc < 0 ? rc : 0;
}

/* The window taking a walk-in application: one of the item's department, else a 综合受理 window
 * of the region; NULL when the city has none. */
static const gen_window_t *pick_window(gen_t *g, const gen_item_t *it)
{
	const gen_window_t *found = NULL;
	int seen = 0;
	for (int pass = 0; pass < 2 && !found; pass++)
		for (int i = 0; i < g->nwindows; i++) {
			const gen_window_t *w = &g->windows[i];
			bool fits = pass == 0 ? w->dept == it->dept : w->dept == 0 && strncmp(w->region, it->region, 4) == 0;
			if (fits && below(g, ++seen) == 0)
				found = w;
		}
	return found;
}

static int64_t pick_approver(gen_t *g, int64_t dept)
{
	int64_t found = 0;
	int seen = 0;
	for (int i = 0; i < g->napprovers; i++)
		if (g->approver_dept[i] == dept && below(g, ++seen) == 0)
			found = g->approvers[i];
	return found;
}

/* Unix time of a local working-hours moment on day d. */
static int64_t at_on(gen_t *g, yw_date_t d)
{
	return (int64_t)d * 86400 - 8 * 3600 + 9 * 3600 + below(g, 8 * 3600);
}

typedef struct gen_case {
	const gen_item_t *item;
	const gen_window_t *window;
	bool online;
	int state, visits, signal, suspended;
	int64_t clerk, approver;
	yw_date_t submitted, accepted, promised, decided;
	int64_t submitted_at, accepted_at, decided_at;
} gen_case_t;

/* What happened to one case submitted on day `day`. */
static void plan(gen_t *g, yw_date_t day, gen_case_t *c)
{
	memset(c, 0, sizeof *c);
	c->item = pick_item(g);
	c->online = uniform(g) < 0.6;
	c->window = c->online ? NULL : pick_window(g, c->item);
	c->online |= !c->window;
	c->clerk = c->window && c->window->clerk ? c->window->clerk : g->nclerks ? g->clerks[below(g, g->nclerks)] : 0;
	c->visits = c->online ? (uniform(g) < 0.2) : (uniform(g) < 0.03 ? 2 : 1);
	c->submitted = day;
	c->submitted_at = at_on(g, day);
	c->accepted = c->promised = c->decided = GEN_NO_DAY;
	double r = uniform(g);
	if (r < 0.008) {
		c->state = CASE_WITHDRAWN; /* 撤件 */
		return;
	}
	if (r < 0.016) {
		c->state = CASE_REFUSED; /* 不予受理 */
		c->decided_at = c->submitted_at + 3600;
		return;
	}
	c->accepted = c->online && uniform(g) < 0.5 ? add_workdays(g, day, 1) : day;
	c->accepted_at = c->accepted == day ? c->submitted_at + 600 : at_on(g, c->accepted);
	int days = c->item->instant ? 0 : c->item->days > 0 ? c->item->days : 1;
	if (!c->item->instant && uniform(g) < 0.01)
		c->suspended = 2 + below(g, 9);
	c->promised = add_workdays(g, c->accepted, days + c->suspended);
	double late = uniform(g);
	if (late < 0.02)
		c->decided = add_workdays(g, c->promised, 1 + below(g, 5));
	else if (days == 0)
		c->decided = c->accepted;
	else
		c->decided = add_workdays(g, c->accepted, 1 + below(g, days * 4 / 5 + 1) + c->suspended);
	c->approver = pick_approver(g, c->item->dept);
	if (c->decided > g->today || uniform(g) < 0.001) {
		/* still being handled: the signal electronic supervision shows now */
		c->state = CASE_ACCEPTED;
		int left = 0;
		calendar_workdays_between(g->cal, g->today, c->promised, &left, NULL);
		c->signal = c->promised < g->today ? 2 : left <= 2 ? 1 : 0;
		c->decided = GEN_NO_DAY;
		return;
	}
	c->state = uniform(g) < 0.02 ? CASE_DONE_DENIED : CASE_DONE_APPROVED;
	c->decided_at = c->decided == c->accepted ? c->accepted_at + 1800 : at_on(g, c->decided);
}

static int event(db_t *db, int64_t case_id, int64_t at, int64_t actor, const char *action, int from, int to)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO case_events(case_id, at, actor_id, actor, action, state_from, "
				       "state_to) VALUES (:case_id, :at, :actor_id, 'generated', :action, :state_from, "
				       ":state_to)");
	db_bind_int(st, "case_id", case_id);
	db_bind_int(st, "at", at);
	db_bind_id(st, "actor_id", actor);
	db_bind_text(st, "action", action);
	if (from >= 0)
		db_bind_int(st, "state_from", from);
	db_bind_int(st, "state_to", to);
	return db_run(st);
}

/* A day as 'YYYY-MM-DD'; none leaves the parameter NULL. */
static void bind_day(db_stmt_t *st, const char *name, yw_date_t d)
{
	char buf[11];
	if (d == GEN_NO_DAY)
		return;
	date_format(d, buf);
	db_bind_text(st, name, buf);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "彭", "谭"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "湘"};

static int insert_case(db_t *db, gen_t *g, const gen_case_t *c, int serial, int64_t *id)
{
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO cases(case_no, item_id, item_version_id, dept_id, region_code, applicant_name, "
		    "applicant_no, channel, state, form, created_by, created_at, submitted_at, accepted_at, "
		    "accepted_day, promised_day, decided_at, submitted_day, decided_day, window_id, accepted_by, decided_by, visits, "
		    "signal, suspended_workdays) VALUES (:case_no, :item_id, :item_version_id, :dept_id, :region_code, "
		    ":applicant_name, :applicant_no, :channel, :state, '{}', :created_by, :submitted_at, :submitted_at, "
		    ":accepted_at, :accepted_day, :promised_day, :decided_at, :submitted_day, :decided_day, "
		    ":window_id, :accepted_by, :decided_by, :visits, :signal, :suspended_workdays) RETURNING id");
	char no[40] = "", name[16], idno[24];
	if (c->accepted != GEN_NO_DAY) {
		int y, m, d;
		date_to_ymd(c->accepted, &y, &m, &d);
		snprintf(no, sizeof no, "%.6s%04d%02d%02d%05d", c->item->region, y, m, d, serial);
		db_bind_text(st, "case_no", no);
	}
	snprintf(name, sizeof name, "%s%s", surnames[below(g, 12)], given[below(g, 12)]);
	snprintf(idno, sizeof idno, "430102%04d%02d%02d%04d", 1950 + below(g, 55), 1 + below(g, 12), 1 + below(g, 28),
		 below(g, 10000));
	db_bind_int(st, "item_id", c->item->id);
	db_bind_int(st, "item_version_id", c->item->version);
	db_bind_int(st, "dept_id", c->item->dept);
	db_bind_text(st, "region_code", c->item->region);
	db_bind_text(st, "applicant_name", name);
	db_bind_text(st, "applicant_no", idno);
	db_bind_text(st, "channel", c->online ? "online" : "window");
	db_bind_int(st, "state", c->state);
	db_bind_id(st, "created_by", c->online ? 0 : c->clerk);
	db_bind_int(st, "submitted_at", c->submitted_at);
	db_bind_id(st, "accepted_at", c->accepted_at);
	bind_day(st, "accepted_day", c->accepted);
	bind_day(st, "promised_day", c->promised);
	db_bind_id(st, "decided_at", c->decided_at);
	bind_day(st, "submitted_day", c->submitted);
	bind_day(st, "decided_day", c->decided);
	db_bind_id(st, "window_id", c->window ? c->window->id : 0);
	db_bind_id(st, "accepted_by", c->accepted != GEN_NO_DAY ? c->clerk : 0);
	db_bind_id(st, "decided_by", c->decided != GEN_NO_DAY ? c->approver : 0);
	db_bind_int(st, "visits", c->visits);
	db_bind_int(st, "signal", c->signal);
	db_bind_int(st, "suspended_workdays", c->suspended);
	*id = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

static int insert_events(db_t *db, const gen_case_t *c, int64_t id, cases_gen_counts_t *n)
{
	int rc = event(db, id, c->submitted_at, 0, "submit", -1, CASE_SUBMITTED);
	n->events++;
	if (!rc && c->state == CASE_WITHDRAWN)
		rc = event(db, id, c->submitted_at + 7200, 0, "withdraw", CASE_SUBMITTED, CASE_WITHDRAWN);
	else if (!rc && c->state == CASE_REFUSED)
		rc = event(db, id, c->decided_at, c->clerk, "refuse", CASE_SUBMITTED, CASE_REFUSED);
	else if (!rc) {
		rc = event(db, id, c->accepted_at, c->clerk, "accept", CASE_SUBMITTED, CASE_ACCEPTED);
		if (!rc && c->decided_at)
			rc = event(db, id, c->decided_at, c->approver,
				   c->state == CASE_DONE_APPROVED ? "approve" : "deny", CASE_ACCEPTED, c->state);
		n->events += 1 + (c->decided_at != 0);
	}
	n->events += c->state == CASE_WITHDRAWN || c->state == CASE_REFUSED;
	return rc;
}

/* 一事一评 on about 30% of decided cases: GB/T 39046 levels, about 99% 1-3. */
static int insert_review(db_t *db, gen_t *g, const gen_case_t *c, int64_t id, cases_gen_counts_t *n)
{
	if (!case_state_decided(c->state) || uniform(g) >= 0.3)
		return 0;
	double r = uniform(g);
	int level = r < 0.80 ? 1 : r < 0.95 ? 2 : r < 0.99 ? 3 : r < 0.997 ? 4 : 5;
	static const char *const channels[] = {"pc", "app", "pad", "sms", "wechat"};
	char day[11], due[11];
	date_format(c->decided, day);
	reviews_generated_t rv = {.case_id = id, .window_id = c->window ? c->window->id : 0, .staff_id = c->clerk,
				  .dept_id = c->item->dept, .item_id = c->item->id, .level = level,
				  .channel = c->online ? channels[below(g, 2) ? 4 : 1] : channels[below(g, 5)],
				  .at = c->decided_at + 3600, .day = day, .genuine = -1};
	if (level >= 4) {
		bool genuine = uniform(g) < 0.85;
		rv.genuine = genuine;
		date_format(add_workdays(g, c->decided, 5), due);
		rv.rectify_due_day = due;
		if (genuine && uniform(g) < 0.95)
			rv.rectified_at = c->decided_at + 86400 * (1 + below(g, 5));
	}
	int rc = reviews_store_add_generated(db, &rv);
	n->reviews++;
	return rc;
}

static int card(db_t *db, const gen_case_t *c, int64_t id, int level, const char *kind, yw_date_t day,
		cases_gen_counts_t *n)
{
	char d[11];
	date_format(day, d);
	sv_card_t k = {.case_id = id, .step = -1, .level = level, .kind = kind, .dept_id = c->item->dept,
		       .user_id = c->approver, .day = d, .at = (int64_t)day * 86400};
	int rc = supervision_store_card_add_generated(db, &k);
	n->cards++;
	return rc;
}

/* The cards of a case: 黄牌 the working day after its promised day passed, 红牌 three later. */
static int insert_cards(db_t *db, gen_t *g, const gen_case_t *c, int64_t id, cases_gen_counts_t *n)
{
	if (c->promised == GEN_NO_DAY)
		return 0;
	yw_date_t end = c->decided != GEN_NO_DAY ? c->decided : g->today;
	yw_date_t yellow = add_workdays(g, c->promised, 1), red = add_workdays(g, c->promised, 4);
	int rc = 0;
	/* 预警 when the promised day came with the case still open */
	if (end >= c->promised && c->promised > c->accepted)
		rc = card(db, c, id, 1, "warning", c->promised - 2 > c->accepted ? c->promised - 2 : c->accepted, n);
	if (!rc && end >= yellow)
		rc = card(db, c, id, 2, "overdue", yellow, n);
	if (!rc && end >= red)
		rc = card(db, c, id, 3, "overdue_long", red, n);
	return rc;
}

/* Case numbers continue from the generated serials for real cases added later. */
static int record_serial(db_t *db, const char *region, yw_date_t day, int last)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	char prefix[24];
	snprintf(prefix, sizeof prefix, "%.6s%04d%02d%02d", region, y, m, d);
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO case_serials(prefix, last) VALUES (:prefix, :last) ON CONFLICT(prefix) "
		    "DO UPDATE SET last = CASE WHEN case_serials.last > excluded.last THEN case_serials.last "
		    "ELSE excluded.last END");
	db_bind_text(st, "prefix", prefix);
	db_bind_int(st, "last", last);
	return db_run(st);
}

static int generate(db_t *db, gen_t *g, int year, int n, cases_gen_counts_t *counts)
{
	yw_date_t first = date_from_ymd(year, 1, 1), last = date_from_ymd(year, 12, 31);
	yw_date_t *days = malloc(400 * sizeof *days);
	int ndays = 0;
	/* no applications from the future: this year's cases stop today */
	for (yw_date_t d = first; d <= last && d <= g->today; d++)
		if (calendar_is_workday(g->cal, d))
			days[ndays++] = d;
	if (!ndays) {
		free(days);
		fprintf(stderr, "yiwang: %d has no working day up to today\n", year);
		return YW_EINVAL;
	}
	/* serials per accepting day, above any a real case of that day used; acceptance may fall early next year */
	int serials[420] = {0}, rc = 0;
	const char *region = g->items[0].region;
	for (int i = 0; i < n && !rc; i++) {
		gen_case_t c;
		plan(g, days[(int64_t)i * ndays / n], &c);
		int *serial = c.accepted != GEN_NO_DAY ? &serials[c.accepted - first] : NULL;
		if (serial)
			*serial = *serial ? *serial + 1 : 50001;
		int64_t id = 0;
		rc = insert_case(db, g, &c, serial ? *serial : 0, &id);
		rc = rc ? rc : insert_events(db, &c, id, counts);
		rc = rc ? rc : insert_review(db, g, &c, id, counts);
		rc = rc ? rc : insert_cards(db, g, &c, id, counts);
		counts->cases++;
	}
	/* the demo city's departments share the city's region code, so one prefix per day */
	for (int k = 0; k < 420 && !rc; k++)
		if (serials[k])
			rc = record_serial(db, region, first + k, serials[k]);
	free(days);
	return rc;
}

int cases_generate_year(db_t *db, int year, int n, unsigned seed, int (*before_commit)(db_t *db),
			cases_gen_counts_t *counts)
{
	gen_t g = {.rng = 0x9E3779B97F4A7C15ull ^ seed, .today = date_today_local((int64_t)yw_now())};
	calendar_t *cal = NULL;
	int rc = calendar_store_load(db, &cal);
	g.cal = cal;
	if (!rc)
		rc = load_items(db, &g);
	if (!rc)
		rc = load_staff(db, &g);
	*counts = (cases_gen_counts_t){0};
	if (!rc && (rc = db_begin(db)) == 0) {
		rc = generate(db, &g, year, n, counts);
		if (!rc && before_commit)
			rc = before_commit(db);
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db);
	}
	calendar_free(cal);
	free(g.items);
	free(g.cum);
	free(g.windows);
	free(g.clerks);
	free(g.approvers);
	free(g.approver_dept);
	return rc;
}
