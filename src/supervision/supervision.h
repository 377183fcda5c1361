/* Electronic supervision (电子监察, docs/domain.md §6): every open case and step carries a signal
 * computed from its deadline on the working-day calendar — normal, 预警 (warning light) when few
 * working days remain, 黄牌 (yellow card) when overdue, 红牌 (red card) when seriously overdue — and
 * a card is issued once to the responsible department and person when a signal is reached.
 * Supervisors send 督办 orders (supervision orders) that departments must answer by a deadline.
 * The signals are re-evaluated in the background (supervision_tick), never in a request. */
#ifndef YW_SUPERVISION_H
#define YW_SUPERVISION_H
#include <stdbool.h>
#include <stdint.h>

#include "cases/cases.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/http.h"

enum sv_signal {
	SV_NORMAL = 0,  /* 正常 */
	SV_WARNING = 1, /* 预警: at most warn_workdays working days left */
	SV_YELLOW = 2,  /* 黄牌: overdue */
	SV_RED = 3,     /* 红牌: overdue by more than red_overdue_workdays working days */
};

/* The configurable limits, in working days (config warn_workdays, red_overdue_workdays). */
typedef struct sv_limits {
	int warn_workdays;
	int red_overdue_workdays;
} sv_limits_t;

typedef struct sv_eval {
	int signal;            /* enum sv_signal */
	int remaining;         /* working days left up to the due day; negative: working days overdue */
	bool beyond_published; /* the count reached into a year whose holiday notice is not loaded */
} sv_eval_t;

/* The day a clock reads: today, or for a case in 特别程序 (suspended) the day its clock stopped,
 * so the signal stays frozen while the clock does (行政许可法 §45). */
yw_date_t supervision_clock_day(yw_date_t today, bool suspended, yw_date_t stopped_day);

/* The signal of a clock started on `start` and due on `due`, read on day `at`. Working days are
 * counted the statutory way (from the day after). 预警 when at most warn_workdays working days
 * remain once the clock has run at least one working day (start 0: not known, no such
 * condition), so day 0 of a 2-day step is still 正常; 黄牌 once a working day after the due day has
 * begun (a weekend or holiday right after the due day is not yet overdue); 红牌 when more than
 * red_overdue_workdays working days over. YW_EINVAL when a day lies outside the calendar. */
int supervision_signal(const calendar_t *cal, const sv_limits_t *lim, yw_date_t start, yw_date_t due, yw_date_t at,
		       sv_eval_t *out);

/* "正常", "预警", "黄牌", "红牌". */
const char *supervision_signal_label(int signal);
/* The card kind issued when a deadline signal is reached: warning, overdue, overdue_long; NULL for normal. */
const char *supervision_card_kind(int signal);
/* Chinese label of a card kind (warning → 超期预警 ...); the kind itself when unknown. */
const char *supervision_kind_label(const char *kind);

/* SQL condition for the cases in progress (在办, cases.h CASE_IN_PROGRESS_SQL: 受理 3, 特别程序 9)
 * of cases c, the ones that carry a clock. It repeats the condition of the partial index
 * cases_open (CASE_OPEN_SQL), which SQLite uses only when the query names it. */
#define SV_OPEN_CASE CASE_OPEN_SQL("c.state") " AND " CASE_IN_PROGRESS_SQL("c.state")

/* Background job (ticker): re-evaluates every open case and step, writes only changed signals,
 * issues cards once, flags overdue 告知承诺 follow-ups and 督办 orders. One transaction. */
int supervision_tick(db_t *db, int64_t now);

/* The number of cards ever issued (supervision_store.c). */
int supervision_cards_count(db_t *db, int64_t *n);

/* Route handlers (platform/routes.c, "Supervision"). */
int h_sv_orders_create(http_req_t *req);
int h_sv_orders_list(http_req_t *req);
int h_sv_order_answer(http_req_t *req);
int h_sv_order_close(http_req_t *req);
int h_sv_signals(http_req_t *req);
int h_sv_cards(http_req_t *req);
int h_sv_summary(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void supervision_module_register(void);

#endif
