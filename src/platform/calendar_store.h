/* The working-day calendar kept in the database (calendar_years, calendar_days), editable by
 * the centre admin, seeded from data/calendar.json compiled into the binary. */
#ifndef YW_CALENDAR_STORE_H
#define YW_CALENDAR_STORE_H
#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/http.h"

/* Writes the shipped schedules into an empty database (init, demo). */
int calendar_store_seed(db_t *db);
/* A calendar built from the database; caller frees. */
int calendar_store_load(db_t *db, calendar_t **out);
/* The shipped schedules without a database (the CLI when no database exists). Caller frees. */
calendar_t *calendar_builtin(void);
/* The process-wide cached calendar, rebuilt when meta.calendar moves (any process may have
 * edited it). Read-locked until calendar_release(). */
int calendar_acquire(db_t *db, const calendar_t **out);
void calendar_release(void);

int h_calendar_deadline(http_req_t *req);
int h_calendar_is_workday(http_req_t *req);
int h_calendar_between(http_req_t *req);
int h_calendar_year(http_req_t *req);
int h_calendar_set_day(http_req_t *req);
int h_calendar_set_year(http_req_t *req);

#endif
