/* Case rules: the state machine, who sees a case and which actions a viewer may take on it now
 * (one rule for the handlers and for the case detail's "actions"), and the working-day clock.
 * No SQL, no HTTP (docs/domain.md §4). */
#include "cases/cases.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases_priv.h"
#include "platform/err.h"
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
	static const char *const names[CA__COUNT] = {
		"submit", "withdraw", "accept", "refuse", "correction", "resubmit", "pass",     "return",
		"approve", "deny",    "suspend", "resume", "supply",    "followup", "deliver", "opinion"};
	return (unsigned)a < CA__COUNT ? names[a] : "?";
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
	case CA_SUPPLY:
	case CA_FOLLOWUP:
	case CA_DELIVER:
	case CA_OPINION:
	case CA__COUNT: break;
	}
	return -1;
}

/* ---- who sees a case ---- */

/* The table of the rule: which roles see cases by which part of the scope. An applicant account
 * sees its own cases only, whatever else it holds. */
enum scope_part { BY_OWN, BY_REGION, BY_DEPT };
static const struct {
	unsigned roles;
	enum scope_part by;
} scope_rules[] = {
	{ROLE_APPLICANT, BY_OWN},
	{ROLE_CLERK | ROLE_SUPERVISOR | ROLE_CENTER_ADMIN, BY_REGION},
	{ROLE_APPROVER | ROLE_DEPT_ADMIN, BY_DEPT},
};

void case_scope_of(const auth_user_t *u, case_scope_t *out)
{
	*out = (case_scope_t){0};
	for (size_t i = 0; i < sizeof scope_rules / sizeof scope_rules[0]; i++) {
		if (!(u->roles & scope_rules[i].roles))
			continue;
		switch (scope_rules[i].by) {
		case BY_OWN:
			*out = (case_scope_t){.own = u->id > 0 ? u->id : 0};
			return; /* nothing else */
		case BY_REGION:
			out->regional = true;
			out->prefix_len = (int)auth_region_prefix_len(u->region_code);
			if (out->prefix_len >= (int)sizeof out->prefix)
				out->prefix_len = (int)sizeof out->prefix - 1;
			snprintf(out->prefix, sizeof out->prefix, "%.*s", out->prefix_len, u->region_code);
			break;
		case BY_DEPT: out->dept = u->dept_id > 0 ? u->dept_id : 0; break;
		}
	}
}

bool case_scope_admits(const case_scope_t *s, int64_t applicant_id, const char *region, int64_t dept_id,
		       const char *par_depts)
{
	if (s->own > 0 && applicant_id == s->own)
		return true;
	if (s->regional && strncmp(region ? region : "", s->prefix, (size_t)s->prefix_len) == 0)
		return true;
	return s->dept > 0 && (dept_id == s->dept || cases_ids_has(par_depts, s->dept));
}

bool cases_ids_has(const char *csv, int64_t id)
{
	char needle[24];
	snprintf(needle, sizeof needle, ",%lld,", (long long)id);
	return id > 0 && csv && strstr(csv, needle) != NULL;
}

bool cases_visible(const auth_user_t *u, const case_row_t *c)
{
	case_scope_t s;
	case_scope_of(u, &s);
	return case_scope_admits(&s, c->applicant_id, c->region, c->dept_id, c->par_depts);
}

/* ---- which actions a viewer may take ---- */

const char *cases_step_role(const case_row_t *c, int step)
{
	const char *r = json_string_value(json_object_get(json_array_get(json_object_get(c->guide, "steps"), (size_t)step),
							 "role"));
	return r ? r : "approver";
}

int cases_step_count(const case_row_t *c)
{
	return (int)json_array_size(json_object_get(c->guide, "steps"));
}

/* The route permission of each action (cases_module.c's table says the same per route). */
static enum perm action_perm(enum case_action a)
{
	switch (a) {
	case CA_SUBMIT:
	case CA_WITHDRAW:
	case CA_RESUBMIT:
	case CA_SUPPLY: return PERM_CASE_APPLY_OR_ACCEPT;
	case CA_ACCEPT:
	case CA_REFUSE:
	case CA_CORRECTION: return PERM_CASE_ACCEPT;
	default: return PERM_CASE_HANDLE;
	}
}

/* A window of the case's region. */
static bool window_of(const auth_user_t *u, const case_row_t *c)
{
	return (u->roles & ROLE_CLERK) && auth_region_within(c->region, u->region_code);
}

/* An approver of the case's own department. */
static bool own_approver(const auth_user_t *u, const case_row_t *c)
{
	return (u->roles & ROLE_APPROVER) && u->dept_id > 0 && u->dept_id == c->dept_id;
}

