/* Benchmark of the electronic supervision job (supervision_tick) on a generated database: N open
 * cases with one open step each among M decided cases, promised and due days spread from 12 days
 * before to 28 days after 2026-11-24. Prints each tick's time, the rows it wrote (audit records)
 * and the share of the 60-second tick interval it took. Built with the project; run by
 * `make bench`, or alone: build/bench_supervision_tick [N=10000] [M=50000] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/log.h"
#include "supervision/supervision.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* sql: a literal (statements are cached by its address); -1 when the query fails. */
static int64_t count(db_t *db, const char *sql)
{
	int64_t n = -1;
	return db_query_int(db, sql, NULL, &n) == 0 ? n : -1;
}

static const char fixture[] =
	"INSERT INTO regions VALUES ('430100', '长沙市', 1, NULL);"
	"INSERT INTO departments(id, name, uscc, region_code) VALUES (1, '市场监管局', 'U1', '430100');"
	"INSERT INTO users(id, username, name, kind, password_hash, dept_id, region_code, roles, created_at)"
	" VALUES (1, 'clerk', '窗口', 'staff', 'x', NULL, '430100', 'clerk', 0);"
	"INSERT INTO items VALUES (1, 'I1', 1, 0);"
	"INSERT INTO item_versions(id, item_id, version, status, data, name, type, level, region_code, targets,"
	" tags, lists, life_events, handling_class, promised_days, visits, online_depth, search_text, created_at)"
	" VALUES (1, 1, 1, 'published', '{}', '事项', '01', 3, '430100', 1, 0, 0, 0, 2, 5, 1, 3, '', 0);";

/* The id of the row the INSERT ... RETURNING id in st adds. */
static int insert(db_stmt_t *st, int64_t *id)
{
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

static int generate(db_t *db, yw_date_t today, int open, int decided)
{
	srand(1);
	int rc = 0;
	for (int i = 0; !rc && i < open + decided; i++) {
		char no[32], promised[11], due[11];
		snprintf(no, sizeof no, "C%d", i);
		date_format(today - 12 + rand() % 40, promised);
		date_format(today - 12 + rand() % 40, due);
		db_stmt_t *st = db_prepare(
			db, "INSERT INTO cases(case_no, item_id, item_version_id, dept_id, region_code, "
			    "applicant_name, applicant_no, channel, state, form, created_at, accepted_by, "
			    "promised_day) "
			    "VALUES (:case_no, 1, 1, 1, '430100', '张三', '430102199001011234', 'window', :state, "
			    "'{\"联系地址\":\"长沙市芙蓉区五一大道1号\"}', 0, 1, :promised_day) RETURNING id");
		db_bind_text(st, "case_no", no);
		db_bind_int(st, "state", i < open ? CASE_ACCEPTED : CASE_DONE_APPROVED);
		db_bind_text(st, "promised_day", promised);
		int64_t id = 0, step_id = 0;
		if ((rc = insert(st, &id)) != 0 || (rc = audit_record_id(db, NULL, "bench", "cases", id)) != 0)
			break;
		if (i >= open)
			continue;
		st = db_prepare(db, "INSERT INTO case_steps(case_id, step, name, role, dept_id, started_at, "
				    "started_day, budget_days, due_day) VALUES (:case_id, 1, '审查', 'approver', 1, 0, "
				    "'2026-11-01', 5, :due_day) RETURNING id");
		db_bind_int(st, "case_id", id);
		db_bind_text(st, "due_day", due);
		if ((rc = insert(st, &step_id)) == 0)
			rc = audit_record_id(db, NULL, "bench", "case_steps", step_id);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int open = argc > 1 ? atoi(argv[1]) : 10000, decided = argc > 2 ? atoi(argv[2]) : 50000;
	char path[] = "/tmp/yiwang-bench-tick-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	db_t *db;
	if (db_open(path, &db))
		return 1;
	log_set_quiet(1);
	yw_date_t today = date_from_ymd(2026, 11, 24);
	if (db_begin(db) || calendar_store_seed(db) || db_exec(db, fixture) || generate(db, today, open, decided) ||
	    db_commit(db)) {
		fprintf(stderr, "bench_supervision_tick: cannot build the database\n");
		return 1;
	}
	int64_t ten = (int64_t)today * 86400 + 2 * 3600; /* 10:00 in China */
	const struct {
		const char *what;
		int64_t at;
	} runs[] = {{"first tick: every signal set", ten},   {"same day, quiet", ten + 60},
		    {"same day, quiet", ten + 120},           {"next working day", ten + 86400},
		    {"next working day, quiet", ten + 86460}};
	printf("%d open cases with one open step each, %d decided cases\n", open, decided);
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		int64_t before = count(db, "SELECT COUNT(*) FROM audit");
		double t = now_ms();
		int rc = supervision_tick(db, runs[r].at);
		double ms = now_ms() - t;
		printf("%-30s %s %8.1f ms  %6lld rows written  %6lld cards  %.4f of the tick interval\n", runs[r].what,
		       rc ? "FAILED" : "ok", ms, (long long)(count(db, "SELECT COUNT(*) FROM audit") - before),
		       (long long)count(db, "SELECT COUNT(*) FROM cards"), ms / 60000.0);
	}
	db_close(db);
	unlink(path);
	return 0;
}
