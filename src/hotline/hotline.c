/* The hotline's rules without the database (hotline.h): labels, the state machine of the loop,
 * time limits on the working-day calendar, signals and text similarity (docs/domain.md §9). */
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "platform/err.h"
#include "platform/jsonv.h"
#include "supervision/supervision.h"

typedef struct label {
	const char *code, *label;
} label_t;

static const char *find(const label_t *t, size_t n, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].label;
	return NULL;
}
#define FIND(t, code) find(t, sizeof t / sizeof t[0], code)

static const label_t channels[] = {
	{"phone", "12345电话"}, {"mayor_mailbox", "市长信箱"}, {"web", "网上留言"}, {"wechat", "微建议"},
	{"people_cn", "人民网留言"}, {"media", "媒体信箱"},   {"open311", "Open311"},
};
static const label_t categories[] = {
	{"consult", "咨询"}, {"help", "求助"},	{"complaint", "投诉"},
	{"report", "举报"},  {"suggestion", "建议"}, {"praise", "表扬"},
};
static const label_t states[] = {
	{"pending", "待派单"}, {"dispatched", "待签收"}, {"handling", "办理中"}, {"returned", "退单待审"},
	{"replied", "待审核"}, {"closed", "已办结"},	 {"visited", "已回访"},	 {"merged", "已并单"},
};
static const label_t satisfactions[] = {
	{"satisfied", "满意"},
	{"basic", "基本满意"},
	{"dissatisfied", "不满意"},
};

const char *hotline_channel_label(const char *channel) { return FIND(channels, channel); }
const char *hotline_category_label(const char *category) { return FIND(categories, category); }
const char *hotline_state_label(const char *state) { return FIND(states, state); }
const char *hotline_satisfaction_label(const char *s) { return FIND(satisfactions, s); }

bool hotline_state_open(const char *state)
{
	return strcmp(state, "dispatched") == 0 || strcmp(state, "handling") == 0 || strcmp(state, "returned") == 0 ||
	       strcmp(state, "replied") == 0;
}

#define IS(s) (strcmp(from, s) == 0)

const char *hotline_next_state(const char *from, enum hotline_action a, bool signed_before)
{
	switch (a) {
	case HA_DISPATCH:
		return IS("pending") || IS("dispatched") || IS("handling") || IS("returned") ? "dispatched" : NULL;
	case HA_DIRECT_CLOSE: return IS("pending") ? "closed" : NULL;
	case HA_SIGN: return IS("dispatched") ? "handling" : NULL;
	case HA_RETURN: return IS("dispatched") || IS("handling") ? "returned" : NULL;
	case HA_RETURN_REJECT: return IS("returned") ? (signed_before ? "handling" : "dispatched") : NULL;
	case HA_REPLY: return IS("handling") ? "replied" : NULL;
	case HA_REPLY_REJECT: return IS("replied") ? "handling" : NULL;
	case HA_CLOSE: return IS("replied") ? "closed" : NULL;
	case HA_CALLBACK: return IS("closed") ? "visited" : NULL;
	case HA_REOPEN: return IS("visited") ? "dispatched" : NULL;
	case HA_MERGE:
		return IS("pending") || IS("dispatched") || IS("handling") || IS("returned") ? "merged" : NULL;
	}
	return NULL;
}

int hotline_limit_days(const yw_config_t *cfg, const char *category)
{
	if (!category)
		return 0;
	if (strcmp(category, "consult") == 0)
		return cfg->hotline_consult_days;
	if (strcmp(category, "help") == 0)
		return cfg->hotline_help_days;
	if (strcmp(category, "complaint") == 0)
		return cfg->hotline_complaint_days;
	if (strcmp(category, "report") == 0)
		return cfg->hotline_report_days;
	if (strcmp(category, "suggestion") == 0)
		return cfg->hotline_suggestion_days;
	if (strcmp(category, "praise") == 0)
		return cfg->hotline_praise_days;
	return 0;
}

/* China time is UTC+8 all year (date.h). */
#define CHINA_OFFSET (8 * 3600)

int64_t hotline_day_end(yw_date_t day)
{
	return (int64_t)day * 86400 - CHINA_OFFSET + 86399;
}

