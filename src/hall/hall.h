/* Service hall (智能大厅, docs/domain.md §8): queues per service category, tickets from the kiosk, the
 * phone or an appointment check-in, the windows' calling work, appointments (预约), the waiting
 * estimate, the long-queue alert (seed 000's 引导分流 plan) and the hall statistics.
 *
 * This header holds the pure rules (hall.c, no SQL, no HTTP) and what other systems may call:
 * the route handlers (hall_http.c), the background job (hall_tick.c), the demo queues and the
 * board hook every call goes through. */
#ifndef YW_HALL_H
#define YW_HALL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/calendar.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/http.h"

/* Ticket categories; the order is the order of the weights in hall_rules_t. */
enum hall_category {
	HALL_NORMAL = 0,      /* 普通 */
	HALL_APPOINTMENT = 1, /* 预约 */
	HALL_ELDERLY = 2,     /* 老年人 (70 or over, from the ID number) */
	HALL_DISABLED = 3,    /* 残疾人 */
	HALL_GREEN = 4,       /* 绿色通道 */
	HALL_CATEGORY_COUNT
};
const char *hall_category_name(enum hall_category c); /* "normal", ... */
const char *hall_category_label(enum hall_category c); /* 普通, ... */
/* -1 when name is not a category. */
int hall_category_parse(const char *name);

/* Age from which a ticket is an elderly (老年人) priority ticket. */
#define HALL_ELDERLY_AGE 70
/* Ticket numbers run A001..A999 per queue and day. */
#define HALL_MAX_SEQ 999
/* A ticket number: the queue letter and three digits ("A007"). */
void hall_ticket_number(char letter, int seq, char out[8]);
/* The category a kiosk ticket gets: asked for, or elderly when the holder of id_number (may be
 * NULL or "") is HALL_ELDERLY_AGE or older on today and nothing else was asked for. */
enum hall_category hall_ticket_category(enum hall_category asked, const char *id_number, yw_date_t today);

/* Who asks for a ticket (取号): a paired kiosk of the hall, a signed-in applicant (远程取号) or
 * the hall's staff at the 导服台. */
enum hall_issuer { HALL_BY_KIOSK, HALL_BY_APPLICANT, HALL_BY_STAFF };
#define HALL_ASK_STAFF_ONLY (-1) /* the category is the 导服台's to grant */
#define HALL_ASK_NEEDS_ID (-2)   /* elderly at the kiosk needs the ID number it read */
/* The category the ticket gets when `by` asks for `asked` with id_number (NULL or "" for none, else
 * a valid GB 11643 number) on today, or HALL_ASK_STAFF_ONLY / HALL_ASK_NEEDS_ID. Priority is never
 * self-declared: an applicant gets a normal ticket; the kiosk a normal or (by the ID number)
 * elderly one; the staff, who checked the papers, any category but appointment. */
int hall_issue_category(enum hall_issuer by, enum hall_category asked, const char *id_number, yw_date_t today);

/* How the next ticket is chosen (叫号规则). */
typedef struct hall_rules {
	int64_t starve_s; /* a normal ticket waiting this long goes before every priority ticket */
	int64_t weight_s[HALL_CATEGORY_COUNT]; /* head start of each category, in seconds of waiting */
} hall_rules_t;

typedef struct hall_cand {
	int64_t id;
	enum hall_category category;
	int queue_rank;     /* position of the ticket's queue in the window's list, 0 first */
	int64_t queued_at;  /* ticket time; a transfer keeps it */
} hall_cand_t;

enum hall_reason {
	HALL_WHY_NONE = 0,    /* nobody waits */
	HALL_WHY_STARVED,     /* a normal ticket waited past the limit (防止久等) */
	HALL_WHY_PRIORITY,    /* a priority category's head start */
	HALL_WHY_ORDER,       /* first come, first served */
};

/* The ticket a window calls next among n waiting candidates: the first of the window's queues
 * that has anyone waiting; within it a normal ticket that waited starve_s or longer (the longest
 * first), otherwise the highest score = waiting time + the category's weight (earlier ticket
 * time, then lower id, on a tie). Returns the index, or -1 when n is 0; *why says why. */
