/* Review rules: the GB/T 39046 level codes, channels, the bad-review state machine and the
 * satisfaction rate. No SQL, no HTTP. */
#include "reviews/reviews.h"

#include <string.h>

/* The one place level codes meet their labels (GB/T 39046: 1 is best, 5 is worst). */
static const char *const level_labels[REVIEW_LEVEL_MAX + 1] = {
	[REVIEW_VERY_SATISFIED] = "非常满意",  [REVIEW_SATISFIED] = "满意",
	[REVIEW_FAIRLY_SATISFIED] = "基本满意", [REVIEW_DISSATISFIED] = "不满意",
	[REVIEW_VERY_DISSATISFIED] = "非常不满意",
};

const char *review_level_label(int level)
{
	return level >= REVIEW_LEVEL_MIN && level <= REVIEW_LEVEL_MAX ? level_labels[level] : NULL;
}

bool review_is_bad(int level)
{
	return level >= REVIEW_DISSATISFIED && level <= REVIEW_LEVEL_MAX;
}

static const char *const channels[][2] = {
	{"pc", "电脑端"}, {"app", "移动端"}, {"pad", "窗口评价器"}, {"sms", "短信"},
	{"phone", "电话"}, {"kiosk", "自助终端"}, {"wechat", "微信/二维码"},
};

const char *review_channel_label(const char *channel)
{
	for (size_t i = 0; channel && i < sizeof channels / sizeof channels[0]; i++)
		if (strcmp(channels[i][0], channel) == 0)
			return channels[i][1];
	return NULL;
}

static const char *const statuses[][2] = {
	{"verifying", "待核实"}, {"appealed", "申诉中"}, {"rectifying", "整改中"},
	{"callback", "待回访"}, {"closed", "已办结"},
};

const char *review_status_label(const char *status)
{
	for (size_t i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i][0], status) == 0)
			return statuses[i][1];
	return NULL;
}

bool review_status_valid(const char *status)
{
	return review_status_label(status) != NULL;
}

const char *review_next_status(const char *from, enum review_action a)
{
	if (!from)
		return NULL;
	bool verifying = strcmp(from, "verifying") == 0, appealed = strcmp(from, "appealed") == 0;
	switch (a) {
	case RA_APPEAL: return verifying ? "appealed" : NULL;
	/* A supervisor may verify directly, without waiting for an appeal. */
	case RA_GENUINE: return verifying || appealed ? "rectifying" : NULL;
	case RA_REJECT: return verifying || appealed ? "closed" : NULL;
	case RA_RECTIFY: return strcmp(from, "rectifying") == 0 ? "callback" : NULL;
	case RA_CALLBACK: return strcmp(from, "callback") == 0 ? "closed" : NULL;
	}
	return NULL;
}

int64_t review_tally_total(const review_tally_t *t)
{
	int64_t n = 0;
	for (int k = REVIEW_LEVEL_MIN; k <= REVIEW_LEVEL_MAX; k++)
		n += t->by_level[k];
	return n;
}

bool review_satisfaction_rate(const review_tally_t *t, double *rate)
{
	int64_t satisfied = 0;
	for (int k = REVIEW_LEVEL_MIN; k <= REVIEW_LEVEL_MAX; k++)
		if (!review_is_bad(k))
			satisfied += t->by_level[k];
	int64_t counted = review_tally_total(t) - t->not_genuine;
	if (counted <= 0)
		return false;
	*rate = (double)satisfied / (double)counted;
	return true;
}
