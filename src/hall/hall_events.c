/* The display board's event stream (大厅显示屏推送) and hall announcements (大厅公告):
 * GET /api/v1/hall/{id}/events subscribes to topic "hall:{id}", where the hall's calls
 * (event "call") and announcements (event "announce") are published. */
#include <stdbool.h>
#include <string.h>

#include "hall/hall.h"
#include "hall/hall_store.h"
#include "platform/auth.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/events.h"
#include "platform/jsonv.h"
#include "platform/log.h"
#include "platform/sse.h"

/* The hall named in the path, which must exist; region receives its region code. */
static int path_hall(http_req_t *req, int64_t *id, char region[16])
{
	if (http_parse_int(req->param[0], 1, INT64_MAX, id) != 0)
		return http_fail(req, YW_ENOTFOUND, "大厅不存在");
	int rc = hall_region(db_thread(), *id, region);
	return rc == YW_ENOTFOUND ? http_fail(req, rc, "大厅不存在") : rc;
}

int h_hall_events(http_req_t *req)
{
	int64_t id;
	char region[16];
	int rc = path_hall(req, &id, region);
	if (rc)
		return rc;
	if (strcmp(req->method, "HEAD") == 0) {
		/* the headers of the stream, without subscribing */
		http_reply_bytes(req, 200, "text/event-stream; charset=utf-8", "", 0);
		return 0;
	}
	/* a display board registered by the hall manager (hall devices) is never refused by the caps */
	bool registered = false;
	if ((rc = hall_device_verify(req, id, "board", &registered)) != 0)
		return rc;
	rc = sse_subscribe(req, arena_printf(req->arena, "hall:%lld", (long long)id), registered);
	if (rc == YW_ETHROTTLED) {
		/* the stream caps: 503, with the time to come back after */
		req->retry_after_s = SSE_RETRY_AFTER_S;
		return http_fail(req, YW_EUNAVAILABLE, "显示屏连接数已达上限，请稍后重新连接");
	}
	return rc == YW_EUNAVAILABLE ? http_fail(req, rc, "服务正在停止，请稍后重新连接") : rc;
}

int h_hall_announce(http_req_t *req)
{
	int64_t id;
	char region[16];
	int rc = path_hall(req, &id, region);
	if (rc)
		return rc;
	/* hall.manage speaks on the boards of the halls of the manager's region only */
	if (!auth_region_within(region, req->user->region_code))
		return http_fail(req, YW_EFORBIDDEN, "该大厅不在您的管理范围内");
	json_t *body;
	if ((rc = http_body_json(req, &body)) != 0)
		return rc;
	vctx_t v = {0};
	const char *text = v_str(&v, body, "text", 1, 200);
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	json_t *ev = json_pack("{s:I, s:s, s:I}", "hall_id", (json_int_t)id, "text", text, "at",
			       (json_int_t)yw_now());
	/* to the boards of every server; reached counts this server's */
	int reached = events_publish(arena_printf(req->arena, "hall:%lld", (long long)id), "announce", ev);
	json_decref(ev);
	if (reached < 0)
		reached = 0; /* logged; this server's boards had it */
	log_msg("info", req->req_id, "hall %lld announcement by %s to %d boards", (long long)id, req->user->username,
		reached);
	http_reply_json(req, 200, json_pack("{s:i}", "boards", reached));
	return 0;
}
