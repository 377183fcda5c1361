/* The dispatch suggestion's part of the program (docs/architecture.md "Dispatch suggestion"): the
 * route GET /api/v1/hotline/suggest for the hotline's operators, the background job that retrains
 * the model when orders close or history is imported, and `yiwang hotline import-history`.
 *
 * The server's current model lives in one hotline_slot_t, like the catalogue's search index in
 * catalog_search.c: readers take it without a lock; the training thread swaps a new one in. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_suggest.h"
#include "hotline/hotline_suggest_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/http.h"
#include "platform/log.h"
#include "platform/routes.h"
#include "platform/ticker.h"

enum {
	TRAIN_MAX = 200000,      /* the newest closed orders and history rows it learns from */
	RETRAIN_EVERY_S = 300,   /* while orders keep closing, at most one training per 5 minutes */
	QUERY_TEXT_MAX = 2000,   /* bytes of text= (about 660 characters; a GET's URL fits in 8 KiB, 414 beyond) */
};

static hotline_slot_t slot;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static atomic_bool training;
/* the ticker thread's own: what the current model (or the one in training) was built from */
static int64_t seen_orders = -1, seen_history = -1, trained_at;

static void slot_init(void)
{
	hotline_slot_init(&slot);
}

static void *train_thread(void *arg)
{
	hotline_training_t *t = arg;
	hotline_model_t *m;
	if (hotline_model_train(t->samples, t->n, NULL, &m) == 0) {
		hotline_model_info_t info;
		hotline_model_info(m, &info);
		log_info("hotline suggest: trained on %zu orders (%zu matters, %zu units, %zu features)", info.samples,
			 info.matters, info.units, info.features);
		hotline_slot_swap(&slot, m);
	}
	hotline_training_free(t);
	free(t);
	atomic_store(&training, false);
	return NULL;
}

/* Reads on the ticker's own connection; the training itself runs on a thread of its own, so the
 * other background jobs do not wait for it. */
static int suggest_tick(db_t *db, int64_t now)
{
	pthread_once(&slot_once, slot_init);
	if (atomic_load(&training))
		return 0;
	int64_t orders, history;
	int rc = hotline_training_stamp(db, &orders, &history);
	if (rc)
		return rc;
	if (orders == seen_orders && history == seen_history)
		return 0;
	/* imported history is learnt at once; closing orders at most every RETRAIN_EVERY_S */
	if (history == seen_history && seen_orders != -1 && now - trained_at < RETRAIN_EVERY_S)
		return 0;
	hotline_training_t *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	if ((rc = hotline_training_load(db, TRAIN_MAX, t)) != 0) {
		free(t);
		return rc;
	}
	seen_orders = orders;
	seen_history = history;
	trained_at = now;
	if (t->n == 0) {
		free(t);
		return 0;
	}
	atomic_store(&training, true);
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, train_thread, t) != 0) {
		atomic_store(&training, false);
		hotline_training_free(t);
		free(t);
		seen_orders = seen_history = -1;
	}
	pthread_attr_destroy(&attr);
	return 0;
}

/* GET /api/v1/hotline/suggest?text=...&k=3 */
static int h_hotline_suggest(http_req_t *req)
{
	pthread_once(&slot_once, slot_init);
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
	ticker_register_reader("hotline-suggest", suggest_tick);
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
