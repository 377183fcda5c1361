/* Appointments (预约, seed 001: appointments every working day, up to 365 days ahead): the
 * slots of a queue's day template with their capacity, booking and cancelling by signed-in
 * applicants, check-in at the kiosk (a priority ticket from 30 minutes before the slot to 15
 * after, configurable; a normal ticket when late) and the no-shows the background job records. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/audit.h"
#include "platform/config.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/err.h"

#define MAX_SLOTS 256
#define BOOK_DAYS_AHEAD 365

/* Unix time of minute m of local (UTC+8) day d. */
static int64_t local_time(yw_date_t d, int m)
{
	return (int64_t)d * 86400 - 8 * 3600 + (int64_t)m * 60;
}

typedef struct tmpl {
	int64_t hall_id;
	int capacity, minutes, n;
	int slots[MAX_SLOTS];
} tmpl_t;

static int tmpl_load(db_t *db, int64_t queue_id, tmpl_t *t)
{
	db_stmt_t *st = db_prepare(db, "SELECT hall_id, slot_periods, slot_minutes, slot_capacity FROM hall_queues"
				       " WHERE id = :queue_id AND active = 1");
	db_bind_int(st, "queue_id", queue_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	t->hall_id = db_col_int(st, 0);
	t->minutes = (int)db_col_int(st, 2);
	t->capacity = (int)db_col_int(st, 3);
	t->n = hall_slots_parse(db_col_text(st, 1), t->minutes, t->slots, MAX_SLOTS);
	db_reset(st);
	if (t->n < 0)
		t->n = 0;
	return 0;
}

/* Bookings that hold a place in the slot starting at start. */
static int booked(db_t *db, int64_t queue_id, int64_t start, int64_t *n)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM hall_appointments WHERE queue_id = :queue_id"
				       " AND slot_start = :start AND state IN ('booked','checked_in')");
	db_bind_int(st, "queue_id", queue_id);
	db_bind_int(st, "start", start);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* Is day in a year whose holiday schedule (the State Council's notice) is loaded? Beyond it
 * calendar_is_workday can only guess Monday to Friday, and 1 January or 1 October would be taken
 * for working days: no slot is offered there (docs/domain.md §5, never a silent guess). */
static bool day_published(const calendar_t *cal, yw_date_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return calendar_year_published(cal, y);
}

int hall_slots_json(db_t *db, int64_t queue_id, yw_date_t day, const calendar_t *cal, json_t **out)
{
	tmpl_t t;
	int rc = tmpl_load(db, queue_id, &t);
	if (rc)
		return rc;
	bool workday = calendar_is_workday(cal, day), published = day_published(cal, day);
	json_t *slots = json_array();
	for (int i = 0; workday && published && t.capacity > 0 && i < t.n; i++) {
		int64_t start = local_time(day, t.slots[i]), used;
		if ((rc = booked(db, queue_id, start, &used)) != 0) {
			json_decref(slots);
			return rc;
		}
		char hm[8];
		snprintf(hm, sizeof hm, "%02d:%02d", t.slots[i] / 60, t.slots[i] % 60);
		json_array_append_new(slots, json_pack("{s:s, s:I, s:i, s:I}", "time", hm, "start", (json_int_t)start,
						       "capacity", t.capacity, "left", (json_int_t)(t.capacity - used)));
	}
	char d[11];
	date_format(day, d);
	*out = json_pack("{s:I, s:s, s:b, s:b, s:i, s:o}", "queue_id", (json_int_t)queue_id, "date", d, "workday", workday,
			 "beyond_published", !published, "slot_minutes", t.minutes, "slots", slots);
	return 0;
}

/* The checks of a booking inside its transaction: the slot's capacity, the same slot twice (also once
 * checked in: check-in opens before the slot starts, while it may still be booked), the applicant's
 * open bookings. YW_ECONFLICT with why, or an error status. */
static int book_check(db_t *db, const auth_user_t *actor, int64_t queue_id, int64_t start, int capacity,
		      char why[HALL_WHY_MAX])
{
	int64_t used;
	int rc = booked(db, queue_id, start, &used);
	if (rc)
		return rc;
	if (used >= capacity) {
		snprintf(why, HALL_WHY_MAX, "该时段已约满");
		return YW_ECONFLICT;
	}
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM hall_appointments WHERE user_id = :user_id AND queue_id = :queue_id"
				       " AND slot_start = :start AND state IN ('booked','checked_in')");
	db_bind_int(st, "user_id", actor->id);
	db_bind_int(st, "queue_id", queue_id);
	db_bind_int(st, "start", start);
	rc = db_step(st);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW) {
		db_reset(st);
		snprintf(why, HALL_WHY_MAX, "您已预约该时段");
		return YW_ECONFLICT;
	}
	/* bookings are a resource: one applicant holds at most hall_max_open_bookings open ones */
	int cap = config_current()->hall_max_open_bookings;
	st = db_prepare(db, "SELECT COUNT(*) FROM hall_appointments WHERE user_id = :user_id AND state = 'booked'");
	db_bind_int(st, "user_id", actor->id);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t open = db_col_int(st, 0);
	db_reset(st);
	if (open >= cap) {
		snprintf(why, HALL_WHY_MAX, "您已有%lld个未办理的预约（每人最多%d个），请签到办理或取消后再预约", (long long)open, cap);
		return YW_ECONFLICT;
	}
	return 0;
}

