/* The service hall's store (hall_store.c, hall_appt_store.c, hall_device_store.c,
 * hall_stats_store.c): its SQL, shared by the route handlers and the background job. Not for other systems; they use hall.h. Every write
 * function runs in its own transaction (a savepoint inside the group-commit writer) with its
 * audit records. */
#ifndef YW_HALL_STORE_H
#define YW_HALL_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "hall/hall.h"
#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/jsonv.h"

#define HALL_WHY_MAX 160

/* Queues. list: of one hall (hall_id > 0) or all, as a new array. */
int hall_queues_list(db_t *db, int64_t hall_id, json_t **out);
int hall_queue_get(db_t *db, int64_t id, json_t **out);
/* Validates in (into v) before writing; id_out gets the new queue. Conflict: letter taken. */
int hall_queue_save(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, int64_t *id_out);
/* The hall a queue or window belongs to, with the hall's region for the manager's scope. */
int hall_of_queue(db_t *db, int64_t queue_id, int64_t *hall_id);
int hall_of_window(db_t *db, int64_t window_id, int64_t *hall_id);
int hall_region(db_t *db, int64_t hall_id, char region[16]);
int hall_window_set_queues(db_t *db, const auth_user_t *actor, int64_t window_id, json_t *ids, vctx_t *v);

/* Tickets. Issues the next number of queue_id for the local day of now. user_id 0 = anonymous.
 * YW_ENOTFOUND unknown or inactive queue, YW_ECONFLICT when the day's numbers are used up. */
int hall_ticket_issue(db_t *db, const auth_user_t *actor, int64_t queue_id, enum hall_category cat,
		      const char *source, int64_t user_id, int64_t now, int64_t *id_out);
/* The public view of a ticket: number, queue, state, people ahead, estimated wait, window. */
int hall_ticket_json(db_t *db, int64_t id, json_t **out);
int hall_ticket_by_token(db_t *db, const char *token, int64_t *id_out);
/* Does the applicant already hold a ticket of queue_id still waiting or called (远程取号: one)?
 * The answer in *waiting. */
int hall_ticket_user_waiting(db_t *db, int64_t user_id, int64_t queue_id, bool *waiting);
/* The last ticket window_id finished (0 when none). */
int hall_window_last_done(db_t *db, int64_t window_id, int64_t *ticket_out);

/* Window work (窗口叫号). arg: the target queue of a transfer, the case of a finish (0 none).
 * ticket_out: the ticket acted on (0 for pause / resume); why: the reason of a call, or the
 * conflict's message. */
enum hall_act { HALL_CALL, HALL_RECALL, HALL_SKIP, HALL_TRANSFER, HALL_PAUSE, HALL_RESUME, HALL_START, HALL_FINISH };
int hall_window_act(db_t *db, const auth_user_t *actor, enum hall_act a, int64_t window_id, int64_t arg, int64_t now,
		    int64_t *ticket_out, char why[HALL_WHY_MAX]);
/* The ticket the window would call now (0 when nobody waits) and why. */
int hall_window_next(db_t *db, int64_t window_id, int64_t now, int64_t *ticket_out, char why[HALL_WHY_MAX]);
/* The window's state, queues and current ticket. */
int hall_window_json(db_t *db, int64_t window_id, json_t **out);
/* The board event of a call of ticket_id (see hall_on_call); hall_out gets its hall.
 * YW_ENOTFOUND when the ticket is no longer called (a third recall made it a no-show). */
int hall_call_event(db_t *db, int64_t ticket_id, int64_t *hall_out, json_t **out);

/* The waiting estimate's inputs for a queue: the mean of its recent service times, the windows
 * open for it now and all windows that serve it. */
int hall_queue_capacity(db_t *db, int64_t queue_id, double *mean_s, int *open, int *serving);
/* Waiting count per queue of a hall (the board), and the manager's status with alerts. */
int hall_waiting_json(db_t *db, int64_t hall_id, json_t **out);
int hall_status_json(db_t *db, int64_t hall_id, int64_t now, json_t **out);

