/* The calendar's routes (calendar_http.c): deadlines and working days for anyone, and the centre
 * admin's edits of days and years. */
#ifndef YW_CALENDAR_HTTP_H
#define YW_CALENDAR_HTTP_H
#include "platform/http.h"

int h_calendar_deadline(http_req_t *req);
int h_calendar_is_workday(http_req_t *req);
int h_calendar_between(http_req_t *req);
int h_calendar_year(http_req_t *req);
int h_calendar_set_day(http_req_t *req);
int h_calendar_set_year(http_req_t *req);

#endif
