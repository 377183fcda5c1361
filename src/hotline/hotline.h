/* 12345 citizen hotline (市民诉求协同平台, 国办发〔2020〕53号; docs/domain.md §9): work orders (工单)
 * from every channel, dispatched to handling units (承办单位), signed for, returned and
 * re-dispatched, extended, answered, checked, closed (办结), called back (回访) and reopened once
 * (重办); duplicates merged (并单), 督办 and coordination meetings (会商). This header holds the
 * rules other parts may use (states, labels, time limits, text similarity) and the route handlers. */
#ifndef YW_HOTLINE_H
#define YW_HOTLINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/calendar.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/http.h"

/* Channels as stored and their labels; NULL for an unknown one. */
const char *hotline_channel_label(const char *channel);
/* Categories as stored (consult 咨询, help 求助, complaint 投诉, report 举报, suggestion 建议,
 * praise 表扬) and their labels; NULL for an unknown one. */
const char *hotline_category_label(const char *category);
/* States: pending 待派单, dispatched 待签收, handling 办理中, returned 退单待审, replied 待审核,
 * closed 已办结 (awaiting the call-back), visited 已回访, merged 已并单. NULL when unknown. */
const char *hotline_state_label(const char *state);
/* Call-back satisfaction: satisfied 满意, basic 基本满意, dissatisfied 不满意. */
const char *hotline_satisfaction_label(const char *s);
/* Is an order in this state still with a unit or the centre, its clock running? */
bool hotline_state_open(const char *state);

/* The actions of the loop. */
enum hotline_action {
	HA_DISPATCH,       /* 派单 (pending) or 改派 (dispatched, handling, returned): the centre */
	HA_DIRECT_CLOSE,   /* 直接办结 by the operator: pending → closed */
	HA_SIGN,           /* 签收 by the lead unit: dispatched → handling */
	HA_RETURN,         /* 退单 by the lead unit: dispatched / handling → returned */
	HA_RETURN_REJECT,  /* the centre keeps the order with the unit: returned → dispatched / handling */
	HA_REPLY,          /* 答复 by the lead unit: handling → replied */
	HA_REPLY_REJECT,   /* 退回重办 by the centre: replied → handling */
	HA_CLOSE,          /* 办结 by the centre: replied → closed */
	HA_CALLBACK,       /* 回访 by the centre: closed → visited */
	HA_REOPEN,         /* 重办 by the centre's decision: visited (不满意, once) → dispatched */
	HA_MERGE,          /* 并单 into a main order: pending / dispatched / handling / returned → merged */
};
/* The state after action a from state `from` (the reject of a return goes to "handling" when the
 * unit had signed, which the caller decides); NULL when a is not allowed in `from`. */
const char *hotline_next_state(const char *from, enum hotline_action a, bool signed_before);

/* Time limits (docs/domain.md §9): working days of the category from the configuration, 0 for an
 * unknown category. */
int hotline_limit_days(const yw_config_t *cfg, const char *category);
/* The end of a local day (23:59:59 China time) as Unix time. */
int64_t hotline_day_end(yw_date_t day);
/* The due time of an order started at `start`: urgent orders `hours` clock hours later, others at
 * the end of the `days`-th working day after the start's local day (the start day not counted).
 * *beyond_published (may be NULL) when the count runs into a year whose holiday notice is not
 * loaded. YW_EINVAL when days is out of the calendar's range. */
int hotline_due_at(const calendar_t *cal, int64_t start, bool urgent, int days, int hours, int64_t *due,
		   bool *beyond_published);
/* The supervision signal of an open order at `now`: the electronic-supervision rule of cases
 * (supervision.h supervision_signal, docs/domain.md §6) on the order's clock from its dispatch
 * (`start`) to its due day: 0 正常, 1 预警 (at most warn_days working days left, not on the first
 * day), 2 黄牌 (a working day after the due day has begun), 3 红牌 (more than red_days working days
 * over). An urgent order runs in clock hours: 预警 in the last quarter of its hours, 黄牌 past due,
 * 红牌 past due by its hours again. */