/* Appointments (预约). */
int hall_slots_json(db_t *db, int64_t queue_id, yw_date_t day, const calendar_t *cal, json_t **out);
/* YW_EINVAL with *field and why naming what is wrong; YW_ECONFLICT (why) when full, booked, or the
 * applicant already holds hall_max_open_bookings open bookings. */
int hall_appointment_book(db_t *db, const auth_user_t *actor, int64_t queue_id, yw_date_t day, int minute,
			  const calendar_t *cal, int64_t now, int64_t *id_out, const char **field, char why[HALL_WHY_MAX]);
int hall_appointment_cancel(db_t *db, const auth_user_t *actor, int64_t id, int64_t now, char why[HALL_WHY_MAX]);
int hall_appointments_json(db_t *db, const auth_user_t *actor, json_t **out);
/* Check-in: a priority ticket in time, a normal one when late. code: the booking's token (its QR
 * code) or its six-digit check-in code of today; hall_id: the kiosk's hall, owner_id: the
 * signed-in applicant checking in their own (0: any). YW_ENOTFOUND when no such appointment.
 * Runs in the group-commit writer (the ticket's transaction nests in the check-in's). */
int hall_appointment_checkin(db_t *db, const char *code, int64_t hall_id, int64_t owner_id, int64_t now,
			     int64_t *ticket_out, char why[HALL_WHY_MAX]);
int hall_appointments_expire(db_t *db, int64_t now, int *count);

/* Devices (hall_device_store.c). A pairing code is six digits, valid HALL_PAIR_TTL_S, used once. */
#define HALL_PAIR_CODE_LEN 6
#define HALL_PAIR_TTL_S 600
#define HALL_DEVICE_TOKEN_LEN 48
bool hall_device_kind_valid(const char *kind);
/* A new device (window_id 0 unless a pad) with its first pairing code. */
int hall_device_create(db_t *db, const auth_user_t *actor, int64_t hall_id, const char *kind, int64_t window_id,
		       const char *name, int64_t now, int64_t *id_out, char code_out[HALL_PAIR_CODE_LEN + 1]);
/* A new code for a device not yet paired (the first expired). YW_ECONFLICT when paired or revoked. */
int hall_device_recode(db_t *db, const auth_user_t *actor, int64_t id, int64_t now, char code_out[HALL_PAIR_CODE_LEN + 1]);
/* Pairs the device of hall_id whose live code this is: token_out gets its token (once). YW_ENOTFOUND
 * for a wrong, used or expired code, YW_EINVAL when the code is for another kind of device. */
int hall_device_pair(db_t *db, int64_t hall_id, const char *kind, const char *code, int64_t now,
		     char token_out[HALL_DEVICE_TOKEN_LEN], hall_device_t *out);
/* YW_ECONFLICT when already revoked. */
int hall_device_revoke(db_t *db, const auth_user_t *actor, int64_t id, int64_t now);
int hall_device_hall(db_t *db, int64_t id, int64_t *hall_id);
/* YW_EAUTH for an unknown or revoked token. Reads only: out->seen_due tells that the device's
 * last_seen is a minute old or more, and hall_device_seen (a write) should record now. */
int hall_device_by_token(db_t *db, const char *token, int64_t now, hall_device_t *out);
int hall_device_seen(db_t *db, int64_t id, int64_t now);
int hall_devices_json(db_t *db, int64_t hall_id, int64_t now, json_t **out);

/* Statistics of one hall and local day (统计): per queue and hour, waits, service, no-shows,
 * window utilisation. */
int hall_stats_json(db_t *db, int64_t hall_id, yw_date_t day, json_t **out);
/* ... as an XLSX workbook (hall_xlsx.c), for http_reply_xlsx. */
int hall_stats_xlsx(const char *path, void *stats);

#endif
