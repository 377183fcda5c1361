/* yiwang command line: serve | init | demo | user | import | export | backup | calendar |
 * audit verify | checkpoint | rotate-key | tables | routes. See docs/yiwang.1 and `yiwang --help`. */
#include <getopt.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "catalog/catalog.h"
#include "disclosure/disclosure.h"
#include "disclosure/disclosure_report.h"
#include "disclosure/disclosure_store.h"
#include "files/files.h"
#include "hall/hall.h"
#include "hotline/hotline.h"
#include "hotline/hotline_suggest_store.h"
#include "hotline/hotline_open311.h"
#include "hotline/hotline_kb.h"
#include "hotline/hotline_stats.h"
#include "org/org.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/db_copy.h"
#include "platform/err.h"
#include "platform/events.h"
#include "platform/http.h"
#include "platform/log.h"
#include "platform/routes.h"
#include "platform/ticker.h"
#include "platform/writer.h"
#include "reviews/reviews.h"
#include "supervision/supervision.h"
#include "stats/stats.h"

#define DEMO_PASSWORD "yiwang2026"

static const char usage[] =
	"usage: yiwang [--config FILE] [--db URL] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  serve [--port N] [--bind ADDR] [--quiet]   serve the API and the web UI\n"
	"  init [--admin-password P]                  create an empty database with the holiday calendar\n"
	"                                             and a centre administrator 'admin'\n"
	"  demo [--no-history] [--scale N] [--cases N]  create the demo city with a past year of cases,\n"
	"                                             hall days, reviews and 督办 (--no-history: without;\n"
	"                                             N generated items; N applications today instead)\n"
	"  user add USERNAME --name NAME --roles R1,R2 --password P [--dept NAME]\n"
	"  user passwd USERNAME PASSWORD\n"
	"  user list\n"
	"  import FILE [--publish] [--staff-password P]  import a catalogue (docs/catalog-format.md)\n"
	"  export [--all] [--xlsx FILE]               write the catalogue as JSON to stdout, or XLSX\n"
	"  hotline key add NAME | key list | key revoke ID\n"
	"                                             the call centre's API keys for its call events (a new\n"
	"                                             key is printed once)\n"
	"  hotline import-history FILE.csv [--source NAME]  a former system's closed 12345 orders (title,\n"
	"                                             text, category, matter, unit, created_at) for the\n"
	"                                             dispatch suggestions to learn from\n"	"  gen-cases --cases N --year Y [--seed S]  generate a city-year of cases for benchmarks (no audit\n"
	"                                             records: the database is for benchmarks only)\n"
	"  gen-orders --orders N --year Y [--seed S] generate a year of 12345 hotline orders for benchmarks\n"
	"                                             (one transaction, no audit records: for benchmarks only)\n"
	"  backup DEST                                consistent online copy of the database\n"
	"  copy --to TARGET                           copy the whole city (ids, audit chain, key) from --db\n"
	"                                             into the empty database TARGET (a path, sqlite:PATH\n"
	"                                             or postgresql://...): SQLite to PostgreSQL and back\n"
	"  calendar workdays-after YYYY-MM-DD N       the N-th working day after the date\n"
	"  calendar between YYYY-MM-DD YYYY-MM-DD     working days after the first, up to the second\n"
	"  calendar is-workday YYYY-MM-DD\n"
	"  audit verify [--checkpoint \"SEQ HASH\"]...  check the keyed audit chain, every audited row, and\n"
	"                                             that the chain passes through published checkpoints\n"
	"  audit checkpoint                           verify, then print the chain's last record as SEQ HASH\n"
	"                                             (publish it where the database's writers cannot reach)\n"
	"  audit rotate-key                           add a new audit key to the key file and key the chain\n"
	"                                             with it from now on (server stopped)\n"
	"  audit tables                               the audited tables\n"
	"  open311 key add NAME | key list | key revoke ID\n"
	"                                             Open311 clients' API keys (a new key is printed once)\n"
	"  routes                                     print the route table as JSON\n"
	"  --help, --version\n"
	"\n"
	"The database (--db, or db in the configuration) is an SQLite file (PATH or sqlite:PATH) or a\n"
	"PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/NAME).\n"
	"The configuration file holds key = value lines (docs/yiwang.conf.example).\n";

/* The SQLite file a database URL names, or NULL for PostgreSQL. */
static const char *sqlite_path(const char *url)
{
	if (db_url_engine(url) != DB_SQLITE)
		return NULL;
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

/* The database's URL for messages: a PostgreSQL URL's password is shown as "***". */
static const char *db_label(const yw_config_t *cfg)
{
	static char buf[sizeof cfg->db];
	snprintf(buf, sizeof buf, "%s", cfg->db);
	if (db_url_engine(buf) != DB_POSTGRES)
		return buf;
	char *user = strstr(buf, "://") + 3, *at = strchr(user, '@'), *slash = strchr(user, '/');
	char *colon = at ? memchr(user, ':', (size_t)(at - user)) : NULL;
	if (colon && (!slash || at < slash))
		snprintf(colon, sizeof buf - (size_t)(colon - buf), ":***%s", cfg->db + (at - buf));
	return buf;
}

/* mkdir -p of the folder holding path. */
static void make_parent_dirs(const char *path)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = 0;
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0750);
			*p = '/';
		}
	mkdir(dir, 0750);
}

