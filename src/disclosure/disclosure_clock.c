/* The disclosure request clock (disclosure_clock.h; docs/domain.md "Government information
 * disclosure"): due days by the working-day calendar, pauses, and the fee bands. Pure. */
#include "disclosure/disclosure_clock.h"
#include "platform/err.h"

int disc_pause_workdays(const calendar_t *cal, yw_date_t from, yw_date_t to, int cap, int *out, bool *beyond)
{
	int n = 0;
	bool b = false;
	int rc = calendar_workdays_between(cal, from, to, &n, &b);
	if (rc)
		return rc;
	if (cap > 0 && n > cap)
		n = cap;
	*out = n;
	if (beyond)
		*beyond = b;
	return 0;
}

int disc_clock_evaluate(const calendar_t *cal, const disc_clock_t *c, yw_date_t today, disc_clock_eval_t *out)
{
	if (c->extension < 0 || c->extension > DISC_EXTENSION_MAX_WORKDAYS || c->paused < 0 || c->pause_cap < 0 ||
	    c->paused > CALENDAR_MAX_WORKDAYS / 2)
		return YW_EINVAL;
	disc_clock_eval_t e = {.signal_day = today};
	bool b1 = false, b2 = false;
	int rc;
	if (c->pause_open) {
		if ((rc = disc_pause_workdays(cal, c->pause_from, today, c->pause_cap, &e.pause_now, &b1)) != 0)
			return rc;
		/* the clock stands still from the pause's first day until the pause ends or runs out */
		if (c->pause_cap == 0 || e.pause_now < c->pause_cap)
			e.signal_day = c->pause_from;
	}
	int total = DISC_REPLY_WORKDAYS + c->extension + c->paused + e.pause_now;
	if ((rc = calendar_add_workdays(cal, c->start, total, &e.due, &b2)) != 0)
		return rc;
	e.signal_due = e.due;
	if (e.signal_day != today &&
	    (rc = calendar_add_workdays(cal, c->start, total - e.pause_now, &e.signal_due, NULL)) != 0)
		return rc;
	e.beyond_published = b1 || b2;
	*out = e;
	return 0;
}

static int add(const calendar_t *cal, yw_date_t from, int n, yw_date_t *out, bool *beyond)
{
	bool b = false;
	int rc = calendar_add_workdays(cal, from, n, out, &b);
	if (rc == 0 && beyond)
		*beyond = b;
	return rc;
}

int disc_correction_notice_deadline(const calendar_t *cal, yw_date_t received, yw_date_t *out, bool *beyond)
{
	return add(cal, received, DISC_CORRECTION_NOTICE_WORKDAYS, out, beyond);
}

int disc_correction_due(const calendar_t *cal, yw_date_t notice, int workdays, yw_date_t *out, bool *beyond)
{
	if (workdays < 1 || workdays > DISC_CORRECTION_MAX_WORKDAYS)
		return YW_EINVAL;
	return add(cal, notice, workdays, out, beyond);
}

int disc_consult_due(const calendar_t *cal, yw_date_t sent, yw_date_t *out, bool *beyond)
{
	return add(cal, sent, DISC_CONSULT_WORKDAYS, out, beyond);
}

int disc_fee_due(const calendar_t *cal, yw_date_t notice, yw_date_t *out, bool *beyond)
{
	return add(cal, notice, DISC_FEE_PAY_WORKDAYS, out, beyond);
}

/* The price in yuan of unit k (counting from 1) of a month's requests or of a request's pages. */
static int64_t unit_yuan(enum disc_fee_basis basis, int64_t k)
{
	if (basis == DISC_FEE_ITEM) {
		if (k <= 10)
			return 0;
		if (k <= 30)
			return 100;
		return 100 + 100 * ((k - 21) / 10); /* 31-40: 200, 41-50: 300, ... */
	}
	if (k <= 30)
		return 0;
	if (k <= 100)
		return 10;
	if (k <= 200)
		return 20;
	return 40;
}

int64_t disc_fee_fen(enum disc_fee_basis basis, int64_t before, int64_t quantity)
{
	if ((basis != DISC_FEE_ITEM && basis != DISC_FEE_PAGE) || before < 0 || quantity < 1 ||
	    before > 100000 || quantity > 100000 - before)
		return -1;
	int64_t yuan = 0;
	for (int64_t k = before + 1; k <= before + quantity; k++)
		yuan += unit_yuan(basis, k);
	return yuan * 100;
}