int hall_pick(const hall_cand_t *c, size_t n, int64_t now, const hall_rules_t *r, enum hall_reason *why);
/* A clerk-readable sentence for the choice (written into out). */
void hall_reason_text(enum hall_reason why, enum hall_category cat, const hall_rules_t *r, char *out, size_t size);

/* The waiting estimate's mean service time: an exponentially weighted mean of a queue's last
 * HALL_SERVICE_SAMPLES services with this weight for the newest (bench/hall_sim.c chose them:
 * on a simulated 30-window day the estimate's mean error is 2.9 minutes, 3.7 with 0.2 / 20). */
#define HALL_SERVICE_SAMPLES 40
#define HALL_SERVICE_ALPHA 0.1
/* Mean service time from recent services, newest first: an exponentially weighted mean with
 * smoothing alpha (0 < alpha <= 1; the newest counts most). def_s when n is 0. */
double hall_service_mean(const int64_t *secs_newest_first, size_t n, double alpha, double def_s);
/* Expected wait in seconds for someone with `ahead` people before them in a queue served by
 * `windows` open windows (at least one is assumed, so a closed queue still gets an estimate). */
int64_t hall_estimate_wait(int64_t ahead, double mean_s, int windows);
/* Windows needed so that `waiting` people are served within max_wait_s (引导分流: how many to
 * open); at least 1 when anyone waits. */
int hall_windows_needed(int64_t waiting, double mean_s, int64_t max_wait_s);
/* The long-queue alert: waiting count or longest wait at or over its threshold. */
bool hall_alert(int64_t waiting, int64_t longest_wait_s, int64_t max_waiting, int64_t max_wait_s);

/* Check-in of an appointment whose slot starts at slot_start: -1 too early (more than before_s
 * ahead), 0 in time (priority ticket), 1 late (more than after_s past the start: a normal ticket). */
int hall_checkin_window(int64_t now, int64_t slot_start, int64_t before_s, int64_t after_s);

/* "HH:MM" at the start of s as minutes after midnight, or -1. */
int hall_parse_hhmm(const char *s);
/* Appointment day template: "09:00-12:00,13:00-17:00" cut into slot_min-minute slots. Writes up
 * to max slot starts (minutes after midnight) into out; returns how many, or -1 when the text is
 * not a list of increasing HH:MM-HH:MM periods or slot_min is not 5..240. */
int hall_slots_parse(const char *periods, int slot_min, int *out, int max);

/* The rules of the running configuration (config_current()). */
void hall_rules_current(hall_rules_t *r);

/* The display board's hook (叫号上屏): called after a call's commit with the call event
 * ({window_id, window_number, window_name, number, queue, queue_name, at, text}); it publishes
 * the event to the hall's boards on every server (Server-Sent Events, topic "hall:{id}", event
 * "call"), and every server keeps the latest call per window for the board's initial state.
 * event is borrowed. */
void hall_on_call(int64_t hall_id, json_t *event);
/* The events hook (platform/events.h) of topics "hall:": keeps the latest call per window. */
void hall_board_event(const char *topic, const char *name, const json_t *data);
/* The latest call of every window of the hall, as a new array. */
json_t *hall_board_calls(int64_t hall_id);

/* Hall devices (大厅设备): kiosks (取号机), display boards (叫号屏) and rating pads (评价器, bound
 * to one window), registered and paired by the hall manager, revocable (docs/api.md "Hall
 * devices"). A device sends its token in the X-Device-Token header; an EventSource, which cannot
 * send headers, as the query parameter device_token or the yw_hall_device cookie. */
typedef struct hall_device {
	int64_t id, hall_id, window_id; /* window_id: a pad's window, else 0 */
	char kind[8];                   /* kiosk, board, pad */
	char name[64];
	bool seen_due; /* last_seen is stale: hall_device_of_request records it through the writer */
} hall_device_t;
/* The paired, unrevoked device whose token the request carries, of hall_id (any hall when 0) and
 * kind (any when NULL). YW_EAUTH when the request carries none or an unknown or revoked one,
 * YW_EFORBIDDEN when it is another hall's or another kind. */
