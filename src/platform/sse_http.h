/* Routes of the display board's event stream and hall announcements (sse_http.c). */
#ifndef YW_SSE_HTTP_H
#define YW_SSE_HTTP_H
#include "platform/http.h"

int h_hall_events(http_req_t *req);
int h_hall_announce(http_req_t *req);

#endif
