/* The dispatch suggestion's part of the program (docs/architecture.md "Dispatch suggestion"): the
 * route GET /api/v1/hotline/suggest for the hotline's operators, the thread that retrains the
 * model when orders close or history is imported, and `yiwang hotline import-history`.
 *
 * The model lives in each server's memory, in one hotline_slot_t (like the catalogue's search
 * index in catalog_search.c): readers take it without a lock; the watcher swaps a new one in. The
 * watcher is a thread of each server, not a ticker job: several servers on one PostgreSQL database
 * run a ticker job on one of them only, and every server needs its own model. It starts with the
 * server's first suggestion request, reads on its own read-only connection, and trains there. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hotline/hotline_suggest.h"
#include "hotline/hotline_suggest_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/http.h"
#include "platform/log.h"
#include "platform/routes.h"

enum {
	TRAIN_MAX = 100000,     /* the newest closed orders and history rows it learns from (~120 MB) */
	WATCH_EVERY_S = 30,     /* how often the watcher looks for new training data (at most tick_seconds) */
	RETRAIN_AFTER = 10,     /* while orders keep closing, one training per 10 looks (5 minutes) */
	QUERY_TEXT_MAX = 2000,  /* bytes of text= (about 660 characters; a GET's URL fits in 8 KiB, 414 beyond) */
};

static hotline_slot_t slot;
static pthread_once_t started = PTHREAD_ONCE_INIT;

/* One look: retrains when the data changed (imported history at once, steps of the loop at most
 * every RETRAIN_AFTER looks). The figures are the watcher's own. */
static void watch_once(db_t *db, int64_t now, int64_t every, int64_t *seen_orders, int64_t *seen_history,
		       int64_t *trained_at)
{
	int64_t orders, history;
	if (hotline_training_stamp(db, &orders, &history) != 0)
		return;
	if (orders == *seen_orders && history == *seen_history)
		return;
	if (history == *seen_history && *seen_orders != -1 && now - *trained_at < RETRAIN_AFTER * every)
		return;
	hotline_training_t t;
	if (hotline_training_load(db, TRAIN_MAX, &t) != 0)
		return;
	*seen_orders = orders;
	*seen_history = history;
	*trained_at = now;
	hotline_model_t *m;
	if (t.n > 0 && hotline_model_train(t.samples, t.n, NULL, &m) == 0) {
		hotline_model_info_t info;
		hotline_model_info(m, &info);
		log_info("hotline suggest: trained on %zu orders (%zu matters, %zu units, %zu features)", info.samples,
			 info.matters, info.units, info.features);
		hotline_slot_swap(&slot, m);
	}
	hotline_training_free(&t);
}

static void *watcher(void *arg)
{
	(void)arg;
	db_thread_reader();
	db_t *db = db_thread();
	int64_t seen_orders = -1, seen_history = -1, trained_at = 0;
	/* tests set a short tick_seconds; the watcher follows it */
	const yw_config_t *cfg = config_current();
	unsigned every = cfg && cfg->tick_s < WATCH_EVERY_S ? cfg->tick_s : WATCH_EVERY_S;
	if (every == 0)
		every = 1;
	for (;;) {
		watch_once(db, yw_now(), every, &seen_orders, &seen_history, &trained_at);
		struct timespec ts = {(time_t)every, 0};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void start(void)
{
	hotline_slot_init(&slot);
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, watcher, NULL) != 0)
		log_warn("hotline suggest: the training thread could not start; no suggestions");
	pthread_attr_destroy(&attr);
}

/* GET /api/v1/hotline/suggest?text=...&k=3 */
static int h_hotline_suggest(http_req_t *req)
{
	pthread_once(&started, start);
	const char *text = http_query(req, "text");
	int64_t k;
	if (http_query_int(req, "k", 1, HOTLINE_SUGGEST_MAX_K, 3, &k))
		return http_fail(req, YW_EINVAL, "查询条件有误");
	if (!text || !*text) {
		http_fail_field(req, "text", "请输入诉求内容");
		return http_fail(req, YW_EINVAL, "查询条件有误");
	}
	size_t len = strlen(text);
	if (len > QUERY_TEXT_MAX) {
		http_fail_field(req, "text", "诉求内容过长");
		return http_fail(req, YW_EINVAL, "查询条件有误");
	}
	if (!utf8_valid(text, len)) {
		http_fail_field(req, "text", "诉求内容不是有效的UTF-8文字");
		return http_fail(req, YW_EINVAL, "查询条件有误");
	}
	/* more than k: matters or units deleted since training are left out of the answer */
	hotline_guess_t gm[HOTLINE_SUGGEST_MAX_K], gu[HOTLINE_SUGGEST_MAX_K];
	size_t nm = 0, nu = 0;
	size_t trained_on =
		hotline_slot_suggest(&slot, text, len, HOTLINE_SUGGEST_MAX_K, NULL, NULL, gm, &nm, gu, &nu);
	json_t *out;
	int rc = hotline_suggest_answer(db_thread(), gm, nm, gu, nu, (size_t)k, trained_on, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static const route_t routes[] = {
	{"GET", "/api/v1/hotline/suggest", PERM_HOTLINE_OPERATE, h_hotline_suggest},
};

void hotline_suggest_module_register(void)
{
	ROUTES_REGISTER(routes);
}

int hotline_suggest_cli(db_t *db, int argc, char **argv)
{
	static const char usage[] = "usage: yiwang hotline import-history FILE.csv [--source NAME]\n";
	if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--source") == 0)) {
		fputs(usage, stderr);
		return 2;
	}
	FILE *f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "yiwang: cannot open %s\n", argv[1]);
		return 1;
	}
	const char *source = argc == 4 ? argv[3] : argv[1];
	int rc = hotline_history_import(db, f, source, yw_now(), stdout, stderr);
	if (f != stdin)
		fclose(f);
	if (rc && rc != YW_EINVAL)
		fprintf(stderr, "yiwang: the import stopped (status %d); the rows before the last 1,000 are stored\n", rc);
	return rc == 0 ? 0 : 1;
}