int hall_device_of_request(http_req_t *req, int64_t hall_id, const char *kind, hall_device_t *out);
/* *ok: whether the request comes from a paired, unrevoked device of hall_id and kind (NULL: any),
 * what the event-stream cap asks of a display board before it is let through. 0, or the store's
 * error status (an error is never read as "no device"). */
int hall_device_verify(http_req_t *req, int64_t hall_id, const char *kind, bool *ok);

/* What the rating pad (reviews) needs to know of a ticket; no SQL of the hall's tables elsewhere. */
typedef struct hall_ticket_facts {
	int64_t id, hall_id, window_id, staff_id, case_id, user_id, finished_at;
	bool done;   /* finished (办结) */
	bool latest; /* the last ticket its window finished */
	char number[8];
} hall_ticket_facts_t;
/* YW_ENOTFOUND for an unknown ticket. */
int hall_ticket_facts(db_t *db, int64_t ticket_id, hall_ticket_facts_t *out);

/* Demo queues for the demo city's halls, with the windows that serve them (yiwang demo). */
int hall_demo_load(db_t *db);
/* A year of hall days for the demo city (hall_demo.c): begin once, then call day for every working
 * day in order with the clock pinned (platform/clock.h yw_clock_set); f scales the day's arrivals
 * (weekday, holiday week), until is the moment the demo runs (today's hall stops there). */
typedef struct hall_demo hall_demo_t;
typedef struct hall_demo_counts {
	int tickets, served, no_shows, ratings, appointments;
} hall_demo_counts_t;
int hall_demo_year_begin(db_t *db, const calendar_t *cal, yw_date_t today, double scale, hall_demo_t **out);
int hall_demo_year_day(hall_demo_t *h, yw_date_t day, double f, int64_t until);
void hall_demo_year_end(hall_demo_t *h, hall_demo_counts_t *counts);
/* Background job: unchecked appointments whose check-in time has passed become no-shows. */
int hall_tick(db_t *db, int64_t now);

/* Route handlers (platform/routes.c, docs/api.md "Service hall"). */
int h_hall_queues_list(http_req_t *req);
int h_hall_queue_create(http_req_t *req);
int h_hall_queue_update(http_req_t *req);
int h_hall_window_queues(http_req_t *req);
int h_hall_ticket_create(http_req_t *req);
int h_hall_ticket_get(http_req_t *req);
int h_hall_ticket_qr(http_req_t *req);
int h_hall_window_get(http_req_t *req);
int h_hall_window_preview(http_req_t *req);
int h_hall_window_call(http_req_t *req);
int h_hall_window_recall(http_req_t *req);
int h_hall_window_skip(http_req_t *req);
int h_hall_window_transfer(http_req_t *req);
int h_hall_window_pause(http_req_t *req);
int h_hall_window_resume(http_req_t *req);
int h_hall_window_start(http_req_t *req);
int h_hall_window_finish(http_req_t *req);
int h_hall_slots(http_req_t *req);
int h_hall_appointment_create(http_req_t *req);
int h_hall_appointments_list(http_req_t *req);
int h_hall_appointment_cancel(http_req_t *req);
int h_hall_checkin(http_req_t *req);
int h_hall_board(http_req_t *req);
int h_hall_status(http_req_t *req);
int h_hall_stats(http_req_t *req);
int h_hall_stats_xlsx(http_req_t *req);
int h_hall_devices_list(http_req_t *req);
int h_hall_device_create(http_req_t *req);
int h_hall_device_code(http_req_t *req);
int h_hall_device_revoke(http_req_t *req);
int h_hall_device_pair(http_req_t *req);
int h_hall_device_me(http_req_t *req);
int h_hall_pad(http_req_t *req);
int h_hall_appointment_qr(http_req_t *req);

/* The display board's event stream and hall announcements (hall_events.c). */
int h_hall_events(http_req_t *req);
int h_hall_announce(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void hall_module_register(void);

#endif