static int open_db(const yw_config_t *cfg, db_t **db)
{
	/* Create an SQLite database's folder (var/ by default) so a fresh checkout just works. */
	const char *file = sqlite_path(cfg->db);
	if (file) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s", file);
		char *slash = strrchr(dir, '/');
		if (slash) {
			*slash = 0;
			mkdir(dir, 0750);
		}
	}
	if (db_open(cfg->db, db) != 0) {
		fprintf(stderr, "yiwang: cannot open database %s\n", db_label(cfg));
		return 1;
	}
	return 0;
}

/* Opens an existing database, without migrating; for SQLite only a file that exists (opening
 * would create it). */
static int open_existing_db(const yw_config_t *cfg, db_t **db)
{
	const char *file = sqlite_path(cfg->db);
	if (file && access(file, F_OK) != 0)
		return YW_ENOTFOUND;
	return db_open_existing(cfg->db, db);
}

/* The audit key: loaded, created beside a database whose chain is not keyed yet (a new one, or
 * one from before keying), and bound to the chain. Before any thread starts. */
static int open_audit_key(const yw_config_t *cfg, db_t *db)
{
	char path[600];
	config_audit_key_file(cfg, path, sizeof path);
	int rc = audit_key_load(path, stderr);
	bool created = false, keyed = false;
	/* No key file: made for a chain not keyed yet; for a keyed one audit_key_bind explains. */
	if (rc == YW_ENOTFOUND && (rc = audit_chain_keyed(db, &keyed)) == 0 && !keyed) {
		/* PostgreSQL's default place (files_dir) may not exist before the first upload */
		if (!sqlite_path(cfg->db) && !*cfg->audit_key_file)
			make_parent_dirs(path);
		if ((rc = audit_key_create(path)) == YW_ECONFLICT)
			rc = 0; /* another process made it just now */
		else if (rc == 0)
			created = true;
		rc = rc ? rc : audit_key_load(path, stderr);
		if (created && rc == 0)
			printf("audit key created: %s (mode 0600; keep a copy apart from the database's backups)\n", path);
	}
	if (rc == YW_EIO)
		fprintf(stderr, "yiwang: cannot read or create the audit key file %s\n", path);
	else if (rc == YW_EDB)
		fprintf(stderr, "yiwang: cannot read the audit chain of %s\n", db_label(cfg));
	if (rc == 0 && audit_key_bind(db, created, stderr) != 0) {
		fprintf(stderr, "yiwang: audit key file: %s\n", path);
		rc = YW_ECONFLICT;
	}
	return rc ? 1 : 0;
}

/* Every module's routes and background jobs. The jobs run on each tick in this order. */
static void register_modules(void)
{
	reviews_module_register();
	files_module_register();
	supervision_module_register();
	cases_module_register();
	stats_module_register();
	hall_module_register();
	org_module_register();
	catalog_module_register();
	disclosure_module_register();
	disclosure_report_module_register();
	hotline_module_register();
	hotline_suggest_module_register();
}