/* Is action a u's to take on c at all (its role, department, region), whatever the state? */
static bool action_is_theirs(const auth_user_t *u, const case_row_t *c, enum case_action a)
{
	if (!auth_has_perm(u, action_perm(a)))
		return false;
	switch (a) {
	case CA_SUBMIT:
	case CA_RESUBMIT:
	case CA_WITHDRAW:
	case CA_SUPPLY:
		/* the applicant, or a window of the region (a walk-in, or the applicant at the counter) */
		return (u->roles & ROLE_APPLICANT) ? c->applicant_id == u->id : window_of(u, c);
	case CA_ACCEPT:
	case CA_REFUSE:
	case CA_CORRECTION: return window_of(u, c);
	case CA_FOLLOWUP: return own_approver(u, c);
	case CA_DELIVER: return own_approver(u, c) || window_of(u, c);
	case CA_OPINION: return (u->roles & ROLE_APPROVER) && cases_ids_has(c->par_depts, u->dept_id);
	default:
		/* steps: a window step by the window, the others by the department's approvers */
		if (strcmp(cases_step_role(c, c->step), "window") == 0)
			return window_of(u, c);
		return own_approver(u, c);
	}
}

static int conflict(char *why, const char *msg)
{
	if (why)
		snprintf(why, CASE_WHY_MAX, "%s", msg);
	return YW_ECONFLICT;
}

/* A decision needs every 容缺 material in and, to approve a bundle, every co-department's
 * agreement (given, or by 超时默认). */
static int decidable(const case_row_t *c, enum case_action a, char *why)
{
	if (json_array_size(c->pending)) {
		if (why) {
			/* whole names only, so the message stays valid UTF-8 */
			static const char tail[] = "，补齐后方可作出决定";
			size_t n = (size_t)snprintf(why, CASE_WHY_MAX, "容缺受理的材料尚未补齐：");
			size_t i;
			json_t *m;
			json_array_foreach(c->pending, i, m) {
				const char *name = json_string_value(m);
				if (!name || n + strlen(name) + strlen("、") + sizeof tail > CASE_WHY_MAX)
					break;
				n += (size_t)snprintf(why + n, CASE_WHY_MAX - n, "%s%s", i ? "、" : "", name);
			}
			snprintf(why + n, CASE_WHY_MAX - n, "%s", tail);
		}
		return YW_ECONFLICT;
	}
	if (a != CA_APPROVE || !c->bundle_id)
		return 0;
	if (c->par_disagreed)
		return conflict(why, "有协办部门不同意，不能作出准予决定（可作出不予决定）");
	if (c->par_pending_n) {
		if (why)
			snprintf(why, CASE_WHY_MAX, "并联审批尚有%d个协办部门未反馈意见，不能作出准予决定", c->par_pending_n);
		return YW_ECONFLICT;
	}
	return 0;
}

int case_action_check(const auth_user_t *u, const case_row_t *c, enum case_action a, char *why)
{
	if (why)
		why[0] = 0;
	if ((unsigned)a >= CA__COUNT || !action_is_theirs(u, c, a))
		return YW_EFORBIDDEN;
	bool decided = case_state_decided(c->state);
	switch (a) {
	case CA_SUPPLY:
		if (!json_array_size(c->pending) || decided || c->state == CASE_WITHDRAWN)
			return conflict(why, "该办件没有待补交的容缺材料");
		return 0;
	case CA_FOLLOWUP:
		if (!c->commitment || *c->followup_result)
			return conflict(why, c->commitment ? "该办件已完成核查" : "该办件不是告知承诺制办结的办件");
		return 0;
	case CA_DELIVER:
		if (!decided || *c->delivery)
			return conflict(why, *c->delivery ? "该办件的结果已经送达" : "办结后才能送达");
		return 0;
	case CA_OPINION:
		if (!cases_ids_has(c->par_pending, u->dept_id))
			return conflict(why, "该协办事项已有意见");
		if (!case_state_in_progress(c->state))
			return conflict(why, "办件当前不在审批中");
		return 0;
	default: break;
	}
	int steps = cases_step_count(c);
	if (case_next_state(c->state, a, c->step == 0, c->step >= steps - 1) < 0)
		return YW_ECONFLICT;
	/* the window steps before the back office are the acceptance itself: nothing returns into them */
	if (a == CA_RETURN && strcmp(cases_step_role(c, c->step - 1), "window") == 0)
		return conflict(why, "上一环节为窗口受理环节，不能退回");
	if (a == CA_APPROVE || a == CA_DENY)
		return decidable(c, a, why);
	return 0;
}

bool case_waits_for(const auth_user_t *u, const case_row_t *c, const char *open_role)
{
	bool window_step = open_role && strcmp(open_role, "window") == 0;
	if (u->roles & ROLE_APPLICANT)
		return c->state == CASE_CORRECTING && c->applicant_id == u->id;
	if (window_of(u, c) && (c->state == CASE_SUBMITTED || c->state == CASE_CORRECTED ||
				(c->state == CASE_ACCEPTED && window_step))) /* a 即办件 decided at the window */
		return true;
	if (!(u->roles & ROLE_APPROVER))
		return false;
	if (c->state == CASE_ACCEPTED && own_approver(u, c) && open_role && *open_role && !window_step)
		return true;
	return case_state_in_progress(c->state) && cases_ids_has(c->par_pending, u->dept_id);
}

json_t *case_actions_json(const auth_user_t *u, const case_row_t *c)
{
	json_t *out = json_array();
	for (int a = 0; a < CA__COUNT; a++)
		if (case_action_check(u, c, (enum case_action)a, NULL) == 0)
			json_array_append_new(out, json_string(case_action_name((enum case_action)a)));
	return out;
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
