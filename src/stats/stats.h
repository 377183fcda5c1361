/* Statistics (统计): the figures government service centres report (docs/domain.md §6; seeds 000-004)
 * by day, month, year, department, item, window and staff, computed over compact in-memory facts
 * (one small struct per case, review and card) so that a city-year of 600,000 cases is summed in
 * milliseconds. The facts are loaded once and refreshed from the change log stats_changes
 * (stats_store.c); the rules below are pure functions of the facts.
 *
 * Definitions (also in docs/api.md, "Statistics"), for a period [from, to] of local days:
 * - received (受理量): cases submitted in the period (submitted_day), online or at a window,
 *   drafts excluded;
 * - completed (办结量): cases decided (states 11 办结通过, 13 办结不通过) with decided_day in the
 *   period; completion rate = completed / received;
 * - on time (按时办结): completed with decided_day <= promised_day; early (提前办结): <;
 *   on-time and early rates are over completed;
 * - overdue (超期): completed late in the period, plus cases still open (not suspended) whose
 *   promised_day lies in the period and has passed;
 * - average handling time (平均办理时长): mean working days accepted_day → decided_day minus the
 *   days in 特别程序 (suspended_workdays), over completed cases;
 * - share of 即办件: completed cases of handling class 1 / completed;
 * - share online (网上办理占比): received online / received;
 * - 最多跑一次 rate: received with at most one visit / received;
 * - satisfaction (满意率): reviews of level 1-3 (GB/T 39046: 非常满意, 满意, 基本满意) /
 *   (reviews − reviews verified as not genuine); reviews count on their day;
 * - rectification rate (整改率): bad reviews (level >= 4) verified genuine and rectified / bad
 *   reviews verified genuine (one still being verified or appealed is not yet owed a
 *   rectification);
 * - cards by level (预警, 黄牌, 红牌) on the day issued;
 * - in progress (在办): cases in 受理 or 特别程序 now (cases.h case_state_in_progress), the
 *   definition the supervision page uses too.
 * Case facts are grouped by the staff member who accepted the case (受理人). */
#ifndef YW_STATS_H
#define YW_STATS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/arena.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/http.h"

#define STATS_NO_DAY INT32_MIN

enum stats_case_flag {
	SF_ONLINE = 1,     /* applied online (channel online) */
	SF_INSTANT = 2,    /* 即办件: the item version's handling class is 1 */
	SF_COMMITMENT = 4, /* 告知承诺制 */
};

/* Who and where a fact belongs to: database ids, 0 for none. */
typedef struct stats_dims {
	int32_t dept, item, window, staff;
} stats_dims_t;

/* One case. Days are yw_date_t or STATS_NO_DAY. */
typedef struct stats_case {
	yw_date_t submitted, accepted, promised, decided;
	stats_dims_t dim;
	int16_t handling_days; /* working days accepted → decided less suspended ones; -1 when not decided */
	uint8_t state, flags, visits, signal;
} stats_case_t;

/* One review (好差评); level 0 marks an empty slot. genuine: -1 not verified, 0 not genuine, 1 genuine. */
typedef struct stats_review {
	yw_date_t day;
	stats_dims_t dim;
	uint8_t level;
	int8_t genuine;
	uint8_t rectified;
} stats_review_t;

/* One card (预警 1, 黄牌 2, 红牌 3); level 0 marks an empty slot. */
typedef struct stats_card {
	yw_date_t day;
	stats_dims_t dim;
	uint8_t level;
} stats_card_t;

/* The facts, each array indexed by database id (slot 0 unused). */
typedef struct stats_facts {
	stats_case_t *cases;
	size_t ncases;
	stats_review_t *reviews;
	size_t nreviews;
	stats_card_t *cards;
	size_t ncards;
} stats_facts_t;

/* An empty case slot (all days STATS_NO_DAY). */
extern const stats_case_t stats_case_empty;

enum stats_by { STATS_BY_DAY, STATS_BY_MONTH, STATS_BY_YEAR, STATS_BY_DEPT, STATS_BY_ITEM, STATS_BY_WINDOW,
		STATS_BY_STAFF, STATS_BY_NONE };
/* "day", "month", ... → the grouping; -1 when unknown. */
int stats_by_parse(const char *s);
const char *stats_by_name(enum stats_by by);