int hall_appointment_book(db_t *db, const auth_user_t *actor, int64_t queue_id, yw_date_t day, int minute,
			  const calendar_t *cal, int64_t now, int64_t *id_out, const char **field, char why[HALL_WHY_MAX])
{
	tmpl_t t;
	int rc = tmpl_load(db, queue_id, &t);
	if (rc == YW_ENOTFOUND) {
		*field = "queue_id";
		snprintf(why, HALL_WHY_MAX, "队列不存在或已停用");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	int i = 0;
	while (i < t.n && t.slots[i] != minute)
		i++;
	int64_t start = local_time(day, minute);
	yw_date_t today = date_today_local(now);
	if (t.capacity <= 0 || i == t.n || !calendar_is_workday(cal, day)) {
		*field = "time";
		snprintf(why, HALL_WHY_MAX, "该时段不可预约");
		return YW_EINVAL;
	}
	if (start <= now || day > today + BOOK_DAYS_AHEAD) {
		*field = "date";
		snprintf(why, HALL_WHY_MAX, "只能预约今后365天内尚未开始的时段");
		return YW_EINVAL;
	}
	if (!day_published(cal, day)) {
		*field = "date";
		snprintf(why, HALL_WHY_MAX, "该日期所在年度的节假日安排尚未发布，暂不能预约，请选择其他日期");
		return YW_EINVAL;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	/* Servers on one PostgreSQL book a queue's slots one at a time (its row locked until the
	 * commit), so that two of them never both take a slot's last place; on SQLite the write
	 * transaction excludes every other writer already. */
	if (db_engine(db) == DB_POSTGRES) {
		db_stmt_t *lk = db_prepare(db, "SELECT id FROM hall_queues WHERE id = :queue_id FOR UPDATE");
		db_bind_int(lk, "queue_id", queue_id);
		if ((rc = db_one(lk)) != 0) {
			db_rollback(db);
			return rc;
		}
		db_reset(lk);
	}
	if ((rc = book_check(db, actor, queue_id, start, t.capacity, why)) != 0) {
		db_rollback(db);
		return rc;
	}
	char code[32], d[11], checkin[8];
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(code, sizeof code, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	date_format(day, d);
	/* the short code typed at the kiosk's keypad: six digits, unique on its day, retried on the
	 * rare collision. The collision inserts nothing (ON CONFLICT DO NOTHING, no row back) rather
	 * than failing: on PostgreSQL a failed statement would end the whole transaction. */
	db_stmt_t *st = db_prepare(db, "INSERT INTO hall_appointments(queue_id, user_id, day, slot_start, code, created_at,"
				       " checkin_code) VALUES (:queue_id, :user_id, :day, :start, :code, :now, :checkin_code)"
				       " ON CONFLICT DO NOTHING RETURNING id");
	rc = YW_ENOTFOUND;
	for (int attempt = 0; attempt < 16 && rc == YW_ENOTFOUND; attempt++) {
		snprintf(checkin, sizeof checkin, "%06u", (unsigned)randombytes_uniform(1000000));
		db_bind_int(st, "queue_id", queue_id);
		db_bind_int(st, "user_id", actor->id);
		db_bind_text(st, "day", d);
		db_bind_int(st, "start", start);
		db_bind_text(st, "code", code);
		db_bind_int(st, "now", now);
		db_bind_text(st, "checkin_code", checkin);
		rc = db_one(st);
	}
	*id_out = 0;
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, actor, "hall.appointment.book", "hall_appointments", *id_out);
	} else if (rc == YW_ENOTFOUND) {
		rc = YW_EDB; /* sixteen collisions in a row */
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* Moves an appointment from booked to state; actor NULL = the system. */
static int appt_set(db_t *db, const auth_user_t *actor, int64_t id, const char *state, int64_t ticket_id, const char *action)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hall_appointments SET state = :state, ticket_id = :ticket_id"
				       " WHERE id = :id AND state = 'booked'");
	db_bind_text(st, "state", state);
	db_bind_id(st, "ticket_id", ticket_id);
	db_bind_int(st, "id", id);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) != 1)
		return YW_ECONFLICT;
	return audit_record_id(db, actor, action, "hall_appointments", id);
}