static int cmd_serve(yw_config_t *cfg, int argc, char **argv)
{
	static const struct option opts[] = {{"port", required_argument, 0, 'p'},
					     {"bind", required_argument, 0, 'b'},
					     {"quiet", no_argument, 0, 'q'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p' && config_set(cfg, "port", optarg) == 0)
			continue;
		if (c == 'b' && config_set(cfg, "bind", optarg) == 0)
			continue;
		if (c == 'q') {
			cfg->quiet = 1;
			continue;
		}
		fputs(usage, stderr);
		return 2;
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	if (open_audit_key(cfg, db)) {
		fprintf(stderr, "yiwang: not starting: the audit chain cannot be written without its key\n");
		db_close(db);
		return 1;
	}
	db_close(db); /* migrations applied; workers open their own connections */
	db_set_default_url(cfg->db);
	log_set_quiet(cfg->quiet);
	http_config_t h = {.bind = cfg->bind,
			   .port = cfg->port,
			   .web_dir = cfg->web_dir,
			   .vendor_dir = cfg->vendor_dir,
			   .threads = cfg->threads,
			   .timeout_s = cfg->timeout_s,
			   .per_ip_limit = cfg->per_ip_limit,
			   .max_body = cfg->max_body,
			   .upload_path = FILES_UPLOAD_PATH,
			   .max_upload = cfg->max_upload,
			   .quiet = cfg->quiet,
			   .sse_heartbeat_s = cfg->sse_heartbeat_s};
	/* SIGTERM and SIGINT are for http_serve's sigwait: block them before any thread starts, so
	 * that none of the background threads inherits them unblocked and dies by them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	/* the writer before the ticker: the ticker's jobs write through it (ticker.h) */
	if (events_start() != 0 || writer_start() != 0 || ticker_start(cfg->tick_s) != 0)
		return 1;
	int rc = http_serve(&h);
	ticker_stop();
	writer_stop();
	events_stop();
	return rc == 0 ? 0 : 1;
}

/* Whether the database holds no accounts yet, into *empty; 0, or 1 with the reason on stderr. */
static int is_empty(const yw_config_t *cfg, db_t *db, bool *empty)
{
	int64_t n = 0;
	if (org_user_count(db, &n) != 0) {
		fprintf(stderr, "yiwang: cannot read the accounts of %s\n", db_label(cfg));
		return 1;
	}
	*empty = n == 0;
	return 0;
}

/* An account made from the command line, with the calendar's seed for a new database. */
typedef struct account_job {
	json_t *in;
	vctx_t *v;
	bool seed;
} account_job_t;

static int account_create(db_t *db, void *arg)
{
	account_job_t *j = arg;
	int64_t id;
	int rc = j->seed ? calendar_store_seed(db) : 0;
	if (!rc && j->seed)
		rc = disclosure_store_seed(db);
	return rc ? rc : org_user_create(db, NULL, j->in, "staff", j->v, &id);
}

static int cmd_init(yw_config_t *cfg, int argc, char **argv)
{
	const char *password = NULL;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--admin-password") == 0 && i + 1 < argc)
			password = argv[++i];
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	bool empty = true;
	if (is_empty(cfg, db, &empty) || !empty) {
		if (!empty)
			fprintf(stderr, "yiwang: %s already holds data; init only creates new databases\n",
				db_label(cfg));
		db_close(db);
		return 1;
	}
	if (open_audit_key(cfg, db)) {
		db_close(db);
		return 1;
	}
	char generated[32];
	if (!password) {
		unsigned char rnd[9];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(generated, sizeof generated, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		generated[10] = '7'; /* a digit, so the password rule holds */
		generated[11] = 0;
		password = generated;
	}
	json_t *admin = json_pack("{s:s, s:s, s:s, s:[s]}", "username", "admin", "name", "中心管理员", "password", password,
				  "roles", "center_admin");
	vctx_t v = {0};
	account_job_t job = {admin, &v, true};
	int rc = db_transaction(db, account_create, &job);
	if (rc) {
		size_t i;
		json_t *e;
		json_array_foreach(v.errors, i, e)
			fprintf(stderr, "yiwang: %s: %s\n", json_string_value(json_object_get(e, "field")),
				json_string_value(json_object_get(e, "message")));
	} else {
		printf("created %s\ncentre administrator: admin / %s\n", db_label(cfg), password);
	}
	json_decref(v.errors);
	json_decref(admin);
	db_close(db);
	return rc ? 1 : 0;
}

/* The demo city's past year: every day from a year ago to today, the clock pinned to the
 * simulated instant (yw_clock_set), the background jobs run each morning as the ticker would,
 * and on working days (on the holiday calendar) the applications and hall visits of that day go
 * through the store functions; one transaction per day. */
static int demo_history(db_t *db)
{
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	struct timespec c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &c0);
	int64_t now = (int64_t)time(NULL);
	yw_date_t today = date_today_local(now), first = today - 365;
	cases_demo_t *cs = NULL;
	hall_demo_t *hs = NULL;
	hotline_demo_t *ls = NULL;
	rc = cases_demo_year_begin(db, cal, today, 11, &cs);
	if (!rc)
		rc = hall_demo_year_begin(db, cal, today, 0.4, &hs);
	if (!rc)
		rc = hotline_demo_year_begin(db, cal, 3, &ls);
	static int (*const jobs[])(db_t *, int64_t) = {supervision_tick, cases_parallel_tick, reviews_tick, hall_tick,
							hotline_tick};
	/* a fresh SQLite file the demo can simply make again: no fsync per day (PostgreSQL keeps its
	 * server's own durability settings) */
	bool sqlite = db_engine(db) == DB_SQLITE;
	if (!rc && sqlite)
		rc = db_bulk_load(db, true);
	log_set_quiet(1);
	static const double weekday[] = {0.6, 1.3, 1.1, 1.0, 0.95, 0.85, 0.6}; /* Sun .. Sat (make-up days) */
	int index = 0;
	for (yw_date_t d = first; !rc && d <= today; d++) {
		int64_t midnight = (int64_t)d * 86400 - 8 * 3600;
		/* office hours; today's end where the demo runs */
		int64_t t0 = midnight + 9 * 3600, t1 = midnight + 17 * 3600 + 1800;
		if (d == today) {
			t1 = t1 < now ? t1 : now;
			t0 = t0 < t1 - 3 * 3600 ? t0 : t1 - 3 * 3600;
			/* run just after midnight: today's window starts at midnight, so its work is today's */
			t0 = t0 > midnight ? t0 : midnight;
		}
		int64_t jobs_at = t0 - 2 * 3600;
		yw_clock_set(jobs_at);
		if ((rc = db_group_begin(db)) != 0)
			break;
		for (size_t j = 0; !rc && j < sizeof jobs / sizeof jobs[0]; j++)
			rc = jobs[j](db, jobs_at);
		if (!rc && calendar_is_workday(cal, d)) {
			rc = cases_demo_year_day(cs, index++, t0, t1);
			double f = weekday[date_weekday(d) % 7];
			if (!rc)
				rc = hall_demo_year_day(hs, d, f, d == today ? now : INT64_MAX / 2);
			if (!rc)
				rc = hotline_demo_year_day(ls, index - 1, t0, t1);
		}
		int c = db_group_commit(db);
		rc = rc ? rc : c;
	}
	yw_clock_set(0);
	log_set_quiet(0);
	if (sqlite && db_bulk_load(db, false) != 0)
		rc = rc ? rc : YW_EDB;
	/* and the jobs once more now, as the server's ticker will on start */
	if (!rc && (rc = db_group_begin(db)) == 0) {
		for (size_t j = 0; !rc && j < sizeof jobs / sizeof jobs[0]; j++)
			rc = jobs[j](db, (int64_t)time(NULL));
		int c = db_group_commit(db);
		rc = rc ? rc : c;
	}
	cases_demo_counts_t n = {0};
	hall_demo_counts_t h = {0};
	hotline_demo_counts_t l = {0};
	cases_demo_year_end(cs, &n);
	hall_demo_year_end(hs, &h);
	hotline_demo_year_end(ls, &l);
	calendar_release();
	clock_gettime(CLOCK_MONOTONIC, &c1);
	if (rc) {
		fprintf(stderr, "yiwang: the demo year stopped (%d)\n", rc);
		return rc;
	}
	int64_t cards = 0;
	if ((rc = supervision_cards_count(db, &cards)) != 0) {
		fprintf(stderr, "yiwang: cannot count the demo year's cards (%d)\n", rc);
		return rc;
	}
	printf("a year of the city (%d working days) in %.1f s:\n"
	       "  %d applications: %d accepted, %d decided (%d 不予), %d 不予受理, %d withdrawn, %d 补正, %d 特别程序\n"
	       "  %d case ratings, %d bad reviews through appeal, verification and rectification; %lld cards, %d 督办\n"
	       "  %d hall tickets: %d served, %d 过号; %d pad ratings; %d appointments\n",
	       index, (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9, n.cases, n.accepted,
	       n.decided, n.denied, n.refused, n.withdrawn, n.corrected, n.suspended, n.reviews, n.bad_reviews,
	       (long long)cards, n.orders, h.tickets, h.served, h.no_shows, h.ratings, h.appointments);
	printf("  %d hotline orders: %d 直接办结, %d 办结, %d 回访, %d 退单, %d 延期, %d 退回重办, %d 重办, %d 并单, %d 督办\n",
	       l.orders, l.direct, l.closed, l.called_back, l.returned, l.extended, l.rejected, l.reopened, l.merged,
	       l.supervised);
	return 0;
}

/* The demo city's disclosure since December three years back (disclosure_demo.c). */
static int demo_disclosure(db_t *db)
{
	struct timespec c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &c0);
	disclosure_demo_counts_t n;
	int rc = disclosure_demo_year(db, &n);
	clock_gettime(CLOCK_MONOTONIC, &c1);
	if (rc) {
		fprintf(stderr, "yiwang: the demo disclosure stopped (%d)\n", rc);
		return rc;
	}
	printf("government information disclosure in %.1f s: %d requests (%d replied), %d reconsiderations and suits, "
	       "%d documents (%d versions published)\n",
	       (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9, n.requests, n.replied,
	       n.remedies, n.documents, n.versions);
	return 0;
}

static int print_demo_account(void *arg, const org_account_t *a)
{
	(void)arg;
	unsigned roles = 0;
	auth_roles_parse(a->roles, &roles);
	const char *label = "";
	for (unsigned b = 1; b && auth_role_name(b); b <<= 1)
		if (roles & b) {
			label = auth_role_label(b);
			break;
		}
	printf("  %-16s %s  %s  %s\n", a->username, label, a->name, a->dept);
	return 0;
}

static int print_account(void *arg, const org_account_t *a)
{
	(void)arg;
	printf("%-20s %-12s %-7s %s%s\n", a->username, a->name, a->kind, a->roles, a->disabled ? " (disabled)" : "");
	return 0;
}

typedef struct password_job {
	const char *username, *hash;
} password_job_t;

static int password_set(db_t *db, void *arg)
{
	const password_job_t *j = arg;
	return org_user_set_hash_by_name(db, j->username, j->hash);
}

static int cmd_demo(yw_config_t *cfg, int argc, char **argv)
{
	long scale = 0, ncases = 0;
	bool history = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-history") == 0) {
			history = false;
			continue;
		}
		if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc) {
			char *end;
			ncases = strtol(argv[++i], &end, 10);
			if (*end || ncases < 0 || ncases > 100000) {
				fprintf(stderr, "yiwang: --cases takes a number of applications (0 to 100000)\n");
				return 2;
			}
			continue;
		}
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
			char *end;
			scale = strtol(argv[++i], &end, 10);
			if (*end || scale < 0 || scale > 1000000) {
				fprintf(stderr, "yiwang: --scale takes a number of items (0 to 1000000)\n");
				return 2;
			}
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	if (open_audit_key(cfg, db)) {
		db_close(db);
		return 1;
	}
	int items = 0, rc = 0;
	bool empty;
	if (is_empty(cfg, db, &empty)) {
		db_close(db);
		return 1;
	}
	if (empty) {
		auth_hash_reuse_for_demo(true); /* every demo account has DEMO_PASSWORD */
		rc = catalog_demo_load(db, DEMO_PASSWORD, &items);
		auth_hash_reuse_for_demo(false);
		if (rc) {
			fprintf(stderr, "yiwang: demo city could not be loaded\n");
			db_close(db);
			return 1;
		}
		printf("demo city created in %s: %d published items\n", db_label(cfg), items);
		if (hall_demo_load(db) != 0)
			fprintf(stderr, "yiwang: demo hall queues could not be loaded\n");
		if (disclosure_demo_load(db) != 0)
			fprintf(stderr, "yiwang: demo disclosure categories could not be loaded\n");
		if (hotline_demo_matters(db) != 0)
			fprintf(stderr, "yiwang: demo hotline matters could not be loaded\n");
		else if (hotline_kb_demo_load(db) != 0)
			fprintf(stderr, "yiwang: the demo hotline knowledge base could not be loaded\n");
		/* the past year, unless asked for none or for --cases' applications made today */
		if (history && ncases == 0 && (rc = demo_history(db)) != 0) {
			db_close(db);
			return 1;
		}
		/* with the past year, hotline orders of the last days in the hotline inboxes */
		if (history && ncases == 0 && hotline_demo_inbox(db) != 0)
			fprintf(stderr, "yiwang: demo hotline orders could not be made\n");
		if (history && ncases == 0 && (rc = demo_disclosure(db)) != 0) {
			db_close(db);
			return 1;
		}
		int made = 0;
		if (ncases > 0 && (rc = cases_demo_load(db, (int)ncases, &made)) != 0)
			fprintf(stderr, "yiwang: demo cases stopped after %d\n", made);
		else if (ncases > 0)
			printf("%d demo applications in every state, from 已接件 to 办结 and 好差评\n", made);
	} else {
		printf("%s already holds a city; keeping it\n", db_label(cfg));
	}
	if (scale > 0) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = catalog_demo_scale(db, (int)scale);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("generated %ld items in %.1f s\n", scale,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	printf("\ndemo accounts (password %s):\n", DEMO_PASSWORD);
	/* The first staff accounts of the demo file are one per role; then the applicants. */
	int s = org_accounts_each(db, true, print_demo_account, NULL);
	if (s < 0) {
		fprintf(stderr, "yiwang: cannot read the demo accounts\n");
		rc = s;
	}
	db_close(db);
	return rc ? 1 : 0;
}

/* `yiwang hotline ...`: the hotline's commands (hotline.h hotline_cli). */
static int cmd_hotline(yw_config_t *cfg, int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	if (open_audit_key(cfg, db)) {
		db_close(db);
		return 1;
	}
	int rc = strcmp(argv[1], "import-history") == 0 ? hotline_suggest_cli(db, argc - 1, argv + 1)
							 : hotline_cli(db, argc - 1, argv + 1);
	db_close(db);
	return rc;
}

static int cmd_open311(yw_config_t *cfg, int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	if (open_audit_key(cfg, db)) {
		db_close(db);
		return 1;
	}
	int rc = open311_cli(db, argc - 1, argv + 1);
	db_close(db);
	return rc;
}

static int cmd_user(yw_config_t *cfg, int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	if (open_audit_key(cfg, db)) {
		db_close(db);
		return 1;
	}
	int rc = 0;
	vctx_t v = {0};
	if (strcmp(argv[1], "list") == 0) {
		rc = org_accounts_each(db, false, print_account, NULL);
		if (rc < 0)
			fprintf(stderr, "yiwang: cannot read the accounts\n");
	} else if (strcmp(argv[1], "add") == 0 && argc >= 3) {
		json_t *u = json_pack("{s:s}", "username", argv[2]);
		for (int i = 3; i + 1 < argc; i += 2) {
			if (strcmp(argv[i], "--roles") == 0) {
				json_t *roles = json_array();
				char *save, *tok, *copy = strdup(argv[i + 1]);
				for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
					json_array_append_new(roles, json_string(tok));
				free(copy);
				json_object_set_new(u, "roles", roles);
			} else if (strcmp(argv[i], "--dept") == 0) {
				int64_t id = 0;
				int found = org_dept_id_by_name(db, argv[i + 1], &id);
				if (found != 0 && found != YW_ENOTFOUND && !rc) {
					fprintf(stderr, "yiwang: cannot look up department %s\n", argv[i + 1]);
					rc = found;
				}
				json_object_set_new(u, "dept_id", json_integer(id ? id : -1));
			} else {
				json_object_set_new(u, argv[i] + 2, json_string(argv[i + 1]));
			}
		}
		account_job_t job = {u, &v, false};
		rc = rc ? rc : db_transaction(db, account_create, &job);
		if (!rc)
			printf("created user %s\n", argv[2]);
		json_decref(u);
	} else if (strcmp(argv[1], "passwd") == 0 && argc == 4) {
		const char *why = auth_password_problem(argv[3]);
		char hash[128];
		if (why) {
			fprintf(stderr, "yiwang: %s\n", why);
			rc = YW_EINVAL;
		} else if ((rc = auth_hash_password(argv[3], hash)) == 0) {
			password_job_t job = {argv[2], hash};
			if ((rc = db_transaction(db, password_set, &job)) != 0) {
				if (rc == YW_ENOTFOUND)
					fprintf(stderr, "yiwang: no such user %s\n", argv[2]);
				else
					fprintf(stderr, "yiwang: the password of %s was not changed (%d)\n", argv[2],
						rc);
			}
		}
	} else {
		fputs(usage, stderr);
		rc = 2;
	}
	size_t i;
	json_t *e;
	json_array_foreach(v.errors, i, e)
		fprintf(stderr, "yiwang: %s: %s\n", json_string_value(json_object_get(e, "field")),
			json_string_value(json_object_get(e, "message")));
	json_decref(v.errors);
	db_close(db);
	return rc == 2 ? 2 : rc ? 1 : 0;
}

static int cmd_import(yw_config_t *cfg, int argc, char **argv)
{
	const char *file = NULL, *staff_password = NULL;
	bool publish = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--publish") == 0)
			publish = true;
		else if (strcmp(argv[i], "--staff-password") == 0 && i + 1 < argc)
			staff_password = argv[++i];
		else
			file = argv[i];
	}
	if (!file) {
		fputs(usage, stderr);
		return 2;
	}
	json_error_t err;
	json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		fprintf(stderr, "%s:%d:%d: %s\n", file, err.line, err.column, err.text);
		return 1;
	}
	db_t *db = NULL;
	if (open_db(cfg, &db) || open_audit_key(cfg, db)) {
		db_close(db);
		json_decref(doc);
		return 1;
	}
	vctx_t v = {0};
	int n = 0;
	int rc = catalog_import(db, NULL, doc, publish, staff_password, &v, &n);
	size_t i;
	json_t *e;
	json_array_foreach(v.errors, i, e)
		fprintf(stderr, "%s: %s: %s\n", file, json_string_value(json_object_get(e, "field")),
			json_string_value(json_object_get(e, "message")));
	if (!rc)
		printf("imported %d items%s\n", n, publish ? " (published)" : " as drafts");
	json_decref(v.errors);
	json_decref(doc);
	db_close(db);
	return rc ? 1 : 0;
}

