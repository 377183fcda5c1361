/* The statutory clock of a disclosure request (依申请公开, docs/domain.md "Government information
 * disclosure", "The request clock"), as pure functions on the working-day calendar:
 *   - the reply is due on the 20th working day after receipt (the receipt day itself not counted);
 *   - one extension of at most 20 working days;
 *   - 补正: the notice is due within 7 working days of receipt; once the corrected request arrives,
 *     the 20 days run again from its receipt (a restart, not a pause);
 *   - a third-party consultation is not counted, for at most the 15 working days the third party
 *     has to answer; the clock pauses while it runs and resumes after;
 *   - a fee notice (国办函〔2020〕109号) pauses the clock until payment; 20 working days to pay.
 * Nothing here reads the database or the time: the store passes the calendar and "today". */
#ifndef YW_DISCLOSURE_CLOCK_H
#define YW_DISCLOSURE_CLOCK_H
#include <stdbool.h>
#include <stdint.h>

#include "platform/calendar.h"

enum {
	DISC_REPLY_WORKDAYS = 20,            /* reply within 20 working days of receipt */
	DISC_EXTENSION_MAX_WORKDAYS = 20,    /* one extension of at most 20 */
	DISC_CORRECTION_NOTICE_WORKDAYS = 7, /* the 补正 notice within 7 working days of receipt */
	DISC_CORRECTION_DEFAULT_WORKDAYS = 10, /* the time given to correct, unless the officer sets one */
	DISC_CORRECTION_MAX_WORKDAYS = 30,
	DISC_CONSULT_WORKDAYS = 15,          /* the third party answers within 15 working days */
	DISC_FEE_PAY_WORKDAYS = 20,          /* the applicant pays within 20 working days of the notice */
};

/* Where a request's clock stands. */
typedef struct disc_clock {
	yw_date_t start;      /* receipt, or receipt of the corrected request */
	int extension;        /* working days of the approved extension, 0 when none */
	int paused;           /* working days of past pauses, not counted */
	bool pause_open;      /* a consultation or an unpaid fee notice stops the clock now */
	yw_date_t pause_from; /* the day the open pause began */
	int pause_cap;        /* the longest the open pause counts (15 for a consultation); 0: no limit */
} disc_clock_t;

typedef struct disc_clock_eval {
	yw_date_t due;         /* the reply's due day, the open pause's working days so far added */
	yw_date_t signal_day;  /* the day the supervision signal reads: the pause's first day while the
				  clock stands still, else today */
	yw_date_t signal_due;  /* the due day the signal compares with: while the clock stands still,
				  the one without the open pause (the signal stays as it was), else due */
	int pause_now;         /* working days the open pause counts by today */
	bool beyond_published; /* a count reached into a year whose holiday notice is not loaded */
} disc_clock_eval_t;

/* Working days an open pause that began on `from` counts by `to`: those in (from, to], at most cap
 * when cap > 0. YW_EINVAL when a day is outside the calendar. */
int disc_pause_workdays(const calendar_t *cal, yw_date_t from, yw_date_t to, int cap, int *out, bool *beyond);

/* The clock read on `today`. YW_EINVAL for a clock out of range (extension or paused negative,
 * extension over 20) or days outside the calendar. */
int disc_clock_evaluate(const calendar_t *cal, const disc_clock_t *c, yw_date_t today, disc_clock_eval_t *out);

/* The last day of each statutory period, counted the statutory way (from the day after):
 * the 补正 notice (7 after receipt), the correction itself (workdays after the notice, 1-30), the
 * third party's answer (15 after sending), the fee's payment (20 after the notice). */
int disc_correction_notice_deadline(const calendar_t *cal, yw_date_t received, yw_date_t *out, bool *beyond);
int disc_correction_due(const calendar_t *cal, yw_date_t notice, int workdays, yw_date_t *out, bool *beyond);
int disc_consult_due(const calendar_t *cal, yw_date_t sent, yw_date_t *out, bool *beyond);
int disc_fee_due(const calendar_t *cal, yw_date_t notice, yw_date_t *out, bool *beyond);

/* 信息处理费 (国办函〔2020〕109号), charged either per request (按件) or per page (按量), never both.
 * Per request: the applicant's requests to the organ in one calendar month, 1-10 free, 11-30 at
 * 100 yuan each, then each further band of 10 costs 100 yuan more per request (31-40 at 200, 41-50
 * at 300, ...). Per page: pages 1-30 free, 31-100 at 10 yuan, 101-200 at 20 yuan, beyond 200 at 40
 * yuan. The fee of units before+1 .. before+quantity, in fen; -1 when the arguments are out of
 * range (before < 0, quantity < 1, more than 100000 units). */
enum disc_fee_basis { DISC_FEE_ITEM = 0, DISC_FEE_PAGE = 1 };
int64_t disc_fee_fen(enum disc_fee_basis basis, int64_t before, int64_t quantity);

#endif
