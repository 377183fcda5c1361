/* Case rules: the state machine and the working-day clock. No SQL, no HTTP. */
#include "cases/cases.h"

#include <stdio.h>
#include <string.h>

#include "platform/jsonv.h"

const char *case_state_label(int state)
{
	switch (state) {
	case CASE_DRAFT: return "草稿";
	case CASE_SUBMITTED: return "已接件";
	case CASE_WITHDRAWN: return "已撤件";
	case CASE_ACCEPTED: return "已受理";
	case CASE_REFUSED: return "不予受理";
	case CASE_CORRECTING: return "补正中";
	case CASE_CORRECTED: return "补正结束";
	case CASE_SUSPENDED: return "特别程序中";
	case CASE_DONE_APPROVED: return "办结（准予）";
	case CASE_DONE_DENIED: return "办结（不予）";
	default: return "未知";
	}
}

const char *case_action_name(enum case_action a)
{
	static const char *const names[] = {"submit", "withdraw", "accept", "refuse", "correction", "resubmit",
					    "pass", "return", "approve", "deny", "suspend", "resume"};
	return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

int case_next_state(int from, enum case_action a, bool at_first_step, bool at_last_step)
{
	bool with_window = from == CASE_SUBMITTED || from == CASE_CORRECTED;
	switch (a) {
	case CA_SUBMIT: return from == CASE_DRAFT ? CASE_SUBMITTED : -1;
	case CA_WITHDRAW:
		/* 撤件 is possible until the decision (a draft is simply abandoned the same way). */
		return from == CASE_DRAFT || with_window || from == CASE_CORRECTING || from == CASE_ACCEPTED ||
				       from == CASE_SUSPENDED
			       ? CASE_WITHDRAWN
			       : -1;
	case CA_ACCEPT: return with_window ? CASE_ACCEPTED : -1;
	case CA_REFUSE: return with_window ? CASE_REFUSED : -1;
	case CA_CORRECTION: return with_window ? CASE_CORRECTING : -1;
	case CA_RESUBMIT: return from == CASE_CORRECTING ? CASE_CORRECTED : -1;
	case CA_PASS: return from == CASE_ACCEPTED && !at_last_step ? CASE_ACCEPTED : -1;
	case CA_RETURN: return from == CASE_ACCEPTED && !at_first_step ? CASE_ACCEPTED : -1;
	case CA_APPROVE: return from == CASE_ACCEPTED && at_last_step ? CASE_DONE_APPROVED : -1;
	case CA_DENY: return from == CASE_ACCEPTED && at_last_step ? CASE_DONE_DENIED : -1;
	case CA_SUSPEND: return from == CASE_ACCEPTED ? CASE_SUSPENDED : -1;
	case CA_RESUME: return from == CASE_SUSPENDED ? CASE_ACCEPTED : -1;
	}
	return -1;
}

void case_clock_compute(const calendar_t *cal, yw_date_t accepted, yw_date_t promised, yw_date_t today,
			case_clock_t *out)
{
	bool b1 = false, b2 = false;
	int used = 0, left = 0;
	calendar_workdays_between(cal, accepted, today, &used, &b1);
	if (today <= promised) {
		calendar_workdays_between(cal, today, promised, &left, &b2);
	} else {
		calendar_workdays_between(cal, promised, today, &left, &b2);
		left = -left;
	}
	out->used = used;
	out->remaining = left;
	out->overdue = today > promised && left < 0;
	out->beyond_published = b1 || b2;
}

const char *const case_special_kinds[] = {"听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定",
					  "专家评审", "现场勘验", "延期", NULL};

int case_resume_promised(const calendar_t *cal, yw_date_t promised, yw_date_t suspended, yw_date_t resumed,
			 yw_date_t *out, int *moved_out, bool *beyond_published)
{
	bool b1 = false, b2 = false;
	int moved = 0;
	int rc = calendar_workdays_between(cal, suspended, resumed, &moved, &b1);
	if (!rc)
		rc = calendar_add_workdays(cal, promised, moved, out, &b2);
	*moved_out = moved;
	*beyond_published = b1 || b2;
	return rc;
}

int case_step_budget(int step_days, int promised_days, int n_steps)
{
	if (step_days > 0)
		return step_days;
	int even = n_steps > 0 ? promised_days / n_steps : promised_days;
	return even > 0 ? even : 1;
}

/* Byte length of the UTF-8 sequence starting with c (1 for stray bytes). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Appends the first n code points of s from code point `from`. */
static void put_chars(const char *s, size_t from, size_t n, char *out, size_t size)
{
	size_t i = 0, len = strlen(out);
	for (const char *p = s; *p && i < from + n; i++) {
		size_t k = utf8_len((unsigned char)*p);
		if (i >= from && len + k < size) {
			memcpy(out + len, p, k);
			len += k;
		}
		p += k;
		while (*p && ((unsigned char)*p & 0xC0) == 0x80)
			p++; /* never split a malformed sequence further */
	}
	out[len] = 0;
}

static void put_stars(size_t n, char *out, size_t size)
{
	size_t len = strlen(out);
	while (n-- && len + 1 < size)
		out[len++] = '*';
	out[len] = 0;
}

void case_mask_name(const char *name, char *out, size_t size)
{
	size_t n = utf8_chars(name);
	out[0] = 0;
	if (n <= 1) {
		put_stars(1, out, size);
	} else if (n == 2) {
		put_chars(name, 0, 1, out, size);
		put_stars(1, out, size);
	} else if (n <= 4) {
		/* a person: the surname and the last character */
		put_chars(name, 0, 1, out, size);
		put_stars(n - 2, out, size);
		put_chars(name, n - 1, 1, out, size);
	} else {
		/* an organisation: the first two characters and the last two (公司, 中心, ...) */
		put_chars(name, 0, 2, out, size);
		put_stars(3, out, size);
		put_chars(name, n - 2, 2, out, size);
	}
}
