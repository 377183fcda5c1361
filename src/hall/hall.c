/* The service hall's rules (docs/domain.md §8), pure functions of their input: ticket numbers, the
 * elderly category from the ID number (GB 11643 birth date), the calling order with priority
 * and anti-starvation, the appointment check-in window, the slot template, the waiting
 * estimate and the long-queue alert with its 引导分流 suggestion. */
#include "hall/hall.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "platform/config.h"
#include "platform/idcheck.h"

static const char *const cat_names[HALL_CATEGORY_COUNT] = {"normal", "appointment", "elderly", "disabled", "green"};
static const char *const cat_labels[HALL_CATEGORY_COUNT] = {"普通", "预约", "老年人", "残疾人", "绿色通道"};

const char *hall_category_name(enum hall_category c)
{
	return c < HALL_CATEGORY_COUNT ? cat_names[c] : "normal";
}

const char *hall_category_label(enum hall_category c)
{
	return c < HALL_CATEGORY_COUNT ? cat_labels[c] : "普通";
}

int hall_category_parse(const char *name)
{
	for (int i = 0; name && i < HALL_CATEGORY_COUNT; i++)
		if (strcmp(name, cat_names[i]) == 0)
			return i;
	return -1;
}

void hall_ticket_number(char letter, int seq, char out[8])
{
	snprintf(out, 8, "%c%03d", letter, seq);
}

enum hall_category hall_ticket_category(enum hall_category asked, const char *id_number, yw_date_t today)
{
	int age;
	if (asked != HALL_NORMAL || !id_number || !*id_number)
		return asked;
	if (idcheck_person_age(id_number, today, &age) == 0 && age >= HALL_ELDERLY_AGE)
		return HALL_ELDERLY;
	return HALL_NORMAL;
}

int hall_issue_category(enum hall_issuer by, enum hall_category asked, const char *id_number, yw_date_t today)
{
	bool has_id = id_number && *id_number;
	if (asked == HALL_APPOINTMENT || asked >= HALL_CATEGORY_COUNT)
		return HALL_ASK_STAFF_ONLY; /* only a check-in makes an appointment ticket */
	switch (by) {
	case HALL_BY_APPLICANT:
		return asked == HALL_NORMAL ? HALL_NORMAL : HALL_ASK_STAFF_ONLY;
	case HALL_BY_KIOSK:
		if (asked != HALL_NORMAL && asked != HALL_ELDERLY)
			return HALL_ASK_STAFF_ONLY;
		if (asked == HALL_ELDERLY && !has_id)
			return HALL_ASK_NEEDS_ID;
		return hall_ticket_category(HALL_NORMAL, id_number, today);
	case HALL_BY_STAFF:
		return asked == HALL_ELDERLY ? HALL_ELDERLY : hall_ticket_category(asked, id_number, today);
	}
	return HALL_ASK_STAFF_ONLY;
}

/* Does a come before b among tickets of the same queue? */
static bool before(const hall_cand_t *a, const hall_cand_t *b, int64_t now, const hall_rules_t *r)
{
	bool sa = a->category == HALL_NORMAL && now - a->queued_at >= r->starve_s;
	bool sb = b->category == HALL_NORMAL && now - b->queued_at >= r->starve_s;
	if (sa != sb)
		return sa;
	if (!sa) {
		int64_t score_a = now - a->queued_at + r->weight_s[a->category];
		int64_t score_b = now - b->queued_at + r->weight_s[b->category];
		if (score_a != score_b)
			return score_a > score_b;
	}
	if (a->queued_at != b->queued_at)
		return a->queued_at < b->queued_at;
	return a->id < b->id;
}

int hall_pick(const hall_cand_t *c, size_t n, int64_t now, const hall_rules_t *r, enum hall_reason *why)
{
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		if (best < 0 || c[i].queue_rank < c[best].queue_rank ||
		    (c[i].queue_rank == c[best].queue_rank && before(&c[i], &c[best], now, r)))
			best = (int)i;
	}
	if (best < 0) {
		*why = HALL_WHY_NONE;
		return -1;
	}
	const hall_cand_t *b = &c[best];
	if (b->category == HALL_NORMAL && now - b->queued_at >= r->starve_s)
		*why = HALL_WHY_STARVED;
	else if (b->category != HALL_NORMAL)
		*why = HALL_WHY_PRIORITY;
	else
		*why = HALL_WHY_ORDER;
	return best;
}