static int cmd_export(yw_config_t *cfg, int argc, char **argv)
{
	bool all = false;
	const char *xlsx = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = true;
		else if (strcmp(argv[i], "--xlsx") == 0 && i + 1 < argc)
			xlsx = argv[++i];
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	int rc;
	if (xlsx) {
		rc = catalog_export_xlsx(db, xlsx);
	} else {
		json_t *doc;
		rc = catalog_exchange_document(db, all, &doc);
		if (rc == 0) {
			rc = json_dumpf(doc, stdout, JSON_INDENT(1)) ? YW_EIO : 0;
			putchar('\n');
			json_decref(doc);
		}
	}
	db_close(db);
	return rc ? 1 : 0;
}

/* `yiwang gen-cases` and `yiwang gen-orders`: a generated year of cases (stats_generate) or of
 * hotline orders (hotline_stats_demo.c hls_generate) in a city that `demo` made. */
static int cmd_generate(yw_config_t *cfg, int argc, char **argv, bool orders)
{
	const char *count_flag = orders ? "--orders" : "--cases";
	long n = orders ? 1000000 : 600000, year = 0, seed = orders ? 0 : 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		char *end;
		long v = strtol(argv[i + 1], &end, 10);
		if (*end || v < 0) {
			fputs(usage, stderr);
			return 2;
		}
		if (strcmp(argv[i], count_flag) == 0)
			n = v;
		else if (strcmp(argv[i], "--year") == 0)
			year = v;
		else if (strcmp(argv[i], "--seed") == 0)
			seed = v;
		else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (argc % 2 == 0 || n < 1 || n > 5000000 || year < 2000 || year > 2100) {
		fprintf(stderr, "yiwang: %s needs %s 1..5000000 and --year 2000..2100\n", argv[0], count_flag);
		return 2;
	}
	db_t *db;
	if (open_db(cfg, &db))
		return 1;
	bool empty = false;
	if (is_empty(cfg, db, &empty) || empty) {
		if (empty)
			fprintf(stderr, "yiwang: %s holds no city; run `yiwang demo` first\n", db_label(cfg));
		db_close(db);
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char summary[512] = "";
	int rc = orders ? hls_generate(db, cfg, (int)year, (int)n, (unsigned)seed, summary, sizeof summary)
			: stats_generate(db, (int)year, (int)n, (unsigned)seed);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc)
		printf("%s%sin %.1f s\n", summary, *summary ? "\n" : "",
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	else
		fprintf(stderr, "yiwang: generating %s failed\n", orders ? "orders" : "cases");
	db_close(db);
	return rc ? 1 : 0;
}

/* The source's audit key, to where the target's server will look for it: a copy of the file
 * (mode 0600), or nothing when the same key is already there. 0 or 1 (explained). */
static int copy_key_file(const char *from, const char *to)
{
	char key[4096], have[4096];
	size_t n = 0, m = 0;
	FILE *f = fopen(from, "r");
	if (!f) {
		fprintf(stderr, "yiwang: cannot read the audit key file %s\n", from);
		return 1;
	}
	n = fread(key, 1, sizeof key, f);
	fclose(f);
	if ((f = fopen(to, "r")) != NULL) {
		m = fread(have, 1, sizeof have, f);
		fclose(f);
		if (m == n && memcmp(key, have, n) == 0)
			return 0;
		fprintf(stderr, "yiwang: %s holds another audit key; move it away, then copy %s there\n", to, from);
		return 1;
	}
	char parent[600];
	snprintf(parent, sizeof parent, "%s", to);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = 0;
		mkdir(parent, 0700); /* PostgreSQL's default place is files_dir, which serve creates */
	}
	int fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, key, n) != (ssize_t)n || close(fd) != 0) {
		fprintf(stderr, "yiwang: cannot write the audit key file %s\n", to);
		return 1;
	}
	printf("audit key copied to %s (mode 0600)\n", to);
	return 0;
}

