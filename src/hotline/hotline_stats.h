/* Hotline statistics (docs/domain.md §9 "Rankings, bulletin and dashboard"): the monthly rankings
 * of handling units (承办单位), the bulletin (通报) naming the best and worst, and the dashboard
 * (volumes, a heat table of districts by matter, hot topics of the week, trends), computed over
 * compact in-memory facts (one small struct per order, one per event that counts for or against a
 * unit) so that a year of 1,000,000 orders answers in milliseconds. The facts are loaded once and
 * kept current from the change log hotline_stats_changes (hotline_stats_store.c); everything below
 * the store is a pure function of the facts.
 *
 * Definitions for a unit and a month (also in docs/api.md "Hotline statistics"):
 * - received (派件量): the unit was made lead unit of an order (派单, 改派 or 重办) in the month;
 * - signed in time (按时签收): of those, signed for by the unit within its sign-for limit (1
 *   working day after the dispatch, for an urgent order at most its clock hours); 签收率 = signed in
 *   time / received;
 * - closed (办结量): orders 办结 in the month whose reply was the unit's (直接办结 by the centre are
 *   nobody's); on time (按时办结): the reply came before the order's due time, which approved
 *   extensions (延期) have moved; on-time rate = on time / closed;
 * - called back (回访): call-backs that reached the citizen in the month about the unit's reply;
 *   satisfaction (满意率) = (满意 + 基本满意) / called back, solved rate (解决率) = solved / called back;
 * - returns (退单): returns of the unit the centre rejected in the month (unjustified; a return the
 *   centre accepted, misrouted, counts against the centre, not the unit);
 * - 重办: orders reopened in the month after a 不满意 call-back on the unit's reply.
 * Composite score (0-100): the weighted mean of the rates a unit has a denominator for
 * (签收率, 按时办结率, 解决率, 满意率; by default 15, 25, 20, 30) and the clean rate (10), the weights
 * from the configuration (hotline_weight_*, together 100), where clean rate = 1 −
 * min(1, (returns + 重办) / max(received, 1)); rank by score, then received, then unit id. */
#ifndef YW_HOTLINE_STATS_H
#define YW_HOTLINE_STATS_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/auth.h"
#include "platform/config.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/http.h"

#define HLS_NO_DAY INT32_MIN

enum hls_flag {
	HLS_URGENT = 1,
	HLS_ON_TIME = 2, /* closed: the reply came before the due time */
	HLS_DIRECT = 4,  /* 直接办结 */
	HLS_MERGED = 8,  /* 并单: counted in the main order */
};

/* One order; day HLS_NO_DAY marks an empty slot. channel and category are indexes into
 * hls_channels / hls_categories (0 = unknown). */
typedef struct hls_order {
	int32_t day, closed_day;
	int32_t matter, reply_unit;
	uint32_t title; /* offset of the title (NUL-terminated) in the title pool */
	int32_t ev;     /* first event, -1 none */
	uint16_t district; /* index into the facts' districts, 0 none */
	uint8_t channel, category, flags;
} hls_order_t;

enum hls_event_kind { HLS_EV_DEAD, HLS_EV_ASSIGN, HLS_EV_CALLBACK, HLS_EV_RETURN, HLS_EV_REOPEN };

/* One event of an order that counts for a unit: a lead assignment (a: signed in time), a call-back
 * that reached the citizen (a: 1 满意, 2 基本满意, 3 不满意; b: solved), a rejected return, a 重办. */
typedef struct hls_event {
	int32_t day, unit, next;
	uint8_t kind, a, b;
} hls_event_t;

#define HLS_DISTRICTS_MAX 1024
typedef struct hls_facts {
	hls_order_t *orders; /* indexed by order id */
	size_t norders;
	hls_event_t *events;
	size_t nevents, cevents, dead;
	char *titles;
	size_t ntitles, ctitles;
	char districts[HLS_DISTRICTS_MAX][16]; /* region codes; [0] "" */
	int ndistricts;
	/* for caches of per-day figures: bumped on every full load, and for a day whenever an order
	 * of that day is read (day_ver[day - day0]) */
	uint32_t epoch;
	int32_t day0;
	uint32_t *day_ver;
	size_t nday_ver;
} hls_facts_t;