int hotline_signal(const calendar_t *cal, int64_t now, int64_t start, int64_t due, bool urgent, int hours,
		   int warn_days, int red_days);
const char *hotline_signal_label(int signal);

/* Similarity of two texts by their character bigrams (Dice coefficient over the sets of adjacent
 * code-point pairs, punctuation and spaces left out): 0 (nothing shared) to 1 (the same bigrams). */
double hotline_text_similarity(const char *a, const char *b);

/* A mainland phone number as the console keys on it: digits only (a leading +86 dropped; spaces
 * and hyphens between; full-width digits, ＋, － and the ideographic space read as ASCII); false
 * when what remains is not 5-20 digits. */
bool hotline_phone_normalize(const char *in, char out[24]);

/* Route handlers (platform/routes.c; docs/api.md "Hotline"). */
int h_hotline_orders_create(http_req_t *req);
int h_hotline_orders_list(http_req_t *req);
int h_hotline_order_get(http_req_t *req);
int h_hotline_order_dispatch(http_req_t *req);
int h_hotline_order_direct_close(http_req_t *req);
int h_hotline_order_sign(http_req_t *req);
int h_hotline_order_return(http_req_t *req);
int h_hotline_order_return_review(http_req_t *req);
int h_hotline_order_extension(http_req_t *req);
int h_hotline_extension_decide(http_req_t *req);
int h_hotline_order_opinion(http_req_t *req);
int h_hotline_order_reply(http_req_t *req);
int h_hotline_order_review(http_req_t *req);
int h_hotline_order_callback(http_req_t *req);
int h_hotline_order_reopen(http_req_t *req);
int h_hotline_order_merge(http_req_t *req);
int h_hotline_order_duplicates(http_req_t *req);
int h_hotline_order_supervise(http_req_t *req);
int h_hotline_order_consultation(http_req_t *req);
int h_hotline_matters_list(http_req_t *req);
int h_hotline_matter_create(http_req_t *req);
int h_hotline_matter_update(http_req_t *req);
int h_hotline_settings(http_req_t *req);
int h_hotline_public_create(http_req_t *req);
int h_hotline_public_get(http_req_t *req);
int h_hotline_call_event(http_req_t *req);
int h_hotline_calls_list(http_req_t *req);
int h_hotline_order_attach(http_req_t *req);
int h_hotline_order_attachment(http_req_t *req);
int h_hotline_public_attach(http_req_t *req);
int h_hotline_public_attachment(http_req_t *req);

/* `yiwang hotline key add NAME | key list | key revoke ID` (main.c, on an open database with
 * its audit key): the call centre's API keys, each printed once when made. argv[0] is "key".
 * 0 on success, 2 for a usage error (usage written to stderr), 1 otherwise. */
int hotline_cli(db_t *db, int argc, char **argv);

/* The demo city (hotline_demo.c): the matter classification; orders of the last days in every
 * state waiting in the demo hotline accounts' inboxes; and the past year, played out one working
 * day at a time (begin, then day for each working day in order with its office hours t0..t1,
 * then end with the counts). */
int hotline_demo_matters(db_t *db);
int hotline_demo_inbox(db_t *db);
typedef struct hotline_demo hotline_demo_t;
typedef struct hotline_demo_counts {
	int orders, direct, returned, extended, rejected, closed, called_back, reopened, merged, supervised;
} hotline_demo_counts_t;
int hotline_demo_year_begin(db_t *db, const calendar_t *cal, int per_day, hotline_demo_t **out);
int hotline_demo_year_day(hotline_demo_t *s, int day, int64_t t0, int64_t t1);
void hotline_demo_year_end(hotline_demo_t *s, hotline_demo_counts_t *counts);

/* Background job (ticker.h): the stored signal of open orders follows their due time. */
int hotline_tick(db_t *db, int64_t now);

/* Registers the module's routes and background jobs (hotline_module.c); called once by main(). */
void hotline_module_register(void);

#endif