/* yiwang copy --to TARGET: the city of --db into an empty TARGET, with its audit key, so that
 * `audit verify` passes on the target (db_copy.c). */
static int cmd_copy(yw_config_t *cfg, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--to") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	yw_config_t target = *cfg;
	snprintf(target.db, sizeof target.db, "%s", argv[2]);
	target.audit_key_file[0] = 0; /* the target's key goes where the target's own default puts it */
	char src_key[600], dst_key[600];
	config_audit_key_file(cfg, src_key, sizeof src_key);
	config_audit_key_file(&target, dst_key, sizeof dst_key);
	db_t *src = NULL, *dst = NULL;
	int rc = 1;
	const char *file = sqlite_path(cfg->db);
	if ((file && access(file, F_OK) != 0) || db_open(cfg->db, &src) != 0) {
		fprintf(stderr, "yiwang: cannot open database %s\n", db_label(cfg));
		goto done;
	}
	if (db_open(target.db, &dst) != 0) {
		fprintf(stderr, "yiwang: cannot open or create the target %s\n", db_label(&target));
		goto done;
	}
	/* the key first: a target without it could not be served */
	bool had_key = access(dst_key, F_OK) == 0;
	if (copy_key_file(src_key, dst_key) != 0)
		goto done;
	if (db_copy(src, dst, stdout) != 0) {
		if (!had_key)
			unlink(dst_key);
		goto done;
	}
	rc = 0;
done:
	db_close(src);
	db_close(dst);
	return rc;
}