extern const char *const hls_channels[8];   /* [1..7] as stored; [0] NULL */
extern const char *const hls_categories[7]; /* [1..6] */

/* ---- rankings ---- */
typedef struct hls_unit_row {
	int64_t unit;
	int64_t received, signed_in_time, closed, on_time, called_back, satisfied, basic, dissatisfied, solved, returns,
		reopens;
	double sign_rate, on_time_rate, solved_rate, satisfaction_rate, score; /* NaN without a denominator */
	int rank;
} hls_unit_row_t;

/* The composite score's weights, in the order sign, on-time, solved, satisfaction, clean. */
enum { HLS_W_SIGN, HLS_W_ON_TIME, HLS_W_SOLVED, HLS_W_SATISFACTION, HLS_W_CLEAN, HLS_NWEIGHTS };
/* The configured weights (hotline_weight_*). */
void hls_weights(const yw_config_t *cfg, int w[HLS_NWEIGHTS]);

/* Rows of every unit with activity in [from, to], ranked (rank 1 best) by the score under weights w;
 * free *rows. */
int hls_rankings(const hls_facts_t *f, yw_date_t from, yw_date_t to, const int w[HLS_NWEIGHTS], hls_unit_row_t **rows,
		 size_t *n);

/* ---- dashboard ---- */
typedef struct hls_matter {
	int64_t id, parent;
	char name[96];
} hls_matter_t;

/* The dashboard over [from, to] as JSON; matters maps leaf ids to top-level ones. Names of
 * districts and units come from the store afterwards. */
json_t *hls_dashboard(const hls_facts_t *f, yw_date_t from, yw_date_t to, const hls_matter_t *matters,
		      size_t nmatters);
/* Hot topics of the week ending at `to`: character bigrams of titles whose count of orders this
 * week rose fastest against the mean of the four weeks before (docs/domain.md §9). */
json_t *hls_hot_topics(const hls_facts_t *f, yw_date_t to, int min_count, int top);
/* Is the code point pair a stop bigram (or not a pair of CJK ideographs)? */
bool hls_stop_bigram(uint32_t a, uint32_t b);

/* ---- store (hotline_stats_store.c) ---- */

/* The process-wide facts, brought up to date with the change log first; read-locked until
 * hls_release(). */
int hls_acquire(db_t *db, const yw_config_t *cfg, const hls_facts_t **out);
void hls_release(void);
/* Ticker job: keeps the facts warm and trims the change log. */
int hls_tick(db_t *db, int64_t now);
/* The matter classification (all, with parents), the names of departments and of regions. */
int hls_store_matters(db_t *db, hls_matter_t **out, size_t *n);
int hls_store_unit_names(db_t *db, json_t **out);   /* {"id": "name"} */
int hls_store_unit_kinds(db_t *db, json_t **out);   /* {"id": "kind"}: department, district, street, enterprise */
int hls_store_region_names(db_t *db, json_t **out); /* {"code": "name"} */
/* Empties the change log but its newest row (after a bulk load such as gen-orders). */
int hls_store_log_reset(db_t *db);

/* A generated year of orders for benchmarks (`yiwang gen-orders`, hotline_stats_demo.c): n orders
 * over the days of year with their units, steps, returns, extensions and call-backs, written
 * directly in one transaction without audit records. */
int hls_generate(db_t *db, const yw_config_t *cfg, int year, int n, unsigned seed, char *summary, size_t size);

/* XLSX of the dashboard (and of the rankings) written to path. */
int hls_write_dashboard_xlsx(const char *path, json_t *dash);

/* Route handlers. */
int h_hotline_rankings(http_req_t *req);
int h_hotline_bulletin(http_req_t *req);
int h_hotline_bulletin_html(http_req_t *req);
int h_hotline_dashboard(http_req_t *req);
int h_hotline_dashboard_xlsx(http_req_t *req);

#endif
