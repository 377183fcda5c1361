/* See calendar_store.h. Dates are stored as 'YYYY-MM-DD' text so the table reads plainly; a day's
 * kind is stored as its enum calendar_kind (1 off, 2 work; a day on the weekday rule has no row). */
#include "platform/calendar_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/audit.h"
#include "platform/db.h"
#include "platform/err.h"

extern const char yw_data_calendar[];
extern const size_t yw_data_calendar_len;

calendar_t *calendar_builtin(void)
{
	calendar_t *cal = calendar_new();
	if (calendar_load_json(cal, yw_data_calendar, yw_data_calendar_len) != 0)
		abort(); /* the shipped file is checked by the unit tests */
	return cal;
}

/* One shipped year: its row and its marked days, audited; rows already there are kept. */
static int seed_year(db_t *db, const char *year, json_t *y)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO calendar_years(year, published, source) VALUES (:year, 1, :source) "
				       "ON CONFLICT(year) DO NOTHING");
	db_bind_int(st, "year", atoi(year));
	db_bind_text(st, "source", json_string_value(json_object_get(y, "source")));
	int rc = db_run(st);
	if (!rc)
		rc = audit_record(db, NULL, "calendar.year.publish", "calendar_years", year);
	for (int kind = CAL_OFF; !rc && kind <= CAL_WORK; kind++) {
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(y, kind == CAL_OFF ? "off" : "work"), i, d) {
			st = db_prepare(db, "INSERT INTO calendar_days(day, kind, note) VALUES (:day, :kind, '') "
					    "ON CONFLICT(day) DO NOTHING");
			db_bind_text(st, "day", json_string_value(d));
			db_bind_int(st, "kind", kind);
			rc = db_run(st);
			if (!rc)
				rc = audit_record(db, NULL, "calendar.day.set", "calendar_days", json_string_value(d));
			if (rc)
				break;
		}
	}
	return rc;
}

int calendar_store_seed(db_t *db)
{
	json_t *doc = json_loadb(yw_data_calendar, yw_data_calendar_len, 0, NULL);
	json_t *years = json_object_get(doc, "years"), *y;
	const char *year;
	int rc = 0;
	json_object_foreach(years, year, y) {
		if ((rc = seed_year(db, year, y)) != 0)
			break;
	}
	json_decref(doc);
	return rc ? rc : db_bump_generation(db, "calendar");
}

int calendar_store_load(db_t *db, calendar_t **out)
{
	calendar_t *cal = calendar_new();
	*out = NULL;
	db_stmt_t *st = db_prepare(db, "SELECT year, published FROM calendar_years");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		calendar_set_published(cal, (int)db_col_int(st, 0), db_col_int(st, 1) != 0);
	if (rc < 0)
		goto fail;
	st = db_prepare(db, "SELECT day, kind FROM calendar_days");
	while ((rc = db_step(st)) == DB_ROW) {
		yw_date_t d;
		const char *s = db_col_text(st, 0);
		if (date_parse(s, strlen(s), &d) == 0)
			calendar_set_day(cal, d, db_col_int(st, 1) == CAL_OFF ? CAL_OFF : CAL_WORK);
	}
	if (rc < 0)
		goto fail;
	*out = cal;
	return 0;
fail:
	calendar_free(cal);
	return rc;
}

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static calendar_t *cached;      /* guarded by lock */
static int64_t cached_gen = -1; /* guarded by lock */

int calendar_acquire(db_t *db, const calendar_t **out)
{
	int64_t gen;
	int rc = db_generation(db, "calendar", &gen);
	if (rc)
		return rc;
	for (;;) {
		pthread_rwlock_rdlock(&lock);
		if (cached && cached_gen == gen) {
			*out = cached;
			return 0;
		}
		pthread_rwlock_unlock(&lock);
		pthread_rwlock_wrlock(&lock);
		if (!cached || cached_gen != gen) {
			calendar_t *cal;
			if ((rc = calendar_store_load(db, &cal)) != 0) {
				pthread_rwlock_unlock(&lock); /* the calendar in use, if any, stays */
				return rc;
			}
			calendar_free(cached);
			cached = cal;
			cached_gen = gen;
		}
		pthread_rwlock_unlock(&lock);
	}
}

void calendar_release(void)
{
	pthread_rwlock_unlock(&lock);
}

int calendar_store_year(db_t *db, int year, bool *published, char source[CALENDAR_SOURCE_MAX], json_t **days)
{
	db_stmt_t *st = db_prepare(db, "SELECT published, source FROM calendar_years WHERE year = :year");
	db_bind_int(st, "year", year);
	*published = false;
	source[0] = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*published = db_col_int(st, 0) != 0;
		snprintf(source, CALENDAR_SOURCE_MAX, "%s", db_col_text(st, 1));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		return rc;
	}
	char lo[16], hi[16];
	snprintf(lo, sizeof lo, "%04d-01-01", year);
	snprintf(hi, sizeof hi, "%04d-12-31", year);
	st = db_prepare(db, "SELECT day, kind, note FROM calendar_days WHERE day BETWEEN :first AND :last "
			    "ORDER BY day");
	db_bind_text(st, "first", lo);
	db_bind_text(st, "last", hi);
	json_t *a = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "date", db_col_text(st, 0), "kind",
						   db_col_int(st, 1) == CAL_OFF ? "off" : "work", "note",
						   db_col_text(st, 2)));
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*days = a;
	return 0;
}

/* Ends the edit's transaction: on success the change is audited and the generation moves on, so
 * every process's cached calendar is rebuilt. */
static int finish_edit(db_t *db, int rc, const auth_user_t *actor, const char *action, const char *table,
		       const char *key)
{
	if (!rc)
		rc = audit_record(db, actor, action, table, key);
	if (!rc)
		rc = db_bump_generation(db, "calendar");
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int calendar_store_set_day(db_t *db, const auth_user_t *actor, const char *day, enum calendar_kind kind,
			   const char *note)
{
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st;
	if (kind == CAL_DEFAULT) {
		st = db_prepare(db, "DELETE FROM calendar_days WHERE day = :day");
	} else {
		st = db_prepare(db, "INSERT INTO calendar_days(day, kind, note) VALUES (:day, :kind, :note) "
				    "ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, note = excluded.note");
		db_bind_int(st, "kind", kind);
		db_bind_text(st, "note", note);
	}
	db_bind_text(st, "day", day);
	return finish_edit(db, db_run(st), actor, "calendar.day.set", "calendar_days", day);
}

int calendar_store_set_year(db_t *db, const auth_user_t *actor, int year, bool published, const char *source)
{
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO calendar_years(year, published, source) VALUES (:year, :published, "
				       ":source) ON CONFLICT(year) DO UPDATE SET published = excluded.published, "
				       "source = excluded.source");
	db_bind_int(st, "year", year);
	db_bind_int(st, "published", published);
	db_bind_text(st, "source", source);
	char key[16];
	snprintf(key, sizeof key, "%d", year);
	return finish_edit(db, db_run(st), actor, "calendar.year.set", "calendar_years", key);
}