static int cmd_backup(yw_config_t *cfg, int argc, char **argv)
{
	if (argc != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (db_url_engine(cfg->db) != DB_SQLITE) {
		fprintf(stderr, "yiwang: backup copies SQLite databases; back up PostgreSQL with its own tools "
				"(pg_dump, pg_basebackup; docs/operations.md)\n");
		return 1;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "yiwang: %s exists; choose a new file\n", argv[1]);
		return 1;
	}
	db_t *db;
	if (open_existing_db(cfg, &db) != 0) {
		fprintf(stderr, "yiwang: cannot open database %s\n", db_label(cfg));
		return 1;
	}
	int rc = db_backup(db, argv[1]);
	db_close(db);
	if (rc == YW_EINVAL)
		fprintf(stderr, "yiwang: this database is backed up with its engine's own tools (pg_dump; "
				"docs/operations.md)\n");
	else if (rc)
		fprintf(stderr, "yiwang: the backup to %s failed\n", argv[1]);
	char key[600];
	if (!rc)
		printf("backup written to %s\nthe audit key is not in it: keep a copy of %s apart from the backups\n", argv[1],
		       config_audit_key_file(cfg, key, sizeof key));
	return rc ? 1 : 0;
}

static int cmd_calendar(yw_config_t *cfg, int argc, char **argv)
{
	if (argc < 3) {
		fputs(usage, stderr);
		return 2;
	}
	/* The database's calendar when there is one (it may have been edited), else the shipped one;
	 * a PostgreSQL database that cannot be reached is an error, not an absent database. */
	calendar_t *cal = NULL;
	db_t *db = NULL;
	if (open_existing_db(cfg, &db) == 0) {
		int rc = calendar_store_load(db, &cal);
		db_close(db);
		if (rc) {
			fprintf(stderr, "yiwang: cannot read the calendar of %s\n", db_label(cfg));
			return 1;
		}
	} else if (sqlite_path(cfg->db)) {
		cal = calendar_builtin();
	} else {
		fprintf(stderr, "yiwang: cannot open database %s\n", db_label(cfg));
		return 1;
	}
	int rc = 2;
	yw_date_t a, b;
	bool beyond = false;
	char buf[11];
	if (date_parse(argv[2], strlen(argv[2]), &a) != 0) {
		fprintf(stderr, "yiwang: %s is not a date (YYYY-MM-DD)\n", argv[2]);
		rc = 2;
	} else if (strcmp(argv[1], "workdays-after") == 0 && argc == 4) {
		char *end;
		long n = strtol(argv[3], &end, 10);
		if (*end || n < 0 || calendar_add_workdays(cal, a, (int)n, &b, &beyond) != 0) {
			fprintf(stderr, "yiwang: N must be a whole number from 0 to %d\n", CALENDAR_MAX_WORKDAYS);
		} else {
			date_format(b, buf);
			printf("%s\n", buf);
			rc = 0;
		}
	} else if (strcmp(argv[1], "between") == 0 && argc == 4) {
		int n;
		if (date_parse(argv[3], strlen(argv[3]), &b) != 0 || calendar_workdays_between(cal, a, b, &n, &beyond)) {
			fprintf(stderr, "yiwang: %s is not a date (YYYY-MM-DD)\n", argv[3]);
		} else {
			printf("%d\n", n);
			rc = 0;
		}
	} else if (strcmp(argv[1], "is-workday") == 0 && argc == 3) {
		int y, m, d;
		date_to_ymd(a, &y, &m, &d);
		beyond = !calendar_year_published(cal, y);
		printf("%s\n", calendar_is_workday(cal, a) ? "workday" : "rest day");
		rc = 0;
	} else {
		fputs(usage, stderr);
	}
	if (rc == 0 && beyond)
		fprintf(stderr, "yiwang: warning: the answer depends on days past the published holiday schedule\n");
	calendar_free(cal);
	return rc;
}

