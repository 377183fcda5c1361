/* Case rules: the state machine and the working-day clock. No SQL, no HTTP. */
#include "cases/cases.h"

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
	case CASE_DONE_APPROVED: return "办结(准予)";
	case CASE_DONE_DENIED: return "办结(不予)";
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
