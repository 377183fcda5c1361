/* The working-day calendar kept in the database (calendar_years, calendar_days), editable by
 * the centre admin, seeded from data/calendar.json compiled into the binary. Its routes are in
 * calendar_http.c. */
#ifndef YW_CALENDAR_STORE_H
#define YW_CALENDAR_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"

/* Writes the shipped schedules into an empty database (init, demo). */
int calendar_store_seed(db_t *db);
/* A calendar built from the database; caller frees. *out is NULL when the read fails (the
 * status says why). */
int calendar_store_load(db_t *db, calendar_t **out);
/* The shipped schedules without a database (the CLI when no database exists). Caller frees. */
calendar_t *calendar_builtin(void);
/* The process-wide cached calendar, rebuilt when meta.calendar moves (any process may have
 * edited it). Read-locked until calendar_release(), which only a successful call needs. */
int calendar_acquire(db_t *db, const calendar_t **out);
void calendar_release(void);

/* A year's source text: at most 200 characters of UTF-8. */
#define CALENDAR_SOURCE_MAX 801
/* One year as edited: whether it is published and its source (false and "" when the year has no
 * row), and its marked days in date order, *days = [{date, kind: "off"|"work", note}] (new
 * reference). */
int calendar_store_year(db_t *db, int year, bool *published, char source[CALENDAR_SOURCE_MAX], json_t **days);
/* Marks day ('YYYY-MM-DD') CAL_OFF or CAL_WORK with a note, or returns it to the weekday rule
 * (CAL_DEFAULT); one audited transaction that moves meta.calendar on. */
int calendar_store_set_day(db_t *db, const auth_user_t *actor, const char *day, enum calendar_kind kind,
			   const char *note);
/* Publishes or withdraws a year's schedule and records its source; audited, as above. */
int calendar_store_set_year(db_t *db, const auth_user_t *actor, int year, bool published, const char *source);

#endif