int hall_appointment_cancel(db_t *db, const auth_user_t *actor, int64_t id, int64_t now, char why[HALL_WHY_MAX])
{
	db_stmt_t *st = db_prepare(db, "SELECT user_id, slot_start, state FROM hall_appointments WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t owner = db_col_int(st, 0), start = db_col_int(st, 1);
	bool is_booked = strcmp(db_col_text(st, 2), "booked") == 0;
	db_reset(st);
	if (owner != actor->id)
		return YW_ENOTFOUND;
	if (!is_booked || start <= now) {
		snprintf(why, HALL_WHY_MAX, "只能取消尚未开始、未签到的预约");
		return YW_ECONFLICT;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	rc = appt_set(db, actor, id, "cancelled", 0, "hall.appointment.cancel");
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int hall_appointments_json(db_t *db, const auth_user_t *actor, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.queue_id, q.letter, q.name, h.name, a.day, a.slot_start, a.code,"
				       " a.state, a.ticket_id, COALESCE(a.checkin_code, '') FROM hall_appointments a"
				       " JOIN hall_queues q ON q.id = a.queue_id JOIN halls h ON h.id = q.hall_id"
				       " WHERE a.user_id = :user_id ORDER BY a.slot_start DESC LIMIT 200");
	db_bind_int(st, "user_id", actor->id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			arr, json_pack("{s:I, s:{s:I, s:s, s:s}, s:s, s:s, s:I, s:s, s:s, s:o, s:s}", "id",
				       (json_int_t)db_col_int(st, 0), "queue", "id", (json_int_t)db_col_int(st, 1), "letter",
				       db_col_text(st, 2), "name", db_col_text(st, 3), "hall", db_col_text(st, 4), "date",
				       db_col_text(st, 5), "slot_start", (json_int_t)db_col_int(st, 6), "code", db_col_text(st, 7),
				       "state", db_col_text(st, 8), "ticket_id", db_col_json(st, 9), "checkin_code",
				       db_col_text(st, 10)));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:o}", "items", arr);
	return 0;
}

int hall_appointment_checkin(db_t *db, const char *code, int64_t hall_id, int64_t owner_id, int64_t now,
			     int64_t *ticket_out, char why[HALL_WHY_MAX])
{
	/* the booking's token (its QR code) or its six-digit check-in code of today */
	char today[11];
	date_format(date_today_local(now), today);
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.queue_id, a.user_id, a.slot_start, a.state FROM hall_appointments a"
				       " JOIN hall_queues q ON q.id = a.queue_id WHERE (a.code = :code OR (a.checkin_code = :code"
				       " AND a.day = :day)) AND (:hall_id = 0 OR q.hall_id = :hall_id)"
				       " AND (:owner_id = 0 OR a.user_id = :owner_id)");
	db_bind_text(st, "code", code);
	db_bind_text(st, "day", today);
	db_bind_int(st, "hall_id", hall_id);
	db_bind_int(st, "owner_id", owner_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0), queue_id = db_col_int(st, 1), user_id = db_col_int(st, 2),
		start = db_col_int(st, 3);
	bool is_booked = strcmp(db_col_text(st, 4), "booked") == 0;
	db_reset(st);
	const yw_config_t *c = config_current();
	int when = hall_checkin_window(now, start, (int64_t)c->hall_checkin_before * 60, (int64_t)c->hall_checkin_after * 60);
	if (!is_booked) {
		snprintf(why, HALL_WHY_MAX, "该预约已取消、已签到或已记为爽约");
		return YW_ECONFLICT;
	}
	if (when < 0 || date_today_local(now) != date_today_local(start)) {
		snprintf(why, HALL_WHY_MAX, "未到签到时间：请于预约时段开始前%d分钟内签到", c->hall_checkin_before);
		return YW_ECONFLICT;
	}
	if ((rc = db_begin(db)) != 0)
		return rc;
	/* late arrivals still get their ticket, but a normal one */
	rc = hall_ticket_issue(db, NULL, queue_id, when == 0 ? HALL_APPOINTMENT : HALL_NORMAL, "appointment", user_id, now,
			       ticket_out);
	if (!rc)
		rc = appt_set(db, NULL, id, "checked_in", *ticket_out, "hall.appointment.checkin");
	if (rc) {
		db_rollback(db);
		return rc;
	}
	snprintf(why, HALL_WHY_MAX, "%s", when == 0 ? "预约签到成功，已取优先号" : "已超过签到时间，按普通号排队");
	return db_commit(db);
}

/* An appointment not checked in by the end of its day is a no-show (爽约); until then a late
 * arrival may still check in for a normal ticket. */
int hall_appointments_expire(db_t *db, int64_t now, int *count)
{
	int64_t ids[256];
	int n = 0;
	*count = 0;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hall_appointments WHERE state = 'booked' AND slot_start < :before"
				       " ORDER BY slot_start LIMIT 256");
	db_bind_int(st, "before", local_time(date_today_local(now), 0));
	int rc = 0;
	while (n < 256 && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW)
		db_reset(st);
	if (n == 0)
		return 0;
	rc = db_begin(db);
	for (int i = 0; !rc && i < n; i++)
		rc = appt_set(db, NULL, ids[i], "no_show", 0, "hall.appointment.no_show");
	if (rc) {
		db_rollback(db);
		return rc;
	}
	*count = n;
	return db_commit(db);
}
