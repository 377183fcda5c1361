/* Electronic supervision rules (电子监察, docs/domain.md §6): the signal of a working-day clock. No SQL,
 * no HTTP. */
#include "supervision/supervision.h"

#include <string.h>

yw_date_t supervision_clock_day(yw_date_t today, bool suspended, yw_date_t stopped_day)
{
	return suspended && stopped_day < today ? stopped_day : today;
}

int supervision_signal(const calendar_t *cal, const sv_limits_t *lim, yw_date_t start, yw_date_t due, yw_date_t at,
		       sv_eval_t *out)
{
	int n = 0;
	bool beyond = false;
	int rc = at <= due ? calendar_workdays_between(cal, at, due, &n, &beyond)
			   : calendar_workdays_between(cal, due, at, &n, &beyond);
	if (rc)
		return rc;
	int remaining = at <= due ? n : -n;
	int signal = SV_NORMAL;
	if (remaining < 0)
		signal = -remaining > lim->red_overdue_workdays ? SV_RED : SV_YELLOW;
	else if (remaining <= lim->warn_workdays) {
		/* not on the clock's first day: a 2-day step does not start in 预警 */
		int used = 1;
		bool far = false;
		if (start && start < at && (rc = calendar_workdays_between(cal, start, at, &used, &far)) != 0)
			return rc;
		beyond = beyond || far;
		if (start && start >= at)
			used = 0;
		if (used > 0)
			signal = SV_WARNING;
	}
	*out = (sv_eval_t){.signal = signal, .remaining = remaining, .beyond_published = beyond};
	return 0;
}

const char *supervision_signal_label(int signal)
{
	switch (signal) {
	case SV_NORMAL: return "正常";
	case SV_WARNING: return "预警";
	case SV_YELLOW: return "黄牌";
	case SV_RED: return "红牌";
	default: return "未知";
	}
}

const char *supervision_card_kind(int signal)
{
	switch (signal) {
	case SV_WARNING: return "warning";
	case SV_YELLOW: return "overdue";
	case SV_RED: return "overdue_long";
	default: return NULL;
	}
}

const char *supervision_kind_label(const char *kind)
{
	static const char *const labels[][2] = {
		{"warning", "临近时限预警"},       {"overdue", "超期"},
		{"overdue_long", "严重超期"},      {"refuse_no_reason", "无理由不予受理"},
		{"repeat_correction", "多次补正"}, {"off_process", "体外流转"},
		{"followup_overdue", "承诺核查逾期"}, {"rectify_late", "差评整改逾期"},
		{"order_overdue", "督办逾期未答复"},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i][0], kind) == 0)
			return labels[i][1];
	return kind;
}