static int cmd_audit(yw_config_t *cfg, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	audit_checkpoint_t cps[16];
	size_t ncps = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(sub, "verify") == 0 && strcmp(argv[i], "--checkpoint") == 0 && i + 1 < argc &&
		    ncps < sizeof cps / sizeof cps[0]) {
			if (audit_checkpoint_parse(argv[++i], &cps[ncps++]) != 0) {
				fprintf(stderr, "yiwang: a checkpoint is \"SEQ HASH\" as `yiwang audit checkpoint` prints it\n");
				return 2;
			}
			continue;
		}
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(sub, "tables") == 0) {
		for (size_t i = 0; audit_table(i); i++)
			printf("%s\n", audit_table(i));
		return 0;
	}
	if (strcmp(sub, "verify") != 0 && strcmp(sub, "checkpoint") != 0 && strcmp(sub, "rotate-key") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	db_t *db;
	if (open_existing_db(cfg, &db) != 0) {
		fprintf(stderr, "yiwang: cannot open database %s\n", db_label(cfg));
		return 2;
	}
	char path[600];
	config_audit_key_file(cfg, path, sizeof path);
	int rc = audit_key_load(path, stderr);
	if (rc == YW_ENOTFOUND && strcmp(sub, "rotate-key") != 0)
		rc = 0; /* verify says whether the chain needed it */
	else if (rc == YW_ENOTFOUND)
		fprintf(stderr, "yiwang: no audit key file %s to rotate\n", path);
	else if (rc == YW_EIO)
		fprintf(stderr, "yiwang: cannot read the audit key file %s\n", path);
	if (rc == 0 && strcmp(sub, "rotate-key") == 0) {
		rc = audit_key_bind(db, false, stderr);
		rc = rc ? rc : audit_key_rotate(db, path, stdout);
		if (rc)
			fprintf(stderr, "yiwang: the audit key was not rotated\n");
	} else if (rc == 0 && strcmp(sub, "checkpoint") == 0) {
		/* Only a verified chain's point is worth publishing. */
		char *report = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&report, &len);
		audit_checkpoint_t head = {0};
		rc = audit_verify_checkpoints(db, NULL, 0, mem, &head);
		fclose(mem);
		if (rc)
			fputs(report, stdout);
		else if (head.seq == 0)
			fprintf(stderr, "yiwang: the audit chain is empty\n"), rc = YW_ENOTFOUND;
		else
			printf("%lld %s\n", (long long)head.seq, head.hash);
		free(report);
	} else if (rc == 0) {
		rc = audit_verify_checkpoints(db, cps, ncps, stdout, NULL);
	}
	db_close(db);
	return rc == 0 ? 0 : 1;
}