void hall_reason_text(enum hall_reason why, enum hall_category cat, const hall_rules_t *r, char *out, size_t size)
{
	switch (why) {
	case HALL_WHY_STARVED:
		snprintf(out, size, "普通号已等候超过%lld分钟，优先叫号（防止久等）", (long long)(r->starve_s / 60));
		break;
	case HALL_WHY_PRIORITY:
		snprintf(out, size, "%s优先(提前%lld分钟)", hall_category_label(cat),
			 (long long)(r->weight_s[cat] / 60));
		break;
	case HALL_WHY_ORDER:
		snprintf(out, size, "按取号先后顺序");
		break;
	default:
		snprintf(out, size, "暂无等候");
	}
}

double hall_service_mean(const int64_t *secs, size_t n, double alpha, double def_s)
{
	if (n == 0)
		return def_s;
	/* oldest first, so the newest sample gets weight alpha */
	double mean = (double)secs[n - 1];
	for (size_t i = n - 1; i-- > 0;)
		mean = alpha * (double)secs[i] + (1 - alpha) * mean;
	return mean;
}

int64_t hall_estimate_wait(int64_t ahead, double mean_s, int windows)
{
	if (ahead <= 0)
		return 0;
	return (int64_t)llround((double)ahead * mean_s / (windows > 0 ? windows : 1));
}

int hall_windows_needed(int64_t waiting, double mean_s, int64_t max_wait_s)
{
	if (waiting <= 0)
		return 0;
	if (max_wait_s <= 0)
		return (int)waiting;
	double need = ceil((double)waiting * mean_s / (double)max_wait_s);
	return need < 1 ? 1 : (int)need;
}

bool hall_alert(int64_t waiting, int64_t longest_wait_s, int64_t max_waiting, int64_t max_wait_s)
{
	return (max_waiting > 0 && waiting >= max_waiting) || (max_wait_s > 0 && longest_wait_s >= max_wait_s);
}

int hall_checkin_window(int64_t now, int64_t slot_start, int64_t before_s, int64_t after_s)
{
	if (now < slot_start - before_s)
		return -1;
	return now > slot_start + after_s ? 1 : 0;
}

int hall_parse_hhmm(const char *s)
{
	if (!(s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' && s[3] <= '5' &&
	      s[4] >= '0' && s[4] <= '9'))
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
	return h < 24 ? h * 60 + m : -1;
}

int hall_slots_parse(const char *p, int slot_min, int *out, int max)
{
	if (slot_min < 5 || slot_min > 240 || !p)
		return -1;
	int n = 0, last_end = -1;
	while (*p) {
		int from = hall_parse_hhmm(p);
		if (from < 0 || p[5] != '-')
			return -1;
		int to = hall_parse_hhmm(p + 6);
		if (to < 0 || from < last_end || to <= from)
			return -1;
		for (int t = from; t + slot_min <= to; t += slot_min) {
			if (n == max)
				return -1;
			out[n++] = t;
		}
		last_end = to;
		p += 11;
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			return -1;
	}
	return n;
}

void hall_rules_current(hall_rules_t *r)
{
	const yw_config_t *c = config_current();
	r->starve_s = (int64_t)c->hall_starve_min * 60;
	r->weight_s[HALL_NORMAL] = 0;
	r->weight_s[HALL_APPOINTMENT] = (int64_t)c->hall_weight_appointment * 60;
	r->weight_s[HALL_ELDERLY] = (int64_t)c->hall_weight_elderly * 60;
	r->weight_s[HALL_DISABLED] = (int64_t)c->hall_weight_disabled * 60;
	r->weight_s[HALL_GREEN] = (int64_t)c->hall_weight_green * 60;
}