typedef struct stats_counts {
	int64_t received, online, zuiduo;               /* by submitted day */
	int64_t completed, on_time, early, late, instant; /* by decided day */
	int64_t handled, handling_days;                   /* completed with a handling time, and its sum */
	int64_t open_overdue;                             /* open past promised_day, by promised day */
	int64_t reviews, satisfied, not_genuine, bad, genuine_bad, rectified, levels[6]; /* reviews by day; levels[1..5] */
	int64_t cards[4];                                 /* cards[1..3] by level */
} stats_counts_t;

/* Derived figures; a rate is NaN when its denominator is 0. */
typedef struct stats_metrics {
	int64_t overdue;
	double completion_rate, on_time_rate, early_rate, avg_handling_days, instant_share, online_share, zuiduo_rate,
		satisfaction_rate, rectification_rate;
} stats_metrics_t;
void stats_metrics(const stats_counts_t *c, stats_metrics_t *out);

typedef struct stats_query {
	yw_date_t from, to; /* inclusive */
	yw_date_t today;    /* for open cases past their promised day */
	enum stats_by by;
	const uint8_t *dept_ok; /* dept_ok[id] != 0: department in scope; NULL for all */
	size_t ndept_ok;
} stats_query_t;

typedef struct stats_result {
	size_t n;
	int64_t *keys;       /* day number, year*100+month, year, or the id (0 = none) */
	stats_counts_t *rows; /* time groupings: every period of the range; others: groups with data */
	stats_counts_t total;
} stats_result_t;

/* Sums the facts. 0, or YW_EINVAL when the range is empty or too long for the grouping (day:
 * 366 days, otherwise 20 years). Free *out with stats_result_free. */
int stats_aggregate(const stats_facts_t *f, const stats_query_t *q, stats_result_t *out);
void stats_result_free(stats_result_t *r);

/* Cases in progress (在办, cases.h case_state_in_progress: 受理 and 特别程序) in scope by
 * electronic supervision signal now, the count the supervision summary gives: [0] normal, [1] 预警, [2] 黄牌, [3] 红牌. */
void stats_signals(const stats_facts_t *f, const stats_query_t *q, int64_t out[4]);

/* ---- store (stats_store.c) ---- */

/* The process-wide facts, brought up to date with the change log first; read-locked until
 * stats_release(). */
int stats_acquire(db_t *db, const stats_facts_t **out);
void stats_release(void);
/* Ticker job: keeps the facts warm and trims the change log. */
int stats_tick(db_t *db, int64_t now);

/* The departments user may see statistics of: q->dept_ok[id] (from arena) for every department
 * id, dept_ok[0] for facts of no department. 0 or the store's error. */
int stats_dept_scope(db_t *db, const auth_user_t *user, arena_t *arena, stats_query_t *q);
/* The name of a department, item, window (hall and window) or staff member (by: STATS_BY_DEPT,
 * _ITEM, _WINDOW or _STAFF) as a new JSON string; YW_ENOTFOUND when there is no such row. */
int stats_dim_name(db_t *db, enum stats_by by, int64_t key, json_t **out);

/* 职能进驻: departments with published items, those items, active windows and staff, in q's scope
 * (a 综合受理 window of no department counts when user oversees its hall's region). */
typedef struct stats_stationed {
	int64_t depts, items, windows, staff;
} stats_stationed_t;
int stats_stationed(db_t *db, const auth_user_t *user, const stats_query_t *q, stats_stationed_t *out);

/* A city-year of generated cases for benchmarks (`yiwang gen-cases`): n cases over the working
 * days of year, with their events, reviews and cards, written directly (no audit records: the
 * database is for benchmarks only). seed makes it repeatable. */
int stats_generate(db_t *db, int year, int n, unsigned seed);
/* Empties the change log but its newest row (a server loads the rows before it whole): after a
 * bulk load such as the generated city-year, inside its transaction. */
int stats_store_log_reset(db_t *db);

/* XLSX of a summary (stats_xlsx.c) written to path. */
int stats_write_xlsx(const char *path, const char *title, json_t *summary);

/* HTTP helpers (stats_http.c): the departments the signed-in user may see statistics of (0 or the
 * store's error), and a row of counts with its derived figures as JSON. */
int stats_scope(http_req_t *req, stats_query_t *q);
json_t *stats_counts_json(const stats_counts_t *c);

/* Route handlers (platform/routes.c). */
int h_stats_summary(http_req_t *req);
int h_stats_dashboard(http_req_t *req);
int h_stats_report(http_req_t *req);
int h_stats_export(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void stats_module_register(void);

#endif