static int cmd_routes(void)
{
	json_t *a = json_array();
	for (int i = 0; i < routes_count(); i++) {
		const route_t *r = routes_at(i);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "method", r->method, "path", r->pattern,
						   "permission", auth_perm_name(r->perm)));
	}
	json_dumpf(a, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(a);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "yiwang: libsodium failed to initialise\n");
		return 1;
	}
	register_modules();
	yw_config_t cfg;
	config_defaults(&cfg);
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("yiwang %s\n", YW_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			if (config_load(&cfg, argv[++i]) != 0)
				return 2;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			config_set(&cfg, "db", argv[++i]);
		} else {
			fprintf(stderr, "yiwang: unknown option %s\n\n%s", argv[i], usage);
			return 2;
		}
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	/* --db may also follow the command ("yiwang audit verify --db FILE"). */
	int sub_argc = 0;
	char **sub_argv = calloc((size_t)(argc - i + 1), sizeof *sub_argv);
	for (int k = i; k < argc; k++) {
		if (strcmp(argv[k], "--db") == 0 && k + 1 < argc) {
			config_set(&cfg, "db", argv[++k]);
			continue;
		}
		sub_argv[sub_argc++] = argv[k];
	}
	config_set_current(&cfg);
	const char *cmd = sub_argv[0];
	int rc;
	if (strcmp(cmd, "serve") == 0)
		rc = cmd_serve(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "init") == 0)
		rc = cmd_init(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "demo") == 0)
		rc = cmd_demo(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "user") == 0)
		rc = cmd_user(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "import") == 0)
		rc = cmd_import(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "export") == 0)
		rc = cmd_export(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "gen-cases") == 0)
		rc = cmd_generate(&cfg, sub_argc, sub_argv, false);
	else if (strcmp(cmd, "gen-orders") == 0)
		rc = cmd_generate(&cfg, sub_argc, sub_argv, true);
	else if (strcmp(cmd, "copy") == 0)
		rc = cmd_copy(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "backup") == 0)
		rc = cmd_backup(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "calendar") == 0)
		rc = cmd_calendar(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "audit") == 0)
		rc = cmd_audit(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "routes") == 0)
		rc = cmd_routes();
	else if (strcmp(cmd, "hotline") == 0)
		rc = cmd_hotline(&cfg, sub_argc, sub_argv);
	else if (strcmp(cmd, "open311") == 0)
		rc = cmd_open311(&cfg, sub_argc, sub_argv);
	else {
		fprintf(stderr, "yiwang: unknown command %s\n\n%s", cmd, usage);
		rc = 2;
	}
	free(sub_argv);
	return rc;
}