int hotline_due_at(const calendar_t *cal, int64_t start, bool urgent, int days, int hours, int64_t *due,
		   bool *beyond_published)
{
	if (urgent) {
		if (hours <= 0)
			return YW_EINVAL;
		*due = start + (int64_t)hours * 3600;
		if (beyond_published)
			*beyond_published = false;
		return 0;
	}
	yw_date_t d;
	int rc = calendar_add_workdays(cal, date_today_local(start), days, &d, beyond_published);
	if (rc)
		return rc;
	*due = hotline_day_end(d);
	return 0;
}

int hotline_signal(const calendar_t *cal, int64_t now, int64_t start, int64_t due, bool urgent, int hours,
		   int warn_days, int red_days)
{
	if (due <= 0)
		return SV_NORMAL;
	if (urgent) {
		int64_t span = (int64_t)(hours > 0 ? hours : 1) * 3600;
		if (now > due + span)
			return SV_RED;
		if (now > due)
			return SV_YELLOW;
		return now >= due - span / 4 ? SV_WARNING : SV_NORMAL;
	}
	sv_limits_t lim = {.warn_workdays = warn_days, .red_overdue_workdays = red_days};
	sv_eval_t e;
	if (supervision_signal(cal, &lim, start > 0 ? date_today_local(start) : 0, date_today_local(due),
			       date_today_local(now), &e) != 0)
		return SV_NORMAL;
	return e.signal;
}

const char *hotline_signal_label(int signal)
{
	return signal >= SV_NORMAL && signal <= SV_RED ? supervision_signal_label(signal) : NULL;
}

/* ---- similarity ---- */

/* Next code point of UTF-8 s at *i (valid UTF-8 assumed: the HTTP layer checked it). */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
	uint32_t c = s[*i];
	int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	c = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
	(*i)++;
	for (int k = 0; k < n && s[*i]; k++)
		c = (c << 6) | (s[(*i)++] & 0x3F);
	return c;
}

/* Letters, digits and CJK count; spaces, ASCII and full-width punctuation do not. */
static bool counts(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c >= 0x3000 && c <= 0x303F) /* CJK punctuation */
		return false;
	if (c >= 0xFF00 && c <= 0xFF0F) /* full-width ！＂＃…／ */
		return false;
	if ((c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
		return false;
	if (c >= 0x2000 && c <= 0x206F) /* general punctuation: “” … — */
		return false;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The sorted distinct bigrams of s (at most max code points read); caller frees. */
static uint64_t *bigrams(const char *s, size_t max, size_t *n_out)
{
	size_t len = strlen(s), n = 0, i = 0, cps = 0;
	uint64_t *out = malloc((len + 1) * sizeof *out);
	if (!out) {
		*n_out = 0;
		return NULL;
	}
	uint32_t prev = 0;
	bool have = false;
	while (i < len && cps < max) {
		uint32_t c = next_cp((const unsigned char *)s, &i);
		cps++;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!counts(c)) {
			have = false;
			continue;
		}
		if (have)
			out[n++] = ((uint64_t)prev << 32) | c;
		prev = c;
		have = true;
	}
	qsort(out, n, sizeof *out, cmp_u64);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (m == 0 || out[m - 1] != out[k])
			out[m++] = out[k];
	*n_out = m;
	return out;
}

double hotline_text_similarity(const char *a, const char *b)
{
	size_t na, nb;
	uint64_t *x = bigrams(a ? a : "", 4000, &na), *y = bigrams(b ? b : "", 4000, &nb);
	double r = 0;
	if (x && y && na + nb > 0) {
		size_t i = 0, j = 0, common = 0;
		while (i < na && j < nb) {
			if (x[i] == y[j]) {
				common++;
				i++;
				j++;
			} else if (x[i] < y[j]) {
				i++;
			} else {
				j++;
			}
		}
		r = 2.0 * (double)common / (double)(na + nb);
	}
	free(x);
	free(y);
	return r;
}

bool hotline_phone_normalize(const char *in, char out[24])
{
	/* full-width input first (a Chinese input method's ０-９, ＋, －, and its space U+3000) as ASCII */
	char a[128];
	if (!in || strlen(in) >= sizeof a)
		return false;
	memcpy(a, in, strlen(in) + 1);
	utf8_halfwidth(a);
	size_t n = 0;
	const char *p = a;
	if (strncmp(p, "+86", 3) == 0)
		p += 3;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= 20)
				return false;
			out[n++] = *p;
		} else if (*p != ' ' && *p != '-') {
			return false;
		}
	}
	out[n] = 0;
	return n >= 5;
}
